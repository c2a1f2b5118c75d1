// A language client for Nix files: starts nixd or nil when one is found (the setting, PATH, then
// the devShell's PATH of the active folder) and a .nix file is open. It stays off while the Nix IDE
// extension is installed and enabled (it runs its own client), when the setting says "off", and
// when no server is found (quietly: most users have none). Settings and extension changes are
// followed; a devShell that brings a server is noticed when its environment loads.
//
// The server is a long-lived stdio process, which ProcessRunner (run to completion, output
// buffered, timeout) is not made for: it is spawned here, its command line logged like
// ProcessRunner's, counted in spawnCounter, and its whole process tree killed with ProcessRunner's
// killTree when the client stops.
import { spawn, type ChildProcess } from "node:child_process";
import * as vscode from "vscode";
import { join } from "node:path";
import type { LanguageClient, LanguageClientOptions } from "vscode-languageclient/node";
import { readConfig, type SettingsReader } from "../config/config";
import { formatCommandLine, killTree, spawnCounter } from "../core/process";
import type { FolderRegistry } from "../folders/model";
import { findNixLanguageServer, parseServerChoice, type NixServerDiscovery, type NixServerFound } from "./serverDiscovery";

export const NIX_IDE_EXTENSION_ID = "jnoortheen.nix-ide";
export const NIX_LANGUAGE_SERVER_SETTING = "hybridEnv.nixLanguageServer";
export const NIX_LANGUAGE_SERVER_PATH_SETTING = "hybridEnv.nixLanguageServerPath";

export interface NixLanguageClientDeps {
  readonly envs: FolderRegistry;
  readonly log: vscode.LogOutputChannel;
  readonly workspace: SettingsReader;
}

export type NixLanguageServerState = "off" | "waiting" | "starting" | "running" | "failed";

export interface NixLanguageServerStatus {
  readonly state: NixLanguageServerState;
  /** Why it is off or waiting, or what failed. */
  readonly reason: string;
  readonly server?: Pick<NixServerFound, "kind" | "command" | "from">;
  /** How many server processes were started (restarts included). */
  readonly starts: number;
}

const DOCUMENT_SELECTOR = [{ language: "nix", scheme: "file" }];
const STOP_TIMEOUT_MS = 2000;

type ClientModule = typeof import("./languageClientBundle");
let clientModule: ClientModule | undefined;

/** dist/languageClient.js, beside dist/extension.js (see languageClientBundle.ts for why). */
function languageClientModule(): ClientModule {
  clientModule ??= require(join(__dirname, "languageClient.js")) as ClientModule;
  return clientModule;
}

/** What hybridEnv.internal.nixLanguageServer returns (commands/registry.ts). */
export interface NixLanguageClient extends vscode.Disposable {
  readonly status: NixLanguageServerStatus;
}

export function startNixLanguageClient(deps: NixLanguageClientDeps): NixLanguageClient {
  return new NixLanguageClientController(deps);
}

class NixLanguageClientController implements NixLanguageClient {
  private client?: LanguageClient;
  private server?: NixServerFound;
  status: NixLanguageServerStatus = { state: "off", reason: "not started yet", starts: 0 };
  private readonly children = new Set<ChildProcess>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly serverLog: vscode.LogOutputChannel;
  /** Reconciliations run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;
  private lastDevShellPath: string | undefined;
  private warnedAbout = new Set<string>();

  constructor(private readonly deps: NixLanguageClientDeps) {
    this.serverLog = vscode.window.createOutputChannel("Hybrid Env: Nix language server", { log: true });
    this.disposables.push(
      this.serverLog,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(NIX_LANGUAGE_SERVER_SETTING) || e.affectsConfiguration(NIX_LANGUAGE_SERVER_PATH_SETTING)) this.reconcile(true);
      }),
      vscode.extensions.onDidChange(() => this.reconcile(false)),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.client && isNixFile(d)) this.reconcile(false);
      }),
      deps.envs.onDidChange(() => {
        // A devShell loaded (or reloaded): it may bring nixd or nil.
        const path = deps.envs.active()?.resolved?.PATH;
        if (path === this.lastDevShellPath) return;
        this.lastDevShellPath = path;
        if (!this.client) this.reconcile(false);
      }),
    );
    this.reconcile(false);
  }

  private reconcile(restart: boolean): void {
    this.queue = this.queue.then(() => this.doReconcile(restart)).catch((e) => this.deps.log.error(`Nix language server: ${(e as Error).message}`));
  }

  private async doReconcile(restart: boolean): Promise<void> {
    if (this.disposed) return this.stop();
    const active = this.deps.envs.active();
    // Window-scoped settings; the active folder only expands ${workspaceFolder} in the path.
    const config = readConfig(this.deps.workspace, active?.folder);
    const choice = parseServerChoice(config.nixLanguageServer);
    if (vscode.extensions.getExtension(NIX_IDE_EXTENSION_ID)) return this.off(`the Nix IDE extension (${NIX_IDE_EXTENSION_ID}) is active and runs its own language server`);
    if (choice === "off") return this.off(`${NIX_LANGUAGE_SERVER_SETTING} is "off"`);

    const discovery: NixServerDiscovery = findNixLanguageServer({
      choice,
      configuredPath: config.nixLanguageServerPath,
      hostPath: process.env.PATH,
      devShellPath: active?.resolved?.PATH,
    });
    if (!discovery.found) {
      if (discovery.misconfigured && !this.warnedAbout.has(discovery.reason)) {
        this.warnedAbout.add(discovery.reason);
        void vscode.window.showWarningMessage(`Hybrid Env: ${discovery.reason}. The Nix language server is not started.`, "Open Settings").then((a) => {
          if (a) void vscode.commands.executeCommand("workbench.action.openSettings", NIX_LANGUAGE_SERVER_PATH_SETTING);
        });
      }
      this.deps.log.info(`Nix language server: not started: ${discovery.reason}`);
      return this.off(discovery.reason);
    }
    const same = this.client && this.server?.command === discovery.command && this.server.from === discovery.from;
    if (same && !restart && this.client!.state !== languageClientModule().State.Stopped) return;
    if (!this.client && !vscode.workspace.textDocuments.some(isNixFile)) {
      this.status = { ...this.status, state: "waiting", reason: "no .nix file is open", server: pick(discovery) };
      return;
    }
    await this.stop();
    await this.start(discovery, active?.folder, discovery.from === "devShell" ? active?.resolved : undefined);
  }

  private async start(server: NixServerFound, folder: vscode.WorkspaceFolder | undefined, devShellEnv: Readonly<Record<string, string>> | undefined): Promise<void> {
    this.server = server;
    this.status = { ...this.status, state: "starting", reason: "", server: pick(server) };
    const env = devShellEnv ?? process.env;
    const cwd = folder?.uri.fsPath;
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.serverLog,
      workspaceFolder: folder,
    };
    const client = new (languageClientModule().LanguageClient)(
      "hybridEnv.nix",
      `Hybrid Env: Nix language server (${server.kind})`,
      async () => this.spawnServer(server.command, cwd, env),
      clientOptions,
    );
    this.client = client;
    this.deps.log.info(`Nix language server: starting ${server.kind} (${server.command}, from ${server.from})`);
    try {
      await client.start();
      if (this.disposed) return await this.stop();
      if (this.client === client) this.status = { ...this.status, state: "running", reason: "" };
    } catch (e) {
      const message = (e as Error).message;
      this.deps.log.error(`Nix language server: ${server.command} failed to start: ${message}`);
      if (this.client === client) this.status = { ...this.status, state: "failed", reason: message };
      if (!this.warnedAbout.has(server.command)) {
        this.warnedAbout.add(server.command);
        void vscode.window.showWarningMessage(`Hybrid Env: the Nix language server ${server.command} failed to start: ${message}`);
      }
    }
  }

  private spawnServer(command: string, cwd: string | undefined, env: Readonly<Record<string, string | undefined>>): ChildProcess {
    this.serverLog.info(`$ ${formatCommandLine(command, [])}${cwd ? `   (in ${cwd})` : ""}`);
    spawnCounter.count++;
    // Own process group, so that stopping reaches whatever the server starts (nixd's workers).
    const child = spawn(command, [], { cwd, env, stdio: "pipe", detached: true });
    this.children.add(child);
    this.status = { ...this.status, starts: this.status.starts + 1 };
    child.on("error", (e) => this.serverLog.error(`${command}: ${e.message}`));
    child.on("exit", (code, signal) => {
      this.children.delete(child);
      this.serverLog.info(`${command} exited (${signal ?? `code ${code}`})`);
    });
    return child;
  }

  private async off(reason: string): Promise<void> {
    await this.stop();
    this.status = { ...this.status, state: "off", reason, server: undefined };
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.server = undefined;
    if (client) {
      try {
        // Sends shutdown and exit; a server that ignores them is killed below.
        await client.dispose(STOP_TIMEOUT_MS);
      } catch (e) {
        this.deps.log.warn(`Nix language server: stopping: ${(e as Error).message}`);
      }
    }
    await Promise.all([...this.children].map((child) => this.reap(child)));
  }

  /** Waits a moment for a server process to exit after `exit`, then kills its process tree. */
  private reap(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (child.pid !== undefined) killTree(child.pid);
        resolve();
      }, STOP_TIMEOUT_MS);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  dispose(): void {
    this.disposed = true;
    const [serverLog, ...others] = this.disposables;
    for (const d of others) d.dispose();
    // Shut the server down politely, then kill whatever is left, then close its log.
    void this.stop().finally(() => serverLog?.dispose());
  }
}

function isNixFile(document: vscode.TextDocument): boolean {
  return document.languageId === "nix" && document.uri.scheme === "file";
}

function pick(server: NixServerFound): NixLanguageServerStatus["server"] {
  return { kind: server.kind, command: server.command, from: server.from };
}
