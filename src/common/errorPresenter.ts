// Turns failures into things a user can act on: a diagnostic at the line of a Nix evaluation
// error, and a notification whose buttons fix or explain the problem (the engine's
// SuggestedActions: Install, Configure, Track it, Reload, Open log). Every failure the user should
// see comes through here: load failures (present) and command failures (presentCommandFailure).
//
// De-duplication: an *automatic* load (a file watcher, a settings change, the revalidation at
// start) that fails exactly as the previous one stays quiet, so a broken flake does not nag on
// every save. Anything the user asked for (Reload, Enter, a button, a command) is always answered.
import { join } from "node:path";
import type { WorkspaceFolder } from "vscode";
import { CancelledError, HybridEnvError, NixEvalError, type SuggestedAction } from "../core/errors";
import type { DiagnosticsApis, HostApis } from "../platform/apis";
import { errorForLog, type LogChannel } from "./logger";

const INSTALL_DOCS: Record<string, string> = {
  "install-nix": "https://nixos.org/download/",
  "install-uv": "https://docs.astral.sh/uv/getting-started/installation/",
};

const OPEN_LOG: SuggestedAction = { kind: "open-log", label: "Open log" };

export interface ErrorActionsHost {
  showLog(): void;
  /** `git add -N <file>` in the folder, then a reload; rejects when git fails. */
  trackFile(folder: WorkspaceFolder, file: string): Promise<void>;
  reload(folder: WorkspaceFolder): void;
}

/** Who started the load that failed. */
export type LoadTrigger = "automatic" | "user";

export interface LoadFailure {
  /** The last good environment stays applied. */
  readonly servedLastGood: boolean;
  readonly trigger: LoadTrigger;
}

export class ErrorPresenter {
  /** The last message shown per folder, for the de-duplication of automatic loads. */
  private readonly lastShown = new Map<string, string>();

  constructor(
    private readonly apis: Pick<HostApis, "window" | "commands" | "env">,
    private readonly diagnostics: DiagnosticsApis,
    private readonly host: ErrorActionsHost,
    private readonly log: LogChannel,
  ) {}

  clear(folder: WorkspaceFolder): void {
    this.lastShown.delete(folder.uri.toString());
    this.diagnostics.clearUnder(folder.uri.fsPath);
  }

  /** A failed load of a folder. */
  present(folder: WorkspaceFolder, error: Error, failure: LoadFailure): void {
    this.diagnostics.clearUnder(folder.uri.fsPath);
    if (error instanceof NixEvalError && error.location) {
      const { file, line, column } = error.location;
      this.diagnostics.setError(join(folder.uri.fsPath, file), line, column, error.summary, "nix");
    }
    const key = folder.uri.toString();
    const repeated = this.lastShown.get(key) === error.message;
    this.lastShown.set(key, error.message);
    if (repeated && failure.trigger === "automatic") return;
    const suffix = failure.servedLastGood ? " The last good environment stays applied." : "";
    this.show(`Hybrid Env (${folder.name}): ${error.message}${suffix}`, actionsOf(error), folder);
  }

  /**
   * A command that failed. Cancellation is no failure: it is logged, not shown. Actions that need
   * a folder (Track it, Reload) are offered only when the command knows its folder.
   */
  presentCommandFailure(command: string, error: unknown, folder?: WorkspaceFolder): void {
    if (error instanceof CancelledError) {
      this.log.info(`${command}: ${error.message}`);
      return;
    }
    const e = error instanceof Error ? error : new Error(String(error));
    this.log.error(`${command}: ${errorForLog(e)}`);
    const where = folder ? ` (${folder.name})` : "";
    const actions = actionsOf(e).filter((a) => folder !== undefined || (a.kind !== "git-add" && a.kind !== "reload"));
    this.show(`Hybrid Env${where}: ${e.message}`, actions, folder);
  }

  private show(message: string, actions: readonly SuggestedAction[], folder: WorkspaceFolder | undefined): void {
    void this.apis.window.showErrorMessage(message, ...actions.map((a) => a.label)).then((label) => {
      const action = actions.find((a) => a.label === label);
      if (action) void this.run(action, folder);
    });
  }

  /** Runs a button's action; an action that fails is presented like any command failure. */
  private async run(action: SuggestedAction, folder: WorkspaceFolder | undefined): Promise<void> {
    try {
      switch (action.kind) {
        case "open-log":
          return this.host.showLog();
        case "git-add":
          if (folder) await this.host.trackFile(folder, action.target ?? "flake.nix");
          return;
        case "reload":
          if (folder) this.host.reload(folder);
          return;
        case "configure":
          await this.apis.commands.executeCommand("workbench.action.openSettings", action.target ?? "hybridEnv");
          return;
        case "install-nix":
        case "install-uv":
          await this.apis.env.openExternal(INSTALL_DOCS[action.kind]!);
          return;
      }
    } catch (e) {
      this.presentCommandFailure(action.label, e, folder);
    }
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

function actionsOf(error: Error): readonly SuggestedAction[] {
  if (!(error instanceof HybridEnvError)) return [OPEN_LOG];
  return error.actions.length > 0 ? error.actions : [OPEN_LOG];
}
