// Commands on one package, from the Packages view's context menu, the provenance pick or other
// code: copy its requirement, reveal its metadata folder.
import * as vscode from "vscode";
import { normalizeName } from "../core/packageName";
import type { PackageRecord } from "../core/provenance";
import type { FolderRegistry } from "../folders/model";
import { requirementOf, type PackageRowNode } from "../views/packagesTree";
import type { CommandSpec } from "./registry";

/** A tree row (what view/item/context menus pass), a record, or a package name in the active folder. */
export type PackageArg = PackageRowNode | PackageRecord | string | undefined;

export function packageCommands(registry: FolderRegistry): Record<"copyRequirement" | "revealPackage", CommandSpec> {
  return {
    copyRequirement: {
      run: async (arg?: unknown) => {
        const record = resolvePackage(registry, arg as PackageArg);
        if (record) await copyRequirement(record);
      },
    },
    revealPackage: {
      run: async (arg?: unknown) => {
        const record = resolvePackage(registry, arg as PackageArg);
        if (record) await revealMetadata(record);
      },
    },
  };
}

function resolvePackage(registry: FolderRegistry, arg: PackageArg): PackageRecord | undefined {
  if (typeof arg === "object" && arg !== null) {
    if ("record" in arg) return arg.record;
    if (typeof arg.metadataPath === "string") return arg;
  }
  if (typeof arg === "string" && arg.trim() !== "") {
    const name = normalizeName(arg.trim());
    // By name: the copy Python imports, the one a requirement or a reveal is usually about.
    const found = registry.active()?.provenance?.packages.find((p) => p.name === name && !p.shadowedBy);
    if (found) return found;
    void vscode.window.showWarningMessage(`No package named ${arg} in the active folder's environment.`);
    return undefined;
  }
  void vscode.window.showWarningMessage("Choose a package in the Packages view first.");
  return undefined;
}

async function copyRequirement(record: PackageRecord): Promise<void> {
  const requirement = requirementOf(record);
  await vscode.env.clipboard.writeText(requirement);
  // Transient confirmation; the status bar message disposes itself after the timeout.
  vscode.window.setStatusBarMessage(`$(copy) Copied ${requirement}`, 3000);
}

async function revealMetadata(record: PackageRecord): Promise<void> {
  const uri = vscode.Uri.file(record.metadataPath);
  if (vscode.workspace.getWorkspaceFolder(uri)) {
    // Usually the project's .venv: the Explorer is closer at hand than the OS file manager.
    await vscode.commands.executeCommand("revealInExplorer", uri);
    return;
  }
  // In a remote window the path is on the remote machine: no local file manager can show it.
  if (vscode.env.remoteName === undefined) {
    try {
      await vscode.commands.executeCommand("revealFileInOS", uri);
      return;
    } catch {
      // No file manager (headless, sandboxed): fall through to showing the path.
    }
  }
  const choice = await vscode.window.showInformationMessage(
    `${record.name} ${record.version} is in ${record.metadataPath}`,
    "Copy Path",
  );
  if (choice === "Copy Path") await vscode.env.clipboard.writeText(record.metadataPath);
}
