// Which folder a command acts on: an explicit Uri, else the active editor's folder (or the only
// project folder), else the user picks among the candidates of a multi-root workspace.
import * as vscode from "vscode";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import type { FolderSnapshot } from "../folders/model";
import type { WorkspaceEnvironments } from "../folders/workspaceEnvironments";

export interface FolderPickOptions {
  /** Which project folders the command can act on (default: all). */
  readonly which?: (snapshot: FolderSnapshot) => boolean;
  readonly placeHolder?: string;
}

export async function pickFolder(envs: WorkspaceEnvironments, uri: vscode.Uri | undefined, options: FolderPickOptions = {}): Promise<FolderEnvironment | undefined> {
  if (uri) return envs.folderFor(uri);
  const candidates = envs.all().filter(options.which ?? (() => true));
  if (candidates.length <= 1 || vscode.window.activeTextEditor) return envs.activeFolder();
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: s.folder.name, description: s.project.kind, uri: s.folder.uri })),
    { placeHolder: options.placeHolder ?? "Which folder?" },
  );
  return picked ? envs.folderFor(picked.uri) : undefined;
}
