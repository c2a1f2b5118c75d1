// The devShell's Python interpreter, and what uv should be given instead of it.
//
// python.withPackages (and anything with a pyvenv.cfg) makes an interpreter whose sys.prefix is
// not its sys.base_prefix. uv then treats it like a virtual environment and may try to take a lock
// inside the read-only /nix/store (uv issue 7395). uv 0.13 copes, older ones do not; either way
// the .venv it builds points at the base interpreter and no longer sees the Nix packages. So uv
// gets the base interpreter, and the wrapper's site-packages go on PYTHONPATH, where they come
// before the venv's site-packages, as they do inside `nix develop`.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite } from "./cache";
import { lastLine, NoPythonError, PythonProbeError } from "./errors";
import type { EnvMap } from "./mutations";
import { NIX_TIMEOUT } from "./options";
import type { ProcessRunner } from "./process";
import { findInDirs, isExecutableFile } from "./tools";

export interface PythonInfo {
  /** The devShell's python3 (possibly a wrapper). */
  readonly interpreter: string;
  readonly version: string;
  readonly prefix: string;
  readonly basePrefix: string;
  /** The interpreter uv is given: the wrapper's base when it is wrapped. */
  readonly uvInterpreter: string;
  /** The wrapper's own site-packages when wrapped (these must reach PYTHONPATH), else []. */
  readonly wrapperSitePackages: readonly string[];
  /** PEP 508 marker variables of this interpreter (python_version, sys_platform …), for evaluating requirements. */
  readonly markers?: Readonly<Record<string, string>>;
}

const PROBE = [
  "import json, os, platform, sys, sysconfig",
  "i = sys.implementation; iv = '%d.%d.%d' % i.version[:3] + ('' if i.version.releaselevel == 'final' else i.version.releaselevel[0] + str(i.version.serial))",
  // The PEP 508 environment, as packaging.markers.default_environment() computes it.
  "m = {'implementation_name': i.name, 'implementation_version': iv, 'os_name': os.name, 'platform_machine': platform.machine(),",
  " 'platform_release': platform.release(), 'platform_system': platform.system(), 'platform_version': platform.version(),",
  " 'python_full_version': platform.python_version(), 'platform_python_implementation': platform.python_implementation(),",
  " 'python_version': '.'.join(platform.python_version_tuple()[:2]), 'sys_platform': sys.platform}",
  "print(json.dumps({'version': '%d.%d.%d' % sys.version_info[:3], 'prefix': sys.prefix,",
  " 'base_prefix': sys.base_prefix, 'base_executable': getattr(sys, '_base_executable', ''),",
  " 'purelib': sysconfig.get_paths()['purelib'], 'platlib': sysconfig.get_paths()['platlib'], 'markers': m}))",
].join("\n");

interface ProbeOutput {
  version: string;
  prefix: string;
  base_prefix: string;
  base_executable: string;
  purelib: string;
  platlib: string;
  markers?: Record<string, string>;
}

/** python3 on the PATH entries the devShell added (the user's own python does not count). */
export function findPythonIn(dirs: readonly string[]): string | undefined {
  return findInDirs("python3", dirs) ?? findInDirs("python", dirs);
}

export interface ProbeOptions {
  readonly cwd: string;
  /** The devShell the interpreter comes from, named in errors. */
  readonly devShell: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
}

export function findDevShellPython(devShellPathDirs: readonly string[], devShell: string): string {
  const found = findPythonIn(devShellPathDirs);
  if (!found) throw new NoPythonError(devShell, `searched: ${devShellPathDirs.join(", ") || "(the devShell adds nothing to PATH)"}`);
  return found;
}

export async function probePython(
  runner: ProcessRunner,
  interpreter: string,
  env: EnvMap,
  opts: ProbeOptions,
): Promise<PythonInfo> {
  // -I: ignore PYTHONPATH and user site, so the answer describes the interpreter itself.
  const result = await runner.run(interpreter, ["-I", "-c", PROBE], {
    what: "python3 (devShell)",
    cwd: opts.cwd,
    env,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    timeoutRaisedBy: NIX_TIMEOUT,
  });
  if (result.exitCode !== 0) {
    throw new NoPythonError(opts.devShell, `${result.commandLine} failed (exit ${result.exitCode}):\n${result.stderr}`, `has a python3 that does not run (${interpreter}: ${lastLine(result.stderr)})`);
  }
  const p = parseProbeOutput(result.stdout);
  if (!p) throw new PythonProbeError(opts.devShell, interpreter, result.stdout || result.stderr);
  const wrapped = p.prefix !== p.base_prefix;
  return {
    interpreter,
    version: p.version,
    prefix: p.prefix,
    basePrefix: p.base_prefix,
    uvInterpreter: wrapped ? baseInterpreter(p) : interpreter,
    wrapperSitePackages: wrapped ? [...new Set([p.purelib, p.platlib])] : [],
    ...(p.markers ? { markers: p.markers } : {}),
  };
}

/**
 * probePython, remembered for interpreters inside the Nix store: a store path never changes, so
 * its answer never does either. Saves a Python start on every cold load after the first.
 */
export async function probePythonCached(
  runner: ProcessRunner,
  interpreter: string,
  env: EnvMap,
  opts: ProbeOptions & { cacheDir: string; storeDir?: string },
): Promise<PythonInfo> {
  const immutable = interpreter.startsWith((opts.storeDir ?? "/nix/store") + "/");
  const file = join(opts.cacheDir, "python-probes", `${createHash("sha256").update(interpreter).digest("hex").slice(0, 32)}.json`);
  if (immutable) {
    try {
      const cached = JSON.parse(readFileSync(file, "utf8")) as PythonInfo;
      // An answer from before the probe read marker variables is asked again.
      if (cached.interpreter === interpreter && cached.markers) return cached;
    } catch {
      // not cached yet, or unreadable: probe
    }
  }
  const info = await probePython(runner, interpreter, env, opts);
  if (immutable) {
    mkdirSync(join(opts.cacheDir, "python-probes"), { recursive: true });
    atomicWrite(file, JSON.stringify(info));
  }
  return info;
}

/** The probe's JSON, or undefined when the interpreter printed anything else. */
function parseProbeOutput(stdout: string): ProbeOutput | undefined {
  let p: unknown;
  try {
    p = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const fields = ["version", "prefix", "base_prefix", "base_executable", "purelib", "platlib"] as const;
  const ok = typeof p === "object" && p !== null && fields.every((f) => typeof (p as Record<string, unknown>)[f] === "string");
  return ok ? (p as ProbeOutput) : undefined;
}

function baseInterpreter(p: ProbeOutput): string {
  const candidates = [p.base_executable, join(p.base_prefix, "bin", "python3"), join(p.base_prefix, "bin", "python")];
  return candidates.find((c) => c && !c.startsWith(p.prefix + "/") && isExecutableFile(c)) ?? join(p.base_prefix, "bin", "python3");
}
