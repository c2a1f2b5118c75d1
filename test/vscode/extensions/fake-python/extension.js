// Plays the Python extension (ms-python.python) for hybrid-env's tests. PythonExtension.api() of
// @vscode/python-extension activates the extension and returns `extension.exports`, so activate()
// returns the API object itself. Implemented after the published types (out/main.d.ts): the
// `environments` part and `ready`; `debug` is a stub. Every call is recorded; suites read the
// record with the command `fakePython.calls` and clear it with `fakePython.reset`.
const vscode = require("vscode");
const fs = require("node:fs");
const path = require("node:path");
const { createRecorder } = require("../shared/recorder");

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

// Like the real extension: KEY=VALUE lines of the folder's python.envFile (default
// ${workspaceFolder}/.env) over the extension host's environment.
function environmentVariables(folder) {
  const setting = vscode.workspace.getConfiguration("python", folder?.uri).get("envFile", "${workspaceFolder}/.env");
  const file = folder ? setting.replace("${workspaceFolder}", folder.uri.fsPath) : undefined;
  const vars = { ...process.env };
  if (file && fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
    }
  }
  return vars;
}

function activate(context) {
  const record = createRecorder(context, "fakePython");
  const active = new Map(); // folder uri string -> EnvironmentPath
  const onDidChangeActive = new vscode.EventEmitter();
  const onDidChangeEnvironments = new vscode.EventEmitter();
  const onDidEnvVarsChange = new vscode.EventEmitter();
  const watcher = vscode.workspace.createFileSystemWatcher("**/.env");
  const envFileChanged = (uri) => {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    onDidEnvVarsChange.fire({ resource: folder, env: environmentVariables(folder) });
  };
  watcher.onDidChange(envFileChanged);
  watcher.onDidCreate(envFileChanged);
  watcher.onDidDelete(envFileChanged);
  context.subscriptions.push(onDidChangeActive, onDidChangeEnvironments, onDidEnvVarsChange, watcher);

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
