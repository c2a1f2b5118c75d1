// What the VS Code layer knows about each workspace folder. Views, the status bar and the API
// read these snapshots; only FolderEnvironment writes them.
import type * as vscode from "vscode";
import type { HybridEnvironment, LoadStep } from "../core/environment";
import type { Project } from "../core/detect";
import type { LoadProgress } from "../core/progress/describe";
import type { Provenance } from "../core/provenance";

/**
 * idle: not entered (or exited, or not a project). loading: a load runs (the previous env stays
 * applied). ready: the applied env matches the files. stale: files changed since the load.
 * failed: the last load failed; `environment` is the last good one, if any.
 */
export type FolderState = "idle" | "loading" | "ready" | "stale" | "failed";

export interface FolderSnapshot {
  readonly folder: vscode.WorkspaceFolder;
  readonly project: Project;
  readonly state: FolderState;
  /** The step of the running load. */
  readonly step?: LoadStep;
  /** The running step's counters (Nix builds, downloads; uv's phase), updated a few times a second at most. */
  readonly progress?: LoadProgress;
  /** The environment applied to terminals and Python (maybe the last good one). */
  readonly environment?: HybridEnvironment;
  /** The environment resolved against the extension host's own. */
  readonly resolved?: Readonly<Record<string, string>>;
  readonly provenance?: Provenance;
  /** Whether the applied environment came from the cache (no evaluation ran). */
  readonly fromCache?: boolean;
  /** Why the last load failed. */
  readonly error?: Error;
}

/** The registry of folders, as the UI pieces see it. */
export interface FolderRegistry {
  /** All folders that are projects (hybrid, nix-only or uv-only), in workspace order. */
  all(): readonly FolderSnapshot[];
  get(folder: vscode.Uri): FolderSnapshot | undefined;
  /** The folder of the active editor, else the first project folder. */
  active(): FolderSnapshot | undefined;
  readonly onDidChange: vscode.Event<FolderSnapshot>;
  /** Fires when the active folder changes (editor switch). */
  readonly onDidChangeActive: vscode.Event<FolderSnapshot | undefined>;
}

/** What activate() returns to other extensions and to tests. */
export interface HybridEnvApi {
  getEnvironment(folder: vscode.Uri): Readonly<Record<string, string>> | undefined;
  getPackages(folder: vscode.Uri): Provenance["packages"] | undefined;
  getState(folder: vscode.Uri): FolderState;
  readonly onDidChangeState: vscode.Event<{ readonly folder: vscode.Uri; readonly state: FolderState }>;
}
