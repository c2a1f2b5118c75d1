// Plays Python Environments (ms-python.vscode-python-envs) for hybrid-env's tests.
// PythonEnvironments.api() of @vscode/python-environments returns `extension.exports`, so
// activate() returns the API. Implemented after the published types (out/main.d.ts): manager
// registration, environment/package items, environment selection, and the environment queries
// that go through the registered managers. Every call is recorded; suites read the record with
// `fakePythonEnvs.calls` and clear it with `fakePythonEnvs.reset`. Like the real extension,
// a manager's id is `<calling extension id>:<manager.name>` and items of an unregistered manager
// are refused.
const vscode = require("vscode");
const { createRecorder } = require("../shared/recorder");

// The real extension finds the caller from the stack; so does the fake (options.extensionId wins).
function callingExtensionId(options) {
  if (options?.extensionId) return options.extensionId;
  const stack = new Error().stack ?? "";
  const caller = vscode.extensions.all.find(
    (e) => e.id !== "ms-python.vscode-python-envs" && stack.includes(e.extensionUri.fsPath + "/"),
  );
  return caller?.id ?? "unknown.extension";
}

function scopeKey(scope) {
  return scope instanceof vscode.Uri ? scope.toString() : "global";
}

function activate(context) {
  const record = createRecorder(context, "fakePythonEnvs");
  const envManagers = new Map(); // id -> manager
  const packageManagers = new Map();
  const selected = new Map(); // scope key -> PythonEnvironment
  const onDidChangeEnvironment = new vscode.EventEmitter();
  const onDidChangeEnvironments = new vscode.EventEmitter();
  context.subscriptions.push(onDidChangeEnvironment, onDidChangeEnvironments);

  const idOf = (registry, manager) => [...registry.entries()].find(([, m]) => m === manager)?.[0];
  const register = (registry, kind) => (manager, options) => {
    const id = `${callingExtensionId(options)}:${manager.name}`;
    record(`register${kind}`, [manager, options]);
    registry.set(id, manager);
    return new vscode.Disposable(() => registry.delete(id));
  };

  const api = {
    registerEnvironmentManager: register(envManagers, "EnvironmentManager"),
    registerPackageManager: register(packageManagers, "PackageManager"),

    createPythonEnvironmentItem(info, manager) {
      record("createPythonEnvironmentItem", [info, manager?.name]);
      const managerId = idOf(envManagers, manager);
      if (!managerId) throw new Error("Environment manager not found");
      return { ...info, envId: { id: `${info.name}-${Math.random().toString(36).slice(2)}`, managerId } };
    },
    createPackageItem(info, environment, manager) {
      record("createPackageItem", [info, environment?.envId, manager?.name]);
      const managerId = idOf(packageManagers, manager);
      if (!managerId) throw new Error("Package manager not found");
      return { ...info, pkgId: { id: `${info.name}-${info.version ?? ""}`, managerId, environmentId: environment.envId.id } };
    },

    async setEnvironment(scope, environment) {
      record("setEnvironment", [scope, environment]);
      const scopes = Array.isArray(scope) ? scope : [scope];
      // The real extension hands the choice to the environment's manager, then announces it.
      await envManagers.get(environment?.envId.managerId)?.set(scope, environment);
      for (const s of scopes) {
        const old = selected.get(scopeKey(s));
        if (environment) selected.set(scopeKey(s), environment);
        else selected.delete(scopeKey(s));
        onDidChangeEnvironment.fire({ uri: s, old, new: environment });
      }
    },
    async getEnvironment(scope) {
      record("getEnvironment", [scope]);
      return selected.get(scopeKey(scope)) ?? selected.get("global");
    },
    onDidChangeEnvironment: onDidChangeEnvironment.event,

    async getEnvironments(scope) {
      record("getEnvironments", [scope]);
      const lists = await Promise.all([...envManagers.values()].map((m) => m.getEnvironments(scope)));
      return lists.flat();
    },
    async refreshEnvironments(scope) {
      record("refreshEnvironments", [scope]);
      await Promise.all([...envManagers.values()].map((m) => m.refresh(scope)));
    },
    async resolveEnvironment(context) {
      record("resolveEnvironment", [context]);
      for (const m of envManagers.values()) {
        const env = await m.resolve(context);
        if (env) return env;
      }
      return undefined;
    },
    onDidChangeEnvironments: onDidChangeEnvironments.event,
  };
  return api;
}

module.exports = { activate, deactivate() {} };
