// Add / remove Nix package on the package-set fixture (test/helpers/nixPackageSetFixture.ts: the
// flake's list `myPkgs = p: with p; [ nixonly ];` draws from a local set holding extra and
// another), with real nix and uv: the command edits flake.nix through the editor (Undo restores
// it, unsaved edits are kept), checks the parse, saves, reloads, and the package shows up from Nix.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import type { NixPackageCommandResult } from "../../../src/commands/nixPackages/command";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";

const ADD = "hybridEnv.addNixPackage";
const REMOVE = "hybridEnv.removeNixPackage";

export const run = () =>
  runMochaSuite(
    "Nix packages: add and remove in flake.nix",
    () => {
      const folder = () => folders()[0]!;
      const flakeUri = () => vscode.Uri.joinPath(folder().uri, "flake.nix");
      const onDisk = () => readFileSync(flakeUri().fsPath, "utf8");
      const listOnDisk = () => /myPkgs = p: with p; \[([^\]]*)\];/.exec(onDisk())?.[1]?.trim().split(/\s+/).filter(Boolean);
      const nixPackages = async () =>
        ((await hybridApi()).getPackages(folder().uri) ?? []).filter((p) => p.source === "nix" && !p.shadowedBy).map((p) => `${p.name}==${p.version}`).sort();
      let original = "";

      async function reload(): Promise<void> {
        await vscode.commands.executeCommand("hybridEnv.reload", folder().uri);
        await waitForState(await hybridApi(), folder(), "ready");
      }

      test("the folder enters by itself (autoEnter: always) with nixonly from Nix", async () => {
        const api = await hybridApi();
        await waitForState(api, folder(), "ready");
        assert.deepEqual(await nixPackages(), ["nixonly==1.0"]);
        original = onDisk();
        assert.deepEqual(listOnDisk(), ["nixonly"]);
      });

      test("adding extra edits only the list, saves, reloads, and extra comes from Nix", async () => {
        const result = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "extra", folder().uri);
        assert.equal(result.error, undefined, result.message);
        assert.equal(result.changed, true);
        assert.equal(onDisk(), original.replace("[ nixonly ]", "[ nixonly extra ]"));
        const document = await vscode.workspace.openTextDocument(flakeUri());
        assert.equal(document.isDirty, false);
        await waitForState(await hybridApi(), folder(), "ready");
        assert.deepEqual(await nixPackages(), ["extra==2.5", "nixonly==1.0"]);
        assert.equal(result.revealed, true, "the row was revealed in the Packages view");
      });

      test("the Packages view lists extra under From Nix", async () => {
        if (!ui.available) return;
        await ui.openView("Hybrid Env", "Packages");
        const rows = await waitFor(async () => {
          const r = await ui.treeRows("Packages");
          return r.some((x) => x.label === "extra") ? r : undefined;
        }, "extra in the Packages view");
        const nixGroup = rows.findIndex((r) => /^From Nix \(2\)/.test(r.label));
        const uvGroup = rows.findIndex((r) => r.label.startsWith("From uv"));
        const extra = rows.findIndex((r) => r.label === "extra");
        assert.ok(nixGroup >= 0 && nixGroup < extra && (uvGroup === -1 || extra < uvGroup), rows.map((r) => r.label).join(" | "));
      });

      test("Undo in the editor restores flake.nix, and a reload drops extra again", async () => {
        const editor = await vscode.window.showTextDocument(flakeUri());
        await vscode.commands.executeCommand("undo");
        assert.equal(editor.document.getText(), original);
        assert.ok(await editor.document.save());
        assert.equal(onDisk(), original, "byte for byte");
        await reload();
        assert.deepEqual(await nixPackages(), ["nixonly==1.0"]);
      });

      test("a name already in the list changes nothing and says so", async () => {
        const document = await vscode.workspace.openTextDocument(flakeUri());
        const version = document.version;
        const result = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "nixonly", folder().uri);
        assert.equal(result.changed, false);
        assert.match(result.message, /already in/);
        assert.equal(document.version, version);
        assert.equal(onDisk(), original);
      });

      test("a bad name is rejected and the file stays byte-identical", async () => {
        for (const bad of ["torch]; x = builtins.readFile /etc/passwd; [", "", "two words", '"quoted"']) {
          const result = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, bad, folder().uri);
          assert.equal(result.changed, false, bad);
          assert.ok(result.error, `${JSON.stringify(bad)} is refused`);
        }
        assert.equal(onDisk(), original);
      });

      test("an unsaved editor that does not parse: the error is shown and nothing changes", async () => {
        const editor = await vscode.window.showTextDocument(flakeUri());
        const at = editor.document.positionAt(original.indexOf("in {"));
        await editor.edit((e) => e.insert(at, "broken = ; "));
        const dirtyText = editor.document.getText();
        const result = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "extra", folder().uri);
        assert.equal(result.changed, false);
        assert.match(result.error ?? "", /does not parse/);
        assert.equal(editor.document.getText(), dirtyText, "the editor keeps its text");
        assert.equal(onDisk(), original);
        await vscode.commands.executeCommand("workbench.action.files.revert");
        assert.equal(editor.document.getText(), original);
      });

      test("an unsaved edit elsewhere in flake.nix is kept (and saved with the addition)", async () => {
        const editor = await vscode.window.showTextDocument(flakeUri());
        await editor.edit((e) => e.insert(new vscode.Position(0, 0), "# edited by hand, not saved yet\n"));
        assert.ok(editor.document.isDirty);
        const result = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "another", folder().uri);
        assert.equal(result.changed, true, result.error);
        const expected = `# edited by hand, not saved yet\n${original.replace("[ nixonly ]", "[ nixonly another ]")}`;
        assert.equal(editor.document.getText(), expected);
        assert.equal(onDisk(), expected);
        await waitForState(await hybridApi(), folder(), "ready");
        assert.deepEqual(await nixPackages(), ["another==0.3", "nixonly==1.0"]);
        // Undo goes back one edit at a time: first the addition, then the hand edit.
        await vscode.commands.executeCommand("undo");
        assert.equal(editor.document.getText(), `# edited by hand, not saved yet\n${original}`);
        await vscode.commands.executeCommand("redo");
        assert.equal(editor.document.getText(), expected);
      });

      test("remove from a Packages view row (a PackageRecord) takes it out of the list", async () => {
        const record = (await hybridApi()).getPackages(folder().uri)?.find((p) => p.name === "another");
        assert.ok(record, "another is a package of the environment");
        const result = await vscode.commands.executeCommand<NixPackageCommandResult>(REMOVE, { kind: "package", name: "another", record });
        assert.equal(result.changed, true, result.error);
        assert.deepEqual(listOnDisk(), ["nixonly"]);
        await waitForState(await hybridApi(), folder(), "ready");
        assert.deepEqual(await nixPackages(), ["nixonly==1.0"]);
      });

      test("from the palette: Add Nix Package… offers the set's names; picking extra adds it", async () => {
        if (!ui.available) return;
        const running = ui.runInPalette("Hybrid Env: Add Nix Package");
        await running;
        await ui.pickQuickItem("extra");
        await waitFor(() => listOnDisk()?.includes("extra"), "extra in flake.nix", 30_000);
        await waitFor(async () => (await nixPackages()).includes("extra==2.5"), "extra from Nix", 90_000);
      });
    },
    { timeoutMs: 120_000 },
  );
