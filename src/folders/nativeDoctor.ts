// The native-library doctor in the editor: after a folder's environment is applied, the venv's
// extension modules are checked against the environment's library path (core/native: ELF read
// in-process, no process started), once per environment, a moment after it was applied so that
// neither activation nor the load waits for it, and from the per-venv cache when the venv did not
// change (a warm open reads one small file). The reports feed the diagnostics and the Packages
// view. No vscode import at runtime: unit-tested with a fake registry.
import type { Disposable, Uri, WorkspaceFolder } from "vscode";
import { Emitter } from "../common/emitter";
import type { LogChannel } from "../common/logger";
import type { HybridEnvironment } from "../core/environment";
import { cachedNativeScan, type CachedScan } from "../core/native/scanCache";
import type { NativeLibraryReport } from "../core/native/scan";
import { realTimers, type Timers } from "./loadScheduler";
import type { FolderRegistry, FolderSnapshot } from "./model";

export interface NativeFolderReport {
  readonly folder: WorkspaceFolder;
  readonly report: NativeLibraryReport;
  /** The environment that was checked: its project names flake.nix, pyproject.toml and the devShell. */
  readonly environment: HybridEnvironment;
  readonly fromCache: boolean;
}

/** A report, or that a folder has none any more (exited, no venv). */
export type NativeReportChange = { readonly folder: WorkspaceFolder; readonly report?: NativeFolderReport };

export interface NativeDoctorDeps {
  readonly registry: Pick<FolderRegistry, "onDidChange" | "all">;
  readonly log: Pick<LogChannel, "info" | "warn">;
  readonly cacheDir: string;
  /** Milliseconds after an environment is applied before it is checked. */
  readonly delayMs?: number;
  readonly timers?: Timers;
  /** For tests: the cached scan. */
  readonly scan?: (req: Parameters<typeof cachedNativeScan>[0]) => Promise<CachedScan>;
}

const DEFAULT_DELAY_MS = 1500;

export class NativeLibraryDoctor implements Disposable {
  private readonly reports = new Map<string, NativeFolderReport>();
  /** The environment each folder was last checked (or scheduled) for. */
  private readonly checked = new Map<string, HybridEnvironment>();
  private readonly timers = new Map<string, unknown>();
  private readonly emitter = new Emitter<NativeReportChange>();
  readonly onDidChange = this.emitter.event;
  private readonly abort = new AbortController();
  private readonly subscription: Disposable;

  constructor(private readonly deps: NativeDoctorDeps) {
    this.subscription = deps.registry.onDidChange((s) => this.consider(s));
    for (const s of deps.registry.all()) this.consider(s);
  }

  get(folder: Uri): NativeFolderReport | undefined {
    return this.reports.get(folder.toString());
  }

  all(): readonly NativeFolderReport[] {
    return [...this.reports.values()];
  }

  private consider(s: FolderSnapshot): void {
    const key = s.folder.uri.toString();
    const environment = s.environment;
    if (s.state === "idle" || !environment?.python.venvPython) {
      this.cancel(key);
      this.checked.delete(key);
      if (this.reports.delete(key)) this.emitter.fire({ folder: s.folder });
      return;
    }
    // A load under way replaces the environment soon; check what it applies.
    if (s.state === "loading" || this.checked.get(key) === environment) return;
    this.checked.set(key, environment);
    this.cancel(key);
    const timers = this.deps.timers ?? realTimers;
    this.timers.set(key, timers.setTimeout(() => {
      this.timers.delete(key);
      void this.check(s.folder, environment, s.resolved?.LD_LIBRARY_PATH);
    }, this.deps.delayMs ?? DEFAULT_DELAY_MS));
  }

  private async check(folder: WorkspaceFolder, environment: HybridEnvironment, ldLibraryPath: string | undefined): Promise<void> {
    const key = folder.uri.toString();
    const started = performance.now();
    try {
      const result = await (this.deps.scan ?? cachedNativeScan)({
        venvDir: environment.project.venvDir,
        interpreter: environment.python.venvPython!,
        ldLibraryPath,
        signal: this.abort.signal,
        cacheDir: this.deps.cacheDir,
        projectDir: environment.project.dir,
      });
      // Another environment was applied (or the folder exited) while this one was checked.
      if (this.checked.get(key) !== environment || this.abort.signal.aborted) return;
      const { report } = result;
      const ms = (performance.now() - started).toFixed(0);
      this.deps.log.info(
        `[${folder.name}] native libraries: ${report.checked} ELF files checked, ${report.missing.length} missing${report.missing.length > 0 ? ` (${report.missing.map((m) => m.soname).join(", ")})` : ""} in ${ms} ms${result.fromCache ? " (venv unchanged: cached report)" : ""}`,
      );
      const entry: NativeFolderReport = { folder, report, environment, fromCache: result.fromCache };
      this.reports.set(key, entry);
      this.emitter.fire({ folder, report: entry });
    } catch (e) {
      if (!this.abort.signal.aborted) this.deps.log.warn(`[${folder.name}] could not check the venv's native libraries: ${(e as Error).message}`);
    }
  }

  private cancel(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) (this.deps.timers ?? realTimers).clearTimeout(t);
    this.timers.delete(key);
  }

  dispose(): void {
    this.abort.abort();
    for (const key of [...this.timers.keys()]) this.cancel(key);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
