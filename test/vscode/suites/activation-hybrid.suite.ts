// On a folder with flake.nix + pyproject.toml, hybrid-env activates and contributes its commands.
// Also proves the process spies work, so that "no nix/uv ran" in the untrusted suite means something.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as vscode from "vscode";
import manifest from "../../../package.json";
import protocol from "../protocol.json";
import { runMochaSuite, waitFor } from "../suite-runner";
import { EXTENSION_ID } from "./constants";

export const run = () =>
  runMochaSuite("activation on a flake + pyproject folder", () => {
    test("the workspace is trusted and holds the fixture", () => {
      assert.equal(vscode.workspace.isTrusted, true);
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder && existsSync(`${folder.uri.fsPath}/flake.nix`) && existsSync(`${folder.uri.fsPath}/pyproject.toml`));
    });

    test("hybrid-env becomes active", async () => {
      const extension = await waitFor(() => vscode.extensions.getExtension(EXTENSION_ID), "the extension to be installed");
      await waitFor(() => extension.isActive, "activation");
    });

    test("every contributed command is registered", async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      const contributed = manifest.contributes.commands.map((c) => c.command);
      assert.ok(contributed.length > 0);
      assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
    });

    test("the nix and uv spies are first on PATH and log each call", () => {
      const log = process.env[protocol.env.processLog];
      assert.ok(log, "the launcher passes the process log path");
      const found = execFileSync("sh", ["-c", "command -v nix; command -v uv"], { encoding: "utf8" }).trim().split("\n");
      assert.ok(found.every((p) => p.includes("/spy-bin/")), `spies not first on PATH: ${found.join(", ")}`);
      execFileSync("sh", ["-c", "uv --version >/dev/null 2>&1 || true"]);
      assert.match(readFileSync(log, "utf8"), /^uv --version$/m);
    });
  });
