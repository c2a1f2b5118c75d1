// In an untrusted (restricted mode) folder, hybrid-env stays inactive and starts no nix or uv.
// Run with workspace trust on: the launcher starts the server without --disable-workspace-trust.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as vscode from "vscode";
import protocol from "../protocol.json";
import { runMochaSuite } from "../suite-runner";
import { EXTENSION_ID, QUIET_PERIOD_MS } from "./constants";

export const run = () =>
  runMochaSuite("untrusted hybrid folder", () => {
    test("the workspace is not trusted", () => {
      assert.equal(vscode.workspace.isTrusted, false);
    });

    test("hybrid-env does not activate", async () => {
      await new Promise((resolve) => setTimeout(resolve, QUIET_PERIOD_MS));
      // In restricted mode an extension that does not support it is disabled: undefined here.
      assert.notEqual(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    });

    test("no nix or uv process ran", () => {
      const log = process.env[protocol.env.processLog];
      assert.ok(log, "the launcher passes the process log path");
      const found = execFileSync("sh", ["-c", "command -v nix; command -v uv"], { encoding: "utf8" });
      assert.match(found, /spy-bin\/nix\n.*spy-bin\/uv/, "the spies are on PATH, so a call would have been seen");
      const calls = existsSync(log) ? readFileSync(log, "utf8") : "";
      assert.equal(calls, "", `processes ran:\n${calls}`);
    });
  });
