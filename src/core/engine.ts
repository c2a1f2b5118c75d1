// The engine: turns a project folder into one HybridEnvironment. Warm loads come from the cache
// and start no process; cold loads run nix, the shellHook, a Python probe and uv sync, in order.
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { cacheKey, EnvironmentCache, keyFiles } from "./cache";
import { detectProject, type Project } from "./detect";
import { exportedVariables, shellHookOf } from "./devEnv";
import type { HybridEnvironment, LoadStep, PythonSummary } from "./environment";
import { CancelledError, HybridEnvError, InvalidInputError, NotAProjectError } from "./errors";
import type { Logger } from "./logger";
import { devShellMutations, normalize, resolve, type EnvMap, type Mutation } from "./mutations";
import { printDevEnv } from "./nix";
import { isValidDevShellName, type EngineOptions } from "./options";
import type { ProcessRunner } from "./process";
import { findDevShellPython, findPythonIn, probePythonCached } from "./python";
import { withPythonLayer } from "./pythonLayer";
import { evaluateShellHook } from "./shellHook";
import { findInDirs, findNix, findUv, pathDirs, toolIdentity } from "./tools";
import { uvSync } from "./uv";

export interface LoadRequest {
  readonly dir: string;
  readonly options: EngineOptions;
  /** The user's environment, which the result's mutations apply to. */
  readonly baseEnv: EnvMap;
  readonly runner: ProcessRunner;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: LoadStep) => void;
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
    return { environment: lastGood, key: currentKey(req), fromCache: true, failure: err };
  }
}

async function evaluate(req: LoadRequest, project: Project, cache: EnvironmentCache): Promise<HybridEnvironment> {
  const { options, baseEnv, runner, signal } = req;
  const timings: Record<string, number> = {};
  const timed = async <T>(step: LoadStep, work: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new CancelledError("loading the environment");
    req.onStep?.(step);
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round(performance.now() - t0);
    }
  };

  const mutations: Mutation[] = [];
  let env: Record<string, string> = resolve(baseEnv, []);
  let python: PythonSummary = {};
  let wrapperSitePackages: readonly string[] = [];

  if (project.flakePath) {
    const nix = findNix(options.nixPath, baseEnv);
    const devEnv = await timed("nix", () =>
      printDevEnv(runner, {
        nix,
        dir: project.dir,
        devShell: project.devShell,
        gcRootDir: cache.gcRootDir,
        env: baseEnv,
        signal,
        timeoutMs: options.nixTimeoutMs,
        onProgress: (line) => req.log.info(`nix: ${line}`),
      }),
    );
    mutations.push(...devShellMutations(exportedVariables(devEnv)));
    env = resolve(baseEnv, mutations);
    // The Python probe does not depend on the hook: start it now and let the two overlap.
    const probe = (interpreter: string, probeEnv: EnvMap) =>
      probePythonCached(runner, interpreter, probeEnv, { cwd: project.dir, signal, timeoutMs: options.nixTimeoutMs, cacheDir: options.cacheDir });
    const earlyPython = project.pyprojectPath ? findPythonIn(devShellPathDirs(env, baseEnv)) : undefined;
    const earlyProbe = earlyPython ? probe(earlyPython, env) : undefined;
    earlyProbe?.catch(() => undefined); // awaited below, or superseded; never unhandled

    const hook = shellHookOf(devEnv);
    if (options.runShellHook && hook.trim()) {
      const hookMutations = await timed("shellHook", () =>
        evaluateShellHook(runner, {
          bash: findInDirs("bash", devShellPathDirs(env, baseEnv)) ?? findInDirs("bash", ["/bin", "/usr/bin", ...pathDirs(baseEnv)]) ?? "bash",
          devEnv,
          env: { ...env, shellHook: hook },
          cwd: project.dir,
          signal,
          timeoutMs: options.nixTimeoutMs,
          onOutputLine: (line) => req.log.info(`shellHook: ${line}`),
        }),
      );
      mutations.push(...hookMutations);
      env = resolve(baseEnv, mutations);
    }
    if (project.pyprojectPath) {
      // The hook may have put another python first; then that one is the devShell's.
      const interpreter = findDevShellPython(devShellPathDirs(env, baseEnv), project.devShell);
      const info = await timed("python", () => (interpreter === earlyPython && earlyProbe ? earlyProbe : probe(interpreter, env)));
      python = { devShellInterpreter: interpreter, version: info.version, uvInterpreter: info.uvInterpreter };
      wrapperSitePackages = info.wrapperSitePackages;
    }
  }

  if (project.pyprojectPath) {
    const uv = findUv(options.uvPath, devShellPathDirs(env, baseEnv), baseEnv);
    await timed("uv", () =>
      uvSync(runner, {
        uv,
        dir: project.dir,
        python: python.uvInterpreter,
        venvDir: project.venvDir,
        env,
        signal,
        timeoutMs: options.uvTimeoutMs,
        onProgress: (line) => req.log.info(`uv: ${line}`),
      }),
    );
    mutations.push(...venvActivation(project.venvDir));
    python = { ...python, venvPython: join(project.venvDir, "bin", "python") };
  }

  // Nix's site-packages go in front, as PYTHONPATH does inside `nix develop`.
  const onPath = new Set((resolve(baseEnv, mutations).PYTHONPATH ?? "").split(delimiter));
  const missing = wrapperSitePackages.filter((p) => !onPath.has(p) && existsSync(p));
  if (missing.length > 0) mutations.push({ name: "PYTHONPATH", op: "prepend", value: missing.join(delimiter), separator: delimiter });

  return {
    project,
    mutations: normalize(mutations),
    python,
    createdAt: new Date().toISOString(),
    timings,
    gcRoot: project.flakePath ? join(cache.gcRootDir, "profile") : undefined,
  };
}

/** What `source .venv/bin/activate` does. */
export function venvActivation(venvDir: string): Mutation[] {
  return [
    { name: "VIRTUAL_ENV", op: "replace", value: venvDir },
    { name: "PATH", op: "prepend", value: join(venvDir, "bin"), separator: delimiter },
    { name: "PYTHONHOME", op: "unset" },
  ];
}

/** PATH entries the devShell (and its hook) added in front of the user's. */
function devShellPathDirs(env: EnvMap, baseEnv: EnvMap): string[] {
  const userDirs = new Set(pathDirs(baseEnv));
  return pathDirs(env).filter((d) => !userDirs.has(d));
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
