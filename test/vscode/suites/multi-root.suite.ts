// Issue 4, multi-root: two hybrid folders, each entered on its own (autoEnter = always in each
// folder's settings), each with its own environment in its own terminals and its own interpreter
// in the Python extension.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { PythonExtension } from "@vscode/python-extension";
import { runMochaSuite, waitFor } from "../suite-runner";
import { folders, hybridApi, runTask, waitForState } from "./hybridApi";

export const run = () =>
  runMochaSuite(
    "multi-root: two folders, two environments",
    () => {
      test("both folders load without a prompt and get different environments", async () => {
        const api = await hybridApi();
        const [a, b] = folders();
        assert.ok(a && b, "two workspace folders");
        await waitForState(api, a, "ready");
        await waitForState(api, b, "ready");
        assert.equal(api.getEnvironment(a.uri)?.FROM_NIX, "a-value");
        assert.equal(api.getEnvironment(b.uri)?.FROM_NIX, "b-value");
        assert.notEqual(api.getEnvironment(a.uri)?.VIRTUAL_ENV, api.getEnvironment(b.uri)?.VIRTUAL_ENV);
      });

      test("the Python extension's active interpreter of each folder is that folder's venv", async () => {
        const python = await PythonExtension.api();
        for (const folder of folders()) {
          const venvPython = join(folder.uri.fsPath, ".venv", "bin", "python");
          let active = "";
          await waitFor(() => (active = python.environments.getActiveEnvironmentPath(folder.uri).path) === venvPython || undefined, `${folder.name}'s venv`, 30_000).catch(() => undefined);
          assert.equal(active, venvPython, folder.name);
        }
      });

      test("each folder's terminals get that folder's environment", async () => {
        const [a, b] = folders();
        assert.equal(await runTask(a!, "check-hybrid-env"), 0, "folder a");
        assert.equal(await runTask(b!, "check-hybrid-env"), 0, "folder b");
      });
    },
    { timeoutMs: 120_000 },
  );
