// One facade over both Python extension APIs: ms-python.python (interpreter selection, which
// Pylance and Run/Debug follow) and ms-python.vscode-python-envs (environment and package
// managers), plus the folder's Jupyter kernel. Either, both or neither extension may be
// installed; neither is an ordinary situation that costs one quiet log line. The APIs are only
// touched when an environment is first applied, so activating hybrid-env never activates the
// Python extension.
import { PythonExtension } from "@vscode/python-extension";
import type { PythonEnvironmentApi } from "@vscode/python-environments";
import * as vscode from "vscode";
import { dirname } from "node:path";
import { readEnvsManagerSettings, writeEnvsManagerSettings } from "../config/foreignSettings";
import type { HostApis, StateStore } from "../platform/apis";
import { HybridEnvironmentsBridge } from "./environmentsBridge";
import { EnvsSettingsKeeper } from "./environmentsSettings";
import type { FolderPython, PythonIntegration } from "./integration";
import { JupyterKernels } from "./jupyterKernels";
import { removeLegacyEnvFile } from "./legacyEnvFile";
import { SelectionCheck } from "./selectionCheck";

export type { FolderPython } from "./integration";

export const PYTHON_EXTENSION_ID = "ms-python.python";
export const PYTHON_ENVS_EXTENSION_ID = "ms-python.vscode-python-envs";

export class PythonExtensions implements PythonIntegration, vscode.Disposable {
  private python?: Promise<PythonExtension | undefined>;
  private envs?: Promise<HybridEnvironmentsBridge | undefined>;
  /** Per folder: the interpreter it had before our first selection, and the one we selected. */
  private readonly selections = new Map<string, { readonly before: string | undefined; readonly ours: string }>();

  private readonly kernels: JupyterKernels;
  private check?: SelectionCheck;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly apis: HostApis,
    private readonly extensionId: string,
    private readonly state: { readonly workspace: StateStore; readonly global: StateStore },
  ) {
    this.kernels = new JupyterKernels(log);
  }

  async select(target: FolderPython): Promise<void> {
    this.kernels.sync(target);
    const [python, envs] = await Promise.all([this.pythonApi(), this.envsBridge()]);
    if (python) await removeLegacyEnvFile(target.folder, dirname(dirname(target.venvPython)), this.log);
    if (python) {
      const key = target.folder.uri.toString();
      const before = this.selections.get(key)?.before ?? python.environments.getActiveEnvironmentPath(target.folder.uri).path;
      await python.environments.updateActiveEnvironmentPath(target.venvPython, target.folder.uri);
      this.selections.set(key, { before: before === target.venvPython ? undefined : before, ours: target.venvPython });
      this.log.info(`Python extension: selected ${target.venvPython} for ${target.folder.name}`);
    }
    if (envs) await envs.publish(target);
    if (python) await this.checkFor(python).confirm(target.folder, target.venvPython);
  }

  private checkFor(python: PythonExtension): SelectionCheck {
    this.check ??= new SelectionCheck(
      {
        get: (folder) => python.environments.getActiveEnvironmentPath(folder.uri).path,
        update: (path, folder) => python.environments.updateActiveEnvironmentPath(path, folder.uri),
      },
      this.log,
    );
    return this.check;
  }

  /** Exit: the folder gets back the interpreter it had, unless the user picked another since. */
  async forget(folder: vscode.WorkspaceFolder): Promise<void> {
    this.check?.cancel(folder);
    this.kernels.remove(folder);
    const envs = await this.envs;
    await envs?.withdraw(folder);
    const key = folder.uri.toString();
    const selection = this.selections.get(key);
    this.selections.delete(key);
    const python = await this.python;
    if (!python || !selection?.before) return;
    if (python.environments.getActiveEnvironmentPath(folder.uri).path !== selection.ours) return;
    await python.environments.updateActiveEnvironmentPath(selection.before, folder.uri);
    this.log.info(`Python extension: selected ${selection.before} again for ${folder.name}`);
  }

  private pythonApi(): Promise<PythonExtension | undefined> {
    this.python ??= this.connect("Python", PYTHON_EXTENSION_ID, () => PythonExtension.api());
    return this.python;
  }

  private envsBridge(): Promise<HybridEnvironmentsBridge | undefined> {
    this.envs ??= this.connect("Python Environments", PYTHON_ENVS_EXTENSION_ID, async () => {
      const ext = vscode.extensions.getExtension<PythonEnvironmentApi>(PYTHON_ENVS_EXTENSION_ID)!;
      const api = ext.isActive ? ext.exports : await ext.activate();
      const settings = new EnvsSettingsKeeper(
        {
          read: readEnvsManagerSettings,
          write: writeEnvsManagerSettings,
          open: (folder) => void vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, ".vscode", "settings.json")),
        },
        this.state.workspace,
        this.state.global,
        this.apis.window,
        this.log,
        `${this.extensionId}:hybrid`,
      );
      return new HybridEnvironmentsBridge(api, this.apis, this.log, this.extensionId, settings);
    });
    return this.envs;
  }

  private async connect<T>(label: string, id: string, get: () => Promise<T>): Promise<T | undefined> {
    if (!vscode.extensions.getExtension(id)) {
      this.log.info(`${label} extension (${id}) not installed: not selecting an interpreter there`);
      return undefined;
    }
    try {
      return await get();
    } catch (e) {
      this.log.warn(`${label} extension API unavailable: ${(e as Error).message}`);
      return undefined;
    }
  }

  dispose(): void {
    this.check?.cancel();
    void this.envs?.then((b) => b?.dispose());
  }
}
