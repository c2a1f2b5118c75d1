// Issue 4 on one real hybrid folder (real nix, real uv): Enter from the prompt, terminals, the
// Python extensions (the real ones), the interpreter that carries the environment (no env file;
// an earlier version's python.envFile taken out), the status bar and the view, staleness and
// reload, reset venv, a flake error while the old environment stays applied, and Exit.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PythonExtension } from "@vscode/python-extension";
import { PythonEnvironments } from "@vscode/python-environments";
import * as vscode from "vscode";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, runTask, waitForState } from "./hybridApi";

export const run = () =>
  runMochaSuite(
    "hybrid folder: enter, terminals, Python, view, reload",
    () => {
      const folder = () => folders()[0]!;
      const file = (name: string) => join(folder().uri.fsPath, name);

      /** The Python extension's interpreter for the folder before Enter: Exit gives it back. */
      let interpreterBefore = "";

      test("clicking Enter on the prompt leads to the ready state", async () => {
        const api = await hybridApi();
        // Its own discovery picks an interpreter for the folder a little after start-up ("python",
        // the default, until then): what it picked is what the folder has before Enter.
        const environments = (await PythonExtension.api()).environments;
        await waitFor(() => environments.getActiveEnvironmentPath(folder().uri).path !== "python" || undefined, "the Python extension's own choice", 30_000).catch(() => undefined);
        interpreterBefore = environments.getActiveEnvironmentPath(folder().uri).path;
        console.log(`      the Python extension's interpreter before Enter: ${interpreterBefore}`);
        assert.equal(api.getState(folder().uri), "idle");
        // uv sync writes uv.lock during the load. The same file events reach hybrid-env's watcher
        // and this one (one batch from the server's watcher), so once this one has seen uv.lock,
        // hybrid-env has handled it too: then it must still be ready, not stale.
        const lockEvents: string[] = [];
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder(), "uv.lock"));
        const states: string[] = [];
        const stateSub = api.onDidChangeState((e) => e.folder.toString() === folder().uri.toString() && states.push(e.state));
        try {
          for (const on of [watcher.onDidCreate, watcher.onDidChange]) on((uri) => lockEvents.push(uri.fsPath));
          await ui.clickNotificationButton("Enter", "Enter the hybrid Nix + uv environment");
          await waitForState(api, folder(), "ready");
          const env = api.getEnvironment(folder().uri)!;
          assert.equal(env.FROM_NIX, "nix-value");
          assert.equal(env.VIRTUAL_ENV, file(".venv"));
          assert.ok(existsSync(file("uv.lock")));
          await waitFor(() => lockEvents.length > 0 || undefined, "the watcher's event for uv.lock", 15_000);
          assert.equal(api.getState(folder().uri), "ready", `states since Enter: ${states.join(" → ")}`);
          assert.ok(!states.includes("stale"), `states since Enter: ${states.join(" → ")}`);
        } finally {
          watcher.dispose();
          stateSub.dispose();
        }
      });

      test("a task proves by its exit code that terminals get the Nix variable, the venv and PYTHONPATH", async () => {
        assert.equal(await runTask(folder(), "check-hybrid-env"), 0);
      });

      test("the Python extension's active interpreter for the folder is .venv/bin/python", async () => {
        // Through the public API, so the same check holds on the real extension and on the fake
        // that stands in for it on the minimum-version server.
        const python = await PythonExtension.api();
        let active = "";
        await waitFor(() => (active = python.environments.getActiveEnvironmentPath(folder().uri).path) === file(".venv/bin/python") || undefined, "the venv to be active", 30_000).catch(() => undefined);
        assert.equal(active, file(".venv/bin/python"));
      });

      test("no python.envFile: an earlier version's value is gone, and the interpreter alone sees Nix and uv packages", () => {
        const setting = vscode.workspace.getConfiguration("python", folder()).inspect<string>("envFile");
        assert.equal(setting?.workspaceFolderValue, undefined, "the value an earlier hybrid-env wrote is taken out");
        assert.ok(!("python.envFile" in JSON.parse(readFileSync(file(".vscode/settings.json"), "utf8"))));
        // What Pylance, pytest, Jupyter and Run/Debug start: the selected interpreter, with an environment of their own.
        const out = execFileSync(file(".venv/bin/python"), ["-c", "import nixonly, uvonly, shared_pkg; print(shared_pkg.SOURCE)"], { env: {}, encoding: "utf8" });
        assert.equal(out.trim(), "nix", "the Nix copy of a shadowed package wins, as in terminals");
      });

      test("the status bar shows the counts and the shadowed package", async () => {
        const text = await ui.statusBarText({ id: "hybridEnv.status", text: "Nix" });
        console.log(`      status bar: ${JSON.stringify(text)}`);
        // Codicons render as nothing: "Nix 2 · uv 1" then the shadowed count after the warning icon.
        assert.match(text.trim(), /^Nix 2 · uv 1\s+1$/);
      });

      test("the packages view lists Nix, uv and the shadowed package", async () => {
        await ui.openView("Hybrid Env", "Packages");
        const rows = await waitFor(async () => {
          const r = await ui.treeRows("Packages");
          return r.some((x) => x.label.startsWith("Shadowed")) ? r : undefined;
        }, "the view's groups");
        const labels = rows.map((r) => r.label);
        assert.ok(labels.some((l) => /^From Nix \(2\)/.test(l)), labels.join(" | "));
        assert.ok(labels.some((l) => /^From uv \(1\)/.test(l)), labels.join(" | "));
        assert.ok(labels.some((l) => /^Shadowed \(1\)/.test(l)), labels.join(" | "));
        console.log(`      view: ${await ui.screenshot("packages-view")}`);
      });

      test("editing pyproject.toml makes the folder stale, and reload brings the new package", async () => {
        const api = await hybridApi();
        const pyproject = file("pyproject.toml");
        writeFileSync(pyproject, readFileSync(pyproject, "utf8").replace('"uvonly==3.1"', '"uvonly==3.1", "extra-pkg==0.5"'));
        await waitForState(api, folder(), "stale", 20_000);
        await vscode.commands.executeCommand("hybridEnv.reload", folder().uri);
        await waitForState(api, folder(), "ready");
        const extra = api.getPackages(folder().uri)?.find((p) => p.name === "extra-pkg");
        assert.equal(extra?.source, "uv");
        assert.equal(extra?.version, "0.5");
      });

      test("reset venv refuses a venv that is a symlink, and touches nothing behind it", async () => {
        const api = await hybridApi();
        const outside = join(tmpdir(), `hybrid-env-outside-${Date.now()}`);
        mkdirSync(join(outside, "keep"), { recursive: true });
        rmSync(file(".venv"), { recursive: true, force: true });
        symlinkSync(outside, file(".venv"));
        try {
          await vscode.commands.executeCommand("hybridEnv.resetVenv", folder().uri);
          assert.ok(existsSync(join(outside, "keep")));
        } finally {
          rmSync(file(".venv"));
        }
        await vscode.commands.executeCommand("hybridEnv.reload", folder().uri);
        await waitForState(api, folder(), "ready");
      });

      test("reset venv recreates the venv", async () => {
        const api = await hybridApi();
        const marker = file(".venv/marker");
        writeFileSync(marker, "old venv");
        // VS Code refuses modal dialogs in extension tests: confirm through the command's argument.
        await vscode.commands.executeCommand("hybridEnv.resetVenv", folder().uri, { confirmed: true });
        await waitForState(api, folder(), "ready");
        assert.equal(existsSync(marker), false);
        assert.ok(existsSync(file(".venv/bin/python")));
      });

      test("a flake syntax error shows a diagnostic while the old environment stays applied", async () => {
        const api = await hybridApi();
        const flake = file("flake.nix");
        const good = readFileSync(flake, "utf8");
        writeFileSync(flake, good.replace('FROM_NIX = "nix-value";', 'FROM_NIX = "nix-value"'));
        await vscode.commands.executeCommand("hybridEnv.reload", folder().uri);
        await waitForState(api, folder(), "failed");
        const diagnostics = await waitFor(() => {
          const d = vscode.languages.getDiagnostics(vscode.Uri.file(flake));
          return d.length > 0 ? d : undefined;
        }, "a diagnostic on flake.nix");
        assert.match(diagnostics[0]!.message, /syntax error/);
        const expectedLine = good.split("\n").findIndex((l, i, all) => i > all.findIndex((x) => x.includes("FROM_NIX")) && l.trim() !== "");
        assert.equal(diagnostics[0]!.range.start.line, expectedLine);
        assert.equal(api.getEnvironment(folder().uri)?.FROM_NIX, "nix-value", "the last good env stays applied");
        assert.equal(await runTask(folder(), "check-hybrid-env"), 0, "terminals still get it");
      });

      test("Exit gives the folder its interpreter back, withdraws the Python Environments environment and removes the layer", async () => {
        const api = await hybridApi();
        await vscode.commands.executeCommand("hybridEnv.exit", folder().uri);
        assert.equal(api.getState(folder().uri), "idle");
        const python = await PythonExtension.api();
        let after = "";
        await waitFor(() => (after = python.environments.getActiveEnvironmentPath(folder().uri).path) === interpreterBefore || undefined, "the interpreter of before Enter", 30_000).catch(() => undefined);
        assert.equal(after, interpreterBefore, "the interpreter the folder had before Enter");
        const envs = await PythonEnvironments.api();
        const listed = await envs.getEnvironments("all");
        assert.deepEqual(listed.filter((e) => e.displayName.startsWith("Hybrid")).map((e) => e.displayName), [], "no Hybrid environment is listed");
        const plain = spawnSync(file(".venv/bin/python"), ["-c", "import nixonly"], { env: {}, encoding: "utf8" });
        assert.match(plain.stderr, /No module named 'nixonly'/, "a plain venv again: no store path stays behind");
      });
    },
    { timeoutMs: 120_000 },
  );
