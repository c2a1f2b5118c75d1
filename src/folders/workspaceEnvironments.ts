// The registry of FolderEnvironments: one per workspace folder that is a project, created and
// disposed with the folders, started once the workspace is trusted. It is what the views, the
// status bar, the commands and the public API look at. A folder that is no project yet is
// watched: when it gains a flake.nix or a pyproject.toml (a git checkout, a copy, Create Hybrid
// Project) it is taken up as if it had just opened.
import type { Disposable, Uri, WorkspaceFolder } from "vscode";
import { Emitter } from "../common/emitter";
import { readConfig } from "../config/config";
import type { StateStore } from "../platform/apis";
import { DevShellChoices } from "./devShellChoice";
import { EnterChoices } from "./enterPrompt";
import { FolderEnvironment, type FolderServices } from "./folderEnvironment";
import { realTimers, type Timers } from "./loadScheduler";
import type { FolderRegistry, FolderSnapshot, FolderState, HybridEnvApi } from "./model";

/** The files that make a folder a project. */
export const PROJECT_FILES = "{flake.nix,pyproject.toml}";
/** A checkout writes several files: wait for quiet before deciding what the folder is. */
const PROJECT_QUIET_MS = 500;

export interface RegistryServices extends FolderServices {
  readonly workspaceState: StateStore;
  readonly timers?: Timers;
}

export class WorkspaceEnvironments implements FolderRegistry, Disposable {
  private readonly folders = new Map<string, FolderEnvironment>();
  /** Watchers of folders that are no project (yet), by folder key. */
  private readonly candidates = new Map<string, Disposable>();
  private readonly changeEmitter = new Emitter<FolderSnapshot>();
  private readonly activeEmitter = new Emitter<FolderSnapshot | undefined>();
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidChangeActive = this.activeEmitter.event;
  private readonly disposables: Disposable[] = [this.changeEmitter, this.activeEmitter];
  readonly choices: EnterChoices;
  /** The devShell picked per folder (workspace state); FolderEnvironment reads it on every load. */
  readonly devShells: DevShellChoices;
  private readonly timers: Timers;
  private started = false;

  constructor(private readonly services: RegistryServices) {
    this.choices = new EnterChoices(services.workspaceState, services.apis.window);
    this.devShells = new DevShellChoices(services.workspaceState);
    this.timers = services.timers ?? realTimers;
  }

  /** Creates the folder owners and enters the folders the user entered before. No-op until trusted. */
  start(): void {
    const { workspace, window } = this.services.apis;
    if (this.started || !workspace.isTrusted()) return;
    this.started = true;
    this.disposables.push(
      workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.remove(f);
        for (const f of e.added) this.add(f, true);
        this.fireActive();
      }),
      window.onDidChangeActiveTextEditor(() => this.fireActive()),
    );
    for (const folder of workspace.folders()) this.add(folder, true);
    this.fireActive();
  }

  folderFor(uri: Uri | undefined): FolderEnvironment | undefined {
    const folder = uri ? this.services.apis.workspace.folderOf(uri) : undefined;
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }

  /** The active editor's folder, else the first project folder. */
  activeFolder(): FolderEnvironment | undefined {
    return this.folderFor(this.services.apis.window.activeEditorUri()) ?? [...this.folders.values()][0];
  }

  owners(): readonly FolderEnvironment[] {
    return [...this.folders.values()];
  }

  all(): readonly FolderSnapshot[] {
    return this.owners().map((f) => f.snapshot);
  }

  get(uri: Uri): FolderSnapshot | undefined {
    return this.folderFor(uri)?.snapshot;
  }

  active(): FolderSnapshot | undefined {
    return this.activeFolder()?.snapshot;
  }

  api(): HybridEnvApi {
    const stateEmitter = new Emitter<{ folder: Uri; state: FolderState }>();
    const last = new Map<string, FolderState>();
    this.disposables.push(
      stateEmitter,
      this.onDidChange((s) => {
        const key = s.folder.uri.toString();
        if (last.get(key) !== s.state) stateEmitter.fire({ folder: s.folder.uri, state: s.state });
        last.set(key, s.state);
      }),
    );
    return {
      getEnvironment: (uri) => this.get(uri)?.resolved,
      getPackages: (uri) => this.get(uri)?.provenance?.packages,
      getState: (uri) => this.get(uri)?.state ?? "idle",
      onDidChangeState: stateEmitter.event,
    };
  }

  /**
   * Takes up a folder that became a project after it opened. `decide`: ask or auto-enter as at
   * open; Create Hybrid Project passes false (it offers Enter itself).
   */
  refresh(uri: Uri, decide = false): void {
    const folder = this.services.apis.workspace.folderOf(uri);
    if (!this.started || !folder || this.folders.has(folder.uri.toString())) return;
    if (this.add(folder, decide)) this.fireActive();
  }

  /** Returns whether the folder is a project now. */
  private add(folder: WorkspaceFolder, decide: boolean): boolean {
    const owner = new FolderEnvironment(folder, { ...this.services, devShellFor: (f) => this.devShells.get(f) });
    if (owner.snapshot.project.kind === "none") {
      owner.dispose();
      this.watchCandidate(folder);
      return false;
    }
    const key = folder.uri.toString();
    this.candidates.get(key)?.dispose();
    this.candidates.delete(key);
    this.folders.set(key, owner);
    owner.onDidChange((s) => {
      this.changeEmitter.fire(s);
      if (this.activeFolder() === owner) this.fireActive();
    });
    if (decide && owner.snapshot.project.kind === "hybrid") this.decide(owner);
    return true;
  }

  private decide(owner: FolderEnvironment): void {
    const decision = this.choices.decide(owner.folder, readConfig(this.services.apis.workspace, owner.folder).autoEnter);
    if (decision === "enter") {
      // The cached environment now, before any process starts and before other extensions
      // activate; the revalidating load after activate() has returned.
      owner.applyCached();
      const revalidate = setTimeout(() => void owner.enter("automatic"), 0);
      this.disposables.push({ dispose: () => clearTimeout(revalidate) });
    } else if (decision === "ask") {
      void this.choices.ask(owner.folder).then((yes) => {
        if (yes) void owner.enter("user");
      });
    }
  }

  private watchCandidate(folder: WorkspaceFolder): void {
    const key = folder.uri.toString();
    if (this.candidates.has(key)) return;
    let timer: unknown;
    const watcher = this.services.apis.workspace.watchFiles(folder, PROJECT_FILES, () => {
      if (timer !== undefined) this.timers.clearTimeout(timer);
      timer = this.timers.setTimeout(() => {
        timer = undefined;
        this.refresh(folder.uri, true);
      }, PROJECT_QUIET_MS);
    });
    this.candidates.set(key, {
      dispose: () => {
        if (timer !== undefined) this.timers.clearTimeout(timer);
        watcher.dispose();
      },
    });
  }

  private remove(folder: WorkspaceFolder): void {
    const key = folder.uri.toString();
    this.folders.get(key)?.dispose();
    this.folders.delete(key);
    this.candidates.get(key)?.dispose();
    this.candidates.delete(key);
  }

  private fireActive(): void {
    const active = this.active();
    this.services.apis.commands.setContext("hybridEnv.hasEnvironment", active !== undefined && active.state !== "idle");
    this.activeEmitter.fire(active);
  }

  dispose(): void {
    for (const f of this.folders.values()) f.dispose();
    this.folders.clear();
    for (const c of this.candidates.values()) c.dispose();
    this.candidates.clear();
    for (const d of this.disposables) d.dispose();
  }
}
