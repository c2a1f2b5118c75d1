// Entry point. Kept thin: the engine lives in src/core, each workspace folder has its own owner
// (folders/FolderEnvironment) inside the registry (folders/WorkspaceEnvironments), the commands
// are registered in commands/registry.ts, and the views read the registry. Nothing runs in an
// untrusted workspace: the manifest declares untrustedWorkspaces.supported = false, and the
// registry starts only once trust is granted. A failure in activate() is shown, not swallowed.
import { join } from "node:path";
import * as vscode from "vscode";
import { guardActivation } from "./common/activationGuard";
import { ErrorPresenter } from "./common/errorPresenter";
import { commandTable } from "./commands";
import type { CommandContext } from "./commands/context";
import { trackFileAndReload } from "./commands/environment";
import { registerCommands } from "./commands/registry";
import { affectsEnvironment, CONFIG_SECTION, logEffectiveConfig } from "./config/config";
import { spawnCounter } from "./core/process";
import type { FolderSnapshot, HybridEnvApi } from "./folders/model";
import { DirenvCoexistence } from "./folders/direnvCoexistence";
import { NativeLibraryDoctor } from "./folders/nativeDoctor";
import { TerminalCollections } from "./folders/terminalCollections";
import { WorkspaceEnvironments } from "./folders/workspaceEnvironments";
import { UvInstallChoices } from "./folders/uvInstallChoices";
import { startNixLanguageClient } from "./nixLanguage/languageClient";
import { createDiagnostics, environmentCollectionSink, stateStoreOf, vscodeApis as apis } from "./platform/vscodeApis";
import { registerDebugEnvironment } from "./python/debugConfiguration";
import { PythonExtensions } from "./python/pythonExtensions";
import { ShellIntegrationNotice } from "./folders/shellIntegrationNotice";
import { HybridTerminals, terminalEvents } from "./platform/hybridTerminal";
import { defaultCacheDir } from "./core/options";
import { NativeLibrariesView } from "./views/nativeLibrariesView";
import { registerPackagesView } from "./views/packagesView";
import { createStatusBar } from "./views/statusBar";

/** Milliseconds from the start of activate(): its own duration, and when each folder's env was applied. */
const timings = { activateMs: -1, appliedMs: {} as Record<string, number> };

export function activate(context: vscode.ExtensionContext): HybridEnvApi {
  const log = vscode.window.createOutputChannel("Hybrid Env", { log: true });
  context.subscriptions.push(log);
  const created: vscode.Disposable[] = [];
  const disposeCreated = () => created.splice(0).reverse().forEach((d) => d.dispose());
  return guardActivation(log, apis.window, () => activateGuarded(context, log, created), disposeCreated);
}

function activateGuarded(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, created: vscode.Disposable[]): HybridEnvApi {
  const started = performance.now();
  const marks: string[] = [];
  const mark = (name: string) => marks.push(`${name}=${(performance.now() - started).toFixed(1)}`);
  const version = (context.extension.packageJSON as { version?: string }).version ?? "?";
  log.info(`Hybrid Env ${version} in VS Code ${vscode.version} (${process.platform}, Node ${process.version})`);
  logEffectiveConfig(apis.workspace, log);
  const own = <T extends vscode.Disposable>(d: T): T => (created.push(d), d);

  const python = own(new PythonExtensions(log, apis, context.extension.id, { workspace: stateStoreOf(context.workspaceState), global: stateStoreOf(context.globalState) }));
  let ctx: CommandContext | undefined;
  const errors = own(
    new ErrorPresenter(apis, createDiagnostics("hybrid-env"), {
      showLog: () => log.show(true),
      trackFile: (folder, file) => trackFileAndReload(ctx!, folder, file),
      reload: (folder) => void envs.folderFor(folder.uri)?.reload("user"),
    }, log),
  );
  const terminals = own(new TerminalCollections(environmentCollectionSink(context), apis.workspace));
  // .envrc loading the same flake while direnv is active: who sets up terminals (asked once per folder).
  const direnv = new DirenvCoexistence({
    state: stateStoreOf(context.workspaceState),
    window: apis.window,
    openFile: (path) => void vscode.window.showTextDocument(vscode.Uri.file(path)),
    log,
    hostEnv: process.env,
    direnvExtension: () => vscode.extensions.getExtension("mkhl.direnv") !== undefined,
    reapply: (folder) => void envs.folderFor(folder.uri)?.enter("user"),
  });
  const envs = own(
    new WorkspaceEnvironments({
      apis,
      log,
      python,
      errors,
      hostEnv: process.env,
      terminalFor: (folder) => direnv.terminalFor(folder, terminals.forFolder(folder)),
      workspaceState: stateStoreOf(context.workspaceState),
      uvInstallChoices: new UvInstallChoices(stateStoreOf(context.workspaceState), apis.window),
    }),
  );
  ctx = { envs, apis, log, hostEnv: process.env };
  own(envs.onDidChange((s) => {
    const key = s.folder.uri.toString();
    if (s.environment && timings.appliedMs[key] === undefined) timings.appliedMs[key] = performance.now() - started;
  }));
  // First the cached environments (terminals get them before anything else happens), then the UI,
  // which reads the registry's current state when it is created.
  if (apis.workspace.isTrusted()) envs.start();
  else own(apis.workspace.onDidGrantWorkspaceTrust(() => envs.start()));
  mark("started");
  own(direnv.watch(envs));
  const hybridTerminals = startHybridTerminals(context, envs, log, own);
  // Checks each applied environment's venv a moment later (cached by the venv's state), off this path.
  const native = own(new NativeLibrariesView(own(new NativeLibraryDoctor({ registry: envs, log, cacheDir: defaultCacheDir(process.env) }))));
  const view = own(registerPackagesView(envs, native));
  mark("view");
  const languageClient = own(startNixLanguageClient({ envs, log, workspace: apis.workspace }));
  mark("lsp");
  own(registerCommands(apis.commands, errors, commandTable({ ...ctx, showLog: () => log.show(true), view, languageClient, native, openTerminal: (uri) => void hybridTerminals.open(uri), timings: () => ({ ...timings, spawned: spawnCounter.count }) })));
  mark("commands");
  own(createStatusBar(envs));
  own(registerDebugEnvironment(envs, process.env, log));
  own(apis.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(CONFIG_SECTION)) return;
    logEffectiveConfig(apis.workspace, log);
    for (const owner of envs.owners()) if (owner.entered && affectsEnvironment(e, owner.folder)) void owner.reload("automatic");
  }));
  const api = envs.api();
  context.subscriptions.push(...created.splice(0));
  timings.activateMs = performance.now() - started;
  log.info(`activated in ${timings.activateMs.toFixed(1)} ms (${marks.join(" ")})`);
  return api;
}

/** The Hybrid Env terminal (profile and command) and the notice that offers it where shell integration is missing. */
function startHybridTerminals(context: vscode.ExtensionContext, envs: WorkspaceEnvironments, log: vscode.LogOutputChannel, own: <T extends vscode.Disposable>(d: T) => T): HybridTerminals {
  const terminals = new HybridTerminals({ entered: (uri) => enteredFolder(envs, uri) }, join(context.globalStorageUri.fsPath, "terminals"));
  own(terminals.register());
  const isEntered = (f: vscode.WorkspaceFolder) => enteredFolder(envs, f.uri)?.folder.uri.toString() === f.uri.toString();
  own(new ShellIntegrationNotice(terminalEvents(), isEntered, apis.window, stateStoreOf(context.globalState), (f) => terminals.open(f.uri), log));
  return terminals;
}

/** The folder of `uri` if its environment is applied, else (no uri) the first such folder. */
function enteredFolder(envs: WorkspaceEnvironments, uri: vscode.Uri | undefined): FolderSnapshot | undefined {
  const applied = (s: FolderSnapshot | undefined) => (s?.environment && s.state !== "idle" ? s : undefined);
  if (uri) return applied(envs.get(uri));
  return applied(envs.active()) ?? envs.all().find((s) => applied(s));
}

export function deactivate(): void {}
