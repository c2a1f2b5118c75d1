// What a folder's state machine asks of the Python extensions, as an interface (types only): the
// real facade is PythonExtensions (pythonExtensions.ts); unit tests of FolderEnvironment pass a
// recording fake.
import type { WorkspaceFolder } from "vscode";
import type { Mutation } from "../core/mutations";
import type { Provenance } from "../core/provenance";

export interface FolderPython {
  readonly folder: WorkspaceFolder;
  readonly venvPython: string;
  readonly version?: string;
  readonly provenance?: Provenance;
}

export type EnvFileOutcome = "written" | "skipped-user-setting" | "no-venv";

export interface PythonIntegration {
  /** Whether ms-python.python is installed (its settings, like python.envFile, exist). */
  readonly hasPythonExtension: boolean;
  /** Selects the venv's interpreter for the folder in both Python extensions. */
  select(target: FolderPython): Promise<void>;
  /** Undoes select: the interpreter the folder had before, no hybrid environment listed. */
  forget(folder: WorkspaceFolder): Promise<void>;
  /** Writes the env file and points python.envFile at it (see envFile.ts). */
  installEnvFile(folder: WorkspaceFolder, venvDir: string, mutations: readonly Mutation[], resolved: Readonly<Record<string, string>>): Promise<EnvFileOutcome>;
  removeEnvFile(folder: WorkspaceFolder, venvDir: string): Promise<void>;
}
