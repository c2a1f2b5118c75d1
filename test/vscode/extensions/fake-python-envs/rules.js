// The rules of the real Python Environments (vscode-python-environments 9a2c114) that decide what
// hybrid-env sees, for the fake. Each cites where the real one has it.
const path = require("node:path");
const vscode = require("vscode");

const PYTHON_EXTENSION_ID = "ms-python.python";
const ENVS_EXTENSION_ID = "ms-python.vscode-python-envs";
const DEFAULT_ENV_MANAGER_ID = `${PYTHON_EXTENSION_ID}:venv`; // package.json default of python-envs.defaultEnvManager

/**
 * A manager's id (features/envManagers.ts generateId, common/utils/frameUtils.ts
 * getCallingExtension): `<extension id>:<name lower-cased, other characters _>`. The extension is
 * `options.extensionId` if that is a loaded extension; else the first extension (not a Python one)
 * whose id appears in a path of the caller's stack, which holds for an installed extension
 * (`<extensions dir>/<id>-<version>/…`); else `ms-python.python`. The real one also looks for a
 * caller whose extension folder contains the file, but only after a cache keyed by its own API
 * module's path, which its built-in managers fill with `ms-python.python` at start-up: for every
 * other caller (an extension in development, whose folder name is not its id) that is the answer.
 */
function managerId(name, options, stack) {
  const normalized = name.toLowerCase().replace(/[^a-zA-Z0-9-_]/g, "_");
  const loaded = vscode.extensions.all;
  let extensionId = options?.extensionId && loaded.some((e) => e.id === options.extensionId) ? options.extensionId : undefined;
  if (!extensionId) {
    const others = loaded.filter((e) => e.id !== PYTHON_EXTENSION_ID && e.id !== ENVS_EXTENSION_ID);
    const files = stack.split("\n").map((l) => /\(?((?:file:\/\/)?\/[^():]+)(?::\d+){0,2}\)?\s*$/.exec(l)?.[1]).filter(Boolean);
    extensionId = files.map((f) => others.find((e) => f.includes(e.id))).find(Boolean)?.id ?? PYTHON_EXTENSION_ID;
  }
  return `${extensionId}:${normalized}`;
}

/** The settings' entry for a project (settingHelpers.ts getSettings): python-envs.pythonProjects. */
function projectSettings(folder, uri) {
  const overrides = vscode.workspace.getConfiguration("python-envs", uri).get("pythonProjects", []);
  return overrides.find((s) => path.resolve(folder.uri.fsPath, s.path) === folder.uri.fsPath);
}

/**
 * Which manager answers for a folder (envManagers.ts getEnvironmentManager): its pythonProjects
 * entry, else python-envs.defaultEnvManager (default ms-python.python:venv) if registered, else
 * the manager of the environment last set for it. The setting outranks the last selection.
 */
function managerForFolder(managers, folder, lastSelected) {
  const projectManager = managers.get(projectSettings(folder, folder.uri)?.envManager);
  if (projectManager) return projectManager;
  const configured = vscode.workspace.getConfiguration("python-envs", folder.uri).get("defaultEnvManager") || DEFAULT_ENV_MANAGER_ID;
  return managers.get(configured) ?? managers.get(lastSelected?.envId.managerId);
}

/**
 * What setEnvironment persists (envManagers.ts setEnvironment, settingHelpers.ts
 * setAllManagerSettings): only when the environment's manager names a registered package manager
 * (its preferredPackageManagerId), python-envs.defaultEnvManager and defaultPackageManager in the
 * workspace settings (the folder's .vscode/settings.json) for a single-folder window, or a
 * python-envs.pythonProjects entry in a multi-root one.
 */
async function persistSelection(folder, envManagerId, packageManagerId) {
  const config = vscode.workspace.getConfiguration("python-envs", folder.uri);
  if (!vscode.workspace.workspaceFile) {
    if (config.get("defaultEnvManager") !== envManagerId) await config.update("defaultEnvManager", envManagerId, vscode.ConfigurationTarget.Workspace);
    if (config.get("defaultPackageManager") !== packageManagerId) await config.update("defaultPackageManager", packageManagerId, vscode.ConfigurationTarget.Workspace);
    return;
  }
  const overrides = config.get("pythonProjects", []).filter((s) => path.resolve(folder.uri.fsPath, s.path) !== folder.uri.fsPath);
  overrides.push({ path: ".", envManager: envManagerId, packageManager: packageManagerId });
  await config.update("pythonProjects", overrides, vscode.ConfigurationTarget.WorkspaceFolder);
}

/** Whether two environments are the same selection (envManagers.ts isSameEnvironment). */
function sameEnvironment(a, b) {
  if (a === b) return true;
  return Boolean(a && b && a.envId.managerId === b.envId.managerId && a.envId.id === b.envId.id);
}

module.exports = { managerId, managerForFolder, persistSelection, sameEnvironment, PYTHON_EXTENSION_ID };
