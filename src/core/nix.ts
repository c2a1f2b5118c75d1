// Runs `nix print-dev-env --json` for a flake's devShell.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseDevEnv, type DevEnv } from "./devEnv";
import { InvalidInputError } from "./errors";
import type { EnvMap } from "./mutations";
import { classifyNixFailure } from "./nixErrors";
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
  /** Nix's messages and build output as plain text lines (the structured log decoded). */
  readonly onProgress?: (line: string) => void;
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
    timeoutSetting: "hybridEnv.nixTimeoutSeconds",
    onStderrLine: (line) => {
      const text = log.feed(line);
      if (text !== undefined) req.onProgress?.(text);
    },
  });
  if (result.exitCode !== 0) throw classifyNixFailure(nixLogText(result.stderr), result.commandLine, result.exitCode, req.dir);
  pruneOldGenerations(req.gcRootDir);
  return parseDevEnv(result.stdout);
}

/**
 * Every --profile run adds a generation (profile-N-link), each a GC root. Keep only the one the
 * profile points at, as nix-direnv does, so old environments can be collected.
 */
function pruneOldGenerations(gcRootDir: string): void {
  const links = readdirSync(gcRootDir).filter((n) => /^profile-\d+-link$/.test(n));
  const newest = Math.max(...links.map((n) => Number(n.split("-")[1])));
  for (const name of links) {
    if (Number(name.split("-")[1]) !== newest) rmSync(join(gcRootDir, name), { force: true });
  }
}
