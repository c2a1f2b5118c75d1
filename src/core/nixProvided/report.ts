// Which of the lock's packages uv leaves to Nix, and whether Nix's versions satisfy what asks for
// them. The decision (planNixSkip) does not depend on the versions: Python imports Nix's copy
// first in any case (PYTHONPATH and the Python layer come before the venv), so a second copy in
// the venv would only be shadowed. The version check (checkNixProvided) says when that copy is
// not what the project asked for; letting uv install its own copy is the user's call (uvInstalls).
import { normalizeName } from "../packageName";
import { parseSpecifierSet, satisfies } from "../pep440";
import { evaluateMarker, parseRequirement, type MarkerEnvironment } from "../pep508";
import type { LockPackage, Reached } from "./lockGraph";
import { readRequiresDist, type NixDistribution } from "./nixDistributions";

/** One thing that asks for the package, and whether Nix's version satisfies it. */
export interface RequirementCheck {
  /** "the project", or the dependent as "name version". */
  readonly by: string;
  /** PEP 440 specifier set, e.g. ">=2.5,<2.6". */
  readonly specifier: string;
  readonly satisfied: boolean;
}

/** A package the lock wants and Nix provides. */
export interface NixProvidedPackage {
  readonly name: string;
  readonly nixVersion: string;
  /** The Nix site-packages folder that holds it. */
  readonly nixLocation: string;
  /** The version(s) uv.lock resolved, ", "-joined when a forked lock has several. */
  readonly lockedVersion: string;
  /** The user chose to let uv install its own copy (it is then not skipped). */
  readonly uvInstalls: boolean;
  /** Every specifier that applies here (markers evaluated), from the project and from dependents. */
  readonly requirements: readonly RequirementCheck[];
  /** Nix's version satisfies every one of them. */
  readonly satisfied: boolean;
}

export interface NixProvidedReport {
  /** By name. */
  readonly packages: readonly NixProvidedPackage[];
}

/** Sources uv leaves to Nix; a path, a directory or an editable checkout is the project's own choice and always installed. */
export const SKIPPABLE_SOURCES: ReadonlySet<string> = new Set(["registry", "git", "url"]);

export interface SkipPlan {
  /** Reachable lock packages that Nix provides, by name. */
  readonly candidates: readonly string[];
  /** What `uv sync --no-install-package` gets: the candidates the user did not hand back to uv. */
  readonly skip: readonly string[];
}

export function planNixSkip(reached: ReadonlyMap<string, Reached>, nix: ReadonlyMap<string, NixDistribution>, uvInstalls: ReadonlySet<string>): SkipPlan {
  const candidates = new Set<string>();
  for (const { pkg } of reached.values()) if (nix.has(pkg.name) && SKIPPABLE_SOURCES.has(pkg.sourceKind)) candidates.add(pkg.name);
  const sorted = [...candidates].sort();
  return { candidates: sorted, skip: sorted.filter((n) => !uvInstalls.has(n)) };
}

export interface CheckInput {
  readonly plan: SkipPlan;
  readonly reached: ReadonlyMap<string, Reached>;
  readonly roots: readonly LockPackage[];
  /** Dependency groups synced (for the project's requires-dev). */
  readonly groups: readonly string[] | "all";
  readonly nix: ReadonlyMap<string, NixDistribution>;
  /** The venv's distributions after the sync: where the metadata of uv-installed dependents is. */
  readonly venv: ReadonlyMap<string, { readonly metadataPath: string }>;
  readonly env: MarkerEnvironment;
  readonly uvInstalls: ReadonlySet<string>;
}

export function checkNixProvided(input: CheckInput): NixProvidedReport {
  const packages = input.plan.candidates.map((name): NixProvidedPackage => {
    const nix = input.nix.get(name)!;
    const requirements = [...projectRequirements(name, input), ...dependentRequirements(name, input)].map((r) => ({
      ...r,
      satisfied: satisfies(nix.version, parseSpecifierSet(r.specifier)!, { prereleases: true }),
    }));
    const locked = [...input.reached.values()].filter((r) => r.pkg.name === name).map((r) => r.pkg.version);
    return {
      name,
      nixVersion: nix.version,
      nixLocation: nix.location,
      lockedVersion: [...new Set(locked)].join(", "),
      uvInstalls: input.uvInstalls.has(name),
      requirements,
      satisfied: requirements.every((r) => r.satisfied),
    };
  });
  return { packages };
}

type Unchecked = Omit<RequirementCheck, "satisfied">;

/** `[package.metadata] requires-dist` (and requires-dev of the synced groups) of the project. */
function projectRequirements(name: string, input: CheckInput): Unchecked[] {
  const out: Unchecked[] = [];
  for (const root of input.roots) {
    const groups = Object.entries(root.requiresDev).filter(([g]) => input.groups === "all" || input.groups.includes(g));
    for (const r of [...root.requiresDist, ...groups.flatMap(([, list]) => list)]) {
      if (r.name !== name || !isCheckable(r.specifier) || !evaluateMarker(r.marker, input.env)) continue;
      out.push({ by: input.roots.length > 1 ? root.name : "the project", specifier: r.specifier });
    }
  }
  return dedupe(out);
}

/** The Requires-Dist of every installed package that depends on it, read from the copy Python imports. */
function dependentRequirements(name: string, input: CheckInput): Unchecked[] {
  const out: Unchecked[] = [];
  for (const reached of input.reached.values()) {
    if (reached.pkg.name !== name) continue;
    for (const dependent of reached.dependents) {
      if (input.roots.includes(dependent.pkg)) continue; // the project's own are in uv.lock
      const metadata = input.nix.get(dependent.pkg.name)?.metadataPath ?? input.venv.get(dependent.pkg.name)?.metadataPath;
      if (!metadata) continue;
      for (const line of readRequiresDist(metadata)) {
        const req = parseRequirement(line);
        if (!req || req.name !== name || !isCheckable(req.specifier)) continue;
        if (!evaluateMarker(req.marker, input.env, [...dependent.extras])) continue;
        const version = input.nix.get(dependent.pkg.name)?.version ?? dependent.pkg.version;
        out.push({ by: `${dependent.pkg.name} ${version}`, specifier: req.specifier });
      }
    }
  }
  return dedupe(out);
}

function isCheckable(specifier: string): boolean {
  const set = parseSpecifierSet(specifier);
  return set !== undefined && set.length > 0;
}

function dedupe(list: Unchecked[]): Unchecked[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = `${r.by}\0${r.specifier}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The names the user handed back to uv, normalised; anything that is not a distribution name is dropped. */
export function normalizeUvInstalls(names: readonly string[] | undefined): Set<string> {
  return new Set((names ?? []).filter((n) => /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(n)).map(normalizeName));
}

/** Packages uv did not install because Nix provides them. */
export function skippedPackages(report: NixProvidedReport | undefined): NixProvidedPackage[] {
  return (report?.packages ?? []).filter((p) => !p.uvInstalls);
}

/** Packages whose Nix version does not satisfy what asks for them. */
export function mismatchedPackages(report: NixProvidedReport | undefined): NixProvidedPackage[] {
  return (report?.packages ?? []).filter((p) => !p.satisfied);
}

/** "the project asks >=2, aim 3.1 asks <2" */
export function unmetRequirements(p: NixProvidedPackage): string {
  return p.requirements
    .filter((r) => !r.satisfied)
    .map((r) => `${r.by} asks ${r.specifier}`)
    .join(", ");
}
