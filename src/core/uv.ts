// Runs `uv sync` for the project, on the devShell's interpreter and inside the devShell's
// environment (so LD_LIBRARY_PATH and compilers from Nix apply to builds of sdists).
import { InvalidInputError, UvAddError, UvSyncError } from "./errors";
import { isValidRequirement } from "./packageName";
import type { EnvMap } from "./mutations";
import { UV_TIMEOUT } from "./options";
import type { ProcessRunner } from "./process";
import { UvLogReader, type UvProgress } from "./progress/uvLog";

export interface UvSyncRequest {
  readonly uv: string;
  readonly dir: string;
  /** Undefined for uv-only projects: uv picks a system interpreter. */
  readonly python?: string;
  readonly venvDir: string;
  readonly env: EnvMap;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  readonly onProgress?: (line: string) => void;
  /** uv's phases (resolving, preparing, installing) read from the same lines, for progress displays. */
  readonly onPhase?: (progress: UvProgress) => void;
  /** Distributions uv must not install (`--no-install-package`, once per name): Nix provides them. */
  readonly noInstall?: readonly string[];
}

/** The environment of our own uv calls; UV_PYTHON stays here and never reaches the user. */
export function uvEnv(base: EnvMap, venvDir: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  // uv must not download a CPython of its own (it does not run on NixOS) nor prefer one.
  env.UV_PYTHON_DOWNLOADS = "never";
  env.UV_PYTHON_PREFERENCE = "only-system";
  // The interpreter is passed with --python; a VIRTUAL_ENV of another venv only draws a warning.
  delete env.UV_PYTHON;
  if (env.VIRTUAL_ENV !== venvDir) delete env.VIRTUAL_ENV;
  return env;
}

export function uvSyncArgs(req: Pick<UvSyncRequest, "python" | "noInstall">): string[] {
  return ["sync", ...(req.python ? ["--python", req.python] : []), ...noInstallArgs(req.noInstall)];
}

/**
 * `--no-install-package NAME` per name. uv's exact sync then also removes a copy it installed
 * before, and installs the package again on a later sync without the flag (measured, uv 0.13.9).
 */
export function noInstallArgs(names: readonly string[] | undefined): string[] {
  return (names ?? []).filter((n) => /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(n)).flatMap((n) => ["--no-install-package", n]);
}

export async function uvSync(runner: ProcessRunner, req: UvSyncRequest): Promise<void> {
  const phases = new UvLogReader(req.onPhase);
  const result = await runner.run(req.uv, uvSyncArgs(req), {
    what: "uv sync",
    cwd: req.dir,
    env: uvEnv(req.env, req.venvDir),
    signal: req.signal,
    timeoutMs: req.timeoutMs,
    timeoutRaisedBy: UV_TIMEOUT,
    onStderrLine: (line) => {
      phases.feed(line);
      req.onProgress?.(line);
    },
  });
  if (result.exitCode !== 0) throw new UvSyncError(tail(result.stderr, 15), result.commandLine);
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export interface UvAddRequest extends Omit<UvSyncRequest, "onProgress"> {
  // noInstall (inherited): what the load skips, so that uv add's own sync does not install it.
  /** Already validated with isValidRequirement. */
  readonly requirement: string;
}

/** `uv add REQ`: edits pyproject.toml, locks and syncs, on the same interpreter as uv sync. */
export async function uvAdd(runner: ProcessRunner, req: UvAddRequest): Promise<void> {
  if (!isValidRequirement(req.requirement)) throw new InvalidInputError(`"${req.requirement}" is not a package requirement (e.g. requests or numpy>=1.26).`);
  const result = await runner.run(req.uv, ["add", ...(req.python ? ["--python", req.python] : []), ...noInstallArgs(req.noInstall), "--", req.requirement], {
    what: "uv add",
    cwd: req.dir,
    env: uvEnv(req.env, req.venvDir),
    signal: req.signal,
    timeoutMs: req.timeoutMs,
    timeoutRaisedBy: UV_TIMEOUT,
  });
  if (result.exitCode !== 0) throw new UvAddError(req.requirement, tail(result.stderr, 15), result.commandLine);
}
