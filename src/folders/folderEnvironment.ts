// One owner per workspace folder: its state (idle, loading, ready, stale, failed), its terminal
// environment, its Python selection, its watchers. Everything it creates is disposed with it.
// It talks to VS Code only through the HostApis wrappers (platform/apis.ts), so its unit tests
// (test/unit/folders/folderEnvironment.unit.test.ts) run without a VS Code.
import type { Disposable, WorkspaceFolder } from "vscode";
import { Emitter } from "../common/emitter";
import type { LoadTrigger } from "../common/errorPresenter";
import { channelLogger, errorForLog } from "../common/logger";
import { engineOptions, readConfig } from "../config/config";
import type { FolderConfig } from "../config/configKeys";
import { detectProject, type Project } from "../core/detect";
import type { HybridEnvironment } from "../core/environment";
import { CancelledError } from "../core/errors";
import { resolve } from "../core/mutations";
import type { LoadProgress } from "../core/progress/describe";
import { ProcessRunner } from "../core/process";
import { removePythonLayer } from "../core/pythonLayer";
import { scanProvenance, type Provenance } from "../core/provenance";
import type { TerminalEnvironment } from "../platform/apis";
import { showProgressAfter } from "../views/loadProgress";
import { LoadScheduler } from "./loadScheduler";
import { Throttle } from "./progressThrottle";
import type { FolderSnapshot, FolderState } from "./model";
import { applyToCollection } from "./terminalEnvironment";
import { coreEngine, DEFAULT_DELAYS, mergeLoads, PROGRESS_INTERVAL_MS, PYTHON_STEP_TIMEOUT_MS, WATCHED_FILES, withTimeout, type FolderEngine, type FolderServices, type LoadOptions } from "./folderServices";

export { coreEngine, WATCHED_FILES, type FolderEngine, type FolderServices } from "./folderServices";

export class FolderEnvironment implements Disposable {
  private current: FolderSnapshot;
  private readonly emitter = new Emitter<FolderSnapshot>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: Disposable[] = [this.emitter];
  private readonly collection: TerminalEnvironment;
  private readonly engine: FolderEngine;
  private readonly delays: { readonly progressMs: number; readonly quietMs: number };
  private readonly scheduler: LoadScheduler<LoadOptions>;
  private abort?: AbortController;
  private staleOffered = false;
  /** The files' key when the applied environment was loaded; a watcher event with the same key is no change. */
  private loadedKey?: string;

  constructor(
    readonly folder: WorkspaceFolder,
    private readonly services: FolderServices,
  ) {
    this.engine = services.engine ?? coreEngine;
    this.delays = services.delays ?? DEFAULT_DELAYS;
    this.scheduler = new LoadScheduler<LoadOptions>((o) => this.runLoad(o), this.delays.quietMs, undefined, mergeLoads);
    this.collection = services.terminalFor(folder);
    this.current = { folder, project: this.detect(), state: "idle" };
    this.disposables.push(
      services.apis.workspace.watchFiles(folder, WATCHED_FILES, () => this.onFilesChanged()),
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
    let cached: ReturnType<FolderEngine["cachedEnvironment"]>;
    try {
      cached = this.engine.cachedEnvironment(this.engineRequest(this.config()));
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
  enter(trigger: LoadTrigger = "user"): Promise<void> {
    if (!this.entered) this.applyCached();
    return this.scheduler.request({ useCache: true, trigger });
  }

  /** A fresh evaluation (the cache is not consulted), queued behind a running one. */
  reload(trigger: LoadTrigger = "user"): Promise<void> {
    return this.scheduler.request({ useCache: false, trigger });
  }

  cancel(): void {
    this.scheduler.clearPending();
    this.abort?.abort();
  }

  /**
   * Removes everything the extension applied for this folder. A running load is cancelled and
   * waited for first: whatever it applied before it noticed is then undone here, not after.
   */
  async exit(): Promise<void> {
    this.cancel();
    await this.scheduler.settled();
    this.collection.clear();
    this.services.errors.clear(this.folder);
    await this.services.python.forget(this.folder);
    // The venv's interpreter goes back to a plain venv: no store path stays behind.
    if (removePythonLayer(this.current.project.venvDir)) this.services.log.info(`[${this.folder.name}] python layer removed from ${this.current.project.venvDir}`);
    this.update({ state: "idle", environment: undefined, resolved: undefined, provenance: undefined, error: undefined, step: undefined });
  }

  private async runLoad(options: LoadOptions): Promise<void> {
    const config = this.config();
    const abort = new AbortController();
    this.abort = abort;
    this.staleOffered = false;
    this.update({ state: "loading", step: undefined, progress: undefined, project: this.detect() });
    const done = showProgressAfter(this.services.apis.window, this.delays.progressMs, `Hybrid Env (${this.folder.name})`, this.onDidChange, abort, () => this.current);
    const log = channelLogger(this.services.log, `[${this.folder.name}] `);
    const progress = new Throttle<LoadProgress>((p) => this.update({ progress: p }), PROGRESS_INTERVAL_MS);
    try {
      const result = await this.engine.loadEnvironment({
        ...this.engineRequest(config, options.useCache),
        runner: new ProcessRunner(log),
        log,
        signal: abort.signal,
        onStep: (step) => {
          progress.cancel();
          this.update({ step, progress: undefined });
        },
        onProgress: (p) => progress.push(p),
      });
      // An Exit or Cancel that came after the engine's last process: apply nothing.
      if (abort.signal.aborted) throw new CancelledError("load");
      await this.apply(result.environment, config.configurePython, abort.signal);
      if (abort.signal.aborted) throw new CancelledError("load");
      // The key after the load: uv sync may have written uv.lock, which is part of what was loaded.
      this.loadedKey = result.key;
      this.update({ fromCache: result.fromCache });
      if (result.failure) this.fail(result.failure, true, options.trigger);
      else {
        this.services.errors.clear(this.folder);
        this.update({ state: "ready", error: undefined, step: undefined });
        void this.warnAboutNixVersions(result.environment);
      }
    } catch (err) {
      if (err instanceof CancelledError) {
        log.info("load cancelled");
        this.update({ state: this.current.environment ? "stale" : "idle", step: undefined });
      } else {
        this.fail(err instanceof Error ? err : new Error(String(err)), this.current.environment !== undefined, options.trigger);
      }
    } finally {
      progress.cancel();
      done();
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private fail(error: Error, servedLastGood: boolean, trigger: LoadTrigger): void {
    this.services.log.error(`[${this.folder.name}] ${errorForLog(error)}`);
    this.services.errors.present(this.folder, error, { servedLastGood, trigger });
    this.update({ state: "failed", error, step: undefined });
  }

  private async apply(environment: HybridEnvironment, configurePython: boolean, signal: AbortSignal): Promise<void> {
    const resolved = resolve(this.services.hostEnv, environment.mutations);
    this.applyTerminals(environment);
    const venvPython = environment.python.venvPython;
    const provenance = scanProvenance({
      pythonPath: resolved.PYTHONPATH,
      venvDir: venvPython ? environment.project.venvDir : undefined,
      uvLockPath: environment.project.uvLockPath,
      nixProvided: environment.nixProvided,
    });
    this.update({ environment, resolved, provenance, project: environment.project });
    if (venvPython && configurePython) await this.configurePython(environment, venvPython, provenance, signal);
  }

  /** The interpreter (it carries the environment: core/pythonLayer.ts). Other extensions are outside our control: bounded, so a load always ends. */
  private async configurePython(environment: HybridEnvironment, venvPython: string, provenance: Provenance, signal: AbortSignal): Promise<void> {
    const { python, log } = this.services;
    try {
      if (signal.aborted) return;
      await withTimeout(
        python.select({ folder: this.folder, venvPython, version: environment.python.version, provenance }),
        PYTHON_STEP_TIMEOUT_MS,
        "selecting the interpreter in the Python extensions",
      );
    } catch (e) {
      log.warn(`[${this.folder.name}] could not configure the Python extension: ${(e as Error).message}`);
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
    if (this.config().autoReload) {
      this.scheduler.requestAfterQuiet({ useCache: true, trigger: "automatic" });
      return;
    }
    if (state === "ready" || state === "failed") this.update({ state: "stale" });
    if (state !== "loading" && !this.staleOffered) this.offerReload();
  }

  private offerReload(): void {
    this.staleOffered = true;
    void this.services.apis.window.showInformationMessage(`Hybrid Env (${this.folder.name}): project files changed.`, "Reload").then((choice) => {
      if (choice === "Reload") void this.reload("user");
    });
  }

  private filesKey(): string | undefined {
    try {
      return this.engine.currentKey(this.engineRequest(this.config()));
    } catch {
      return undefined;
    }
  }

  private engineRequest(config: FolderConfig, useCache = true) {
    const uvInstalls = this.services.uvInstallChoices?.get(this.folder) ?? [];
    return { dir: this.folder.uri.fsPath, options: engineOptions(config, { useCache, uvInstalls }), baseEnv: this.services.hostEnv };
  }

  /**
   * Lets uv install its own copy of a package Nix provides (or leaves it to Nix again), remembered
   * for this folder; reloads when that changed anything.
   */
  async setUvInstalls(name: string, uvInstalls: boolean): Promise<void> {
    const choices = this.services.uvInstallChoices;
    if (choices && (await choices.set(this.folder, name, uvInstalls))) await this.reload("user");
  }

  /** A Nix version that does not satisfy the project: a warning once, with the choice (uvInstallChoices.ts). */
  private async warnAboutNixVersions(environment: HybridEnvironment): Promise<void> {
    const handed = (await this.services.uvInstallChoices?.warnOnce(this.folder, environment.nixProvided)) ?? [];
    if (handed.length > 0) await this.reload("user");
  }

  private config(): FolderConfig {
    const config = readConfig(this.services.apis.workspace, this.folder);
    const chosen = this.services.devShellFor?.(this.folder);
    return chosen ? { ...config, devShell: chosen } : config;
  }

  private detect(): Project {
    return detectProject(this.folder.uri.fsPath, this.config().devShell, this.services.hostEnv);
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
