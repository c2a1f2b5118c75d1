// The status bar and the Packages view both follow one folder: the registry's active one. This
// merges "another folder became active" and "the active folder changed" into one event.
import * as vscode from "vscode";
import type { FolderRegistry, FolderSnapshot } from "../folders/model";

export function onActiveFolderChanged(
  registry: FolderRegistry,
  listener: (active: FolderSnapshot | undefined) => void,
): vscode.Disposable {
  return vscode.Disposable.from(
    registry.onDidChangeActive(() => listener(registry.active())),
    registry.onDidChange((changed) => {
      // Other folders load in the background; their changes are not shown.
      const active = registry.active();
      if (active && active.folder.uri.toString() === changed.folder.uri.toString()) listener(active);
    }),
  );
}
