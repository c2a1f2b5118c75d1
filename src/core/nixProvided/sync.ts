// `uv sync` that leaves to Nix what Nix provides. uv ignores PYTHONPATH (it inspects interpreters
// in isolated mode) and is given the devShell's base interpreter, so by itself it installs its own
// copy of torch beside Nix's. Here `uv sync` gets `--no-install-package NAME` for every
// distribution Nix provides: uv ignores the names its lock does not install (measured, uv 0.13.9),
// so one sync does it, with no `uv lock` before it to learn what the lock wants. uv.lock stays
// complete for users without Nix; only this venv goes without the copies. The lock is read after
// the sync, for the report (which of its packages were left to Nix, and the version check).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { normalizeName } from "../packageName";
import type { Logger } from "../logger";
import type { MarkerEnvironment } from "../pep508";
import type { ProcessRunner } from "../process";
import { distributionsIn, venvSitePackagesOf } from "../provenance";
import { uvSync, type UvSyncRequest } from "../uv";
import { defaultGroups, reachablePackages, readLockGraph, rootPackages, type LockGraph } from "./lockGraph";
import { nixDistributions, nixSiteDirs } from "./nixDistributions";
import { checkNixProvided, normalizeUvInstalls, planNixSkip, SKIPPABLE_SOURCES, type NixProvidedReport } from "./report";

export interface NixAwareSyncRequest extends UvSyncRequest {
  /** Off: a plain `uv sync` (hybridEnv.skipNixProvided = false, or --no-skip-nix-provided). */
  readonly skipNixProvided: boolean;
  /** Names the user lets uv install its own copy of. */
  readonly uvInstalls?: readonly string[];
  /** The environment's PYTHONPATH and the python.withPackages wrapper's site-packages. */
  readonly pythonPath: string | undefined;
  readonly wrapperSitePackages: readonly string[];
  /** The interpreter's marker variables (the Python probe); without them nothing is skipped. */
  readonly markers: MarkerEnvironment | undefined;
  readonly pyprojectPath: string | undefined;
  readonly log: Logger;
  readonly storeDir?: string;
}

/** Runs the sync; returns what was left to Nix, or undefined when the feature did not apply. */
export async function syncLeavingNixProvided(runner: ProcessRunner, req: NixAwareSyncRequest): Promise<NixProvidedReport | undefined> {
  const nix = req.skipNixProvided ? nixDistributions(nixSiteDirs(req.pythonPath, req.wrapperSitePackages, req.storeDir)) : new Map();
  if (nix.size === 0 || !req.markers) {
    await uvSync(runner, req);
    return undefined;
  }
  const lockPath = join(req.dir, "uv.lock");
  const uvInstalls = normalizeUvInstalls(req.uvInstalls);
  // The project's own packages (itself, paths, directories, editable checkouts) are never skipped.
  const own = ownPackages(readLockGraph(lockPath), req.pyprojectPath);
  const skip = [...nix.keys()].filter((n) => !uvInstalls.has(n) && !own.has(n)).sort();
  await uvSync(runner, { ...req, noInstall: skip });
  const graph = readLockGraph(lockPath);
  if (!graph) {
    req.log.warn("uv.lock could not be read after uv sync: what was left to Nix is not shown");
    return undefined;
  }
  const groups = defaultGroups(req.pyprojectPath);
  const reached = reachablePackages(graph, req.markers, groups);
  const plan = planNixSkip(reached, nix, uvInstalls);
  // The sync may have re-locked: a package the new lock takes from the project's own sources was
  // skipped with the rest. Sync again with what the lock says, which installs it.
  const installed = new Set([...reached.values()].map((r) => r.pkg.name));
  if (skip.some((n) => installed.has(n) && !plan.skip.includes(n))) await uvSync(runner, { ...req, noInstall: plan.skip });
  if (plan.skip.length > 0) req.log.info(`uv left ${plan.skip.length} package(s) of uv.lock to Nix: ${plan.skip.join(", ")}`);
  const venv = new Map(venvSitePackagesOf(req.venvDir).flatMap((dir) => distributionsIn(dir).map((d) => [d.name, d] as const)));
  return checkNixProvided({ plan, reached, roots: rootPackages(graph), groups, nix, venv, env: req.markers, uvInstalls });
}

/** Names uv must install whatever Nix has: the project (pyproject's name) and the lock's local sources. */
function ownPackages(graph: LockGraph | undefined, pyprojectPath: string | undefined): Set<string> {
  const own = new Set<string>();
  for (const p of graph?.packages ?? []) if (!SKIPPABLE_SOURCES.has(p.sourceKind)) own.add(p.name);
  const name = projectName(pyprojectPath);
  if (name) own.add(name);
  return own;
}

function projectName(pyprojectPath: string | undefined): string | undefined {
  if (!pyprojectPath) return undefined;
  try {
    const doc = parse(readFileSync(pyprojectPath, "utf8")) as { project?: { name?: unknown } };
    return typeof doc.project?.name === "string" ? normalizeName(doc.project.name) : undefined;
  } catch {
    return undefined;
  }
}
