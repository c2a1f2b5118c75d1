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

export class NoPythonError extends HybridEnvError {
  readonly code = "no-python";
  constructor(devShell: string, detail: string) {
    super(
      `The devShell "${devShell}" has no python3 on its PATH. Add a Python (e.g. python3.withPackages) to the devShell's packages.`,
      { detail, actions: [openLog] },
    );
  }
}

export class UvSyncError extends HybridEnvError {
  readonly code = "uv-sync";
  constructor(
    readonly outputTail: string,
    detail: string,
  ) {
    super(`uv sync failed: ${lastLine(outputTail)}. See the log, fix pyproject.toml, then reload.`, {
      detail: `${detail}\n${outputTail}`,
      actions: [openLog],
    });
  }
}

/** `uv add` failed: uv's own reason, for the requirement the user gave (pyproject.toml is uv's to keep or restore). */
export class UvAddError extends HybridEnvError {
  readonly code = "uv-add";
  constructor(
    readonly requirement: string,
    readonly outputTail: string,
    detail: string,
  ) {
    super(`uv add ${requirement} failed: ${lastLine(outputTail)}`, {
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

export class TimedOutError extends HybridEnvError {
  readonly code = "timed-out";
  constructor(
    what: string,
    readonly timeoutMs: number,
    setting: string,
  ) {
    super(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s. Raise ${setting} or check the log.`, {
      actions: [openLog, { kind: "configure", label: "Configure", target: setting }],
    });
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

export function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.at(-1) ?? "no output";
}

export function isCancellation(err: unknown): boolean {
  return err instanceof CancelledError;
}
