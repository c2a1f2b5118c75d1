// What a folder's state machine asks of the Python side, as an interface (types only): the real
// facade is PythonExtensions (pythonExtensions.ts); unit tests of FolderEnvironment pass a
// recording fake.
import type { WorkspaceFolder } from "vscode";
import type { Provenance } from "../core/provenance";

export interface FolderPython {
  readonly folder: WorkspaceFolder;
  readonly venvPython: string;
  readonly version?: string;
  readonly provenance?: Provenance;
}

export interface PythonIntegration {
  /**
   * After each load: selects the venv's interpreter for the folder in both Python extensions and
   * registers its Jupyter kernel. No settings of the user's are written (see README).
   */
  select(target: FolderPython): Promise<void>;
  /** Exit: the interpreter the folder had before, no hybrid environment listed, no kernel. */
  forget(folder: WorkspaceFolder): Promise<void>;
}
