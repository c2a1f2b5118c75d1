// "Show Package Provenance": every package copy of the active folder in one searchable list (type a
// name, see where it comes from and whether it is shadowed), with the folder's actions on top.
import * as vscode from "vscode";
import type { PackageRecord } from "../core/provenance";
import type { FolderRegistry, FolderSnapshot } from "../folders/model";
import { copyLabel, hasUvLock, lockNote, sortPackages } from "./packagesTree";

interface ActionItem extends vscode.QuickPickItem {
  readonly command: string;
  /** The folder the list shows, so that a multi-root workspace does not ask which one. */
  readonly folder?: vscode.Uri;
}

interface PackageItem extends vscode.QuickPickItem {
  readonly record: PackageRecord;
}

type ProvenanceItem = ActionItem | PackageItem | vscode.QuickPickItem;

export async function showProvenancePick(registry: FolderRegistry): Promise<void> {
  const snapshot = registry.active();
  const packages = snapshot && snapshot.state !== "idle" ? sortPackages(snapshot.provenance?.packages ?? []) : [];
  const pick = vscode.window.createQuickPick<ProvenanceItem>();
  pick.title = snapshot ? `Package Provenance · ${snapshot.folder.name}` : "Package Provenance";
  pick.placeholder = packages.length > 0 ? "Search a package to see where it comes from" : "No packages: the environment is not loaded";
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = [
    { label: "Actions", kind: vscode.QuickPickItemKind.Separator },
    ...actionItems(snapshot),
    ...(packages.length > 0 ? [{ label: `Packages (${packages.length})`, kind: vscode.QuickPickItemKind.Separator }] : []),
    ...packageItems(packages),
  ];

  const chosen = await new Promise<ProvenanceItem | undefined>((resolve) => {
    const listeners = [
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]);
        pick.hide();
      }),
      // Resolving twice (accept, then the hide it causes) is harmless: the first value stays.
      pick.onDidHide(() => {
        resolve(undefined);
        for (const l of listeners) l.dispose();
        pick.dispose();
      }),
    ];
    pick.show();
  });

  if (chosen && "command" in chosen) {
    await (chosen.folder ? vscode.commands.executeCommand(chosen.command, chosen.folder) : vscode.commands.executeCommand(chosen.command));
  }
  else if (chosen && "record" in chosen) await showPackageDetails(chosen.record);
}

function actionItems(snapshot: FolderSnapshot | undefined): ActionItem[] {
  const items: ActionItem[] = [];
  if (snapshot) {
    const folder = snapshot.folder.uri;
    items.push(
      snapshot.state === "idle"
        ? { label: "$(play) Enter Hybrid Environment", command: "hybridEnv.enter", folder }
        : { label: "$(refresh) Reload", command: "hybridEnv.reload", folder },
    );
    if (snapshot.project.kind !== "nix-only") items.push({ label: "$(trash) Reset venv…", command: "hybridEnv.resetVenv", folder });
    if (snapshot.project.kind !== "uv-only") {
      items.push({ label: "$(terminal) Choose devShell…", description: snapshot.project.devShell, command: "hybridEnv.chooseDevShell", folder });
    }
  }
  items.push({ label: "$(output) Show log", command: "hybridEnv.showLog" });
  return items;
}

function packageItems(packages: readonly PackageRecord[]): PackageItem[] {
  const lockKnown = hasUvLock(packages);
  return packages.map((record) => {
    const notes = [`${record.version} · ${record.source}`];
    if (record.shadowedBy) notes.push(`shadowed by ${copyLabel(record.shadowedBy)}`);
    const lock = lockKnown ? lockNote(record) : undefined;
    if (lock) notes.push(lock);
    return {
      label: record.name,
      description: notes.join(" · "),
      detail: record.location,
      iconPath: new vscode.ThemeIcon(record.shadowedBy || lock ? "warning" : "package"),
      record,
    };
  });
}

async function showPackageDetails(record: PackageRecord): Promise<void> {
  const from = record.source === "nix" ? "Nix" : "uv";
  const winner = record.shadowedBy;
  const shadow = winner ? ` Python imports ${copyLabel(winner)} from ${winner.location} instead.` : "";
  const choice = await vscode.window.showInformationMessage(
    `${record.name} ${record.version} comes from ${from}: ${record.location}.${shadow}`,
    "Reveal",
  );
  if (choice === "Reveal") await vscode.commands.executeCommand("hybridEnv.revealPackage", record);
}
