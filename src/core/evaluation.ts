// A cold load, one named step after another: the devShell (nix), its shellHook, the Python probe,
// uv sync, and Nix's site-packages on PYTHONPATH. Each step adds mutations; `env` is always the
// user's environment with them applied, which is what the next step runs in.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { EnvironmentCache } from "./cache";
import { venvDirFor, type Project } from "./detect";
import { exportedVariables, shellHookOf, type DevEnv } from "./devEnv";
import type { LoadRequest } from "./engine";
import type { HybridEnvironment, LoadStep, PythonSummary } from "./environment";
import { CancelledError } from "./errors";
import { devShellMutations, normalize, resolve, type Mutation } from "./mutations";
import { printDevEnv } from "./nix";
import { findDevShellPython, findPythonIn, probePythonCached, type PythonInfo } from "./python";
import { evaluateShellHook } from "./shellHook";
import { findInDirs, findNix, findUv, pathDirs } from "./tools";
import { syncLeavingNixProvided } from "./nixProvided/sync";
import type { NixProvidedReport } from "./nixProvided/report";
import type { MarkerEnvironment } from "./pep508";

/** What a cold load has built so far. */
class Evaluation {
  readonly mutations: Mutation[] = [];
  readonly timings: Record<string, number> = {};
  env: Record<string, string>;

  constructor(
    readonly req: LoadRequest,
    readonly project: Project,
  ) {
    this.env = resolve(req.baseEnv, []);
  }

  add(mutations: readonly Mutation[]): void {
    this.mutations.push(...mutations);
    this.env = resolve(this.req.baseEnv, this.mutations);
  }

  /** Runs one step: reports it, times it, and stops first if the load was cancelled. */
  async timed<T>(step: LoadStep, work: () => Promise<T>): Promise<T> {
    if (this.req.signal?.aborted) throw new CancelledError("loading the environment");
    this.req.onStep?.(step);
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.timings[step] = Math.round(performance.now() - t0);
    }
  }

  /**
   * PATH entries the devShell (and its hook) added, in PATH order. Read from the PATH mutations,
   * not by comparing with the user's PATH: that PATH may hold the devShell's folders already
   * (VS Code's extension host after direnv's `use flake`, a `nix develop` shell), which would
   * hide the devShell's python3.
   */
  devShellPathDirs(): string[] {
    const userDirs = new Set(pathDirs(this.req.baseEnv));
    let dirs: string[] = [];
    for (const m of this.mutations) {
      if (m.name !== "PATH" || m.op === "unset") continue;
      const added = pathDirs({ PATH: m.value });
      if (m.op === "prepend") dirs = [...added, ...dirs];
      else if (m.op === "append") dirs = [...dirs, ...added];
      else dirs = added.filter((d) => !userDirs.has(d)); // a replaced PATH: what it has beyond the user's
    }
    return [...new Set(dirs)];
  }
}

export async function evaluate(req: LoadRequest, detected: Project, cache: EnvironmentCache): Promise<HybridEnvironment> {
  const ev = new Evaluation(req, detected);
  let python: PythonSummary = {};
  let wrapperSitePackages: readonly string[] = [];
  let markers: MarkerEnvironment | undefined;
  let nixProvided: NixProvidedReport | undefined;
  if (detected.flakePath) {
    const devEnv = await nixStep(ev, cache.gcRootDir);
    const earlyProbe = startEarlyProbe(ev);
    await shellHookStep(ev, devEnv);
    if (detected.pyprojectPath) ({ python, wrapperSitePackages, markers } = await pythonStep(ev, earlyProbe));
  }
  // The devShell or its hook may have moved the venv (UV_PROJECT_ENVIRONMENT): uv will follow it.
  const project: Project = { ...detected, venvDir: venvDirFor(detected.dir, ev.env) };
  if (project.pyprojectPath) ({ python, nixProvided } = await uvStep(ev, project.venvDir, python, { wrapperSitePackages, markers }));
  pythonPathStep(ev, wrapperSitePackages);
  return {
    project,
    mutations: normalize(ev.mutations),
    python,
    createdAt: new Date().toISOString(),
    timings: ev.timings,
    gcRoot: project.flakePath ? join(cache.gcRootDir, "profile") : undefined,
    ...(nixProvided ? { nixProvided } : {}),
  };
}

/**
 * The environment inside the devShell, its shellHook applied: nix and bash run, the Python probe
 * and uv do not. What tells where the venv is before anything is synced.
 */
export async function devShellEnvironment(req: LoadRequest, project: Project, cache: EnvironmentCache): Promise<Record<string, string>> {
  const ev = new Evaluation(req, project);
  if (project.flakePath) await shellHookStep(ev, await nixStep(ev, cache.gcRootDir));
  return ev.env;
}

/** `nix print-dev-env`: the devShell's exported variables, applied as `nix develop` does. */
async function nixStep(ev: Evaluation, gcRootDir: string): Promise<DevEnv> {
  const { req, project } = ev;
  const nix = findNix(req.options.nixPath, req.baseEnv);
  const devEnv = await ev.timed("nix", () =>
    printDevEnv(req.runner, {
      nix,
      dir: project.dir,
      devShell: project.devShell,
      gcRootDir,
      env: req.baseEnv,
      signal: req.signal,
      timeoutMs: req.options.nixTimeoutMs,
      onProgress: (line) => req.log.debug?.(`nix: ${line}`),
      onActivity: (nix) => req.onProgress?.({ tool: "nix", nix }),
      log: req.log,
    }),
  );
  ev.add(devShellMutations(exportedVariables(devEnv)));
  return devEnv;
}

/** The devShell's shellHook in bash; the exported variables it changes are kept. */
async function shellHookStep(ev: Evaluation, devEnv: DevEnv): Promise<void> {
  const { req, project } = ev;
  const hook = shellHookOf(devEnv);
  if (!req.options.runShellHook || !hook.trim()) return;
  const bash = findInDirs("bash", ev.devShellPathDirs()) ?? findInDirs("bash", ["/bin", "/usr/bin", ...pathDirs(req.baseEnv)]) ?? "bash";
  const hookMutations = await ev.timed("shellHook", () =>
    evaluateShellHook(req.runner, {
      bash,
      devEnv,
      env: { ...ev.env, shellHook: hook },
      cwd: project.dir,
      signal: req.signal,
      timeoutMs: req.options.nixTimeoutMs,
      onOutputLine: (line) => req.log.debug?.(`shellHook: ${line}`),
    }),
  );
  ev.add(hookMutations);
}

interface EarlyProbe {
  readonly interpreter: string;
  readonly info: Promise<PythonInfo>;
}

function probe(ev: Evaluation, interpreter: string): Promise<PythonInfo> {
  const { req, project } = ev;
  return probePythonCached(req.runner, interpreter, ev.env, {
    cwd: project.dir,
    devShell: project.devShell,
    signal: req.signal,
    timeoutMs: req.options.nixTimeoutMs,
    cacheDir: req.options.cacheDir,
  });
}

/** The Python probe does not depend on the hook: start it before the hook and let the two overlap. */
function startEarlyProbe(ev: Evaluation): EarlyProbe | undefined {
  if (!ev.project.pyprojectPath) return undefined;
  const interpreter = findPythonIn(ev.devShellPathDirs());
  if (!interpreter) return undefined;
  const info = probe(ev, interpreter);
  info.catch(() => undefined); // awaited in pythonStep, or superseded; never unhandled
  return { interpreter, info };
}

/** The devShell's python3, and what uv gets instead of a python.withPackages wrapper. */
async function pythonStep(ev: Evaluation, early: EarlyProbe | undefined): Promise<{ python: PythonSummary; wrapperSitePackages: readonly string[]; markers?: MarkerEnvironment }> {
  // The hook may have put another python first; then that one is the devShell's.
  const interpreter = findDevShellPython(ev.devShellPathDirs(), ev.project.devShell);
  const info = await ev.timed("python", () => (early?.interpreter === interpreter ? early.info : probe(ev, interpreter)));
  return {
    python: { devShellInterpreter: interpreter, version: info.version, uvInterpreter: info.uvInterpreter },
    wrapperSitePackages: info.wrapperSitePackages,
    markers: info.markers,
  };
}

/**
 * `uv sync` on that interpreter, inside the devShell's environment, leaving to Nix the packages
 * it provides (nixProvided/sync.ts); then the venv is activated.
 */
async function uvStep(
  ev: Evaluation,
  venvDir: string,
  python: PythonSummary,
  nix: { wrapperSitePackages: readonly string[]; markers?: MarkerEnvironment },
): Promise<{ python: PythonSummary; nixProvided?: NixProvidedReport }> {
  const { req, project } = ev;
  const uv = findUv(req.options.uvPath, ev.devShellPathDirs(), req.baseEnv);
  const nixProvided = await ev.timed("uv", () =>
    syncLeavingNixProvided(req.runner, {
      uv,
      dir: project.dir,
      python: python.uvInterpreter,
      venvDir,
      env: ev.env,
      signal: req.signal,
      timeoutMs: req.options.uvTimeoutMs,
      onProgress: (line) => req.log.debug?.(`uv: ${line}`),
      onPhase: (uv) => req.onProgress?.({ tool: "uv", uv }),
      skipNixProvided: req.options.skipNixProvided !== false,
      uvInstalls: req.options.uvInstalls,
      pythonPath: ev.env.PYTHONPATH,
      wrapperSitePackages: nix.wrapperSitePackages,
      markers: nix.markers,
      pyprojectPath: project.pyprojectPath,
      log: req.log,
    }),
  );
  ev.add(venvActivation(venvDir));
  return { python: { ...python, venvPython: join(venvDir, "bin", "python") }, nixProvided };
}

/** Nix's site-packages go in front, as PYTHONPATH does inside `nix develop`. */
function pythonPathStep(ev: Evaluation, wrapperSitePackages: readonly string[]): void {
  const onPath = new Set((ev.env.PYTHONPATH ?? "").split(delimiter));
  const missing = wrapperSitePackages.filter((p) => !onPath.has(p) && existsSync(p));
  if (missing.length > 0) ev.add([{ name: "PYTHONPATH", op: "prepend", value: missing.join(delimiter), separator: delimiter }]);
}

/** What `source .venv/bin/activate` does. */
export function venvActivation(venvDir: string): Mutation[] {
  return [
    { name: "VIRTUAL_ENV", op: "replace", value: venvDir },
    { name: "PATH", op: "prepend", value: join(venvDir, "bin"), separator: delimiter },
    { name: "PYTHONHOME", op: "unset" },
  ];
}
