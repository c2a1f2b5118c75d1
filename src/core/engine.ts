// The engine: turns a project folder into one HybridEnvironment. Warm loads come from the cache
// and start no process; cold loads run nix, the shellHook, a Python probe and uv sync, in order
// (evaluation.ts).
import type { LoadProgress } from "./progress/describe";
import { existsSync, readFileSync } from "node:fs";
import { cacheKey, EnvironmentCache, keyFiles } from "./cache";
import { detectProject, venvDirFor, type Project } from "./detect";
import type { HybridEnvironment, LoadStep } from "./environment";
import { CancelledError, HybridEnvError, InvalidInputError, NotAProjectError } from "./errors";
import { devShellEnvironment, evaluate } from "./evaluation";
import type { Logger } from "./logger";
import type { EnvMap } from "./mutations";
import { isValidDevShellName, type EngineOptions } from "./options";
import type { ProcessRunner } from "./process";
import { findNix, findUv, toolIdentity } from "./tools";
import { withPythonLayer } from "./pythonLayer";

export interface LoadRequest {
  readonly dir: string;
  readonly options: EngineOptions;
  /** The user's environment, which the result's mutations apply to. */
  readonly baseEnv: EnvMap;
  readonly runner: ProcessRunner;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: LoadStep) => void;
  /** Counters of the running step (Nix builds and downloads, uv phases), for progress displays. */
  readonly onProgress?: (progress: LoadProgress) => void;
}

export interface LoadResult {
  readonly environment: HybridEnvironment;
  /** The files' cache key when the load ended (see currentKey): what a front end compares with later. */
  readonly key: string;
  readonly fromCache: boolean;
  /** Set when a fresh evaluation failed and `environment` is the last good one. */
  readonly failure?: HybridEnvError;
}

export function prepare(req: Pick<LoadRequest, "dir" | "options" | "baseEnv">) {
  if (!isValidDevShellName(req.options.devShell)) {
    throw new InvalidInputError(`"${req.options.devShell}" is not a valid devShell name (letters, digits, _ ' -).`);
  }
  const project = detectProject(req.dir, req.options.devShell, req.baseEnv);
  if (project.kind === "none") {
    throw new NotAProjectError(`${project.dir} has neither flake.nix nor pyproject.toml: nothing to load.`);
  }
  const cache = new EnvironmentCache(req.options.cacheDir, project.dir);
  return { project, cache };
}

function keyFor(project: Project, req: Pick<LoadRequest, "options" | "baseEnv">): string {
  const nix = project.flakePath ? safe(() => findNix(req.options.nixPath, req.baseEnv)) : undefined;
  const uv = project.pyprojectPath ? safe(() => findUv(req.options.uvPath, [], req.baseEnv)) : undefined;
  return cacheKey({
    project,
    options: req.options,
    nixIdentity: nix ? toolIdentity(nix) : "none",
    uvIdentity: uv ? toolIdentity(uv) : "none",
  });
}

/**
 * The cache key of the folder's files as they are now (a few reads and a hash, no process): a
 * front end compares it with the key it loaded to tell a real change from its own uv.lock write.
 */
export function currentKey(req: Pick<LoadRequest, "dir" | "options" | "baseEnv">): string {
  return keyFor(prepare(req).project, req);
}

/**
 * The cached environment for the folder as it is now, without starting any process, with the key
 * it was found under.
 */
export function cachedEnvironment(req: Pick<LoadRequest, "dir" | "options" | "baseEnv"> & { log?: Logger }): { environment: HybridEnvironment; key: string } | undefined {
  const { project, cache } = prepare(req);
  return withPythonLayer(lookup(project, cache, req), req);
}

function lookup(project: Project, cache: EnvironmentCache, req: Pick<LoadRequest, "options" | "baseEnv">) {
  const key = keyFor(project, req);
  const environment = cache.read(key);
  // A venv deleted behind our back makes the entry a lie.
  if (!environment || (environment.python.venvPython && !existsSync(environment.python.venvPython))) return undefined;
  return { environment, key };
}

/** Loads the environment and brings the venv's Python layer in line with it (pythonLayer.ts). */
export async function loadEnvironment(req: LoadRequest): Promise<LoadResult> {
  return withPythonLayer(await loadWithoutLayer(req), req);
}

async function loadWithoutLayer(req: LoadRequest): Promise<LoadResult> {
  const { project, cache } = prepare(req);
  if (req.options.useCache) {
    req.onStep?.("cache");
    const cached = lookup(project, cache, req);
    if (cached) {
      req.log.info(`cache hit for ${project.dir}`);
      req.onStep?.("done");
      return { ...cached, fromCache: true };
    }
  }
  const before = digests(project);
  try {
    const environment = await evaluate(req, project, cache);
    const after = detectProject(project.dir, project.devShell, req.baseEnv);
    const key = keyFor(after, req);
    // uv sync may create or update uv.lock; any other change means we evaluated an older state.
    if (sameExceptUvLock(before, digests(after))) cache.write(key, environment);
    else req.log.warn("project files changed during the load: result not cached");
    req.onStep?.("done");
    return { environment, key, fromCache: false };
  } catch (err) {
    if (err instanceof CancelledError || !(err instanceof HybridEnvError)) throw err;
    const lastGood = cache.lastGood();
    if (!lastGood) throw err;
    req.log.warn(`${err.message} — serving the last good environment from ${lastGood.createdAt}`);
    req.onStep?.("done");
    return { environment: lastGood, key: currentKey(req), fromCache: true, failure: err };
  }
}

/**
 * Where the project's venv is. The devShell or its shellHook may set UV_PROJECT_ENVIRONMENT, so the
 * host's view (detectProject) is only a guess: this asks the cached environment of the files as
 * they are, else evaluates the devShell (nix and the shellHook; no Python probe, no uv).
 */
export async function projectVenvDir(req: LoadRequest): Promise<string> {
  const { project, cache } = prepare(req);
  // The venv itself may be missing or broken (that is why one resets it): read, do not lookup().
  const cached = req.options.useCache ? cache.read(keyFor(project, req)) : undefined;
  if (cached) return cached.project.venvDir;
  return venvDirFor(project.dir, await devShellEnvironment(req, project, cache));
}

function digests(project: Project): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of keyFiles(project)) out.set(f, safe(() => readFileSync(f, "latin1")) ?? "<missing>");
  return out;
}

function sameExceptUvLock(a: Map<string, string>, b: Map<string, string>): boolean {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].every((f) => f.endsWith("uv.lock") || a.get(f) === b.get(f));
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
