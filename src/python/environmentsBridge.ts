// hybrid-env as an environment manager and a package manager of the Python Environments
// extension: one "Hybrid (Nix + uv)" environment per entered folder, whose packages carry their
// source. The manager announces every change (onDidChangeEnvironments: an environment appears
// or goes; onDidChangeEnvironment: a folder's selection changes), so Python Environments'
// views and pickers follow Enter, Reload and Exit. Talks to VS Code through the wrappers only.
// Python Environments makes its own start-up selection for each folder (auto-discovery, the
// workspace's .venv), which can land after ours: a change away from Hybrid within a short while
// of our selection is answered by selecting Hybrid again (twice at most); a later one is the
// user's choice and is kept. The settings its setEnvironment saves: environmentsSettings.ts.
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import type {
  DidChangeEnvironmentEventArgs,
  DidChangeEnvironmentsEventArgs,
  EnvironmentChangeKind,
  EnvironmentManager,
  GetEnvironmentsScope,
  Package,
  PackageManagementOptions,
  PackageManager,
  PythonEnvironment,
  PythonEnvironmentApi,
  SetEnvironmentScope,
} from "@vscode/python-environments";
import type { Disposable, Uri, WorkspaceFolder } from "vscode";
import { Emitter } from "../common/emitter";
import type { LogChannel } from "../common/logger";
import { normalizeName } from "../core/packageName";
import type { HostApis } from "../platform/apis";
import type { EnvsSettingsKeeper } from "./environmentsSettings";
import type { FolderPython } from "./integration";

const MANAGER_NAME = "hybrid";
// The enum's values, without loading @vscode/python-environments at runtime (it requires vscode).
const ADDED = "add" as EnvironmentChangeKind;
const REMOVED = "remove" as EnvironmentChangeKind;

export type BridgeApi = Pick<
  PythonEnvironmentApi,
  "registerEnvironmentManager" | "registerPackageManager" | "createPythonEnvironmentItem" | "createPackageItem" | "setEnvironment" | "onDidChangeEnvironment"
>;

/** How long after our selection a change away from it is Python Environments' own start-up selection. */
export const REASSERT_WINDOW_MS = 30_000;
const MAX_REASSERTS = 2;

interface Entry {
  readonly env: PythonEnvironment;
  readonly target: FolderPython;
}

export class HybridEnvironmentsBridge implements Disposable {
  private readonly byFolder = new Map<string, Entry>();
  /** What Python Environments selected (through set) per folder: ours, or undefined. */
  private readonly selected = new Map<string, PythonEnvironment | undefined>();
  /** When we last selected Hybrid for a folder, and how often we did again since. */
  private readonly published = new Map<string, { at: number; reasserts: number }>();
  private readonly environmentsChanged = new Emitter<DidChangeEnvironmentsEventArgs>();
  private readonly environmentChanged = new Emitter<DidChangeEnvironmentEventArgs>();
  private readonly disposables: Disposable[] = [this.environmentsChanged, this.environmentChanged];
  private readonly environmentManager: EnvironmentManager;
  private readonly packageManager: PackageManager;

  constructor(
    private readonly api: BridgeApi,
    private readonly apis: Pick<HostApis, "workspace" | "commands" | "window">,
    private readonly log: LogChannel,
    /** The extension's id: Python Environments takes manager ids from it (wrong for an extension in development without it). */
    extensionId: string,
    private readonly settings?: EnvsSettingsKeeper,
    private readonly now: () => number = Date.now,
  ) {
    this.environmentManager = {
      name: MANAGER_NAME,
      displayName: "Hybrid (Nix + uv)",
      preferredPackageManagerId: `${extensionId}:${MANAGER_NAME}`,
      refresh: async (scope) => this.refresh(scope),
      getEnvironments: async (scope: GetEnvironmentsScope) => this.environmentsFor(scope),
      set: async (scope: SetEnvironmentScope, env?: PythonEnvironment) => this.set(scope, env),
      get: async (scope) => (scope ? this.selectedFor(scope) : undefined),
      resolve: async (uri: Uri) => [...this.byFolder.values()].find((e) => e.target.venvPython === uri.fsPath)?.env,
      onDidChangeEnvironments: this.environmentsChanged.event,
      onDidChangeEnvironment: this.environmentChanged.event,
    };
    this.packageManager = {
      name: MANAGER_NAME,
      displayName: "Hybrid (Nix + uv)",
      description: "Packages from the Nix devShell and from uv",
      manage: (env: PythonEnvironment, options: PackageManagementOptions) => this.manage(env, options),
      refresh: async () => undefined,
      getPackages: async (env: PythonEnvironment) => this.packagesOf(env),
    };
    const options = { extensionId };
    this.disposables.push(
      api.registerEnvironmentManager(this.environmentManager, options),
      api.registerPackageManager(this.packageManager, options),
      api.onDidChangeEnvironment((e) => this.onSelectionChanged(e)),
    );
  }

  /** Lists the folder's environment (a new item after each load) and selects it for the folder. */
  async publish(target: FolderPython): Promise<void> {
    const env = this.api.createPythonEnvironmentItem(
      {
        name: `hybrid-${target.folder.name}`,
        displayName: `Hybrid (Nix + uv) · ${target.folder.name}`,
        displayPath: target.venvPython,
        version: target.version ?? "",
        environmentPath: this.apis.workspace.fileUri(target.venvPython),
        execInfo: { run: { executable: target.venvPython } },
        sysPrefix: dirname(dirname(target.venvPython)),
        description: "Nix devShell + uv venv",
      },
      this.environmentManager,
    );
    const key = target.folder.uri.toString();
    const previous = this.byFolder.get(key);
    this.byFolder.set(key, { env, target });
    this.environmentsChanged.fire([...(previous ? [{ kind: REMOVED, environment: previous.env }] : []), { kind: ADDED, environment: env }]);
    await this.settings?.beforeSelect(target.folder);
    this.published.set(key, { at: this.now(), reasserts: 0 });
    await this.api.setEnvironment(target.folder.uri, env);
    // Python Environments hands the choice to our set(); record it also if it did not.
    if (this.selected.get(key) !== env) this.select(target.folder.uri, key, env);
    this.log.info(`Python Environments: set "${env.displayName}" for ${target.folder.name}`);
    this.settings?.afterSelect(target.folder);
  }

  /** Python Environments' selection for a folder changed: its start-up selection is answered once more. */
  private onSelectionChanged(e: DidChangeEnvironmentEventArgs): void {
    const key = e.uri ? this.folderKey(e.uri) : undefined;
    const entry = key ? this.byFolder.get(key) : undefined;
    const published = key ? this.published.get(key) : undefined;
    if (!entry || !published || e.new?.envId.id === entry.env.envId.id) return;
    const now = `${e.new?.displayName ?? "no environment"} (${e.new?.envId.managerId ?? "-"})`;
    if (this.now() - published.at > REASSERT_WINDOW_MS || published.reasserts >= MAX_REASSERTS) {
      this.log.info(`Python Environments now uses ${now} for ${entry.target.folder.name}: kept (chosen there)`);
      return;
    }
    published.reasserts++;
    this.log.info(`Python Environments' own selection of ${now} for ${entry.target.folder.name} came after ours: selecting "${entry.env.displayName}" again`);
    void Promise.resolve(this.api.setEnvironment(entry.target.folder.uri, entry.env)).catch((err: unknown) => this.log.warn(`Python Environments: ${(err as Error).message}`));
  }

  /** Exit: the folder's environment is gone from the list and from the folder's selection. */
  async withdraw(folder: WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    const entry = this.byFolder.get(key);
    this.byFolder.delete(key);
    this.published.delete(key);
    // The saved selection first: with it gone, Python Environments routes the folder elsewhere.
    if (entry) await this.settings?.restore(folder).catch((err: unknown) => this.log.warn(`Python Environments settings: ${(err as Error).message}`));
    if (entry) this.environmentsChanged.fire([{ kind: REMOVED, environment: entry.env }]);
    if (this.selected.get(key) !== undefined) this.select(folder.uri, key, undefined);
    this.selected.delete(key);
  }

  /** Drops environments whose interpreter is gone (a deleted venv); the rest is what the loads published. */
  private async refresh(scope: Uri | undefined): Promise<void> {
    const wanted = scope ? this.folderKey(scope) : undefined;
    for (const [key, entry] of [...this.byFolder]) {
      if ((wanted === undefined || key === wanted) && !existsSync(entry.target.venvPython)) await this.withdraw(entry.target.folder);
    }
  }

  private set(scope: SetEnvironmentScope, env: PythonEnvironment | undefined): void {
    const uris = scope === undefined ? [] : Array.isArray(scope) ? scope : [scope];
    for (const uri of uris) {
      const key = this.folderKey(uri);
      if (key === undefined) continue;
      // Only our own items: another manager's environment is not ours to record.
      const ours = env === undefined || this.byFolder.get(key)?.env.envId.id === env.envId.id ? env : undefined;
      if (this.selected.get(key) !== ours) this.select(uri, key, ours);
    }
  }

  private select(uri: Uri, key: string, env: PythonEnvironment | undefined): void {
    const old = this.selected.get(key);
    this.selected.set(key, env);
    this.environmentChanged.fire({ uri, old, new: env });
  }

  private selectedFor(uri: Uri): PythonEnvironment | undefined {
    const key = this.folderKey(uri);
    return key === undefined ? undefined : this.selected.get(key);
  }

  private folderKey(uri: Uri): string | undefined {
    return this.apis.workspace.folderOf(uri)?.uri.toString();
  }

  private entryOf(env: PythonEnvironment): Entry | undefined {
    return [...this.byFolder.values()].find((e) => e.env.envId.id === env.envId.id);
  }

  private environmentsFor(scope: GetEnvironmentsScope): PythonEnvironment[] {
    if (scope === "global") return [];
    if (scope === "all") return [...this.byFolder.values()].map((e) => e.env);
    const key = this.folderKey(scope);
    const entry = key ? this.byFolder.get(key) : undefined;
    return entry ? [entry.env] : [];
  }

  /**
   * Install goes through `uv add` in the environment's own folder, so pyproject.toml and uv.lock
   * stay the source of truth. Uninstall is refused with the reason: a Nix package is removed from
   * flake.nix (Remove Nix Package), a uv package with `uv remove`, which hybrid-env does not run.
   */
  private async manage(env: PythonEnvironment, options: PackageManagementOptions): Promise<void> {
    const entry = this.entryOf(env);
    if (!entry) throw new Error(`${env.displayName} is no longer an active Hybrid Env environment: enter its folder again.`);
    for (const pkg of options.install ?? []) await this.apis.commands.executeCommand("hybridEnv.addUvPackage", entry.target.folder.uri, pkg);
    const uninstall = options.uninstall ?? [];
    if (uninstall.length > 0) void this.apis.window.showWarningMessage(this.uninstallRefusal(entry, uninstall));
  }

  private uninstallRefusal(entry: Entry, names: readonly string[]): string {
    const packages = entry.target.provenance?.packages ?? [];
    const reasons = names.map((name) => {
      const source = packages.find((p) => p.name === normalizeName(name) && !p.shadowedBy)?.source;
      if (source === "nix") return `${name} comes from the Nix devShell: remove it from flake.nix (Hybrid Env: Remove Nix Package)`;
      return `${name} is a uv dependency: run \`uv remove ${name}\` in ${entry.target.folder.name}, then reload`;
    });
    return `Hybrid Env does not uninstall packages from Python Environments. ${reasons.join("; ")}.`;
  }

  private packagesOf(env: PythonEnvironment): Package[] {
    return (this.entryOf(env)?.target.provenance?.packages ?? []).map((p) =>
      this.api.createPackageItem(
        {
          name: p.name,
          displayName: p.name,
          version: p.version,
          description: p.shadowedBy ? `${p.source} (shadowed by ${p.shadowedBy.source} ${p.shadowedBy.version})` : p.source,
          tooltip: p.location,
        },
        env,
        this.packageManager,
      ),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
