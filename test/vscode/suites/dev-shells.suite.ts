// Issue 12, several devShells in VS Code, with real nix and uv on a flake of two (default and
// docs, told apart by FROM_NIX): Choose devShell… lists them (one offline nix eval, then the
// cache), the choice is kept per folder in the workspace state (settings.json untouched, the
// hybridEnv.devShell setting still "default"), the load uses it, the status bar and the
// Packages view name it, and the status bar's quick pick offers the picker.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import protocol from "../protocol.json";
import type { DevShellCommandResult } from "../../../src/commands/devShellPick";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";

const CHOOSE = "hybridEnv.chooseDevShell";

export const run = () =>
  runMochaSuite(
    "several devShells: pick, per-folder choice, load, status bar, view",
    () => {
      const folder = () => folders()[0]!;
      const settingsFile = () => join(folder().uri.fsPath, ".vscode", "settings.json");
      const fromNix = async () => (await hybridApi()).getEnvironment(folder().uri)?.FROM_NIX;
      let settingsBefore = "";

      test("the folder enters with the default devShell", async () => {
        await waitForState(await hybridApi(), folder(), "ready", 180_000);
        assert.equal(await fromNix(), "default-shell");
        settingsBefore = readFileSync(settingsFile(), "utf8");
      });

      test("choosing docs (by argument) lists both, stores the choice, reloads into docs", async () => {
        const result = await vscode.commands.executeCommand<DevShellCommandResult>(CHOOSE, folder().uri, "docs");
        assert.deepEqual(result, { devShell: "docs", changed: true, names: ["default", "docs"] });
        await waitForState(await hybridApi(), folder(), "ready");
        assert.equal(await fromNix(), "docs-shell");
        assert.equal(readFileSync(settingsFile(), "utf8"), settingsBefore, "settings.json is not written");
        assert.equal(vscode.workspace.getConfiguration("hybridEnv", folder()).get("devShell"), "default", "the setting stays the default");
      });

      test("the status bar and the Packages view name the active devShell", async () => {
        if (!ui.available) return;
        const text = await waitFor(async () => {
          const t = await ui.statusBarText({ id: "hybridEnv.status" });
          return t.includes("docs") ? t : undefined;
        }, "docs in the status bar");
        assert.match(text, /docs · Nix \d+ · uv \d+/);
        await ui.openView("Hybrid Env", "Packages");
        let last = "";
        const header = await waitFor(async () => {
          last = await ui.viewHeader("Packages");
          return last.includes("devShell docs") ? last : undefined;
        }, () => `the view's title to name docs (it reads ${JSON.stringify(last)})`);
        assert.match(header, /devShell docs/);
      });

      test("a name the flake does not define is refused and changes nothing", async () => {
        // The failure is shown (ErrorPresenter) and the command resolves to nothing.
        assert.equal(await vscode.commands.executeCommand(CHOOSE, folder().uri, "nope"), undefined);
        assert.equal(await fromNix(), "docs-shell");
        assert.equal((await hybridApi()).getState(folder().uri), "ready");
      });

      test("from the status bar's quick pick: Choose devShell…, then default; the list comes from the cache", async () => {
        if (!ui.available) return;
        const before = nixEvalCount();
        void vscode.commands.executeCommand("hybridEnv.showProvenance");
        await ui.pickQuickItem("Choose devShell…");
        await ui.pickQuickItem("default");
        await waitFor(async () => (await fromNix()) === "default-shell", "the default devShell again", 60_000);
        await waitForState(await hybridApi(), folder(), "ready");
        assert.ok(before >= 1, "the first listing ran nix eval (the spy saw it)");
        assert.equal(nixEvalCount(), before, "no nix eval: the names were cached");
        const text = await ui.statusBarText({ id: "hybridEnv.status" });
        assert.doesNotMatch(text, /docs/);
      });

      /** The spy's count of `nix eval` runs (the launcher wraps nix in a recording script). */
      function nixEvalCount(): number {
        const log = process.env[protocol.env.processLog];
        if (!log || !existsSync(log)) return 0;
        return readFileSync(log, "utf8").split("\n").filter((l) => /\bnix eval\b/.test(l)).length;
      }
    },
    { timeoutMs: 120_000 },
  );
