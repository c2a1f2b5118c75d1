// The real HostApis: each member is a thin call into the vscode API (see apis.ts for why the
// layers above see only the interfaces). No logic lives here beyond adapting shapes: a
// CancellationToken becomes an AbortSignal, a glob becomes a RelativePattern watcher.
import * as vscode from "vscode";
import type {
  CollectionSink,
  CommandApis,
  DiagnosticsApis,
  EnvApis,
  HostApis,
  ProgressRequest,
  ProgressTask,
  StateStore,
  WindowApis,
  WorkspaceApis,
} from "./apis";

const windowApis: WindowApis = {
  showInformationMessage: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  showWarningMessage: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  showErrorMessage: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  askModal: (message, detail, ...actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  showInputBox: (options) => vscode.window.showInputBox(options),
  showQuickPick: (items, request) => vscode.window.showQuickPick(items, { title: request.title, placeHolder: request.placeHolder }),
  withProgress: <R>(request: ProgressRequest, task: ProgressTask<R>) =>
    vscode.window.withProgress(
      {
        location: request.where === "notification" ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
        title: request.title,
        cancellable: request.cancellable ?? false,
      },
      (progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        return task((message) => progress.report({ message }), abort.signal).finally(() => subscription.dispose());
      },
    ),
  activeEditorUri: () => vscode.window.activeTextEditor?.document.uri,
  onDidChangeActiveTextEditor: (listener) => vscode.window.onDidChangeActiveTextEditor(() => listener()),
};

const workspaceApis: WorkspaceApis = {
  isTrusted: () => vscode.workspace.isTrusted,
  onDidGrantWorkspaceTrust: (listener) => vscode.workspace.onDidGrantWorkspaceTrust(listener),
  folders: () => vscode.workspace.workspaceFolders ?? [],
  folderOf: (uri) => vscode.workspace.getWorkspaceFolder(uri),
  onDidChangeWorkspaceFolders: (listener) => vscode.workspace.onDidChangeWorkspaceFolders(listener),
  settings: (section, scope) => vscode.workspace.getConfiguration(section, scope),
  onDidChangeConfiguration: (listener) => vscode.workspace.onDidChangeConfiguration(listener),
  watchFiles: (folder, glob, listener) => {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
    return vscode.Disposable.from(watcher, watcher.onDidCreate(listener), watcher.onDidChange(listener), watcher.onDidDelete(listener));
  },
  fileUri: (path) => vscode.Uri.file(path),
};

const commandApis: CommandApis = {
  registerCommand: (id, run) => vscode.commands.registerCommand(id, run),
  executeCommand: <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args),
  setContext: (key, value) => void vscode.commands.executeCommand("setContext", key, value),
};

const envApis: EnvApis = {
  openExternal: (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
};

export const vscodeApis: HostApis = { window: windowApis, workspace: workspaceApis, commands: commandApis, env: envApis };

export function createDiagnostics(name: string): DiagnosticsApis {
  const collection = vscode.languages.createDiagnosticCollection(name);
  return {
    setError: (file, line, column, message, source) => {
      const at = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
      const diagnostic = new vscode.Diagnostic(new vscode.Range(at, at.translate(0, 1)), message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = source;
      collection.set(vscode.Uri.file(file), [diagnostic]);
    },
    clearUnder: (dir) => {
      const under: vscode.Uri[] = [];
      collection.forEach((uri) => {
        if (uri.fsPath.startsWith(dir + "/")) under.push(uri);
      });
      for (const uri of under) collection.delete(uri);
    },
    dispose: () => collection.dispose(),
  };
}

/**
 * The extension's environment variable collection as folders/terminalCollections.ts writes it
 * (which entries go unscoped and which folder-scoped is decided there).
 */
// Our entries apply when the terminal's process is created (tasks, shells without integration) and
// again from VS Code's shell integration script (VS Code >= 1.86), which runs after the user's rc
// files: `pyenv init`, `conda init` and the like put their own directories first on PATH, and
// without the second application they would win over the venv.
const WHEN: vscode.EnvironmentVariableMutatorOptions = { applyAtProcessCreation: true, applyAtShellIntegration: true };
const AT_CREATION: vscode.EnvironmentVariableMutatorOptions = { applyAtProcessCreation: true, applyAtShellIntegration: false };

export function environmentCollectionSink(context: vscode.ExtensionContext): CollectionSink {
  const global = context.environmentVariableCollection;
  const scoped = (folder: vscode.WorkspaceFolder | undefined): vscode.EnvironmentVariableCollection => (folder ? global.getScoped({ workspaceFolder: folder }) : global);
  return {
    // The unscoped collection's clear() empties every scope.
    clear: () => global.clear(),
    write: (e) => scoped(e.folder)[e.op](e.name, e.value, e.atShellIntegration ? WHEN : AT_CREATION),
    describe: (text, folder) => void (scoped(folder).description = text),
  };
}

export function stateStoreOf(memento: vscode.Memento): StateStore {
  return memento;
}
