// Plays Python Environments (ms-python.vscode-python-envs) where the real one cannot run (the
// minimum-version server: the real one needs VS Code >= 1.110). PythonEnvironments.api() of
// @vscode/python-environments returns `extension.exports`, so activate() returns the API. It
// follows the real source (vscode-python-environments 9a2c114; rules.js cites where) in what
// decides hybrid-env's outcome:
// - manager ids: `ms-python.python:<name>` for an extension in development unless
//   `{ extensionId }` is passed (rules.js managerId); a second registration of an id throws;
// - new item ids on every createPythonEnvironmentItem / createPackageItem; items of an
//   unregistered manager are refused;
// - setEnvironment: the manager's set(), then python-envs.defaultEnvManager/defaultPackageManager
//   written into the workspace's .vscode/settings.json when the environment's manager names a
//   registered package manager, then onDidChangeEnvironment (on the next turn, and only when the
//   selection changed);
// - getEnvironment asks the manager the settings name (default ms-python.python:venv, a built-in
//   one, builtins.js) before the last selection's manager;
// - python.useEnvironmentsExtension set to false deactivates it (no API).
// Every API call is recorded; suites read the record with `fakePythonEnvs.calls` and clear it with
// `fakePythonEnvs.reset`.
const vscode = require("vscode");
const { createRecorder } = require("../shared/recorder");
const { builtinManagers } = require("./builtins");
const { managerForFolder, managerId, persistSelection, sameEnvironment } = require("./rules");

function explicitlyDisabled() {
  const inspect = vscode.workspace.getConfiguration("python").inspect("useEnvironmentsExtension");
  return inspect?.globalValue === false || inspect?.workspaceValue === false;
}

function activate(context) {
  if (explicitlyDisabled()) return undefined;
  const record = createRecorder(context, "fakePythonEnvs");
  const envManagers = new Map(); // id -> manager
  const packageManagers = new Map();
  const selected = new Map(); // folder uri string | "global" -> PythonEnvironment
  const onDidChangeEnvironment = new vscode.EventEmitter();
  const onDidChangeEnvironments = new vscode.EventEmitter();
  context.subscriptions.push(onDidChangeEnvironment, onDidChangeEnvironments);

  const idOf = (registry, manager) => [...registry.entries()].find(([, m]) => m === manager)?.[0];
  const add = (registry, manager, options, stack) => {
    const id = managerId(manager.name, options, stack);
    if (registry.has(id)) throw new Error(`Manager with id ${id} already registered`);
    registry.set(id, manager);
    return new vscode.Disposable(() => registry.delete(id));
  };
  const register = (registry, kind) => (manager, options) => {
    record(`register${kind}`, [manager, options]);
    return add(registry, manager, options, new Error().stack ?? "");
  };
  const folderOf = (uri) => (uri instanceof vscode.Uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined);
  const keyOf = (folder) => (folder ? folder.uri.toString() : "global");
  const managerFor = (scope) => {
    const folder = folderOf(scope);
    return folder ? managerForFolder(envManagers, folder, selected.get(keyOf(folder))) : envManagers.get("ms-python.python:venv");
  };
  const createItem = (info, manager) => {
    const id = idOf(envManagers, manager);
    if (!id) throw new Error("Environment manager not found");
    return { ...info, displayName: info.displayName ?? info.name, envId: { id: `${info.name}-${Math.random().toString(36).slice(2)}`, managerId: id } };
  };

  // The built-in managers register as the real ones do, from the extension itself.
  const builtins = builtinManagers(createItem);
  for (const m of builtins.managers) add(envManagers, m, { extensionId: "ms-python.python" }, "");
  for (const m of builtins.packageManagers) add(packageManagers, m, { extensionId: "ms-python.python" }, "");
  builtins.start();

  async function setFolderEnvironment(scope, environment) {
    const manager = environment ? envManagers.get(environment.envId.managerId) : managerFor(scope);
    if (!manager) return; // the real one logs "No environment manager found" and returns
    await manager.set(scope, environment);
    const folder = folderOf(scope);
    const packageManagerId = manager.preferredPackageManagerId;
    if (folder && environment && packageManagers.has(packageManagerId)) {
      await persistSelection(folder, idOf(envManagers, manager), packageManagerId);
    }
    const key = keyOf(folder);
    const old = selected.get(key);
    if (sameEnvironment(old, environment)) return;
    selected.set(key, environment);
    await new Promise((resolve) => setImmediate(resolve));
    onDidChangeEnvironment.fire({ uri: folder?.uri, old, new: environment });
  }

  return {
    registerEnvironmentManager: register(envManagers, "EnvironmentManager"),
    registerPackageManager: register(packageManagers, "PackageManager"),

    createPythonEnvironmentItem(info, manager) {
      record("createPythonEnvironmentItem", [info, manager?.name]);
      return createItem(info, manager);
    },
    createPackageItem(info, environment, manager) {
      record("createPackageItem", [info, environment?.envId, manager?.name]);
      const managerId = idOf(packageManagers, manager);
      if (!managerId) throw new Error("Package manager not found");
      return { ...info, pkgId: { id: `${info.name}-${Math.random().toString(36).slice(2)}`, managerId, environmentId: environment.envId.id } };
    },

    async setEnvironment(scope, environment) {
      record("setEnvironment", [scope, environment]);
      for (const s of Array.isArray(scope) ? scope : [scope]) await setFolderEnvironment(s, environment);
    },
    async getEnvironment(scope) {
      record("getEnvironment", [scope]);
      return managerFor(scope)?.get(scope);
    },
    onDidChangeEnvironment: onDidChangeEnvironment.event,

    async getEnvironments(scope) {
      record("getEnvironments", [scope]);
      // A folder is answered by its manager alone; "all" and "global" by every manager.
      const managers = scope instanceof vscode.Uri ? [managerFor(scope)].filter(Boolean) : [...envManagers.values()];
      return (await Promise.all(managers.map((m) => m.getEnvironments(scope)))).flat();
    },
    async refreshEnvironments(scope) {
      record("refreshEnvironments", [scope]);
      const managers = scope instanceof vscode.Uri ? [managerFor(scope)].filter(Boolean) : [...envManagers.values()];
      await Promise.all(managers.map((m) => m.refresh(scope)));
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

    async getPackages(environment) {
      record("getPackages", [environment?.envId]);
      // Through the environment's manager's preferred package manager, as the real one routes it.
      const packageManager = packageManagers.get(envManagers.get(environment.envId.managerId)?.preferredPackageManagerId);
      return packageManager ? packageManager.getPackages(environment) : undefined;
    },
  };
}

module.exports = { activate, deactivate() {} };
