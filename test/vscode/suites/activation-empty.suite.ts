// On a folder without flake.nix or pyproject.toml, hybrid-env stays inactive.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { runMochaSuite } from "../suite-runner";
import { EXTENSION_ID, QUIET_PERIOD_MS } from "./constants";

export const run = () =>
  runMochaSuite("no activation on an unrelated folder", () => {
    test("hybrid-env is installed but stays inactive", async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, "the extension is installed");
      await new Promise((resolve) => setTimeout(resolve, QUIET_PERIOD_MS));
      assert.equal(extension.isActive, false);
    });
  });
