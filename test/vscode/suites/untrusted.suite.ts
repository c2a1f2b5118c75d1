// In an untrusted (restricted mode) folder, hybrid-env stays inactive and starts no nix or uv.
// Run with workspace trust on: the launcher starts the server without --disable-workspace-trust,
// and hybrid-env is installed (not in development, which VS Code exempts from restricted mode).
// The last test trusts the folder in the Workspace Trust editor (Trust), as a person would, and sees
// hybrid-env appear and activate: so it was installed all along and trust alone held it back
// ("not active" is then not merely "not installed").
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as vscode from "vscode";
import protocol from "../protocol.json";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { EXTENSION_ID, QUIET_PERIOD_MS } from "./constants";

export const run = () =>
  runMochaSuite(
    "untrusted hybrid folder",
    () => {
      test("the workspace is not trusted", () => {
        assert.equal(vscode.workspace.isTrusted, false);
      });

      test("hybrid-env is disabled: not visible to other extensions, not active", async () => {
        // A state that must not change: watch it for a while.
        await new Promise((resolve) => setTimeout(resolve, QUIET_PERIOD_MS));
        // In restricted mode an extension that does not support it is disabled: undefined here.
        assert.equal(vscode.extensions.getExtension(EXTENSION_ID), undefined);
      });

      test("no nix or uv process ran", () => {
        const log = process.env[protocol.env.processLog];
        assert.ok(log, "the launcher passes the process log path");
        const found = execFileSync("sh", ["-c", "command -v nix; command -v uv"], { encoding: "utf8" });
        assert.match(found, /spy-bin\/nix\n.*spy-bin\/uv/, "the spies are on PATH, so a call would have been seen");
        const calls = existsSync(log) ? readFileSync(log, "utf8") : "";
        assert.equal(calls, "", `processes ran:\n${calls}`);
      });

      test("trusting the folder (Workspace Trust editor, Trust) enables hybrid-env, which activates", async function () {
        if (!ui.available) return this.skip(); // the desktop launcher has no UI helper
        await vscode.commands.executeCommand("workbench.trust.manage");
        await ui.clickButton("Trust");
        await waitFor(() => vscode.workspace.isTrusted || undefined, "the workspace to be trusted");
        // Enabling what trust held back took ~18 s here.
        const extension = await waitFor(() => vscode.extensions.getExtension(EXTENSION_ID), "hybrid-env to be enabled", 45_000);
        await waitFor(() => extension.isActive, "hybrid-env to activate (workspaceContains:flake.nix)", 30_000);
      });
    },
    { timeoutMs: 90_000 },
  );
