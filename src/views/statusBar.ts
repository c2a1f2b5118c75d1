// The "Hybrid Env" status bar item: the active folder's state and package counts at a glance, the
// details in its tooltip, the provenance quick pick on click. Wording lives in statusText.ts.
import * as vscode from "vscode";
import type { FolderRegistry, FolderSnapshot } from "../folders/model";
import { onActiveFolderChanged } from "./activeFolder";
import { presentStatus, statusFactsOf, TOOLTIP_COMMANDS } from "./statusText";

export const STATUS_ITEM_ID = "hybridEnv.status";

const BACKGROUNDS = {
  none: undefined,
  warning: new vscode.ThemeColor("statusBarItem.warningBackground"),
  error: new vscode.ThemeColor("statusBarItem.errorBackground"),
} as const;

export function createStatusBar(registry: FolderRegistry): vscode.Disposable {
  // Left, next to other environment indicators; priority keeps it after the remote indicator.
  const item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
  item.name = "Hybrid Env";
  item.command = "hybridEnv.showProvenance";
  const show = (snapshot: FolderSnapshot | undefined) => {
    // No project folder: nothing to report, and an idle item would only take room.
    if (!snapshot) {
      item.hide();
      return;
    }
    const status = presentStatus(statusFactsOf(snapshot));
    item.text = status.text;
    item.accessibilityInformation = { label: status.accessibilityLabel };
    const tooltip = new vscode.MarkdownString(status.tooltip, true);
    tooltip.isTrusted = { enabledCommands: [...TOOLTIP_COMMANDS] };
    item.tooltip = tooltip;
    item.backgroundColor = BACKGROUNDS[status.severity];
    item.show();
  };
  const subscription = onActiveFolderChanged(registry, show);
  show(registry.active());
  return vscode.Disposable.from(subscription, item);
}
