// Where each folder's terminal environment goes in the extension's environment variable
// collection, so that it survives VS Code's merge with other extensions' collections.
//
// How VS Code merges (read in its source: the extension host keys a mutator by variable and
// scope, `PATH` or `PATH:::<folder uri>`; the workbench's MergedEnvironmentVariableCollection
// keeps one list per such key, shared by every extension, and getVariableMap(scope) then keeps
// ONE list per variable name for a terminal: the one whose key came last in the merge):
// - every extension's unscoped `PATH` lands in one list, and all of them apply;
// - a folder-scoped `PATH` and another extension's unscoped `PATH` are two lists, and only one
//   applies. ms-python.debugpy appends its no-config scripts to PATH unscoped: with our PATH
//   folder-scoped, whichever collection VS Code happened to merge last won, and terminals lost
//   either our venv or debugpy's scripts.
//
// So: in a window with one folder (where every terminal is that folder's) the environment goes
// in the unscoped collection, beside other extensions' entries, and everything applies. With
// several folders each needs its own values, so they stay folder-scoped; then a placeholder
// unscoped `PATH` (an empty append, at process creation only) written before them makes our
// scoped lists come last in the merge whatever the order of the collections, so each folder's
// terminals keep its venv first (other extensions' unscoped PATH changes do not reach them:
// README). Writes are batched per tick and rewritten whole, in that order.
import type { Disposable, WorkspaceFolder } from "vscode";
import type { CollectionEntry, CollectionSink, MutatorOp, TerminalEnvironment, WorkspaceApis } from "../platform/apis";

interface FolderEntries {
  readonly folder: WorkspaceFolder;
  description: string;
  readonly vars: Map<string, { op: MutatorOp; value: string }>;
}

export const PATH_PLACEHOLDER: Omit<CollectionEntry, "folder"> = { op: "append", name: "PATH", value: "", atShellIntegration: false };

export class TerminalCollections implements Disposable {
  private readonly folders = new Map<string, FolderEntries>();
  private written = "";
  private scheduled = false;
  private disposed = false;
  private readonly subscription: Disposable;

  constructor(
    private readonly sink: CollectionSink,
    private readonly workspace: Pick<WorkspaceApis, "folders" | "onDidChangeWorkspaceFolders">,
    /** Runs the batched write; a test passes a synchronous one. */
    private readonly defer: (flush: () => void) => void = queueMicrotask,
  ) {
    this.subscription = workspace.onDidChangeWorkspaceFolders((e) => {
      for (const f of e.removed) this.folders.delete(f.uri.toString());
      this.schedule();
    });
    // Entries persisted by an earlier session belong to folders that apply again (or not) now.
    this.schedule();
  }

  /** The folder's view, as FolderEnvironment uses it. */
  forFolder(folder: WorkspaceFolder): TerminalEnvironment {
    const key = folder.uri.toString();
    const entries = () => {
      let e = this.folders.get(key);
      if (!e) this.folders.set(key, (e = { folder, description: "", vars: new Map() }));
      return e;
    };
    const set = (op: MutatorOp) => (name: string, value: string) => {
      entries().vars.set(name, { op, value });
      this.schedule();
    };
    return {
      describe: (text) => {
        entries().description = text;
        this.schedule();
      },
      replace: set("replace"),
      prepend: set("prepend"),
      append: set("append"),
      clear: () => {
        this.folders.delete(key);
        this.schedule();
      },
    };
  }

  /** Whether the environment goes in the unscoped collection (one folder in the window). */
  get windowWide(): boolean {
    return this.workspace.folders().length <= 1;
  }

  /** The collection as it should be, in the order it is written. */
  plan(): { entries: CollectionEntry[]; descriptions: Array<{ text: string; folder?: WorkspaceFolder }> } {
    const entries: CollectionEntry[] = [];
    const descriptions: Array<{ text: string; folder?: WorkspaceFolder }> = [];
    const applied = [...this.folders.values()].filter((f) => f.vars.size > 0);
    const windowWide = this.windowWide;
    if (!windowWide && applied.some((f) => f.vars.has("PATH"))) entries.push(PATH_PLACEHOLDER);
    for (const f of applied) {
      const folder = windowWide ? undefined : f.folder;
      for (const [name, { op, value }] of f.vars) entries.push({ op, name, value, folder, atShellIntegration: true });
      if (f.description) descriptions.push({ text: f.description, folder });
    }
    return { entries, descriptions };
  }

  /** Writes the plan now (the batched write does this at the end of the tick). */
  flush(): void {
    this.scheduled = false;
    if (this.disposed) return;
    const plan = this.plan();
    const text = JSON.stringify({
      entries: plan.entries.map((e) => [e.op, e.name, e.value, e.folder?.uri.toString(), e.atShellIntegration]),
      descriptions: plan.descriptions.map((d) => [d.text, d.folder?.uri.toString()]),
    });
    if (text === this.written) return;
    this.written = text;
    // Whole, in order: the placeholder must precede the scoped entries (see the top of the file).
    this.sink.clear();
    for (const entry of plan.entries) this.sink.write(entry);
    for (const d of plan.descriptions) this.sink.describe(d.text, d.folder);
  }

  private schedule(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    this.defer(() => this.flush());
  }

  dispose(): void {
    // The collection is persistent: what is applied stays for the next session's terminals.
    this.disposed = true;
    this.subscription.dispose();
  }
}
