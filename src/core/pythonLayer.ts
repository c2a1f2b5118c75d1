// The Python layer: the venv's own interpreter carries the hybrid environment, so every program
// that starts `.venv/bin/python` with an environment of its own (pyright, Jupyter kernels,
// pytest, debugpy, `uv run`, a plain shell) sees what a hybrid terminal sees.
//
// Why this mechanism:
// - A plain path line in a .pth is appended after site-packages: the uv copy of a package that
//   both have would win, the opposite of PYTHONPATH in terminals. An `import` line runs code at
//   start-up, and that code can put Nix's site-packages in front, where PYTHONPATH puts them,
//   and process their .pth files with site.addsitedir (PYTHONPATH never does).
// - sitecustomize.py would collide with the user's (and Nix's) own; a wrapper script in place of
//   .venv/bin/python would break venv detection and is replaced by `uv venv`.
// - uv 0.13.9 keeps a foreign .pth and a foreign folder in the venv through `uv sync`,
//   `uv sync --reinstall`, `uv add` and `uv remove` (measured). A venv that uv or Reset venv
//   recreates gets the layer back on the next load: the engine writes it on every load, cache
//   hits included (a few small reads, no process), and rewrites it when the flake changes.
// - Native libraries: glibc reads LD_LIBRARY_PATH only at process start, so the layer re-execs
//   the interpreter once (same pid, same argv) when the devShell's library dirs are missing;
//   preloading with ctypes would miss children and dlopen by name. See pythonLayerScript.ts.
//
// Files: <venv>/lib/python*/site-packages/_hybrid_env.pth (one line), <venv>/hybrid-env/
// _hybrid_env_layer.py (the start-up code, imported so its bytecode is cached in __pycache__) and
// <venv>/hybrid-env/layer.cfg (this environment's paths).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { atomicWrite } from "./cache";
import type { HybridEnvironment } from "./environment";
import type { Logger } from "./logger";
import type { ProcessRunner } from "./process";
import { resolve } from "./mutations";
import { LAYER_FILE, LAYER_MODULE, LAYER_PY, layerCfg, pthLine } from "./pythonLayerScript";

export const PTH_NAME = "_hybrid_env.pth";
export const LAYER_DIR = "hybrid-env";

export interface PythonLayerConfig {
  /** The venv the layer belongs to (the layer checks sys.prefix against it). */
  readonly venv: string;
  /** PYTHONPATH entries the environment adds, in order (Nix's site-packages first). */
  readonly pythonPath: readonly string[];
  /** LD_LIBRARY_PATH entries the environment adds (the devShell's and its hook's lib dirs). */
  readonly libraryPath: readonly string[];
}

/**
 * What the layer must carry: the environment's own PYTHONPATH and LD_LIBRARY_PATH entries, i.e.
 * its mutations applied to an empty environment (the user's own values are theirs to keep).
 * Undefined when there is no venv or nothing to carry.
 */
export function pythonLayerConfig(environment: HybridEnvironment): PythonLayerConfig | undefined {
  if (!environment.python.venvPython) return undefined;
  const own = resolve({}, environment.mutations);
  // Absolute paths only, and none with a line break (layer.cfg is one setting per line).
  const entries = (value: string | undefined) => [...new Set((value ?? "").split(delimiter).filter((p) => isAbsolute(p) && !/[\r\n]/.test(p)))];
  const config = { venv: environment.project.venvDir, pythonPath: entries(own.PYTHONPATH), libraryPath: entries(own.LD_LIBRARY_PATH) };
  return config.pythonPath.length + config.libraryPath.length > 0 ? config : undefined;
}

/** The venv's site-packages folders (one per lib/python*), where site.py reads .pth files. */
export function venvSitePackages(venvDir: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(join(venvDir, "lib"));
  } catch {
    return [];
  }
  return names
    .filter((n) => /^(python|pypy)\d/.test(n))
    .map((n) => join(venvDir, "lib", n, "site-packages"))
    .filter((d) => existsSync(d));
}

/**
 * Writes the layer into the venv, touching only files whose content differs. Returns whether
 * anything changed. Throws on I/O errors (syncPythonLayer turns them into a log line).
 */
export function writePythonLayer(config: PythonLayerConfig): boolean {
  const sites = venvSitePackages(config.venv);
  if (!existsSync(join(config.venv, "pyvenv.cfg")) || sites.length === 0) return false;
  const dir = join(config.venv, LAYER_DIR);
  mkdirSync(dir, { recursive: true });
  // The code and its settings first: a .pth never points at a missing or half-written file.
  let changed = writeIfDifferent(join(dir, LAYER_FILE), LAYER_PY);
  changed = writeIfDifferent(join(dir, "layer.cfg"), layerCfg(config)) || changed;
  for (const site of sites) changed = writeIfDifferent(join(site, PTH_NAME), pthLine(dir)) || changed;
  return changed;
}

/** Takes the layer out of the venv (Exit, or nothing left to carry). Returns whether anything was removed. */
export function removePythonLayer(venvDir: string): boolean {
  let removed = false;
  for (const site of venvSitePackages(venvDir)) {
    const pth = join(site, PTH_NAME);
    if (existsSync(pth)) {
      rmSync(pth, { force: true });
      removed = true;
    }
  }
  const dir = join(venvDir, LAYER_DIR);
  if (existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    removed = true;
  }
  return removed;
}

/**
 * Brings the venv's layer in line with the environment: written when there is something to
 * carry, removed when there is not (or when disabled), so no stale store path stays behind.
 * Never throws: a layer that cannot be written leaves a plain venv and a warning.
 */
export function syncPythonLayer(environment: HybridEnvironment, opts: { enabled?: boolean; log?: Logger } = {}): void {
  const venvDir = environment.project.venvDir;
  try {
    const config = opts.enabled === false ? undefined : pythonLayerConfig(environment);
    if (config) {
      if (writePythonLayer(config)) opts.log?.info(`python layer written in ${venvDir} (${config.pythonPath.length} path entries, ${config.libraryPath.length} library dirs)`);
    } else if (environment.python.venvPython && removePythonLayer(venvDir)) {
      opts.log?.info(`python layer removed from ${venvDir}`);
    }
  } catch (err) {
    opts.log?.warn(`could not update the python layer in ${venvDir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** For the engine's return paths: syncs the layer of a result's environment and passes the result on. */
export function withPythonLayer<T extends { readonly environment: HybridEnvironment } | undefined>(
  result: T,
  req: { readonly options: { readonly pythonLayer?: boolean }; readonly log?: Logger },
): T {
  if (result) syncPythonLayer(result.environment, { enabled: req.options.pythonLayer, log: req.log });
  return result;
}

function writeIfDifferent(path: string, text: string): boolean {
  try {
    if (readFileSync(path, "utf8") === text) return false;
  } catch {
    // missing: write it
  }
  atomicWrite(path, text);
  return true;
}

/** What the layer did in a real start of the venv's interpreter from an empty environment (doctor). */
export async function checkPythonLayer(runner: ProcessRunner, venvPython: string, signal?: AbortSignal): Promise<{ ok: boolean; message: string }> {
  const code = `import sys, json; m = sys.modules.get(${JSON.stringify(LAYER_MODULE)}); print(json.dumps(m.report if m else None))`;
  const r = await runner.run(venvPython, ["-c", code], { what: "python (layer check)", env: {}, signal, timeoutMs: 30_000, timeoutRaisedBy: { fixed: "a Python start takes well under a second; a hang is a broken interpreter" } });
  if (r.exitCode !== 0) return { ok: false, message: `the venv's python failed from an empty environment: ${r.stderr.trim().split("\n").at(-1) ?? ""}` };
  const report = JSON.parse(r.stdout) as { pythonPath: string[]; fromPth: string[]; reexec: boolean; skipped: string | null } | null;
  if (!report) return { ok: false, message: "no Python layer in the venv: programs that start .venv/bin/python themselves do not see Nix's packages" };
  if (report.skipped) return { ok: false, message: `the Python layer did nothing: ${report.skipped}` };
  const parts = [`${report.pythonPath.length} Nix path entries`, `${report.fromPth.length} from .pth files`];
  if (report.reexec) parts.push("LD_LIBRARY_PATH set by a re-exec");
  return { ok: true, message: `.venv/bin/python from an empty environment: ${parts.join(", ")}` };
}
