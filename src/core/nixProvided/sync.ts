// `uv sync` that leaves to Nix what Nix provides. uv ignores PYTHONPATH (it inspects interpreters
// in isolated mode) and is given the devShell's base interpreter, so by itself it installs its own
// copy of torch beside Nix's. Here: `uv lock` first (so uv.lock is current and can be read), then
// `uv sync --no-install-package NAME` for each package the lock wants and Nix provides. uv.lock
// stays complete for users without Nix; only this venv goes without the copies.
import { join } from "node:path";
import type { Logger } from "../logger";
import type { MarkerEnvironment } from "../pep508";
import type { ProcessRunner } from "../process";
import { distributionsIn, venvSitePackagesOf } from "../provenance";
import { uvLock, uvSync, type UvSyncRequest } from "../uv";
import { defaultGroups, reachablePackages, readLockGraph, rootPackages } from "./lockGraph";
import { nixDistributions, nixSiteDirs } from "./nixDistributions";
import { checkNixProvided, normalizeUvInstalls, planNixSkip, type NixProvidedReport } from "./report";

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
  await uvLock(runner, req);
  const graph = readLockGraph(join(req.dir, "uv.lock"));
  if (!graph) {
    req.log.warn("uv.lock could not be read after uv lock: uv installs every package, Nix's included");
    await uvSync(runner, req);
    return undefined;
  }
  const groups = defaultGroups(req.pyprojectPath);
  const reached = reachablePackages(graph, req.markers, groups);
  const uvInstalls = normalizeUvInstalls(req.uvInstalls);
  const plan = planNixSkip(reached, nix, uvInstalls);
  if (plan.skip.length > 0) req.log.info(`uv sync leaves ${plan.skip.length} package(s) to Nix: ${plan.skip.join(", ")}`);
  await uvSync(runner, { ...req, noInstall: plan.skip });
  const venv = new Map(venvSitePackagesOf(req.venvDir).flatMap((dir) => distributionsIn(dir).map((d) => [d.name, d] as const)));
  return checkNixProvided({ plan, reached, roots: rootPackages(graph), groups, nix, venv, env: req.markers, uvInstalls });
}
