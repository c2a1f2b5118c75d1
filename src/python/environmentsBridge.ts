// hybrid-env as an environment manager and a package manager of the Python Environments
// extension: one "Hybrid (Nix + uv)" environment per entered folder, whose packages carry their
// source. The manager announces every change (onDidChangeEnvironments: an environment appears
// or goes; onDidChangeEnvironment: a folder's selection changes), so Python Environments'
// views and pickers follow Enter, Reload and Exit. Talks to VS Code through the wrappers only.
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
import type { FolderPython } from "./integration";

const MANAGER_NAME = "hybrid";
// The enum's values, without loading @vscode/python-environments at runtime (it requires vscode).
const ADDED = "add" as EnvironmentChangeKind;
const REMOVED = "remove" as EnvironmentChangeKind;

export type BridgeApi = Pick<
  PythonEnvironmentApi,
  "registerEnvironmentManager" | "registerPackageManager" | "createPythonEnvironmentItem" | "createPackageItem" | "setEnvironment"
>;

interface Entry {
  readonly env: PythonEnvironment;
  readonly target: FolderPython;
}

export class HybridEnvironmentsBridge implements Disposable {
  private readonly byFolder = new Map<string, Entry>();
  /** What Python Environments selected (through set) per folder: ours, or undefined. */
  private readonly selected = new Map<string, PythonEnvironment | undefined>();
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
    this.disposables.push(api.registerEnvironmentManager(this.environmentManager, options), api.registerPackageManager(this.packageManager, options));
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
    await this.api.setEnvironment(target.folder.uri, env);
    // Python Environments hands the choice to our set(); record it also if it did not.
    if (this.selected.get(key) !== env) this.select(target.folder.uri, key, env);
    this.log.info(`Python Environments: set "${env.displayName}" for ${target.folder.name}`);
  }

  /** Exit: the folder's environment is gone from the list and from the folder's selection. */
  withdraw(folder: WorkspaceFolder): void {
    const key = folder.uri.toString();
    const entry = this.byFolder.get(key);
    this.byFolder.delete(key);
    if (entry) this.environmentsChanged.fire([{ kind: REMOVED, environment: entry.env }]);
    if (this.selected.get(key) !== undefined) this.select(folder.uri, key, undefined);
    this.selected.delete(key);
  }

  /** Drops environments whose interpreter is gone (a deleted venv); the rest is what the loads published. */
  private refresh(scope: Uri | undefined): void {
    const wanted = scope ? this.folderKey(scope) : undefined;
    for (const [key, entry] of [...this.byFolder]) {
      if ((wanted === undefined || key === wanted) && !existsSync(entry.target.venvPython)) this.withdraw(entry.target.folder);
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
