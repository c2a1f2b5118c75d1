// hybrid-env as an environment manager and a package manager of the Python Environments
// extension: one "Hybrid (Nix + uv)" environment per folder, whose packages carry their source.
import type {
  EnvironmentManager,
  GetEnvironmentScope,
  GetEnvironmentsScope,
  Package,
  PackageManagementOptions,
  PackageManager,
  PythonEnvironment,
  PythonEnvironmentApi,
  SetEnvironmentScope,
} from "@vscode/python-environments";
import * as vscode from "vscode";
import type { FolderPython } from "./pythonExtensions";

const MANAGER_NAME = "hybrid";
const PACKAGE_MANAGER_ID = `hybrid-env.hybrid-env:${MANAGER_NAME}`;

export class HybridEnvironmentsBridge implements vscode.Disposable {
  private readonly byFolder = new Map<string, { env: PythonEnvironment; target: FolderPython }>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly environmentManager: EnvironmentManager;
  private readonly packageManager: PackageManager;

  constructor(
    private readonly api: PythonEnvironmentApi,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.environmentManager = {
      name: MANAGER_NAME,
      displayName: "Hybrid (Nix + uv)",
      preferredPackageManagerId: PACKAGE_MANAGER_ID,
      refresh: async () => undefined,
      getEnvironments: async (scope: GetEnvironmentsScope) => this.environmentsFor(scope),
      set: async (_scope: SetEnvironmentScope, _env?: PythonEnvironment) => undefined,
      get: async (scope: GetEnvironmentScope) => (scope ? this.entryFor(scope)?.env : undefined),
      resolve: async (uri: vscode.Uri) => [...this.byFolder.values()].find((e) => e.target.venvPython === uri.fsPath)?.env,
    };
    this.packageManager = {
      name: MANAGER_NAME,
      displayName: "Hybrid (Nix + uv)",
      description: "Packages from the Nix devShell and from uv",
      manage: async (_env: PythonEnvironment, options: PackageManagementOptions) => {
        // Adding goes through `uv add` so pyproject.toml and uv.lock stay the source of truth.
        for (const pkg of options.install ?? []) await vscode.commands.executeCommand("hybridEnv.addUvPackage", pkg);
      },
      refresh: async () => undefined,
      getPackages: async (env: PythonEnvironment) => this.packagesOf(env),
    };
    this.disposables.push(api.registerEnvironmentManager(this.environmentManager), api.registerPackageManager(this.packageManager));
  }

  async publish(target: FolderPython): Promise<void> {
    const env = this.api.createPythonEnvironmentItem(
      {
        name: `hybrid-${target.folder.name}`,
        displayName: `Hybrid (Nix + uv) · ${target.folder.name}`,
        displayPath: target.venvPython,
        version: target.version ?? "",
        environmentPath: vscode.Uri.file(target.venvPython),
        execInfo: { run: { executable: target.venvPython } },
        sysPrefix: vscode.Uri.joinPath(vscode.Uri.file(target.venvPython), "..", "..").fsPath,
        description: "Nix devShell + uv venv",
      },
      this.environmentManager,
    );
    this.byFolder.set(target.folder.uri.toString(), { env, target });
    await this.api.setEnvironment(target.folder.uri, env);
    this.log.info(`Python Environments: set "${env.displayName}" for ${target.folder.name}`);
  }

  withdraw(folder: vscode.WorkspaceFolder): void {
    this.byFolder.delete(folder.uri.toString());
  }

  private entryFor(uri: vscode.Uri) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.byFolder.get(folder.uri.toString()) : undefined;
  }

  private environmentsFor(scope: GetEnvironmentsScope): PythonEnvironment[] {
    if (scope === "global") return [];
    if (scope === "all") return [...this.byFolder.values()].map((e) => e.env);
    const entry = this.entryFor(scope);
    return entry ? [entry.env] : [];
  }

  private packagesOf(env: PythonEnvironment): Package[] {
    const entry = [...this.byFolder.values()].find((e) => e.env.envId.id === env.envId.id);
    return (entry?.target.provenance?.packages ?? []).map((p) =>
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
