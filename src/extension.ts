// Entry point. Kept thin: the engine lives in src/core, each workspace folder has its own owner
// (FolderEnvironment) inside the registry (WorkspaceEnvironments), and the UI pieces read the
// registry. Nothing runs in an untrusted workspace: the manifest declares
// untrustedWorkspaces.supported = false, and the registry starts only once trust is granted.
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { affectsEnvironment } from "./config";
import { ProcessRunner } from "./core/process";
import { ErrorPresenter } from "./errorPresenter";
import { channelLogger } from "./logging";
import type { HybridEnvApi } from "./model";
import { PythonExtensions } from "./python/pythonExtensions";
import { registerPackageCommands } from "./ui/packageCommands";
import { registerPackagesView } from "./ui/packagesView";
import { createStatusBar } from "./ui/statusBar";
import { WorkspaceEnvironments } from "./workspaceEnvironments";

export function activate(context: vscode.ExtensionContext): HybridEnvApi {
  const log = vscode.window.createOutputChannel("Hybrid Env", { log: true });
  const python = new PythonExtensions(log);
  const errors = new ErrorPresenter({
    showLog: () => log.show(true),
    trackFile: async (folder, file) => {
      await new ProcessRunner(channelLogger(log)).run("git", ["add", "-N", "--", file], {
        what: "git add -N",
        cwd: folder.uri.fsPath,
        env: process.env,
        timeoutMs: 30_000,
        timeoutSetting: "git",
      });
      void envs.folderFor(folder.uri)?.reload();
    },
    reload: (folder) => void envs.folderFor(folder.uri)?.reload(),
  });
  const envs = new WorkspaceEnvironments({ context, log, python, errors, hostEnv: process.env });
  context.subscriptions.push(
    log,
    python,
    errors,
    envs,
    registerCommands(envs, log),
    registerPackageCommands(envs),
    registerPackagesView(envs),
    createStatusBar(envs),
    vscode.workspace.onDidChangeConfiguration((e) => {
      for (const s of envs.all()) if (s.state !== "idle" && affectsEnvironment(e, s.folder)) void envs.folderFor(s.folder.uri)?.reload();
    }),
  );
  if (vscode.workspace.isTrusted) envs.start();
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => envs.start()));
  return envs.api();
}

export function deactivate(): void {}
