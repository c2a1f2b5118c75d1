// The fake Python extensions answer through the published facades exactly as hybrid-env will
// call them, and record the calls for suites to read.
import * as assert from "node:assert/strict";
import { PythonExtension } from "@vscode/python-extension";
import { PythonEnvironments, type EnvironmentManager, type PythonEnvironment } from "@vscode/python-environments";
import * as vscode from "vscode";
import { runMochaSuite } from "../suite-runner";

type Call = { method: string; args: unknown[] };

export const run = () =>
  runMochaSuite("fake Python extensions", () => {
    test("ms-python.python: selection per folder, recorded", async () => {
      await vscode.commands.executeCommand("fakePython.reset");
      const api = await PythonExtension.api();
      await api.ready;
      const folder = vscode.workspace.workspaceFolders![0];
      const changed = new Promise((resolve) => api.environments.onDidChangeActiveEnvironmentPath(resolve));
      await api.environments.updateActiveEnvironmentPath("/opt/venv/bin/python", folder);
      assert.equal(((await changed) as { path: string }).path, "/opt/venv/bin/python");
      assert.equal(api.environments.getActiveEnvironmentPath(folder).path, "/opt/venv/bin/python");
      assert.equal(await api.environments.resolveEnvironment("/does/not/exist"), undefined);
      assert.equal(api.environments.getEnvironmentVariables(folder).PATH, process.env.PATH);

      const calls = await vscode.commands.executeCommand<Call[]>("fakePython.calls");
      assert.deepEqual(calls.map((c) => c.method), [
        "environments.updateActiveEnvironmentPath",
        "environments.getActiveEnvironmentPath",
        "environments.resolveEnvironment",
        "environments.getEnvironmentVariables",
      ]);
      assert.deepEqual(calls[0].args, ["/opt/venv/bin/python", { workspaceFolder: folder.uri.toString() }]);
    });

    test("ms-python.vscode-python-envs: register a manager, set an environment, recorded", async () => {
      await vscode.commands.executeCommand("fakePythonEnvs.reset");
      const api = await PythonEnvironments.api();
      const folder = vscode.workspace.workspaceFolders![0].uri;
      let managerSet: PythonEnvironment | undefined;
      const manager: EnvironmentManager = {
        name: "hybrid",
        displayName: "Hybrid (Nix + uv)",
        preferredPackageManagerId: "hybrid-env.hybrid-env:hybrid",
        refresh: async () => {},
        getEnvironments: async () => [],
        set: async (_scope, env) => void (managerSet = env),
        get: async () => managerSet,
        resolve: async () => undefined,
      };
      const registration = api.registerEnvironmentManager(manager);
      const env = api.createPythonEnvironmentItem(
        {
          name: "hybrid",
          displayName: "hybrid (3.12)",
          displayPath: "/ws/.venv",
          version: "3.12.0",
          environmentPath: vscode.Uri.file("/ws/.venv"),
          execInfo: { run: { executable: "/ws/.venv/bin/python" } },
          sysPrefix: "/ws/.venv",
        },
        manager,
      );
      await api.setEnvironment(folder, env);
      assert.equal(managerSet, env, "the manager is told");
      assert.equal(await api.getEnvironment(folder), env);
      registration.dispose();

      const calls = await vscode.commands.executeCommand<Call[]>("fakePythonEnvs.calls");
      assert.deepEqual(calls.map((c) => c.method), [
        "registerEnvironmentManager",
        "createPythonEnvironmentItem",
        "setEnvironment",
        "getEnvironment",
      ]);
      // The caller is found from the stack; a suite is no extension, so it is "unknown".
      assert.match(env.envId.managerId, /:hybrid$/);
    });
  });
