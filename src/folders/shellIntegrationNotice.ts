// Terminals get the folder's environment twice: when the process starts, and again from VS
// Code's shell integration script after the user's rc files (applyAtShellIntegration). Where shell
// integration is off (`terminal.integrated.shellIntegration.enabled`) or does not start for a
// shell (one it does not support, a custom rc file that breaks it), only the first happens, and
// an rc file that puts pyenv, conda, asdf, mise or Homebrew first on PATH wins over the venv.
//
// Detected when a terminal of an entered folder opens: at once when the setting is off, else when
// window.onDidChangeTerminalShellIntegration has not reported that terminal within a few seconds.
// The fallback: the environment still applies at process creation, and the "Hybrid Env" terminal
// (platform/hybridTerminal.ts, also a terminal profile) starts bash, zsh or fish on start-up files
// that read the user's rc files first and the environment after them, with no shell integration
// needed. The user is told once per window what they lose and what to do (never again after
// "Don't Show Again", kept in global state).
import type { Disposable, WorkspaceFolder } from "vscode";
import type { LogChannel } from "../common/logger";
import type { StateStore, TerminalEvents, TerminalHandle, WindowApis } from "../platform/apis";
import { realTimers, type Timers } from "./loadScheduler";

export const NOTICE_DISMISSED_KEY = "hybridEnv.shellIntegrationNotice.dismissed";
export const ENABLE = "Enable Shell Integration";
export const OPEN = "Open Hybrid Env Terminal";
const DONT_SHOW = "Don't Show Again";
/** Shell integration reports itself once the rc files ran: generous, on a loaded machine. */
export const ACTIVATION_WAIT_MS = 10_000;

/** Shells that read an rc file and that a person types into; `-c` runs a command and exits (tasks). */
const INTERACTIVE_SHELLS = /^(bash|zsh|fish|sh|dash|ksh|mksh|tcsh|csh|nu|xonsh|pwsh|elvish)$/;

export function isInteractiveShell(t: Pick<TerminalHandle, "shellPath" | "shellArgs" | "isExtensionTerminal">): boolean {
  if (t.isExtensionTerminal || !t.shellPath) return false;
  const name = t.shellPath.split("/").at(-1)!.replace(/\.exe$/, "");
  const args = typeof t.shellArgs === "string" ? t.shellArgs.split(/\s+/) : (t.shellArgs ?? []);
  return INTERACTIVE_SHELLS.test(name) && !args.some((a) => a === "-c" || a === "--command" || /^-Command$/i.test(a));
}

export class ShellIntegrationNotice implements Disposable {
  private readonly disposables: Disposable[] = [];
  private readonly waiting = new Map<TerminalHandle, unknown>();
  private shown = false;

  constructor(
    private readonly terminals: TerminalEvents,
    /** Whether the folder's environment is applied (entered, with an environment). */
    private readonly isEntered: (folder: WorkspaceFolder) => boolean,
    private readonly window: Pick<WindowApis, "showWarningMessage">,
    private readonly globalState: StateStore,
    private readonly openHybridTerminal: (folder: WorkspaceFolder) => unknown,
    private readonly log: LogChannel,
    private readonly timers: Timers = realTimers,
    private readonly waitMs = ACTIVATION_WAIT_MS,
  ) {
    this.disposables.push(
      terminals.onDidOpenTerminal((t) => this.opened(t)),
      terminals.onDidActivateShellIntegration((t) => this.stopWaiting(t)),
    );
  }

  private opened(t: TerminalHandle): void {
    if (t.isHybridTerminal || !t.folder || !this.isEntered(t.folder) || !isInteractiveShell(t)) return;
    if (!this.terminals.shellIntegrationEnabled()) {
      this.tell(t.folder, `shell integration is off (terminal.integrated.shellIntegration.enabled)`, true);
      return;
    }
    if (t.hasShellIntegration()) return;
    this.waiting.set(
      t,
      this.timers.setTimeout(() => {
        this.waiting.delete(t);
        if (!t.isClosed() && !t.hasShellIntegration() && t.folder) this.tell(t.folder, `shell integration did not start in the terminal "${t.name}"`, false);
      }, this.waitMs),
    );
  }

  private stopWaiting(t: TerminalHandle): void {
    const handle = this.waiting.get(t);
    if (handle === undefined) return;
    this.timers.clearTimeout(handle);
    this.waiting.delete(t);
  }

  private tell(folder: WorkspaceFolder, why: string, canEnable: boolean): void {
    const text =
      `Hybrid Env: ${why}, so your shell's rc files run after the hybrid environment of ${folder.name} and can put another ` +
      `Python first on PATH (pyenv, conda, asdf, mise and Homebrew do). Terminals get the environment only as they start. ` +
      `The Hybrid Env terminal applies it after your rc files.`;
    this.log.warn(text);
    if (this.shown || this.globalState.get(NOTICE_DISMISSED_KEY) === true) return;
    this.shown = true;
    const actions = canEnable ? [ENABLE, OPEN, DONT_SHOW] : [OPEN, DONT_SHOW];
    void this.window.showWarningMessage(text, ...actions).then(async (choice) => {
      if (choice === ENABLE) {
        await this.terminals.enableShellIntegration();
        this.log.info("shell integration enabled in your user settings: new terminals apply the environment after your rc files");
      } else if (choice === OPEN) this.openHybridTerminal(folder);
      else if (choice === DONT_SHOW) await this.globalState.update(NOTICE_DISMISSED_KEY, true);
    });
  }

  dispose(): void {
    for (const handle of this.waiting.values()) this.timers.clearTimeout(handle);
    this.waiting.clear();
    for (const d of this.disposables) d.dispose();
  }
}
