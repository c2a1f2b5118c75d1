// Runs `nix print-dev-env --json` for a flake's devShell.
import { mkdirSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { parseDevEnv, type DevEnv } from "./devEnv";
import { InvalidInputError } from "./errors";
import type { Logger } from "./logger";
import type { EnvMap } from "./mutations";
import { classifyNixFailure, dirtyTreeExplanation, dirtyTreeWarning } from "./nixErrors";
import { NIX_TIMEOUT } from "./options";
import type { ProcessRunner } from "./process";
import { nixLogText, NixLogReader, type NixProgress } from "./progress/nixLog";

/** Harmless where flakes are already enabled; needed everywhere else (flakes are experimental). */
export const NIX_FEATURE_ARGS = ["--extra-experimental-features", "nix-command flakes"] as const;

export interface PrintDevEnvRequest {
  readonly nix: string;
  readonly dir: string;
  readonly devShell: string;
  /** Folder holding the profile that keeps the evaluated env alive as a GC root. */
  readonly gcRootDir: string;
  readonly env: EnvMap;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  /** Each stderr line that is progress worth showing. */
  readonly onProgress?: (line: string) => void;
  /** Gets the lines that are not progress (the dirty-tree warning), at debug level where it has one. */
  readonly log?: Logger;
  /** Build, download and copy counters from Nix's structured log, for progress displays. */
  readonly onActivity?: (progress: NixProgress) => void;
}

export function flakeRef(dir: string, devShell: string): string {
  // '#' and '?' would be read as fragment and query of the flake reference.
  if (/[#?]/.test(dir)) throw new InvalidInputError(`The folder path ${dir} contains '#' or '?', which Nix flake references cannot express.`);
  return `${dir}#${devShell}`;
}

export function printDevEnvArgs(req: PrintDevEnvRequest): string[] {
  return [
    "print-dev-env",
    "--json",
    // Structured log: real counters for progress; -v adds "evaluating file" events (progress while
    // nixpkgs evaluates). stderr is decoded back to plain text for the log and for errors.
    "--log-format",
    "internal-json",
    "-v",
    ...NIX_FEATURE_ARGS,
    "--profile",
    join(req.gcRootDir, "profile"),
    flakeRef(req.dir, req.devShell),
  ];
}

export async function printDevEnv(runner: ProcessRunner, req: PrintDevEnvRequest): Promise<DevEnv> {
  mkdirSync(req.gcRootDir, { recursive: true });
  const log = new NixLogReader(req.onActivity);
  const result = await runner.run(req.nix, printDevEnvArgs(req), {
    what: "nix print-dev-env",
    cwd: req.dir,
    env: req.env,
    signal: req.signal,
    timeoutMs: req.timeoutMs,
    timeoutRaisedBy: NIX_TIMEOUT,
    onStderrLine: (line) => {
      const text = log.feed(line);
      if (text !== undefined) onStderrLine(text, req);
    },
  });
  if (result.exitCode !== 0) throw classifyNixFailure(nixLogText(result.stderr), result.commandLine, result.exitCode, req.dir);
  pruneOldGenerations(req.gcRootDir);
  return parseDevEnv(result.stdout);
}

/** Nix warns that a Git tree is dirty on every evaluation of a repository with changes: not progress, and not a problem. */
function onStderrLine(line: string, req: PrintDevEnvRequest): void {
  const dirtyRepo = dirtyTreeWarning(line);
  if (dirtyRepo === undefined) return req.onProgress?.(line);
  const why = dirtyTreeExplanation(dirtyRepo);
  if (req.log?.debug) req.log.debug(why);
  else req.log?.info(why);
}

/**
 * Every --profile run may add a generation (profile-N-link), each a GC root. Keep the one the
 * profile points at, as nix-direnv does, so old environments can be collected; and any newer one,
 * which another writer (a second window, the CLI) may have made and be about to switch to.
 */
export function pruneOldGenerations(gcRootDir: string): void {
  let current: number | undefined;
  try {
    current = generationNumber(basename(readlinkSync(join(gcRootDir, "profile"))));
  } catch {
    return; // no profile link (yet): nothing is known to be old
  }
  if (current === undefined) return;
  for (const name of readdirSync(gcRootDir)) {
    const n = generationNumber(name);
    if (n !== undefined && n < current) rmSync(join(gcRootDir, name), { force: true });
  }
}

function generationNumber(name: string): number | undefined {
  const m = /^profile-(\d+)-link$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
