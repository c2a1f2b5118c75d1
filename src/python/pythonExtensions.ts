// One facade over both Python extension APIs: ms-python.python (interpreter selection, which
// Pylance and Run/Debug follow) and ms-python.vscode-python-envs (environment and package
// managers). Either, both or neither may be installed; neither is an ordinary situation that
// costs one quiet log line. The APIs are only touched when an environment is first applied, so
// activating hybrid-env never activates the Python extension.
import { PythonExtension } from "@vscode/python-extension";
import type { PythonEnvironmentApi } from "@vscode/python-environments";
import * as vscode from "vscode";
import type { Provenance } from "../core/provenance";
import { HybridEnvironmentsBridge } from "./environmentsBridge";

export const PYTHON_EXTENSION_ID = "ms-python.python";
export const PYTHON_ENVS_EXTENSION_ID = "ms-python.vscode-python-envs";

export interface FolderPython {
  readonly folder: vscode.WorkspaceFolder;
  readonly venvPython: string;
  readonly version?: string;
  readonly provenance?: Provenance;
}

export class PythonExtensions implements vscode.Disposable {
  private python?: Promise<PythonExtension | undefined>;
  private envs?: Promise<HybridEnvironmentsBridge | undefined>;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Whether ms-python.python is installed (its settings, like python.envFile, exist). */
  get hasPythonExtension(): boolean {
    return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
  }

  async select(target: FolderPython): Promise<void> {
    const [python, envs] = await Promise.all([this.pythonApi(), this.envsBridge()]);
    if (python) {
      await python.environments.updateActiveEnvironmentPath(target.venvPython, target.folder.uri);
      this.log.info(`Python extension: selected ${target.venvPython} for ${target.folder.name}`);
    }
    if (envs) await envs.publish(target);
  }

  async forget(folder: vscode.WorkspaceFolder): Promise<void> {
    const envs = await this.envs;
    envs?.withdraw(folder);
  }

  private pythonApi(): Promise<PythonExtension | undefined> {
    this.python ??= this.connect("Python", PYTHON_EXTENSION_ID, () => PythonExtension.api());
    return this.python;
  }

  private envsBridge(): Promise<HybridEnvironmentsBridge | undefined> {
    this.envs ??= this.connect("Python Environments", PYTHON_ENVS_EXTENSION_ID, async () => {
      const ext = vscode.extensions.getExtension<PythonEnvironmentApi>(PYTHON_ENVS_EXTENSION_ID)!;
      const api = ext.isActive ? ext.exports : await ext.activate();
      return new HybridEnvironmentsBridge(api, this.log);
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
    void this.envs?.then((b) => b?.dispose());
  }
}
