// The fakes that stand in for the real Python extensions on the minimum-version server answer
// through the published facades as the real ones do (their source, cited in the fakes): the
// selection per folder, python.envFile parsing, Python Environments' manager ids, item ids,
// setEnvironment's events and settings writes, and which manager getEnvironment asks.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PythonExtension } from "@vscode/python-extension";
import { PythonEnvironments, type EnvironmentManager, type PythonEnvironment, type PythonEnvironmentApi } from "@vscode/python-environments";
import * as vscode from "vscode";
import { runMochaSuite, waitFor } from "../suite-runner";

type Call = { method: string; args: unknown[] };

function manager(name: string, preferredPackageManagerId: string): EnvironmentManager & { setCalls: PythonEnvironment[] } {
  const setCalls: PythonEnvironment[] = [];
  let current: PythonEnvironment | undefined;
  return {
    name,
    displayName: name,
    preferredPackageManagerId,
    setCalls,
    refresh: async () => {},
    getEnvironments: async () => (current ? [current] : []),
    set: async (_scope, env) => {
      if (env) setCalls.push(env);
      current = env;
    },
    get: async () => current,
    resolve: async () => undefined,
  };
}

function item(api: PythonEnvironmentApi, m: EnvironmentManager, name: string): PythonEnvironment {
  return api.createPythonEnvironmentItem(
    { name, displayName: name, displayPath: "/ws/.venv", version: "3.12.0", environmentPath: vscode.Uri.file("/ws/.venv"), execInfo: { run: { executable: "/ws/.venv/bin/python" } }, sysPrefix: "/ws/.venv" },
    m,
  );
}

export const run = () =>
  runMochaSuite("fake Python extensions, faithful to the real source", () => {
    const folder = () => vscode.workspace.workspaceFolders![0]!;
    const settingsFile = () => join(folder().uri.fsPath, ".vscode", "settings.json");
    const settings = () => (existsSync(settingsFile()) ? (JSON.parse(readFileSync(settingsFile(), "utf8")) as Record<string, unknown>) : {});

    test("ms-python.python: selection per folder, recorded", async () => {
      await vscode.commands.executeCommand("fakePython.reset");
      const api = await PythonExtension.api();
      await api.ready;
      const changed = new Promise((resolve) => api.environments.onDidChangeActiveEnvironmentPath(resolve));
      await api.environments.updateActiveEnvironmentPath("/opt/venv/bin/python", folder());
      assert.equal(((await changed) as { path: string }).path, "/opt/venv/bin/python");
      assert.equal(api.environments.getActiveEnvironmentPath(folder()).path, "/opt/venv/bin/python");
      assert.equal(await api.environments.resolveEnvironment("/does/not/exist"), undefined);
      assert.equal(api.environments.getEnvironmentVariables(folder()).PATH, process.env.PATH);
      const calls = await vscode.commands.executeCommand<Call[]>("fakePython.calls");
      assert.deepEqual(calls.map((c) => c.method), [
        "environments.updateActiveEnvironmentPath",
        "environments.getActiveEnvironmentPath",
        "environments.resolveEnvironment",
        "environments.getEnvironmentVariables",
      ]);
      assert.deepEqual(calls[0]!.args, ["/opt/venv/bin/python", { workspaceFolder: folder().uri.toString() }]);
    });

    test("ms-python.python: python.envFile read as the real one reads it (${VAR}, quotes, PATH and PYTHONPATH appended)", async () => {
      const api = await PythonExtension.api();
      const envFile = join(folder().uri.fsPath, ".env");
      writeFileSync(envFile, ["NIX_SITE=/nix/store/abc-site", 'PYTHONPATH="${NIX_SITE}:/extra"', "QUOTED='a b'", "FROM_HOST=${HOME}/x", "KEPT=\\${NIX_SITE}", "PATH=/venv/bin", "# a comment", ""].join("\n"));
      try {
        const vars = api.environments.getEnvironmentVariables(folder());
        const hostPythonPath = process.env.PYTHONPATH ? `:${process.env.PYTHONPATH}` : "";
        assert.equal(vars.PYTHONPATH, `/nix/store/abc-site:/extra${hostPythonPath}`);
        assert.equal(vars.QUOTED, "a b");
        assert.equal(vars.FROM_HOST, `${process.env.HOME}/x`);
        assert.equal(vars.KEPT, "${NIX_SITE}");
        assert.equal(vars.PATH, `/venv/bin:${process.env.PATH}`);
      } finally {
        rmSync(envFile);
      }
    });

    let api: PythonEnvironmentApi;

    test("Python Environments: a manager's id is ms-python.python:<name> unless { extensionId } is passed; an id registers once", async () => {
      await vscode.commands.executeCommand("fakePythonEnvs.reset");
      api = await PythonEnvironments.api();
      const plain = manager("Plain Name", "nobody:pip");
      const plainRegistration = api.registerEnvironmentManager(plain);
      assert.equal(item(api, plain, "p").envId.managerId, "ms-python.python:plain_name", "a caller whose path has no extension id");
      assert.throws(() => api.registerEnvironmentManager(manager("Plain Name", "x")), /already registered/);
      plainRegistration.dispose();
      const named = manager("named", "hybrid-env.hybrid-env:named");
      const registration = api.registerEnvironmentManager(named, { extensionId: "hybrid-env.hybrid-env" });
      assert.equal(item(api, named, "n").envId.managerId, "hybrid-env.hybrid-env:named");
      registration.dispose();
    });

    test("Python Environments: a new item id on every createPythonEnvironmentItem", () => {
      const m = manager("ids", "x");
      const registration = api.registerEnvironmentManager(m);
      try {
        const [a, b] = [item(api, m, "same"), item(api, m, "same")];
        assert.notEqual(a.envId.id, b.envId.id);
        assert.match(a.envId.id, /^same-/);
      } finally {
        registration.dispose();
      }
    });

    test("Python Environments: setEnvironment with no matching package manager persists nothing, and getEnvironment asks the venv manager", async () => {
      const m = manager("mismatched", "hybrid-env.hybrid-env:mismatched"); // registered as ms-python.python:…
      const registration = api.registerEnvironmentManager(m);
      try {
        const env = item(api, m, "mine");
        await api.setEnvironment(folder().uri, env);
        assert.deepEqual(m.setCalls, [env], "the manager is told");
        assert.equal(settings()["python-envs.defaultEnvManager"], undefined, "nothing written");
        const reported = await api.getEnvironment(folder().uri);
        assert.notEqual(reported?.envId.id, env.envId.id);
        assert.equal(reported?.envId.managerId, "ms-python.python:system", "no .venv here: the venv manager answers with the system one");
      } finally {
        registration.dispose();
      }
    });

    test("Python Environments: setEnvironment fires a change once and writes python-envs.defaultEnvManager into .vscode/settings.json", async () => {
      const m = manager("hybrid", "hybrid-env.hybrid-env:hybrid");
      const registrations = [
        api.registerEnvironmentManager(m, { extensionId: "hybrid-env.hybrid-env" }),
        api.registerPackageManager({ name: "hybrid", displayName: "hybrid", manage: async () => {}, refresh: async () => {}, getPackages: async () => [] }, { extensionId: "hybrid-env.hybrid-env" }),
      ];
      const events: unknown[] = [];
      const sub = api.onDidChangeEnvironment((e) => events.push(e));
      try {
        const env = item(api, m, "hybrid");
        await api.setEnvironment(folder().uri, env);
        await waitFor(() => events.length === 1 || undefined, "one change event");
        assert.equal((events[0] as { new: PythonEnvironment }).new, env);
        assert.equal((events[0] as { uri: vscode.Uri }).uri.toString(), folder().uri.toString());
        assert.equal(settings()["python-envs.defaultEnvManager"], "hybrid-env.hybrid-env:hybrid");
        assert.equal(settings()["python-envs.defaultPackageManager"], "hybrid-env.hybrid-env:hybrid");
        assert.equal(await api.getEnvironment(folder().uri), env);
        await api.setEnvironment(folder().uri, env);
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(events.length, 1, "the same environment again changes nothing");
      } finally {
        sub.dispose();
        registrations.forEach((r) => r.dispose());
      }
    });
  });
