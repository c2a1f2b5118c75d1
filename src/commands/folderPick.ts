// Which folder a command acts on: an explicit Uri; else the active editor's folder when it is one
// the command can act on; else the only such folder; else the user picks among them. A folder that
// fails the command's filter is never chosen for it (Add Nix Package on a uv-only active folder
// picks the workspace's flake folder instead of failing with "has no flake.nix").
import type { Uri } from "vscode";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import type { FolderSnapshot } from "../folders/model";
import type { WindowApis } from "../platform/apis";

export interface FolderPickOptions {
  /** Which project folders the command can act on (default: all). */
  readonly which?: (snapshot: FolderSnapshot) => boolean;
  readonly placeHolder?: string;
  /** Thrown (as the command's failure) when no folder passes `which`; without it: undefined. */
  readonly noneMessage?: string;
}

/** The registry, as much as a pick needs. */
export interface FolderOwners {
  folderFor(uri: Uri | undefined): FolderEnvironment | undefined;
  activeFolder(): FolderEnvironment | undefined;
  owners(): readonly FolderEnvironment[];
}

export async function pickFolder(
  envs: FolderOwners,
  window: Pick<WindowApis, "activeEditorUri" | "showQuickPick">,
  uri: Uri | undefined,
  options: FolderPickOptions = {},
): Promise<FolderEnvironment | undefined> {
  if (uri) return envs.folderFor(uri);
  const which = options.which ?? (() => true);
  const candidates = envs.owners().filter((o) => which(o.snapshot));
  if (candidates.length === 0) {
    if (options.noneMessage) throw new Error(options.noneMessage);
    return undefined;
  }
  const editorFolder = envs.folderFor(window.activeEditorUri());
  if (editorFolder && candidates.includes(editorFolder)) return editorFolder;
  if (candidates.length === 1) return candidates[0];
  const picked = await window.showQuickPick(
    candidates.map((o) => ({ label: o.folder.name, description: o.snapshot.project.kind, owner: o })),
    { placeHolder: options.placeHolder ?? "Which folder?" },
  );
  return picked?.owner;
}
