// Issue 12, the native-library doctor in VS Code, with real nix and uv on the native-missing
// fixture (test/helpers/issue12Fixtures.ts): uv installs a wheel built here whose C extension
// needs a library nothing provides (a soname the curated nixpkgs map knows, absent from this
// machine); the flake's stand-in nixpkgs has the package. The diagnostic appears on flake.nix,
// the Packages view lists it, the Quick Fix edits flake.nix (Undo works), and after the reload
// the import works.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { NativeFixResult } from "../../../src/commands/nativeLibraryFix";
import type { NativeFixtureFacts } from "../../helpers/issue12Fixtures";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";

const CODE = "missing-native-library";

export const run = () =>
  runMochaSuite(
    "native libraries: diagnostic, view, one-click fix, reload",
    () => {
      const folder = () => folders()[0]!;
      const file = (name: string) => join(folder().uri.fsPath, name);
      const flakeUri = () => vscode.Uri.file(file("flake.nix"));
      const facts = () => JSON.parse(readFileSync(file(".hybrid-test.json"), "utf8")) as NativeFixtureFacts;
      const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.code === CODE);
      let original = "";

      /** Imports the module with the environment a terminal of the folder gets. */
      async function importModule(): Promise<{ ok: boolean; output: string }> {
        const env = (await hybridApi()).getEnvironment(folder().uri)!;
        const { module, method } = facts();
        try {
          return { ok: true, output: execFileSync(file(".venv/bin/python"), ["-c", `import ${module}; print(${module}.${method}())`], { env, encoding: "utf8", stdio: "pipe" }).trim() };
        } catch (e) {
          return { ok: false, output: String((e as { stderr?: string }).stderr) };
        }
      }

      test("the folder enters; the import really fails", async () => {
        await waitForState(await hybridApi(), folder(), "ready", 180_000);
        original = readFileSync(file("flake.nix"), "utf8");
        const r = await importModule();
        assert.equal(r.ok, false);
        assert.match(r.output, new RegExp(`ImportError: ${facts().soname.replace(/\./g, "\\.")}: cannot open shared object file`));
      });

      test("a diagnostic on flake.nix names the library, the module, the package and the attribute", async () => {
        const { soname, attribute } = facts();
        const [d] = await waitFor(() => (ours(flakeUri()).length > 0 ? ours(flakeUri()) : undefined), "the native-library diagnostic on flake.nix", 30_000);
        assert.equal(d!.severity, vscode.DiagnosticSeverity.Error);
        assert.equal(d!.source, "hybrid-env");
        assert.ok(d!.message.startsWith(`${soname} is not found: hybglu/_greet.cpython-`), d!.message);
        assert.ok(d!.message.includes("(from hybglu 1.0)") && d!.message.includes(`nixpkgs' ${attribute}`), d!.message);
        const line = original.split("\n")[d!.range.start.line]!;
        assert.match(line, /devShells\.x86_64-linux\.default = pkgs\.mkShell \{/);
        assert.equal(ours(vscode.Uri.file(file("pyproject.toml"))).length, 0, "a curated library is reported where it is fixed");
      });

      test("the Packages view lists it under Native libraries", async () => {
        if (!ui.available) return;
        await ui.openView("Hybrid Env", "Packages");
        // The group's row can be drawn before its children are: wait for the library's own row.
        let seen: readonly { label: string; description: string }[] = [];
        const row = await waitFor(async () => {
          seen = await ui.treeRows("Packages");
          return seen.find((r) => r.label === facts().soname);
        }, () => `the library's row in the Packages view; rows: ${seen.map((r) => r.label).join(" | ")}`);
        const group = seen.findIndex((r) => r.label.startsWith("Native libraries"));
        assert.ok(group >= 0 && group < seen.indexOf(row), seen.map((r) => r.label).join(" | "));
        console.log(`      rows: ${seen.map((r) => r.label).join(" | ")}`);
        assert.equal(row.description, `needed by hybglu 1.0 · fix: ${facts().attribute}`);
      });

      test("the Quick Fix adds the attribute to the devShell's library path in flake.nix, saved; Undo restores it", async () => {
        const [d] = ours(flakeUri());
        // Code actions are asked of an open document, as when the cursor is on the squiggle.
        await vscode.window.showTextDocument(flakeUri());
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", flakeUri(), d!.range, vscode.CodeActionKind.QuickFix.value);
        const fix = actions.find((a) => a.title === `Add ${facts().attribute} to the devShell's LD_LIBRARY_PATH`);
        assert.ok(fix?.command, actions.map((a) => a.title).join(" | "));
        const result = await vscode.commands.executeCommand<NativeFixResult>(fix!.command!.command, ...(fix!.command!.arguments ?? []));
        assert.equal(result.changed, true, result.message);
        assert.equal(result.how, "new-attribute");
        const edited = readFileSync(file("flake.nix"), "utf8");
        const added = `      LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.${facts().attribute} ];\n`;
        assert.equal(edited, original.replace("      '';\n    };", `      '';\n${added}    };`), edited);
        const editor = await vscode.window.showTextDocument(flakeUri());
        // The editor's change reaches the extension host as its own message: wait for it.
        await vscode.commands.executeCommand("undo");
        await waitFor(() => editor.document.getText() === original, () => `Undo to take the edit back (the text: ${editor.document.getText()})`, 5_000);
        await vscode.commands.executeCommand("redo");
        await waitFor(() => editor.document.getText() === edited, "Redo to put it back", 5_000);
        assert.ok(await editor.document.save());
      });

      test("after the reload the diagnostic is gone and the module imports", async () => {
        await vscode.commands.executeCommand("hybridEnv.reload", folder().uri);
        await waitForState(await hybridApi(), folder(), "ready", 180_000);
        await waitFor(() => ours(flakeUri()).length === 0, "the diagnostic to clear", 30_000);
        assert.deepEqual(await importModule(), { ok: true, output: String(facts().returns) });
        // The venv's interpreter carries it too, from an empty environment (the Python layer).
        const bare = execFileSync(file(".venv/bin/python"), ["-c", `import ${facts().module}; print(${facts().module}.${facts().method}())`], { env: {}, encoding: "utf8" }).trim();
        assert.equal(bare, String(facts().returns));
      });

      test("the view's group is gone", async () => {
        if (!ui.available) return;
        await waitFor(async () => !(await ui.treeRows("Packages")).some((r) => r.label.startsWith("Native libraries")), "the Native libraries group to go");
      });
    },
    { timeoutMs: 200_000 },
  );
