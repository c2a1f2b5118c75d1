// The commands of the palette, the views and the status bar. Each resolves its folder (an explicit
// Uri, the active editor's folder, or a pick in a multi-root workspace) and delegates to the
// folder's owner or to the engine.
import * as vscode from "vscode";
import { engineOptions, readConfig } from "../config/config";
import { HybridEnvError } from "../core/errors";
import { isValidRequirement } from "../core/packageName";
import { ProcessRunner } from "../core/process";
import { findUv, pathDirs } from "../core/tools";
import { uvAdd } from "../core/uv";
import { checkVenvDeletable, deleteVenv, folderSize } from "../core/venv";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import { pickFolder } from "./folderPick";
import { channelLogger } from "../common/logger";
import { showProvenancePick } from "../views/provenancePick";
import type { WorkspaceEnvironments } from "../folders/workspaceEnvironments";

export function registerCommands(envs: WorkspaceEnvironments, log: vscode.LogOutputChannel): vscode.Disposable {
  const on = (id: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (e) {
        log.error(`${id}: ${(e as Error).message}`);
        void vscode.window.showErrorMessage(`Hybrid Env: ${(e as Error).message}`);
      }
    });
  // Arguments: an optional folder Uri first, then the command's own (e.g. a requirement).
  const withFolder = (run: (owner: FolderEnvironment, ...rest: unknown[]) => unknown) => async (arg?: unknown, ...rest: unknown[]) => {
    const uri = arg instanceof vscode.Uri ? arg : undefined;
    const owner = await pickFolder(envs, uri);
    if (owner) await run(owner, ...(uri ? rest : [arg, ...rest]));
  };

  return vscode.Disposable.from(
    on("hybridEnv.enter", withFolder(async (owner) => {
      await envs.choices.set(owner.folder, "enter");
      await owner.enter();
    })),
    on("hybridEnv.exit", withFolder(async (owner) => {
      await envs.choices.set(owner.folder, undefined);
      await owner.exit();
    })),
    on("hybridEnv.reload", withFolder((owner) => (owner.entered ? owner.reload() : owner.enter()))),
    on("hybridEnv.addUvPackage", withFolder((owner, requirement) => addUvPackage(owner, log, typeof requirement === "string" ? requirement : undefined))),
    on("hybridEnv.resetVenv", withFolder((owner, options) => resetVenv(owner, isConfirmed(options)))),
    on("hybridEnv.showLog", () => log.show(true)),
    on("hybridEnv.showProvenance", () => showProvenancePick(envs)),
  );
}

async function addUvPackage(owner: FolderEnvironment, log: vscode.LogOutputChannel, given?: string): Promise<void> {
  const requirement =
    given ??
    (await vscode.window.showInputBox({
      title: `Add a uv package to ${owner.folder.name}`,
      prompt: "A PyPI requirement: a name, optionally with extras and a version (numpy>=1.26, uvicorn[standard])",
      validateInput: (v) => (isValidRequirement(v.trim()) ? undefined : "Not a package requirement: letters, digits, . _ -, [extras], and a version specifier"),
    }));
  if (!requirement) return;
  const snapshot = owner.snapshot;
  const config = readConfig(owner.folder);
  const env = snapshot.resolved ?? process.env;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `uv add ${requirement.trim()}`, cancellable: true }, async (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    await uvAdd(new ProcessRunner(channelLogger(log, `[${owner.folder.name}] `)), {
      uv: findUv(config.uvPath, pathDirs(env), process.env),
      dir: owner.folder.uri.fsPath,
      python: snapshot.environment?.python.uvInterpreter,
      venvDir: snapshot.project.venvDir,
      env,
      requirement: requirement.trim(),
      signal: abort.signal,
      timeoutMs: engineOptions(config).uvTimeoutMs,
    });
  });
  await owner.enter();
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

async function resetVenv(owner: FolderEnvironment, confirmed: boolean): Promise<void> {
  const { dir, venvDir } = owner.snapshot.project;
  try {
    checkVenvDeletable(dir, venvDir);
  } catch (e) {
    if (e instanceof HybridEnvError) return void vscode.window.showErrorMessage(e.message);
    throw e;
  }
  if (!confirmed) {
    const question = resetVenvQuestion(owner.folder.name, venvDir, folderSize(venvDir));
    const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, "Delete and Sync");
    if (answer !== "Delete and Sync") return;
  }
  deleteVenv(dir, venvDir);
  await owner.reload();
}
