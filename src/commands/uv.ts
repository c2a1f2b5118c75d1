// Add uv Package… (`uv add` on the folder's interpreter, in the folder's environment) and Reset
// venv… (delete the venv, after a question that names it and its size, then sync it again).
import { channelLogger } from "../common/logger";
import { engineOptions, readConfig } from "../config/config";
import { isValidRequirement } from "../core/packageName";
import { ProcessRunner } from "../core/process";
import { findUv, pathDirs } from "../core/tools";
import { uvAdd } from "../core/uv";
import { skippedPackages } from "../core/nixProvided/report";
import { checkVenvDeletable, deleteVenv, folderSize } from "../core/venv";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import { withFolder, type CommandContext } from "./context";
import type { CommandSpec } from "./registry";

const VENV_FOLDERS = { which: (s: { project: { kind: string } }) => s.project.kind !== "nix-only", noneMessage: "No folder of this workspace has a pyproject.toml: there is no uv project." };

export function uvCommands(ctx: CommandContext): Record<"addUvPackage" | "resetVenv", CommandSpec> {
  return {
    addUvPackage: { run: withFolder(ctx, (owner, requirement) => addUvPackage(ctx, owner, typeof requirement === "string" ? requirement : undefined), VENV_FOLDERS) },
    resetVenv: { run: withFolder(ctx, (owner, options) => resetVenv(ctx, owner, isConfirmed(options)), VENV_FOLDERS) },
  };
}

export async function addUvPackage(ctx: CommandContext, owner: FolderEnvironment, given?: string): Promise<void> {
  const requirement = (
    given ??
    (await ctx.apis.window.showInputBox({
      title: `Add a uv package to ${owner.folder.name}`,
      prompt: "A PyPI requirement: a name, optionally with extras and a version (numpy>=1.26, uvicorn[standard])",
      validateInput: (v) => (isValidRequirement(v.trim()) ? undefined : "Not a package requirement: letters, digits, . _ -, [extras], and a version specifier"),
    }))
  )?.trim();
  if (!requirement) return;
  const snapshot = owner.snapshot;
  const config = readConfig(ctx.apis.workspace, owner.folder);
  const env = snapshot.resolved ?? ctx.hostEnv;
  // Before the progress: uv missing is an error with Install and Configure, not a flash of progress.
  const uv = findUv(config.uvPath, pathDirs(env), ctx.hostEnv);
  const runner = new ProcessRunner(channelLogger(ctx.log, `[${owner.folder.name}] `));
  await ctx.apis.window.withProgress({ where: "notification", title: `uv add ${requirement}`, cancellable: true }, (_report, signal) =>
    uvAdd(runner, {
      uv,
      dir: owner.folder.uri.fsPath,
      python: snapshot.environment?.python.uvInterpreter,
      venvDir: snapshot.project.venvDir,
      env,
      requirement,
      // uv add syncs too: what the load leaves to Nix stays out.
      noInstall: skippedPackages(snapshot.environment?.nixProvided).map((p) => p.name),
      signal,
      timeoutMs: engineOptions(config).uvTimeoutMs,
    }),
  );
  await owner.enter("user");
}

/** `{ confirmed: true }` lets another extension (or a test: VS Code refuses modal dialogs there) skip the question. */
function isConfirmed(options: unknown): boolean {
  return typeof options === "object" && options !== null && (options as { confirmed?: unknown }).confirmed === true;
}

export function resetVenvQuestion(folderName: string, venvDir: string, size: { bytes: number; complete: boolean }) {
  const mb = `${(size.bytes / 1e6).toFixed(1)} MB${size.complete ? "" : "+"}`;
  return {
    message: `Delete the venv of "${folderName}" and sync it again?`,
    detail: `${venvDir} (${mb}) will be deleted, then uv sync recreates it.`,
  };
}

async function resetVenv(ctx: CommandContext, owner: FolderEnvironment, confirmed: boolean): Promise<void> {
  const { dir, venvDir } = owner.snapshot.project;
  // Throws UnsafePathError (a symlink, a folder outside the project …): shown by the registry.
  checkVenvDeletable(dir, venvDir);
  if (!confirmed) {
    const question = resetVenvQuestion(owner.folder.name, venvDir, folderSize(venvDir));
    if ((await ctx.apis.window.askModal(question.message, question.detail, "Delete and Sync")) !== "Delete and Sync") return;
  }
  deleteVenv(dir, venvDir);
  await owner.reload("user");
}
