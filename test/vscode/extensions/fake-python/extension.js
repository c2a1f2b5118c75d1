// Plays the Python extension (ms-python.python) where the real one cannot run (the minimum-version
// server: the real one needs VS Code >= 1.95). PythonExtension.api() of @vscode/python-extension
// activates the extension and returns `extension.exports`, so activate() returns the API object
// itself. Implemented after the published types (out/main.d.ts): the `environments` part and
// `ready`; `debug` is a stub. It plays the legacy mode only (python.useEnvironmentsExtension off:
// no delegation to Python Environments). python.envFile is read as the real source reads it
// (shared/envFile.js). Every call is recorded; suites read the record with the command
// `fakePython.calls` and clear it with `fakePython.reset`.
const vscode = require("vscode");
const fs = require("node:fs");
const path = require("node:path");
const { createRecorder } = require("../shared/recorder");
const { mergedEnvironment, parseEnvFile, resolveEnvFileSetting } = require("../shared/envFile");

// What the Python extension falls back to when nothing was selected for a folder.
const GLOBAL_DEFAULT = { id: "/usr/bin/python3", path: "/usr/bin/python3" };

function folderOf(resource) {
  if (!resource) return undefined;
  return resource instanceof vscode.Uri ? vscode.workspace.getWorkspaceFolder(resource) : resource;
}

function resolvedEnvironment(envPath) {
  // A path may name the interpreter or the environment's folder (a venv, a Nix profile).
  const isFolder = fs.statSync(envPath, { throwIfNoEntry: false })?.isDirectory();
  const executable = isFolder ? path.join(envPath, "bin", "python") : envPath;
  if (!fs.existsSync(executable)) return undefined;
  return {
    id: envPath,
    path: envPath,
    executable: { uri: vscode.Uri.file(executable), bitness: "64-bit", sysPrefix: path.dirname(path.dirname(executable)) },
    environment: undefined,
    version: undefined, // the real extension runs the interpreter to learn it; the fake does not
    tools: [],
  };
}

// As the real extension does (shared/envFile.js): the folder's python.envFile (default
// ${workspaceFolder}/.env) laid over the extension host's environment.
function envFileOf(folder) {
  const setting = vscode.workspace.getConfiguration("python", folder?.uri).get("envFile", "${workspaceFolder}/.env");
  return folder ? resolveEnvFileSetting(setting, folder.uri.fsPath, process.env) : undefined;
}

function environmentVariables(folder) {
  const file = envFileOf(folder);
  const fileVars = file && fs.existsSync(file) ? parseEnvFile(fs.readFileSync(file, "utf8"), process.env) : {};
  return mergedEnvironment(fileVars, process.env);
}

function activate(context) {
  const record = createRecorder(context, "fakePython");
  const active = new Map(); // folder uri string -> EnvironmentPath
  const onDidChangeActive = new vscode.EventEmitter();
  const onDidChangeEnvironments = new vscode.EventEmitter();
  const onDidEnvVarsChange = new vscode.EventEmitter();
  context.subscriptions.push(onDidChangeActive, onDidChangeEnvironments, onDidEnvVarsChange);
  // The real extension watches each folder's env file, and re-reads when python.envFile changes.
  const envFileChanged = (folder) => onDidEnvVarsChange.fire({ resource: folder?.uri, env: environmentVariables(folder) });
  const watchers = new Map(); // env file path -> watcher
  const watchEnvFiles = () => {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const file = envFileOf(folder);
      if (!file || watchers.has(file)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(file);
      for (const on of [watcher.onDidChange, watcher.onDidCreate, watcher.onDidDelete]) on(() => envFileChanged(folder));
      watchers.set(file, watcher);
      context.subscriptions.push(watcher);
    }
  };
  watchEnvFiles();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (e.affectsConfiguration("python.envFile", folder.uri)) envFileChanged(folder);
      }
      watchEnvFiles();
    }),
  );

  const environments = {
    getActiveEnvironmentPath(resource) {
      record("environments.getActiveEnvironmentPath", [resource]);
      const folder = folderOf(resource);
      return (folder && active.get(folder.uri.toString())) || active.get("") || GLOBAL_DEFAULT;
    },
    async updateActiveEnvironmentPath(environment, resource) {
      record("environments.updateActiveEnvironmentPath", [environment, resource]);
      const envPath = typeof environment === "string" ? environment : environment.path;
      const folder = folderOf(resource);
      const value = { id: envPath, path: envPath };
      active.set(folder ? folder.uri.toString() : "", value);
      onDidChangeActive.fire({ ...value, resource: folder });
    },
    onDidChangeActiveEnvironmentPath: onDidChangeActive.event,
    get known() {
      record("environments.known", []);
      return [...new Set([...active.values()].map((e) => e.path))].map(resolvedEnvironment).filter(Boolean);
    },
    onDidChangeEnvironments: onDidChangeEnvironments.event,
    async refreshEnvironments(options, token) {
      record("environments.refreshEnvironments", [options, token ? "[token]" : undefined]);
    },
    async resolveEnvironment(environment) {
      record("environments.resolveEnvironment", [environment]);
      return resolvedEnvironment(typeof environment === "string" ? environment : environment.path);
    },
    getEnvironmentVariables(resource) {
      record("environments.getEnvironmentVariables", [resource]);
      return environmentVariables(folderOf(resource));
    },
    onDidEnvironmentVariablesChange: onDidEnvVarsChange.event,
  };

  return {
    ready: Promise.resolve(),
    debug: {
      async getRemoteLauncherCommand(host, port, wait) {
        record("debug.getRemoteLauncherCommand", [host, port, wait]);
        return [];
      },
      async getDebuggerPackagePath() {
        record("debug.getDebuggerPackagePath", []);
        return undefined;
      },
    },
    environments,
  };
}

module.exports = { activate, deactivate() {} };
