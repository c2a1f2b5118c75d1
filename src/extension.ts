// Entry point. Kept thin: the engine lives in src/core, each workspace folder has its own owner
// (FolderEnvironment) inside the registry (WorkspaceEnvironments), and the UI pieces read the
// registry. Nothing runs in an untrusted workspace: the manifest declares
// untrustedWorkspaces.supported = false, and the registry starts only once trust is granted.
import * as vscode from "vscode";
import { registerCommands } from "./commands/registry";
import { registerCreateProjectCommand } from "./commands/createProject";
import { affectsEnvironment } from "./config/config";
import { ProcessRunner, spawnCounter } from "./core/process";
import { ErrorPresenter } from "./common/errorPresenter";
import { channelLogger } from "./common/logger";
import type { HybridEnvApi } from "./folders/model";
import { PythonExtensions } from "./python/pythonExtensions";
import { registerPackageCommands } from "./commands/packageCommands";
import { registerNixPackageCommands } from "./commands/nixPackages/command";
import { startNixLanguageClient } from "./nixLanguage/languageClient";
import { registerPackagesView } from "./views/packagesView";
import { createStatusBar } from "./views/statusBar";
import { WorkspaceEnvironments } from "./folders/workspaceEnvironments";

/** Milliseconds from the start of activate(): its own duration, and when each folder's env was applied. */
const timings = { activateMs: -1, appliedMs: {} as Record<string, number> };

export function activate(context: vscode.ExtensionContext): HybridEnvApi {
  const started = performance.now();
  const marks: string[] = [];
  const mark = (name: string) => marks.push(`${name}=${(performance.now() - started).toFixed(1)}`);
  const log = vscode.window.createOutputChannel("Hybrid Env", { log: true });
  mark("channel");
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
    envs.onDidChange((s) => {
      const key = s.folder.uri.toString();
      if (s.environment && timings.appliedMs[key] === undefined) timings.appliedMs[key] = performance.now() - started;
    }),
  );
  // First the cached environments (terminals get them before anything else happens), then the UI,
  // which reads the registry's current state when it is created.
  if (vscode.workspace.isTrusted) envs.start();
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => envs.start()));
  mark("started");
  const packagesView = registerPackagesView(envs);
  mark("view");
  context.subscriptions.push(
    log,
    python,
    errors,
    envs,
    registerCommands(envs, log),
    registerCreateProjectCommand({ envs, log }),
    registerPackageCommands(envs),
    packagesView,
    registerNixPackageCommands({ envs, log, view: packagesView }),
    (mark("commands"), startNixLanguageClient({ envs, log })),
    (mark("lsp"), createStatusBar(envs)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      for (const s of envs.all()) if (s.state !== "idle" && affectsEnvironment(e, s.folder)) void envs.folderFor(s.folder.uri)?.reload();
    }),
  );
  context.subscriptions.push(
    // Not contributed, so not in the palette: the benchmark reads warm-open figures with it.
    vscode.commands.registerCommand("hybridEnv.internal.timings", () => ({ ...timings, spawned: spawnCounter.count })),
  );
  mark("registered");
  const api = envs.api();
  timings.activateMs = performance.now() - started;
  log.info(`activated in ${timings.activateMs.toFixed(1)} ms (${marks.join(" ")})`);
  return api;
}

export function deactivate(): void {}
