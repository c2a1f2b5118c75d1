// The registry of FolderEnvironments: one per workspace folder that is a project, created and
// disposed with the folders, started once the workspace is trusted. It is what the views, the
// status bar, the commands and the public API look at.
import * as vscode from "vscode";
import { readConfig } from "../config/config";
import { EnterChoices } from "./enterPrompt";
import { FolderEnvironment, type FolderServices } from "./folderEnvironment";
import type { FolderRegistry, FolderSnapshot, FolderState, HybridEnvApi } from "./model";

export class WorkspaceEnvironments implements FolderRegistry, vscode.Disposable {
  private readonly folders = new Map<string, FolderEnvironment>();
  private readonly changeEmitter = new vscode.EventEmitter<FolderSnapshot>();
  private readonly activeEmitter = new vscode.EventEmitter<FolderSnapshot | undefined>();
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidChangeActive = this.activeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.activeEmitter];
  readonly choices: EnterChoices;
  private started = false;

  constructor(private readonly services: FolderServices) {
    this.choices = new EnterChoices(services.context.workspaceState);
  }

  /** Creates the folder owners and enters the folders the user entered before. No-op until trusted. */
  start(): void {
    if (this.started || !vscode.workspace.isTrusted) return;
    this.started = true;
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.remove(f);
        for (const f of e.added) this.add(f);
        this.fireActive();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.fireActive()),
    );
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.add(folder);
    this.fireActive();
  }

  folderFor(uri: vscode.Uri | undefined): FolderEnvironment | undefined {
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }

  /** The active editor's folder, else the first project folder. */
  activeFolder(): FolderEnvironment | undefined {
    return this.folderFor(vscode.window.activeTextEditor?.document.uri) ?? [...this.folders.values()][0];
  }

  all(): readonly FolderSnapshot[] {
    return [...this.folders.values()].map((f) => f.snapshot);
  }

  get(uri: vscode.Uri): FolderSnapshot | undefined {
    return this.folderFor(uri)?.snapshot;
  }

  active(): FolderSnapshot | undefined {
    return this.activeFolder()?.snapshot;
  }

  api(): HybridEnvApi {
    const stateEmitter = new vscode.EventEmitter<{ folder: vscode.Uri; state: FolderState }>();
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

  /** Takes up a folder that became a project after it opened (Create Hybrid Project). */
  refresh(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!this.started || !folder || this.folders.has(folder.uri.toString())) return;
    this.add(folder, false);
    this.fireActive();
  }

  private add(folder: vscode.WorkspaceFolder, decide = true): void {
    const owner = new FolderEnvironment(folder, this.services);
    if (owner.snapshot.project.kind === "none") {
      owner.dispose();
      return;
    }
    this.folders.set(folder.uri.toString(), owner);
    owner.onDidChange((s) => {
      this.changeEmitter.fire(s);
      if (this.activeFolder() === owner) this.fireActive();
    });
    if (!decide || owner.snapshot.project.kind !== "hybrid") return;
    const decision = this.choices.decide(folder, readConfig(folder).autoEnter);
    if (decision === "enter") {
      // The cached environment now, before any process starts and before other extensions
      // activate; the revalidating load after activate() has returned.
      owner.applyCached();
      const revalidate = setTimeout(() => void owner.enter(), 0);
      this.disposables.push({ dispose: () => clearTimeout(revalidate) });
    } else if (decision === "ask") {
      void this.choices.ask(folder).then((yes) => {
        if (yes) void owner.enter();
      });
    }
  }

  private remove(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    this.folders.get(key)?.dispose();
    this.folders.delete(key);
  }

  private fireActive(): void {
    const active = this.active();
    void vscode.commands.executeCommand("setContext", "hybridEnv.hasEnvironment", active !== undefined && active.state !== "idle");
    this.activeEmitter.fire(active);
  }

  dispose(): void {
    for (const f of this.folders.values()) f.dispose();
    this.folders.clear();
    for (const d of this.disposables) d.dispose();
  }
}
