// Turns what nix prints on failure into a typed error that says what to do.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FlakeNotTrackedError, NixEvalError, ProcessFailedError, type HybridEnvError, type SourceLocation } from "./errors";

// Nix 2.8: error: getting status of '/nix/store/…-source/flake.nix': No such file or directory
const UNTRACKED_OLD = /getting status of '\/nix\/store\/[^/']+-source\/([^']+)': No such file or directory/;
// Newer Nix: error: Path 'flake.nix' in the repository "/x" is not tracked by Git.
const UNTRACKED_NEW = /Path '([^']+)' in the repository "[^"]*" is not tracked by Git/;
// A source position inside the flake's copy in the store: at /nix/store/…-source/flake.nix:7:12:
const AT_SOURCE = /\bat \/nix\/store\/[^/\s]+-source\/([^\s:]+):(\d+):(\d+)/;

export function classifyNixFailure(stderr: string, commandLine: string, exitCode: number, projectDir?: string): HybridEnvError {
  const detail = `${commandLine}\n${stderr}`;
  const untracked = UNTRACKED_OLD.exec(stderr) ?? UNTRACKED_NEW.exec(stderr);
  // Nix 2.8 says the same of a file that is untracked and of one that does not exist at all.
  if (untracked && (!projectDir || existsSync(join(projectDir, untracked[1]!)))) {
    return new FlakeNotTrackedError(untracked[1]!, detail);
  }
  if (untracked) return new NixEvalError(`${untracked[1]} does not exist`, undefined, detail);
  // Nix 2.8 cannot express a folder path with a space as a flake reference (encoded or not).
  const badUrl = /'([^']*\s[^']*)' is not a valid URL/.exec(stderr);
  if (badUrl) {
    return new NixEvalError(`this Nix cannot read a flake whose folder path contains a space (${badUrl[1]}); move the project or use a newer Nix`, undefined, detail);
  }

  const summary = errorSummary(stderr);
  if (summary) return new NixEvalError(summary, sourceLocation(stderr), detail);
  return new ProcessFailedError(commandLine, exitCode, stderr);
}

/** The innermost "error:" message: newer Nix prints a trace of "… while evaluating" lines first. */
export function errorSummary(stderr: string): string | undefined {
  let summary: string | undefined;
  const lines = stderr.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*error:\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    // "error:" alone starts a block whose message is on the following lines.
    const text = m[1] || (lines.slice(i + 1).find((l) => l.trim() && !l.trim().startsWith("…")) ?? "").trim();
    if (text) summary = text;
  }
  return summary;
}

/**
 * The position of the innermost error: the first "at …-source/…" after the last "error:" line.
 * Newer Nix prints a trace of outer frames (often inside nixpkgs) before it.
 */
export function sourceLocation(stderr: string): SourceLocation | undefined {
  const lastError = Math.max(0, ...[...stderr.matchAll(/^\s*error:/gm)].map((m) => m.index ?? 0));
  const m = AT_SOURCE.exec(stderr.slice(lastError)) ?? AT_SOURCE.exec(stderr);
  return m ? { file: m[1]!, line: Number(m[2]), column: Number(m[3]) } : undefined;
}
