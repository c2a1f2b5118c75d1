// The slice of the VS Code API that the folder state machine (folders/), the command handlers
// (commands/), ErrorPresenter and the Python Environments bridge use, as interfaces.
//
// Why interfaces, and not a stub of the `vscode` module: those modules hold the logic worth fast
// tests (states, cancellation, which folder a command acts on, which error shows which buttons).
// With these wrappers they import `vscode` for types only, so `node --test` loads them as they
// are and a test hands them small fakes of *these* interfaces (test/unit/fakes.ts). Nothing is
// aliased at bundle time, and no test pretends to be all of VS Code: a fake of this narrow surface
// is easy to keep faithful. vscodeApis.ts is the real implementation and the only module of those
// layers that imports vscode at runtime. Views and the language client use vscode directly: they
// are thin, and the real VS Code suites (test/vscode) cover them.
import type {
  ConfigurationChangeEvent,
  Disposable,
  InputBoxOptions,
  QuickPickItem,
  Uri,
  WorkspaceFolder,
  WorkspaceFoldersChangeEvent,
} from "vscode";

export interface ProgressRequest {
  /** A notification (the only place with a Cancel button) or the status bar's window progress. */
  readonly where: "notification" | "window";
  readonly title: string;
  readonly cancellable?: boolean;
}

/** `signal` aborts when the user presses Cancel. */
export type ProgressTask<R> = (report: (message: string) => void, signal: AbortSignal) => Promise<R>;

export interface QuickPickRequest {
  readonly title?: string;
  readonly placeHolder?: string;
}

export interface WindowApis {
  showInformationMessage(message: string, ...actions: string[]): Thenable<string | undefined>;
  showWarningMessage(message: string, ...actions: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, ...actions: string[]): Thenable<string | undefined>;
  /** A modal question with a detail line; undefined when dismissed. */
  askModal(message: string, detail: string, ...actions: string[]): Thenable<string | undefined>;
  showInputBox(options: InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends QuickPickItem>(items: readonly T[], request: QuickPickRequest): Thenable<T | undefined>;
  withProgress<R>(request: ProgressRequest, task: ProgressTask<R>): Thenable<R>;
  /** The document of the active editor, if there is one. */
  activeEditorUri(): Uri | undefined;
  onDidChangeActiveTextEditor(listener: () => void): Disposable;
}

/** One section of the settings (`hybridEnv`, `python`), read for a scope. */
export interface SettingsSection {
  get<T>(key: string, fallback: T): T;
}

export interface WorkspaceApis {
  isTrusted(): boolean;
  onDidGrantWorkspaceTrust(listener: () => void): Disposable;
  folders(): readonly WorkspaceFolder[];
  folderOf(uri: Uri): WorkspaceFolder | undefined;
  onDidChangeWorkspaceFolders(listener: (e: WorkspaceFoldersChangeEvent) => void): Disposable;
  settings(section: string, scope?: WorkspaceFolder): SettingsSection;
  onDidChangeConfiguration(listener: (e: ConfigurationChangeEvent) => void): Disposable;
  /** Calls `listener` when a file matching `glob` (relative to the folder) is created, changed or deleted. */
  watchFiles(folder: WorkspaceFolder, glob: string, listener: (uri: Uri) => void): Disposable;
  fileUri(path: string): Uri;
}

export interface CommandApis {
  registerCommand(id: string, run: (...args: unknown[]) => unknown): Disposable;
  executeCommand<T = unknown>(id: string, ...args: unknown[]): Thenable<T>;
  setContext(key: string, value: unknown): void;
}

/** The diagnostics collection of Nix evaluation errors. */
export interface DiagnosticsApis extends Disposable {
  /** An error at a 1-based line and column of `file` (absolute), replacing what that file had. */
  setError(file: string, line: number, column: number, message: string, source: string): void;
  /** Removes the diagnostics of every file under `dir`. */
  clearUnder(dir: string): void;
}

export interface EnvApis {
  openExternal(url: string): Thenable<boolean>;
}

/** A folder-scoped environment variable collection (terminals and tasks of that folder). */
export interface TerminalEnvironment {
  /** Shown in the terminal's environment hover. */
  describe(text: string): void;
  replace(name: string, value: string): void;
  prepend(name: string, value: string): void;
  append(name: string, value: string): void;
  clear(): void;
}

export type MutatorOp = "replace" | "prepend" | "append";

/** One write into the extension's environment variable collection: unscoped when `folder` is undefined. */
export interface CollectionEntry {
  readonly op: MutatorOp;
  readonly name: string;
  readonly value: string;
  readonly folder?: WorkspaceFolder;
  /** Also applied by the shell integration script, after the user's rc files. */
  readonly atShellIntegration: boolean;
}

/** The extension's whole environment variable collection (folders/terminalCollections.ts decides what goes where). */
export interface CollectionSink {
  clear(): void;
  write(entry: CollectionEntry): void;
  describe(text: string, folder: WorkspaceFolder | undefined): void;
}

/** One terminal, as much as the check needs (platform/hybridTerminal.ts adapts vscode.Terminal; folders/shellIntegrationNotice.ts uses it). */
export interface TerminalHandle {
  readonly name: string;
  /** Its shell's path (the default profile's when it was opened without one). */
  readonly shellPath: string | undefined;
  readonly shellArgs: readonly string[] | string | undefined;
  /** Extension terminals (a pseudoterminal) run no shell. */
  readonly isExtensionTerminal: boolean;
  /** Ours: the Hybrid Env terminal needs no shell integration. */
  readonly isHybridTerminal: boolean;
  readonly folder: WorkspaceFolder | undefined;
  hasShellIntegration(): boolean;
  isClosed(): boolean;
}

export interface TerminalEvents {
  onDidOpenTerminal(listener: (t: TerminalHandle) => void): Disposable;
  /** A terminal whose shell integration started. */
  onDidActivateShellIntegration(listener: (t: TerminalHandle) => void): Disposable;
  shellIntegrationEnabled(): boolean;
  enableShellIntegration(): Thenable<void>;
}

/** vscode.Memento, as much as the enter prompt needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export interface HostApis {
  readonly window: WindowApis;
  readonly workspace: WorkspaceApis;
  readonly commands: CommandApis;
  readonly env: EnvApis;
}

/** A Uri, as VS Code passes one to a command (duck-typed: this module has no vscode at runtime). */
export function isUri(value: unknown): value is Uri {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { scheme?: unknown; fsPath?: unknown; path?: unknown; with?: unknown };
  return typeof v.scheme === "string" && typeof v.fsPath === "string" && typeof v.path === "string" && typeof v.with === "function";
}
