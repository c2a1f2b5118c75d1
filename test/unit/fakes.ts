// Fakes of the VS Code wrappers (src/platform/apis.ts) for unit tests of the folder state machine,
// the registry, the commands and ErrorPresenter. They record what the code asked for and answer
// the way VS Code does (a dismissed message resolves undefined; Cancel aborts a progress task).
// They fake *our* narrow interfaces, not VS Code: see apis.ts for why.
import { readFileSync, writeFileSync } from "node:fs";
import type { ConfigurationChangeEvent, Disposable, QuickPickItem, Uri, WorkspaceFolder, WorkspaceFoldersChangeEvent } from "vscode";
import type { LogChannel } from "../../src/common/logger";
import type {
  CommandApis,
  DiagnosticsApis,
  EnvApis,
  HostApis,
  ProgressRequest,
  ProgressTask,
  StateStore,
  TerminalEnvironment,
  WindowApis,
  WorkspaceApis,
} from "../../src/platform/apis";
import type { EditableDocument, EditorApis, LiveQuickPick } from "../../src/platform/editorApis";

export function fakeUri(fsPath: string): Uri {
  const uri = {
    scheme: "file",
    fsPath,
    path: fsPath,
    authority: "",
    query: "",
    fragment: "",
    with: () => uri,
    toString: () => `file://${fsPath}`,
    toJSON: () => ({ fsPath }),
  };
  return uri as unknown as Uri;
}

export function fakeFolder(dir: string, index = 0): WorkspaceFolder {
  return { uri: fakeUri(dir), name: dir.split("/").at(-1)!, index };
}

export interface Shown {
  readonly kind: "info" | "warning" | "error" | "modal";
  readonly message: string;
  readonly actions: readonly string[];
}

const disposable = { dispose() {} };

/** Resolves after everything already queued on the microtask and timer queues has run. */
export const settle = () => new Promise<void>((r) => setImmediate(r));

export class FakeWindow implements WindowApis {
  readonly shown: Shown[] = [];
  readonly progress: ProgressRequest[] = [];
  /** Every message a progress task reported, in order. */
  readonly progressReports: string[] = [];
  /** The answer to the next message whose text matches (else undefined: dismissed). */
  answers: Array<{ readonly match: RegExp; readonly answer: string | undefined }> = [];
  inputBoxAnswer: string | undefined;
  quickPickAnswer: ((items: readonly { label: string }[]) => unknown) | undefined;
  activeEditor: Uri | undefined;
  private readonly runningProgress = new Set<AbortController>();
  private readonly editorListeners = new Set<() => void>();

  private answer(kind: Shown["kind"], message: string, actions: readonly string[]): Thenable<string | undefined> {
    this.shown.push({ kind, message, actions });
    const i = this.answers.findIndex((a) => a.match.test(message));
    const answer = i >= 0 ? this.answers.splice(i, 1)[0]!.answer : undefined;
    return Promise.resolve(answer);
  }

  showInformationMessage = (message: string, ...actions: string[]) => this.answer("info", message, actions);
  showWarningMessage = (message: string, ...actions: string[]) => this.answer("warning", message, actions);
  showErrorMessage = (message: string, ...actions: string[]) => this.answer("error", message, actions);
  askModal = (message: string, _detail: string, ...actions: string[]) => this.answer("modal", message, actions);
  showInputBox = () => Promise.resolve(this.inputBoxAnswer);
  showQuickPick = <T extends { label: string }>(items: readonly T[]) => Promise.resolve(this.quickPickAnswer?.(items) as T | undefined);

  withProgress<R>(request: ProgressRequest, task: ProgressTask<R>): Thenable<R> {
    this.progress.push(request);
    const abort = new AbortController();
    this.runningProgress.add(abort);
    return task((message) => void this.progressReports.push(message), abort.signal).finally(() => this.runningProgress.delete(abort));
  }

  /** The user presses Cancel on every running progress notification. */
  cancelProgress(): void {
    for (const abort of this.runningProgress) abort.abort();
  }

  activeEditorUri = () => this.activeEditor;
  onDidChangeActiveTextEditor = (listener: () => void) => {
    this.editorListeners.add(listener);
    return { dispose: () => void this.editorListeners.delete(listener) };
  };

  errors(): Shown[] {
    return this.shown.filter((s) => s.kind === "error");
  }
}

export class FakeWorkspace implements WorkspaceApis {
  trusted = true;
  workspaceFolders: WorkspaceFolder[] = [];
  /** Settings by section, then key; per folder under `${folder uri} ${section}`. */
  readonly values = new Map<string, Record<string, unknown>>();
  private readonly watchers: Array<{ folder: WorkspaceFolder; glob: string; listener: (uri: Uri) => void; live: boolean }> = [];
  private readonly folderListeners = new Set<(e: WorkspaceFoldersChangeEvent) => void>();

  isTrusted = () => this.trusted;
  onDidGrantWorkspaceTrust = () => disposable;
  folders = () => this.workspaceFolders;
  folderOf = (uri: Uri) =>
    this.workspaceFolders.find((f) => uri.fsPath === f.uri.fsPath || uri.fsPath.startsWith(f.uri.fsPath + "/"));
  onDidChangeWorkspaceFolders = (listener: (e: WorkspaceFoldersChangeEvent) => void) => {
    this.folderListeners.add(listener);
    return { dispose: () => void this.folderListeners.delete(listener) };
  };
  settings = (section: string, scope?: WorkspaceFolder) => {
    const global = this.values.get(section) ?? {};
    const own = scope ? (this.values.get(`${scope.uri.toString()} ${section}`) ?? {}) : {};
    return { get: <T>(key: string, fallback: T): T => (key in own ? own[key] : key in global ? global[key] : fallback) as T };
  };
  onDidChangeConfiguration = (_listener: (e: ConfigurationChangeEvent) => void) => disposable;
  watchFiles = (folder: WorkspaceFolder, glob: string, listener: (uri: Uri) => void) => {
    const watcher = { folder, glob, listener, live: true };
    this.watchers.push(watcher);
    return { dispose: () => void (watcher.live = false) };
  };
  fileUri = (path: string) => fakeUri(path);

  set(section: string, key: string, value: unknown, folder?: WorkspaceFolder): void {
    const k = folder ? `${folder.uri.toString()} ${section}` : section;
    this.values.set(k, { ...(this.values.get(k) ?? {}), [key]: value });
  }

  /** A file event in the folder: every live watcher whose glob names the file's base name fires. */
  fileChanged(folder: WorkspaceFolder, name: string): number {
    const live = this.watchers.filter((w) => w.live && w.folder === folder && w.glob.includes(name));
    for (const w of live) w.listener(fakeUri(`${folder.uri.fsPath}/${name}`));
    return live.length;
  }

  liveWatchers(folder: WorkspaceFolder): string[] {
    return this.watchers.filter((w) => w.live && w.folder === folder).map((w) => w.glob);
  }
}

export class FakeCommands implements CommandApis {
  readonly registered = new Map<string, (...args: unknown[]) => unknown>();
  readonly executed: Array<{ id: string; args: unknown[] }> = [];
  readonly context = new Map<string, unknown>();

  registerCommand = (id: string, run: (...args: unknown[]) => unknown) => {
    if (this.registered.has(id)) throw new Error(`command '${id}' already exists`);
    this.registered.set(id, run);
    return { dispose: () => void this.registered.delete(id) };
  };
  executeCommand = <T>(id: string, ...args: unknown[]): Thenable<T> => {
    this.executed.push({ id, args });
    const run = this.registered.get(id);
    return Promise.resolve(run?.(...args) as T);
  };
  setContext = (key: string, value: unknown) => void this.context.set(key, value);
}

export class FakeEnv implements EnvApis {
  readonly opened: string[] = [];
  openExternal = (url: string) => (this.opened.push(url), Promise.resolve(true));
}

export class FakeDiagnostics implements DiagnosticsApis {
  readonly errors = new Map<string, { line: number; column: number; message: string }>();
  setError = (file: string, line: number, column: number, message: string) => void this.errors.set(file, { line, column, message });
  clearUnder = (dir: string) => {
    for (const file of [...this.errors.keys()]) if (file.startsWith(dir + "/")) this.errors.delete(file);
  };
  dispose = () => this.errors.clear();
}

export class FakeLog implements LogChannel {
  readonly lines: string[] = [];
  shown = 0;
  info = (m: string) => void this.lines.push(`info ${m}`);
  warn = (m: string) => void this.lines.push(`warn ${m}`);
  error = (m: string | Error) => void this.lines.push(`error ${m instanceof Error ? m.message : m}`);
  debug = (m: string) => void this.lines.push(`debug ${m}`);
  trace = (m: string) => void this.lines.push(`trace ${m}`);
  show = () => void this.shown++;
}

/** The folder's terminal collection, as the variables a new terminal would get. */
export class FakeTerminal implements TerminalEnvironment {
  readonly vars = new Map<string, string>();
  description = "";
  describe = (text: string) => void (this.description = text);
  replace = (name: string, value: string) => void this.vars.set(name, value);
  prepend = (name: string, value: string) => void this.vars.set(name, `${value}<prepended>`);
  append = (name: string, value: string) => void this.vars.set(name, `<appended>${value}`);
  clear = () => this.vars.clear();
}

export class FakeState implements StateStore {
  readonly values = new Map<string, unknown>();
  get = <T>(key: string) => this.values.get(key) as T | undefined;
  update = (key: string, value: unknown) => {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  };
}

export interface FakeHost extends HostApis {
  readonly window: FakeWindow;
  readonly workspace: FakeWorkspace;
  readonly commands: FakeCommands;
  readonly env: FakeEnv;
}

export function fakeHost(): FakeHost {
  return { window: new FakeWindow(), workspace: new FakeWorkspace(), commands: new FakeCommands(), env: new FakeEnv() };
}

/** An open document of FakeEditor: the editor's text, which may differ from the file until saved. */
export class FakeDocument implements EditableDocument {
  version = 1;
  isDirty = false;
  constructor(
    readonly path: string,
    public text: string,
  ) {}
  getText = () => this.text;
  /** The user types: the text changes, unsaved. */
  type(text: string): void {
    this.text = text;
    this.version++;
    this.isDirty = true;
  }
}

/** A quick pick the test drives: it types, waits for items, accepts a row, or dismisses it. */
export class FakeQuickPick<T extends QuickPickItem> implements LiveQuickPick<T> {
  title: string | undefined;
  placeholder: string | undefined;
  value = "";
  busy = false;
  matchOnDescription = false;
  matchOnDetail = false;
  selectedItems: readonly T[] = [];
  activeItems: readonly T[] = [];
  shown = false;
  disposed = false;
  /** Every `items` assignment, in order. */
  readonly itemSets: Array<readonly T[]> = [];
  private current: readonly T[] = [];
  private readonly valueListeners = new Set<(value: string) => void>();
  private readonly acceptListeners = new Set<() => void>();
  private readonly hideListeners = new Set<() => void>();

  get items(): readonly T[] {
    return this.current;
  }
  set items(items: readonly T[]) {
    this.current = items;
    this.itemSets.push(items);
    // As VS Code does: the first row that passes the filter is active.
    this.activeItems = this.visible().slice(0, 1);
  }
  onDidChangeValue = (listener: (value: string) => void) => this.listen(this.valueListeners, listener);
  onDidAccept = (listener: () => void) => this.listen(this.acceptListeners, listener);
  onDidHide = (listener: () => void) => this.listen(this.hideListeners, listener);
  show = () => void (this.shown = true);
  hide = () => {
    if (!this.shown) return;
    this.shown = false;
    for (const l of [...this.hideListeners]) l();
  };
  dispose = () => void (this.disposed = true);

  /** Rows VS Code would show for the typed value (label contains it, or alwaysShow). */
  visible(): T[] {
    const v = this.value.toLowerCase();
    return this.current.filter((i) => i.alwaysShow || i.label.toLowerCase().includes(v));
  }
  typeValue(value: string): void {
    this.value = value;
    for (const l of [...this.valueListeners]) l(value);
    this.activeItems = this.visible().slice(0, 1);
  }
  /** Enter on the row labelled `label` (or on the active row). */
  accept(label?: string): void {
    const row = label === undefined ? this.activeItems[0] : this.current.find((i) => i.label === label);
    if (label !== undefined && !row) throw new Error(`no row ${label} in the quick pick (${this.current.length} rows)`);
    this.selectedItems = row ? [row] : [];
    for (const l of [...this.acceptListeners]) l();
  }

  private listen<L>(set: Set<L>, listener: L): Disposable {
    set.add(listener);
    return { dispose: () => void set.delete(listener) };
  }
}

/** Documents backed by real files (edits stay in memory until saved), and scripted quick picks. */
export class FakeEditor implements EditorApis {
  readonly documents = new Map<string, FakeDocument>();
  readonly picks: Array<FakeQuickPick<QuickPickItem>> = [];
  readonly shownFiles: string[] = [];
  /** Called when a quick pick is shown: the test answers it. */
  onPick: ((pick: FakeQuickPick<QuickPickItem>) => void) | undefined;
  /** Called before each replace: a test plays the user typing meanwhile. */
  beforeReplace: ((document: FakeDocument) => void) | undefined;

  openText = (path: string) => this.documents.get(path)?.text;
  openDocument = async (path: string) => this.documentAt(path);
  replace = async (document: EditableDocument, start: number, end: number, text: string) => {
    const doc = this.documentAt(document.path);
    this.beforeReplace?.(doc);
    doc.type(doc.text.slice(0, start) + text + doc.text.slice(end));
    return true;
  };
  save = async (document: EditableDocument) => {
    const doc = this.documentAt(document.path);
    writeFileSync(doc.path, doc.text);
    doc.isDirty = false;
    return true;
  };
  show = async (path: string) => void this.shownFiles.push(path);
  createQuickPick = <T extends QuickPickItem>(): LiveQuickPick<T> => {
    const pick = new FakeQuickPick<T>();
    const show = pick.show;
    pick.show = () => {
      show();
      this.onPick?.(pick as unknown as FakeQuickPick<QuickPickItem>);
    };
    this.picks.push(pick as unknown as FakeQuickPick<QuickPickItem>);
    return pick;
  };

  documentAt(path: string): FakeDocument {
    let doc = this.documents.get(path);
    if (!doc) {
      doc = new FakeDocument(path, readFileSync(path, "utf8"));
      this.documents.set(path, doc);
    }
    return doc;
  }
}
