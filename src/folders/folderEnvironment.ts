// One owner per workspace folder: its state (idle, loading, ready, stale, failed), its terminal
// environment, its Python selection, its watchers. Everything it creates is disposed with it.
import * as vscode from "vscode";
import { cachedEnvironment, currentKey, loadEnvironment } from "../core/engine";
import type { HybridEnvironment, LoadStep } from "../core/environment";
import { CancelledError, HybridEnvError } from "../core/errors";
import { detectProject, type Project } from "../core/detect";
import { resolve, type EnvMap } from "../core/mutations";
import { ProcessRunner } from "../core/process";
import { scanProvenance } from "../core/provenance";
import { engineOptions, readConfig } from "../config/config";
import type { ErrorPresenter } from "../common/errorPresenter";
import { LoadScheduler } from "./loadScheduler";
import { channelLogger } from "../common/logger";
import { showProgressAfter } from "../views/loadProgress";
import type { FolderSnapshot, FolderState } from "./model";
import type { PythonExtensions } from "../python/pythonExtensions";
import { installEnvFile, removeEnvFile } from "../python/envFile";
import { applyToCollection } from "./terminalEnvironment";

export interface FolderServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly python: PythonExtensions;
  readonly errors: ErrorPresenter;
  /** The environment terminals start from (the extension host's). */
  readonly hostEnv: EnvMap;
}

interface LoadOptions {
  readonly useCache: boolean;
}

/** Files whose change makes the environment stale. */
export const WATCHED_FILES = "{flake.nix,flake.lock,pyproject.toml,uv.lock}";
const QUIET_MS = 400;
const PROGRESS_AFTER_MS = 2000;
const PYTHON_STEP_TIMEOUT_MS = 20_000;

function withTimeout<T>(work: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

export class FolderEnvironment implements vscode.Disposable {
  private current: FolderSnapshot;
  private readonly emitter = new vscode.EventEmitter<FolderSnapshot>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private readonly collection: vscode.EnvironmentVariableCollection;
  private readonly scheduler = new LoadScheduler<LoadOptions>((o) => this.runLoad(o), QUIET_MS);
  private abort?: AbortController;
  private staleOffered = false;
  /** The files' key when the applied environment was loaded; a watcher event with the same key is no change. */
  private loadedKey?: string;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly services: FolderServices,
  ) {
    this.collection = services.context.environmentVariableCollection.getScoped({ workspaceFolder: folder });
    this.current = { folder, project: this.detect(), state: "idle" };
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WATCHED_FILES));
    this.disposables.push(
      watcher,
      watcher.onDidChange(() => this.onFilesChanged()),
      watcher.onDidCreate(() => this.onFilesChanged()),
      watcher.onDidDelete(() => this.onFilesChanged()),
      this.scheduler,
    );
  }

  get snapshot(): FolderSnapshot {
    return this.current;
  }

  get entered(): boolean {
    return this.current.state !== "idle";
  }

  /**
   * Applies the cached environment for the files as they are, starting no process. Returns
   * whether there was one. Called first thing at activation for folders the user entered before.
   */
  applyCached(): boolean {
    const config = readConfig(this.folder);
    let cached: ReturnType<typeof cachedEnvironment>;
    try {
      cached = cachedEnvironment({ dir: this.folder.uri.fsPath, options: engineOptions(config), baseEnv: this.services.hostEnv });
    } catch {
      return false;
    }
    if (!cached) return false;
    const { environment, key } = cached;
    this.loadedKey = key;
    this.applyTerminals(environment);
    this.update({ state: "ready", environment, resolved: resolve(this.services.hostEnv, environment.mutations), error: undefined, fromCache: true });
    return true;
  }

  /** Enters the environment: the cached one at once, then a load that revalidates it. */
  enter(): Promise<void> {
    if (!this.entered) this.applyCached();
    return this.scheduler.request({ useCache: true });
  }

  /** A fresh evaluation (the cache is not consulted), queued behind a running one. */
  reload(): Promise<void> {
    return this.scheduler.request({ useCache: false });
  }

  cancel(): void {
    this.scheduler.clearPending();
    this.abort?.abort();
  }

  /** Removes everything the extension applied for this folder. */
  async exit(): Promise<void> {
    this.cancel();
    this.collection.clear();
    this.services.errors.clear(this.folder);
    await this.services.python.forget(this.folder);
    if (this.services.python.hasPythonExtension) await removeEnvFile(this.folder, this.current.project.venvDir);
    this.update({ state: "idle", environment: undefined, resolved: undefined, provenance: undefined, error: undefined, step: undefined });
  }

  private async runLoad(options: LoadOptions): Promise<void> {
    const config = readConfig(this.folder);
    const abort = new AbortController();
    this.abort = abort;
    this.staleOffered = false;
    this.update({ state: "loading", step: undefined, project: this.detect() });
    const done = showProgressAfter(PROGRESS_AFTER_MS, `Hybrid Env (${this.folder.name})`, this.onDidChange, abort);
    const log = channelLogger(this.services.log, `[${this.folder.name}] `);
    try {
      const result = await loadEnvironment({
        dir: this.folder.uri.fsPath,
        options: engineOptions(config, { useCache: options.useCache }),
        baseEnv: this.services.hostEnv,
        runner: new ProcessRunner(log),
        log,
        signal: abort.signal,
        onStep: (step: LoadStep) => this.update({ step }),
      });
      await this.apply(result.environment, config.configurePython);
      // The key after the load: uv sync may have written uv.lock, which is part of what was loaded.
      this.loadedKey = result.key;
      this.update({ fromCache: result.fromCache });
      if (result.failure) this.fail(result.failure, true);
      else {
        this.services.errors.clear(this.folder);
        this.update({ state: "ready", error: undefined, step: undefined });
      }
    } catch (err) {
      if (err instanceof CancelledError) {
        log.info("load cancelled");
        this.update({ state: this.current.environment ? "stale" : "idle", step: undefined });
      } else {
        this.fail(err instanceof Error ? err : new Error(String(err)), this.current.environment !== undefined);
      }
    } finally {
      done();
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private fail(error: Error, servedLastGood: boolean): void {
    this.services.log.error(`[${this.folder.name}] ${error.message}${error instanceof HybridEnvError && error.detail ? `\n${error.detail}` : ""}`);
    this.services.errors.present(this.folder, error, servedLastGood);
    this.update({ state: "failed", error, step: undefined });
  }

  private async apply(environment: HybridEnvironment, configurePython: boolean): Promise<void> {
    const resolved = resolve(this.services.hostEnv, environment.mutations);
    this.applyTerminals(environment);
    const venvPython = environment.python.venvPython;
    const provenance = scanProvenance({
      pythonPath: resolved.PYTHONPATH,
      venvDir: venvPython ? environment.project.venvDir : undefined,
      uvLockPath: environment.project.uvLockPath,
    });
    this.update({ environment, resolved, provenance, project: environment.project });
    if (!venvPython || !configurePython) return;
    try {
      // Other extensions and settings writes are outside our control: bound them, so that a load
      // always ends in a visible state.
      if (this.services.python.hasPythonExtension) {
        const outcome = await withTimeout(
          installEnvFile(this.folder, environment.project.venvDir, environment.mutations, resolved),
          PYTHON_STEP_TIMEOUT_MS,
          "writing python.envFile",
        );
        if (outcome === "skipped-user-setting") {
          this.services.log.warn(`[${this.folder.name}] python.envFile is set by you: not pointing it at hybrid-env's env file`);
        }
      }
      await withTimeout(
        this.services.python.select({ folder: this.folder, venvPython, version: environment.python.version, provenance }),
        PYTHON_STEP_TIMEOUT_MS,
        "selecting the interpreter in the Python extensions",
      );
    } catch (e) {
      this.services.log.warn(`[${this.folder.name}] could not configure the Python extension: ${(e as Error).message}`);
    }
  }

  private applyTerminals(environment: HybridEnvironment): void {
    const shell = environment.project.flakePath ? `the Nix devShell "${environment.project.devShell}"` : "uv";
    applyToCollection(this.collection, environment.mutations, this.services.hostEnv, `Hybrid env of ${this.folder.name}: ${shell} + the uv venv`);
  }

  private onFilesChanged(): void {
    this.update({ project: this.detect() });
    const state: FolderState = this.current.state;
    if (state === "idle") return;
    // Saves without a change, and our own uv sync writing uv.lock, are not changes.
    if (state !== "loading" && this.loadedKey !== undefined && this.filesKey() === this.loadedKey) return;
    if (readConfig(this.folder).autoReload) {
      this.scheduler.requestAfterQuiet({ useCache: true });
      return;
    }
    if (state === "ready" || state === "failed") this.update({ state: "stale" });
    if (state !== "loading" && !this.staleOffered) {
      this.staleOffered = true;
      void vscode.window
        .showInformationMessage(`Hybrid Env (${this.folder.name}): project files changed.`, "Reload")
        .then((choice) => {
          if (choice === "Reload") void this.reload();
        });
    }
  }

  private filesKey(): string | undefined {
    try {
      return currentKey({ dir: this.folder.uri.fsPath, options: engineOptions(readConfig(this.folder)), baseEnv: this.services.hostEnv });
    } catch {
      return undefined;
    }
  }

  private detect(): Project {
    return detectProject(this.folder.uri.fsPath, readConfig(this.folder).devShell, this.services.hostEnv);
  }

  private update(change: Partial<Omit<FolderSnapshot, "folder">>): void {
    this.current = { ...this.current, ...change };
    this.emitter.fire(this.current);
  }

  dispose(): void {
    this.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
