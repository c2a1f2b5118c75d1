// A "Hybrid (Nix + uv) · <folder>" Jupyter kernelspec for each entered folder, rewritten after each
// load and removed on Exit (core/jupyterKernel.ts writes it in the user's Jupyter data folder, where
// VS Code's Jupyter extension, JupyterLab and nbclient all find it). It starts the venv's
// interpreter, whose Python layer brings Nix's packages and native libraries.
//
// Only when ipykernel is importable there: decided from the provenance scan the load already made
// (no process on the warm path). Without it a kernelspec would offer a kernel that cannot start,
// so the folder gets none, and the log says once how to add it.
import type { WorkspaceFolder } from "vscode";
import type { LogChannel } from "../common/logger";
import { KERNEL_DISPLAY_PREFIX, kernelSpecLocation, removeKernelSpec, writeKernelSpec, type EnvLike } from "../core/jupyterKernel";
import type { Provenance } from "../core/provenance";
import type { FolderPython } from "./integration";

export function hasIpykernel(provenance: Provenance | undefined): boolean {
  return (provenance?.packages ?? []).some((p) => p.name === "ipykernel");
}

export class JupyterKernels {
  private readonly told = new Set<string>();
  private readonly registered = new Set<string>();

  constructor(
    private readonly log: LogChannel,
    private readonly env: EnvLike = process.env,
  ) {}

  /** After a load: the folder's kernelspec written, or (no ipykernel) removed. Never throws. */
  sync(target: FolderPython): void {
    const folder = target.folder.uri.fsPath;
    const key = target.folder.uri.toString();
    try {
      if (!hasIpykernel(target.provenance)) {
        if (removeKernelSpec(folder, this.env)) this.log.info(`[${target.folder.name}] Jupyter kernel removed: ipykernel is no longer in the environment`);
        this.registered.delete(key);
        if (!this.told.has(key)) {
          this.told.add(key);
          this.log.info(`[${target.folder.name}] no "${KERNEL_DISPLAY_PREFIX}" Jupyter kernel: ipykernel is not in the environment (add it with \`uv add --dev ipykernel\`, or to the flake's Python packages, then reload)`);
        }
        return;
      }
      const where = writeKernelSpec(folder, target.venvPython, this.env);
      if (!this.registered.has(key)) this.log.info(`[${target.folder.name}] Jupyter kernel "${KERNEL_DISPLAY_PREFIX} · ${target.folder.name}" registered (${where.file})`);
      this.registered.add(key);
    } catch (e) {
      this.log.warn(`[${target.folder.name}] Jupyter kernel: ${(e as Error).message}`);
    }
  }

  /** Exit: the folder's kernelspec goes (only ours: core/jupyterKernel.ts checks its metadata). */
  remove(folder: WorkspaceFolder): void {
    this.registered.delete(folder.uri.toString());
    try {
      if (removeKernelSpec(folder.uri.fsPath, this.env)) this.log.info(`[${folder.name}] Jupyter kernel removed (${kernelSpecLocation(folder.uri.fsPath, this.env).dir})`);
    } catch (e) {
      this.log.warn(`[${folder.name}] Jupyter kernel: ${(e as Error).message}`);
    }
  }
}
