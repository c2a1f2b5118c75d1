// Typed failures of the engine. Each carries a message that tells the user what to do and a list
// of actions that a front end can turn into buttons (VS Code) or hints (CLI).

export type ActionKind = "install-nix" | "install-uv" | "configure" | "open-log" | "git-add" | "reload";

export interface SuggestedAction {
  readonly kind: ActionKind;
  readonly label: string;
  /** For git-add: the file to track; for configure: the setting name. */
  readonly target?: string;
}

export abstract class HybridEnvError extends Error {
  abstract readonly code: string;
  readonly actions: readonly SuggestedAction[];
  /** Longer text for logs (tool output, command line). Never shown as the headline. */
  readonly detail: string;

  constructor(message: string, opts: { actions?: SuggestedAction[]; detail?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.actions = opts.actions ?? [];
    this.detail = opts.detail ?? "";
  }
}

const openLog: SuggestedAction = { kind: "open-log", label: "Open log" };

export class ToolNotFoundError extends HybridEnvError {
  readonly code = "tool-not-found";
  constructor(
    readonly tool: string,
    searched: readonly string[],
  ) {
    const how =
      tool === "nix"
        ? "Install Nix ≥ 2.4 (https://nixos.org/download) or set hybridEnv.nixPath / --nix PATH."
        : tool === "uv"
          ? "Install uv (`pip install uv` or https://docs.astral.sh/uv/) or set hybridEnv.uvPath / --uv PATH."
          : `Install ${tool} or put it on PATH.`;
    super(`${tool} was not found. ${how}`, {
      detail: `searched: ${searched.join(", ")}`,
      actions: [
        { kind: tool === "uv" ? "install-uv" : "install-nix", label: "Install" },
        { kind: "configure", label: "Configure", target: tool === "uv" ? "hybridEnv.uvPath" : "hybridEnv.nixPath" },
      ],
    });
  }
}

export class FlakeNotTrackedError extends HybridEnvError {
  readonly code = "flake-not-tracked";
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not tracked by git, so Nix cannot see it. Run \`git add -N ${file}\` (intent to add).`, {
      detail,
      actions: [{ kind: "git-add", label: "Track it (git add -N)", target: file }, openLog],
    });
  }
}

export interface SourceLocation {
  /** Path relative to the project folder, e.g. "flake.nix". */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export class NixEvalError extends HybridEnvError {
  readonly code = "nix-eval";
  constructor(
    readonly summary: string,
    readonly location: SourceLocation | undefined,
    detail: string,
  ) {
    const where = location ? ` (${location.file}:${location.line}:${location.column})` : "";
    super(`Nix could not evaluate the devShell: ${summary}${where}. Fix the flake, then reload.`, {
      detail,
      actions: [openLog],
    });
  }
}

export class DevShellNotFoundError extends HybridEnvError {
  readonly code = "no-dev-shell";
  constructor(
    readonly devShell: string,
    /** e.g. devShells.x86_64-linux.nope */
    readonly attribute: string,
    detail: string,
  ) {
    super(`The flake has no devShell "${devShell}" (${attribute}). Set hybridEnv.devShell (CLI: --dev-shell) to one it defines, or add it.`, {
      detail,
      actions: [{ kind: "configure", label: "Configure", target: "hybridEnv.devShell" }, openLog],
    });
  }
}

/** A Nix that refuses flakes even with --extra-experimental-features (a configuration or a wrapper of its own). */
export class NixFeatureDisabledError extends HybridEnvError {
  readonly code = "nix-feature-disabled";
  constructor(
    readonly feature: string,
    detail: string,
  ) {
    super(
      `Nix says its experimental feature '${feature}' is disabled, although hybrid-env asks for 'nix-command flakes'. ` +
        "Add `experimental-features = nix-command flakes` to nix.conf, or point hybridEnv.nixPath / --nix at a Nix ≥ 2.4 that honours --extra-experimental-features.",
      { detail, actions: [openLog, { kind: "configure", label: "Configure", target: "hybridEnv.nixPath" }] },
    );
  }
}

export class NoPythonError extends HybridEnvError {
  readonly code = "no-python";
  constructor(devShell: string, detail: string, problem = "has no python3 on its PATH") {
    super(
      `The devShell "${devShell}" ${problem}. Add a Python that runs (e.g. python3.withPackages) to the devShell's packages.`,
      { detail, actions: [openLog] },
    );
  }
}

/** The devShell's python3 ran but did not print the probe's JSON (a wrapper that prints a banner, a non-CPython). */
export class PythonProbeError extends HybridEnvError {
  readonly code = "python-probe";
  constructor(devShell: string, interpreter: string, printed: string) {
    const shown = printed.trim().split("\n", 1)[0]!.slice(0, 120) || "nothing";
    super(
      `The devShell "${devShell}" has a python3 (${interpreter}) that did not describe itself: it printed "${shown}". ` +
        "It must be a CPython 3 that prints nothing of its own with -I -c; fix the devShell's Python, then reload.",
      { detail: `${interpreter} -I -c <probe> printed:\n${printed}`, actions: [openLog] },
    );
  }
}

export class UvSyncError extends HybridEnvError {
  readonly code = "uv-sync";
  constructor(
    readonly outputTail: string,
    detail: string,
  ) {
    super(`uv sync failed: ${uvHeadline(outputTail)}. See the log, fix pyproject.toml, then reload.`, {
      detail: `${detail}\n${outputTail}`,
      actions: [openLog],
    });
  }
}

export class UvAddError extends HybridEnvError {
  readonly code = "uv-add";
  constructor(
    readonly requirement: string,
    readonly outputTail: string,
    detail: string,
  ) {
    super(`uv add ${requirement} failed: ${uvHeadline(outputTail)}. Check the package's name and version (the log has uv's output).`, {
      detail: `${detail}\n${outputTail}`,
      actions: [openLog],
    });
  }
}


export class ProcessFailedError extends HybridEnvError {
  readonly code = "process-failed";
  constructor(
    readonly commandLine: string,
    readonly exitCode: number | undefined,
    readonly output: string,
  ) {
    super(`\`${commandLine}\` failed (exit ${exitCode ?? "?"}): ${lastLine(output)}`, {
      detail: output,
      actions: [openLog],
    });
  }
}

export class CancelledError extends HybridEnvError {
  readonly code = "cancelled";
  constructor(what: string) {
    super(`Cancelled: ${what}.`);
  }
}

/**
 * What raises a timeout, named in its message: the VS Code setting and the CLI flag that do (either
 * or both), or why the limit is fixed (a quick step with nothing to configure).
 */
export type TimeoutRaisedBy = { readonly setting?: string; readonly flag?: string } | { readonly fixed: string };

export class TimedOutError extends HybridEnvError {
  readonly code = "timed-out";
  constructor(
    what: string,
    readonly timeoutMs: number,
    raisedBy: TimeoutRaisedBy,
  ) {
    const setting = "fixed" in raisedBy ? undefined : raisedBy.setting;
    super(`${what} did not finish within ${duration(timeoutMs)}. ${howToRaise(raisedBy)}`, {
      actions: setting ? [openLog, { kind: "configure", label: "Configure", target: setting }] : [openLog],
    });
  }
}

function howToRaise(raisedBy: TimeoutRaisedBy): string {
  if ("fixed" in raisedBy) return `The limit is fixed (${raisedBy.fixed}): see the log for what it waited on.`;
  const { setting, flag } = raisedBy;
  if (setting) return `Raise ${setting}${flag ? ` (the CLI: ${flag})` : ""} or check the log.`;
  return `Raise it with ${flag ?? "its timeout"} or check the log.`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

export class OutputTooLargeError extends HybridEnvError {
  readonly code = "output-too-large";
  constructor(what: string, commandLine: string, maxBytes: number) {
    super(`${what} printed more than ${maxBytes} bytes, far more than its answer should be. Run it by hand to see why: ${commandLine}`, {
      detail: commandLine,
      actions: [openLog],
    });
  }
}

/** A child's working folder is gone (the project was moved or deleted while open). */
export class MissingFolderError extends HybridEnvError {
  readonly code = "missing-folder";
  constructor(what: string, folder: string) {
    super(`Cannot run ${what}: the folder ${folder} does not exist (moved or deleted?). Reopen the project where it is now.`);
  }
}

export class UnsafePathError extends HybridEnvError {
  readonly code = "unsafe-path";
}

export class InvalidInputError extends HybridEnvError {
  readonly code = "invalid-input";
}

export class NotAProjectError extends HybridEnvError {
  readonly code = "not-a-project";
}

/** uv's reason: its last error or cause line; the hints it prints after it are not the reason. */
export function uvHeadline(output: string): string {
  const reasons = output.split("\n").filter((l) => l.trim() && !/^\s*(hint|help):/.test(l));
  return lastLine(reasons.join("\n")).replace(/^(error|cause):\s*/, "");
}

export function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.at(-1) ?? "no output";
}
