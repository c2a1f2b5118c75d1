// The Packages view (hybridEnv.packages): the active folder's packages grouped by where Python
// imports them from. The tree model is rebuilt only when the folder's provenance object changes;
// state changes (loading, stale, failed) only touch the view's message.
import * as vscode from "vscode";
import { normalizeName } from "../core/packageName";
import type { Provenance } from "../core/provenance";
import type { FolderRegistry } from "../folders/model";
import { onActiveFolderChanged } from "./activeFolder";
import { buildNativeGroup, type NativeGroupNode, type NativeRowNode } from "./nativeLibrariesTree";
import type { NativeProblemsSource } from "./nativeLibrariesView";
import type { NativeProblem } from "./nativeProblems";
import { buildPackagesTree, type PackageGroupNode, type PackageRowNode, type PackagesTree } from "./packagesTree";
import { namedDevShell, packagesViewMessage, statusFactsOf } from "./statusText";

export type PackageNode = PackageGroupNode | PackageRowNode | NativeGroupNode | NativeRowNode;

export const PACKAGES_VIEW_ID = "hybridEnv.packages";

/** Groups this small start expanded; bigger ones would bury the Shadowed group below them. */
const EXPAND_UP_TO = 50;

export function registerPackagesView(registry: FolderRegistry, native?: NativeProblemsSource): PackagesView {
  return new PackagesView(registry, native);
}

export class PackagesView implements vscode.TreeDataProvider<PackageNode>, vscode.Disposable {
  private readonly treeChanged = new vscode.EventEmitter<PackageNode | undefined>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly view: vscode.TreeView<PackageNode>;
  private readonly disposables: vscode.Disposable[];
  private tree: PackagesTree = buildPackagesTree(undefined);
  /** The provenance `tree` was built from; identity tells whether a rebuild is due. */
  private treeSource: Provenance | undefined;
  /** The active folder's missing native libraries, after the package groups. */
  private nativeGroup: NativeGroupNode | undefined;
  private nativeSource: readonly NativeProblem[] | undefined;

  constructor(
    private readonly registry: FolderRegistry,
    private readonly native?: NativeProblemsSource,
  ) {
    this.view = vscode.window.createTreeView(PACKAGES_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables = [
      this.view,
      this.treeChanged,
      onActiveFolderChanged(registry, () => this.update()),
      // The folder name is shown only in multi-root workspaces.
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.update()),
      ...(native ? [native.onDidChange(() => this.update())] : []),
    ];
    this.update();
  }

  /** Selects a package's row (the copy Python imports); false when the active folder has none. */
  async revealPackage(name: string): Promise<boolean> {
    const row = this.tree.rowFor(normalizeName(name));
    if (!row) return false;
    await this.view.reveal(row, { select: true, focus: true });
    return true;
  }

  getTreeItem(node: PackageNode): vscode.TreeItem {
    if (node.kind === "nativeGroup" || node.kind === "nativeLibrary") return nativeTreeItem(node);
    if (node.kind === "group") {
      const expanded = node.group === "shadowed" || node.children.length <= EXPAND_UP_TO;
      const item = new vscode.TreeItem(
        node.label,
        expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = node.id;
      item.contextValue = `group.${node.group}`;
      return item;
    }
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.contextValue = `package.${node.group}${node.leftToNix ? `.${node.leftToNix}` : ""}`;
    item.iconPath =
      node.group === "shadowed"
        ? new vscode.ThemeIcon("warning", new vscode.ThemeColor("list.warningForeground"))
        : node.lockDrift || node.nixMismatch
          ? new vscode.ThemeIcon("package", new vscode.ThemeColor("list.warningForeground"))
          : new vscode.ThemeIcon("package");
    // The tooltip is left to resolveTreeItem: only hovered rows pay for a MarkdownString.
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: PackageNode): vscode.TreeItem {
    if (node.kind === "package" || node.kind === "nativeLibrary") {
      const tooltip = new vscode.MarkdownString(node.tooltip, true);
      item.tooltip = tooltip;
    }
    return item;
  }

  getChildren(node?: PackageNode): PackageNode[] {
    // The precomputed arrays go out as they are: VS Code's type says mutable but it only reads them.
    if (!node) return this.nativeGroup ? [...this.tree.roots, this.nativeGroup] : (this.tree.roots as PackageNode[]);
    return node.kind === "group" || node.kind === "nativeGroup" ? (node.children as PackageNode[]) : [];
  }

  getParent(node: PackageNode): PackageNode | undefined {
    return node.kind === "package" || node.kind === "nativeLibrary" ? node.parent : undefined;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }

  private update(): void {
    const snapshot = this.registry.active();
    // Idle means exited or never entered: nothing is applied, so nothing is listed.
    const provenance = snapshot && snapshot.state !== "idle" ? snapshot.provenance : undefined;
    const problems = snapshot && snapshot.state !== "idle" && this.native ? this.native.problemsFor(snapshot.folder.uri) : [];
    // The source keeps one array per report: identity tells a new report (two empty ones are the same).
    const nativeChanged = problems !== this.nativeSource && !(problems.length === 0 && (this.nativeSource?.length ?? 0) === 0);
    if (provenance !== this.treeSource || nativeChanged) {
      this.treeSource = provenance;
      this.tree = buildPackagesTree(provenance);
      this.nativeSource = problems;
      this.nativeGroup = buildNativeGroup(problems);
      this.treeChanged.fire(undefined);
    }
    const message = snapshot ? packagesViewMessage(statusFactsOf(snapshot)) : undefined;
    if (this.view.message !== message) this.view.message = message;
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const description = snapshot && multiRoot ? snapshot.folder.name : undefined;
    if (this.view.description !== description) this.view.description = description;
    // In the title, not the description: a container's only view shows its title in the side
    // bar's title and its description nowhere.
    const shell = snapshot ? namedDevShell(snapshot) : undefined;
    const title = shell ? `Packages · devShell ${shell}` : "Packages";
    if (this.view.title !== title) this.view.title = title;
  }
}

/** The "Native libraries" group and its rows (their tooltip is left to resolveTreeItem). */
function nativeTreeItem(node: NativeGroupNode | NativeRowNode): vscode.TreeItem {
  if (node.kind === "nativeGroup") {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    item.contextValue = "group.native";
    item.iconPath = new vscode.ThemeIcon("error", new vscode.ThemeColor("list.errorForeground"));
    return item;
  }
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.description;
  item.contextValue = node.fixable ? "nativeLibrary.fixable" : "nativeLibrary";
  item.iconPath = new vscode.ThemeIcon(node.problem.severity === "error" ? "error" : "warning", new vscode.ThemeColor(node.problem.severity === "error" ? "list.errorForeground" : "list.warningForeground"));
  return item;
}
