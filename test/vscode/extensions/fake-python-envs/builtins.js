// The built-in managers the real Python Environments always registers, reduced to what decides
// hybrid-env's outcome: "system" (the machine's python3) and "venv", whose get() for a folder is
// the venv it found there when it last looked (at start-up and on refresh; a venv made later is
// unknown to it), else the system one (managers/builtin/venvManager.ts get → globalEnv). Their
// package manager is pip, which lists nothing here.
const fs = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");

const SYSTEM_PYTHON = ["/usr/bin/python3", "/usr/local/bin/python3"].find((p) => fs.existsSync(p)) ?? "python3";

function info(name, displayName, executable, sysPrefix) {
  return { name, displayName, displayPath: executable, version: "", environmentPath: vscode.Uri.file(executable), execInfo: { run: { executable } }, sysPrefix };
}

/** @param {(info: object, manager: object) => object} createItem the API's createPythonEnvironmentItem */
function builtinManagers(createItem) {
  const system = {
    name: "system",
    displayName: "Global",
    preferredPackageManagerId: "ms-python.python:pip",
    env: undefined,
    refresh: async () => undefined,
    getEnvironments: async (scope) => (scope === "all" || scope === "global" ? [system.env] : []),
    set: async () => undefined,
    get: async () => system.env,
    resolve: async () => undefined,
  };
  const venvs = new Map(); // folder fsPath -> env
  const scan = () => {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const python = path.join(folder.uri.fsPath, ".venv", "bin", "python");
      if (fs.existsSync(python) && !venvs.has(folder.uri.fsPath)) venvs.set(folder.uri.fsPath, createItem(info(`${folder.name}-venv`, `${folder.name} (.venv)`, python, path.dirname(path.dirname(python))), venv));
    }
  };
  const selected = new Map(); // folder fsPath -> env given to set()
  const venv = {
    name: "venv",
    displayName: "venv",
    preferredPackageManagerId: "ms-python.python:pip",
    refresh: async () => scan(),
    getEnvironments: async (scope) => (scope instanceof vscode.Uri ? [venvs.get(scope.fsPath)].filter(Boolean) : [...venvs.values()]),
    set: async (scope, env) => {
      if (scope instanceof vscode.Uri) selected.set(vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath ?? scope.fsPath, env);
    },
    get: async (scope) => {
      const folder = scope instanceof vscode.Uri ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
      if (!folder) return system.env;
      return selected.get(folder.uri.fsPath) ?? venvs.get(folder.uri.fsPath) ?? system.env;
    },
    resolve: async () => undefined,
  };
  const pip = { name: "pip", displayName: "pip", manage: async () => undefined, refresh: async () => undefined, getPackages: async () => [] };
  return {
    managers: [system, venv],
    packageManagers: [pip],
    /** After registration: the items need the registered managers. */
    start() {
      system.env = createItem(info("system", "Python (system)", SYSTEM_PYTHON, path.dirname(path.dirname(SYSTEM_PYTHON))), system);
      scan();
    },
  };
}

module.exports = { builtinManagers };
