// "Create Hybrid Project": writes the template (src/core/template.ts) into a folder, never
// overwriting a file, runs `git add -N` on the new files when the folder is in a git repository,
// then offers to enter the environment (a workspace folder) or to open the folder (any other).
//
// Arguments, for the palette, the Packages view's welcome button, other extensions and tests:
//   hybridEnv.createProject([folder: Uri], [options: { enter?: boolean }])
// Without a folder: the workspace's only folder, a pick among several, or (empty window) a folder
// chosen with the open dialog. `{ enter: false }` writes and tracks only and asks nothing
// afterwards (VS Code refuses modal dialogs in extension tests). The command resolves to a
// CreateProjectResult once the files are written and tracked, not when a question is answered.
import { statSync } from "node:fs";
import { basename } from "node:path";
import * as vscode from "vscode";
import { detectProject } from "../core/detect";
import { ProcessRunner } from "../core/process";
import { describeOutcome, trackNewFiles, writeTemplate, type TemplateOutcome, type TrackOutcome } from "../core/template";
import { channelLogger } from "../common/logger";
import { isUri } from "../platform/apis";
import type { CommandContext } from "./context";
import type { CommandSpec } from "./registry";

export interface CreateProjectOptions {
  /** false: write and track only, ask nothing afterwards (neither Enter nor Open Folder). */
  readonly enter?: boolean;
}

export interface CreateProjectResult extends TemplateOutcome {
  readonly git: TrackOutcome;
  /** The notification's text. */
  readonly message: string;
  /** Whether the folder is one of the workspace's folders. */
  readonly inWorkspace: boolean;
}

export function createProjectCommand(ctx: CommandContext): CommandSpec {
  return {
    run: async (arg?: unknown, more?: unknown) => {
      const uri = isUri(arg) ? arg : undefined;
      const options = parseOptions(uri ? more : arg);
      const folder = uri ?? (await chooseFolder());
      if (!folder) return undefined;
      return createProject(ctx, folder, options);
    },
  };
}

function parseOptions(value: unknown): CreateProjectOptions {
  if (typeof value !== "object" || value === null) return {};
  const enter = (value as { enter?: unknown }).enter;
  return typeof enter === "boolean" ? { enter } : {};
}

async function chooseFolder(): Promise<vscode.Uri | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file");
  if (folders.length === 1) return folders[0]!.uri;
  if (folders.length > 1) {
    const active = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
    const ordered = active ? [active, ...folders.filter((f) => f !== active)] : folders;
    const other = { label: "$(folder-opened) Another folder…", uri: undefined as vscode.Uri | undefined };
    const picked = await vscode.window.showQuickPick(
      [...ordered.map((f) => ({ label: f.name, description: f.uri.fsPath, uri: f.uri as vscode.Uri | undefined })), other],
      { placeHolder: "Create the hybrid project in which folder?" },
    );
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: "Create Hybrid Project Here",
    title: "Folder for the new hybrid project (flake.nix, pyproject.toml, .gitignore)",
  });
  return chosen?.[0];
}

export async function createProject(deps: CommandContext, folder: vscode.Uri, options: CreateProjectOptions = {}): Promise<CreateProjectResult> {
  if (folder.scheme !== "file") throw new Error(`Create Hybrid Project needs a folder on disk, not ${folder.toString()}`);
  const dir = folder.fsPath;
  let isDir = true;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // Missing: writeTemplate creates it.
  }
  if (!isDir) throw new Error(`${dir} is not a folder`);

  const log = channelLogger(deps.log, `[${basename(dir)}] `);
  const outcome = writeTemplate(dir);
  for (const f of outcome.created) log.info(`created ${f}`);
  for (const f of outcome.appended) log.info(`appended .venv/ to ${f}`);
  for (const s of outcome.skipped) log.info(`skipped ${s.file}: ${s.reason}`);

  const git = await trackNewFiles(dir, outcome.created, { runner: new ProcessRunner(log), env: deps.hostEnv });
  if (git.error) log.warn(`git add -N: ${git.error}`);
  let message = describeOutcome(outcome);
  if (git.tracked.length > 0) message += " New files are tracked with git add -N, so Nix sees them.";
  if (git.error) message += ` git add -N failed (${git.error}): Nix will not see untracked files.`;

  const workspaceFolder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file" && f.uri.fsPath === outcome.dir);
  // The folder was no project when it opened: register it now, or Enter would find nothing.
  if (workspaceFolder) deps.envs.refresh(workspaceFolder.uri);
  const result: CreateProjectResult = { ...outcome, git, message, inWorkspace: workspaceFolder !== undefined };

  if (options.enter === false) {
    void vscode.window.showInformationMessage(message);
  } else if (workspaceFolder) {
    void offerEnter(deps, workspaceFolder, message);
  } else {
    void offerOpen(vscode.Uri.file(outcome.dir), message);
  }
  return result;
}

async function offerEnter(deps: CommandContext, folder: vscode.WorkspaceFolder, message: string): Promise<void> {
  if (detectProject(folder.uri.fsPath, "default").kind !== "hybrid") {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const answer = await vscode.window.showInformationMessage(`${message} Enter the hybrid environment now?`, "Enter", "Not now");
  if (answer !== "Enter") return;
  if (!deps.envs.folderFor(folder.uri)) {
    deps.log.warn(`${folder.name} is not registered as a project yet: reload the window to enter it`);
  }
  await vscode.commands.executeCommand("hybridEnv.enter", folder.uri);
}

async function offerOpen(folder: vscode.Uri, message: string): Promise<void> {
  const hasWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const actions = hasWorkspace ? ["Open Folder", "Add to Workspace"] : ["Open Folder"];
  const answer = await vscode.window.showInformationMessage(`${message} Open the folder to enter its environment?`, ...actions);
  if (answer === "Open Folder") await vscode.commands.executeCommand("vscode.openFolder", folder);
  if (answer === "Add to Workspace") {
    const at = vscode.workspace.workspaceFolders?.length ?? 0;
    vscode.workspace.updateWorkspaceFolders(at, 0, { uri: folder });
  }
}
