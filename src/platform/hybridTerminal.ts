// The "Hybrid Env" terminal: bash, zsh or fish started on start-up files that read the user's own
// rc files first and apply the folder's environment after them (core/shellActivation.ts), so it
// wins over pyenv and friends with no shell integration at all. Offered as a terminal profile
// (the terminal "+" menu; users can make it their default) and by the shell integration notice
// (folders/shellIntegrationNotice.ts). The files live in the extension's own storage, never in
// the project, and are rewritten from the folder's current environment whenever one is opened.
// Also: the vscode side of that notice (terminal events, the setting).
import { basename, join } from "node:path";
import * as vscode from "vscode";
import { enableShellIntegration, shellIntegrationEnabled } from "../config/foreignSettings";
import { kernelName } from "../core/jupyterKernel";
import { activationLaunch, writeActivationFiles, type ActivationShell } from "../core/shellActivation";
import type { FolderSnapshot } from "../folders/model";
import type { TerminalEvents, TerminalHandle } from "./apis";

export const PROFILE_ID = "hybridEnv.terminal";
/** In the Hybrid Env terminal's environment: the folder it applies (and how the notice knows it). */
const MARK = "HYBRID_ENV_TERMINAL";

export interface EnteredFolders {
  /** The folder's snapshot when it has an environment applied. */
  entered(uri: vscode.Uri | undefined): FolderSnapshot | undefined;
}

/** The user's shell when it is one the start-up files are written for, else bash. */
function chooseShell(): { path: string; kind: ActivationShell } {
  const shell = vscode.env.shell;
  const name = basename(shell);
  if (name === "bash" || name === "zsh" || name === "fish") return { path: shell, kind: name };
  return { path: "bash", kind: "bash" };
}

export class HybridTerminals {
  constructor(
    private readonly folders: EnteredFolders,
    private readonly storageDir: string,
  ) {}

  /** The terminal's options for a folder (the one given, else the active editor's or the first entered). */
  options(uri?: vscode.Uri): vscode.TerminalOptions {
    const snapshot = this.folders.entered(uri);
    if (!snapshot?.environment) throw new Error("No folder has its hybrid environment applied: run Hybrid Env: Enter first.");
    const folder = snapshot.folder;
    const shell = chooseShell();
    const files = writeActivationFiles(join(this.storageDir, kernelName(folder.uri.fsPath)), snapshot.environment.mutations, `the hybrid environment of ${folder.uri.fsPath}`);
    const launch = activationLaunch(shell.kind, files, process.env.ZDOTDIR);
    return {
      name: `Hybrid Env · ${folder.name}`,
      shellPath: shell.path,
      shellArgs: launch.args,
      cwd: folder.uri,
      env: { ...launch.env, [MARK]: folder.uri.fsPath },
      iconPath: new vscode.ThemeIcon("terminal"),
    };
  }

  open(uri?: vscode.Uri): vscode.Terminal {
    const terminal = vscode.window.createTerminal(this.options(uri));
    terminal.show();
    return terminal;
  }

  register(): vscode.Disposable {
    return vscode.window.registerTerminalProfileProvider(PROFILE_ID, {
      provideTerminalProfile: () => new vscode.TerminalProfile(this.options(vscode.window.activeTextEditor?.document.uri)),
    });
  }
}

/** vscode.Terminal as the notice sees it (one handle per terminal, so events match). */
function handles(): (t: vscode.Terminal) => TerminalHandle {
  const known = new WeakMap<vscode.Terminal, TerminalHandle>();
  return (t) => {
    let h = known.get(t);
    if (h) return h;
    const options = t.creationOptions as Partial<vscode.TerminalOptions & vscode.ExtensionTerminalOptions>;
    const cwd = typeof options.cwd === "string" ? vscode.Uri.file(options.cwd) : options.cwd;
    const folders = vscode.workspace.workspaceFolders ?? [];
    h = {
      name: t.name,
      shellPath: options.shellPath ?? (options.pty ? undefined : vscode.env.shell),
      shellArgs: options.shellPath ? options.shellArgs : undefined,
      isExtensionTerminal: options.pty !== undefined,
      isHybridTerminal: options.env?.[MARK] !== undefined,
      // Without a cwd a terminal starts in the folder of a one-folder window.
      folder: cwd ? vscode.workspace.getWorkspaceFolder(cwd) : folders.length === 1 ? folders[0] : undefined,
      hasShellIntegration: () => t.shellIntegration !== undefined,
      isClosed: () => t.exitStatus !== undefined,
    };
    known.set(t, h);
    return h;
  };
}

export function terminalEvents(): TerminalEvents {
  const handle = handles();
  return {
    onDidOpenTerminal: (listener) => vscode.window.onDidOpenTerminal((t) => listener(handle(t))),
    onDidActivateShellIntegration: (listener) => vscode.window.onDidChangeTerminalShellIntegration((e) => listener(handle(e.terminal))),
    shellIntegrationEnabled,
    enableShellIntegration,
  };
}
