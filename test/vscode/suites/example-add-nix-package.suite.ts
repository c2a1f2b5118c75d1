// Issue 10's done-when, as a person does it, on a git-tracked copy of the bundled example
// (examples/offline-hybrid, project suite "example-add-nix-package"): Enter from the prompt,
// "Hybrid Env: Add Nix Package…" from the command palette, nixtips picked in the quick pick; the
// `myPkgs` list in flake.nix gets it, the environment reloads, and `import nixtips` works in a
// task, from the Nix store (where it failed before the addition).
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";

/** Runs `python -c CODE` as a task of the folder (its terminal environment applies); resolves to the exit code. */
async function pythonTask(folder: vscode.WorkspaceFolder, name: string, code: string): Promise<number | undefined> {
  const task = new vscode.Task({ type: "hybrid-env-test", name }, folder, name, "hybrid-env-test", new vscode.ShellExecution("python", ["-c", { value: code, quoting: vscode.ShellQuoting.Strong }]));
  const ended = new Promise<number | undefined>((resolve) => {
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.name !== name) return;
      sub.dispose();
      resolve(e.exitCode);
    });
  });
  await vscode.tasks.executeTask(task);
  return ended;
}

const IMPORT_FROM_NIX = 'import sys, nixtips; print(nixtips.tip()); sys.exit(0 if nixtips.__file__.startswith("/nix/store/") else 3)';

export const run = () =>
  runMochaSuite(
    "the bundled example: Add Nix Package from the palette, then the package imports",
    () => {
      const folder = () => folders()[0]!;
      const myPkgs = () => /myPkgs = p: with p; \[([^\]]*)\];/.exec(readFileSync(vscode.Uri.joinPath(folder().uri, "flake.nix").fsPath, "utf8"))?.[1]?.trim().split(/\s+/);

      suiteSetup(function () {
        if (!ui.available) this.skip(); // a person's clicks need the browser launcher
      });

      test("Enter from the prompt: the example loads, nixtips is not in myPkgs", async () => {
        await ui.clickNotificationButton("Enter", "Enter the hybrid Nix + uv environment");
        await waitForState(await hybridApi(), folder(), "ready", 240_000);
        assert.deepEqual(myPkgs(), ["nixgreet", "iniconfig"]);
      });

      test("before: nixtips does not import in a task (Python exits 1: ModuleNotFoundError)", async () => {
        assert.equal(await pythonTask(folder(), "import-nixtips-before", IMPORT_FROM_NIX), 1);
      });

      test("Hybrid Env: Add Nix Package… from the palette, nixtips picked: myPkgs gets it, the environment reloads with nixtips from Nix", async () => {
        const api = await hybridApi();
        await ui.runInPalette("Hybrid Env: Add Nix Package");
        await ui.pickQuickItem("nixtips");
        await waitFor(() => myPkgs()?.includes("nixtips") || undefined, "nixtips in flake.nix's myPkgs", 30_000);
        assert.deepEqual(myPkgs(), ["nixgreet", "iniconfig", "nixtips"]);
        await waitFor(() => api.getPackages(folder().uri)?.some((p) => p.name === "nixtips" && p.source === "nix") || undefined, "nixtips from Nix in the environment", 120_000);
        await waitForState(api, folder(), "ready");
      });

      test("after: nixtips imports in a task, from the Nix store", async () => {
        assert.equal(await pythonTask(folder(), "import-nixtips-after", IMPORT_FROM_NIX), 0);
      });
    },
    { timeoutMs: 300_000 },
  );
