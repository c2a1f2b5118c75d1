// Turns what nix prints on failure into a typed error that says what to do. The texts differ between
// Nix versions: each pattern names the versions it was recorded from (test/fixtures/nix-messages/
// holds the recorded texts; test/integration/nixMessages.test.ts checks them against the real Nix).
import {
  DevShellNotFoundError,
  FlakeNotTrackedError,
  InvalidInputError,
  NixEvalError,
  NixFeatureDisabledError,
  ProcessFailedError,
  type HybridEnvError,
  type SourceLocation,
} from "./errors";
import { fileInProject, locationFile } from "./nixPaths";

// 2.8: error: getting status of '/nix/store/…-source/flake.nix': No such file or directory
const UNTRACKED_OLD = /getting status of '\/nix\/store\/[^/']+-source(?:\/([^']*))?': No such file or directory/;
// 2.30: error: Path 'flake.nix' in the repository "/x" is not tracked by Git. (then its own git hint)
const UNTRACKED_NEW = /Path '([^']+)' in the repository "([^"]*)" is not tracked by Git/;
// 2.8 and 2.30: error: flake 'git+file:///x' does not provide attribute 'devShells.x86_64-linux.nope', …
const NO_ATTRIBUTE = /flake '[^']*' does not provide attribute '(devShells\.[^.']+\.([^']+))'/;
// 2.8: … is disabled; use '--extra-experimental-features flakes' to override
// 2.30: … is disabled; add '--extra-experimental-features flakes' to enable it
const FEATURE_DISABLED = /experimental Nix feature '([^']+)' is disabled/;
// 2.8 (Nix 2.19 reads such paths): error: '/a b#default' is not a valid URL
const SPACE_IN_URL = /'([^']*\s[^']*)' is not a valid URL/;
// 2.8 and 2.30, on every evaluation of a repository with uncommitted changes: not an error.
const DIRTY_TREE = /^warning: Git tree '([^']*)' is dirty$/;
// A source position: 2.8 names the flake's copy in the store (at /nix/store/…-source/flake.nix:7:12:),
// 2.30 the file in the working tree (at /home/u/p/flake.nix:7:12:).
const AT_POSITION = /\bat (\/[^\s:]+):(\d+):(\d+)/g;

export function classifyNixFailure(stderr: string, commandLine: string, exitCode: number, projectDir?: string): HybridEnvError {
  const detail = `${commandLine}\n${stderr}`;
  const untracked = untrackedFile(stderr, projectDir);
  if (untracked?.exists) return new FlakeNotTrackedError(untracked.file, detail);
  if (untracked) return new NixEvalError(`${untracked.file} does not exist`, undefined, detail);
  const noShell = NO_ATTRIBUTE.exec(stderr);
  if (noShell) return new DevShellNotFoundError(noShell[2]!, noShell[1]!, detail);
  const feature = FEATURE_DISABLED.exec(stderr);
  if (feature) return new NixFeatureDisabledError(feature[1]!, detail);
  const badUrl = SPACE_IN_URL.exec(stderr);
  if (badUrl) {
    const message = `This Nix (before 2.19) cannot read a flake whose folder path contains a space (${badUrl[1]}). Upgrade Nix (2.19 and later read such paths) or move the project to a path without spaces.`;
    return new InvalidInputError(message, { detail });
  }
  const summary = errorSummary(stderr);
  if (summary) return new NixEvalError(summary, sourceLocation(stderr, projectDir), detail);
  return new ProcessFailedError(commandLine, exitCode, withoutNotes(stderr));
}

/**
 * The file Nix could not see, relative to the project folder. Both versions name it relative to the
 * repository root (the flake may sit in a sub-folder of the repository), and a whole untracked
 * folder by its own name: then the file to track is the project's flake.nix.
 */
function untrackedFile(stderr: string, projectDir?: string): { file: string; exists: boolean } | undefined {
  const old = UNTRACKED_OLD.exec(stderr);
  const recent = old ? undefined : UNTRACKED_NEW.exec(stderr);
  if (!old && !recent) return undefined;
  const repoRelative = old ? (old[1] ?? "") : recent![1]!;
  if (!projectDir) return { file: repoRelative || "flake.nix", exists: true };
  return fileInProject(repoRelative, projectDir, recent?.[2]);
}

/** The dirty-tree warning's repository, or undefined for any other line. */
export function dirtyTreeWarning(line: string): string | undefined {
  return DIRTY_TREE.exec(line.trim())?.[1];
}

/** Why the warning appears, for the log: users ask, and it is harmless. */
export function dirtyTreeExplanation(repo: string): string {
  return (
    `nix: warning: Git tree '${repo}' is dirty — not an error: Nix says so whenever tracked files differ from the last commit ` +
    "(an edited file, one added with git add or git add -N, a tracked uv.lock that uv sync rewrote) or the repository has no commit yet; " +
    "it then evaluates the files as they are in the working tree. Untracked files are invisible to Nix and do not count."
  );
}

/** stderr without the lines that are never the reason for a failure. */
function withoutNotes(stderr: string): string {
  return stderr
    .split("\n")
    .filter((l) => dirtyTreeWarning(l) === undefined)
    .join("\n");
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
 * The position of the innermost error in the project's files: the first position after the last
 * "error:" line that is one of them (newer Nix prints a trace of outer frames, often inside
 * nixpkgs, before it), else the first one anywhere.
 */
export function sourceLocation(stderr: string, projectDir?: string): SourceLocation | undefined {
  const lastError = Math.max(0, ...[...stderr.matchAll(/^\s*error:/gm)].map((m) => m.index ?? 0));
  const find = (text: string) => {
    for (const m of text.matchAll(AT_POSITION)) {
      const file = locationFile(m[1]!, projectDir);
      if (file !== undefined) return { file, line: Number(m[2]), column: Number(m[3]) };
    }
    return undefined;
  };
  return find(stderr.slice(lastError)) ?? find(stderr);
}
