// uv.lock as a dependency graph, and what `uv sync` installs from it for one interpreter: the
// project and its dependencies, its default dependency groups, the extras asked for along the way,
// each edge's marker evaluated. Also the project's own requirements (`[package.metadata]`), the
// specifiers the version check holds Nix's copies against.
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { normalizeName } from "../packageName";
import { evaluateMarker, type MarkerEnvironment } from "../pep508";

export interface LockEdge {
  readonly name: string;
  /** Set when the lock holds several versions of the name (a forked resolution). */
  readonly version?: string;
  readonly extras: readonly string[];
  readonly marker?: string;
}

/** A requirement as `[package.metadata] requires-dist` records it. */
export interface LockRequirement {
  readonly name: string;
  readonly specifier: string;
  readonly marker?: string;
}

export interface LockPackage {
  readonly name: string;
  readonly version: string;
  /** registry, git, url, path, directory, editable or virtual. */
  readonly sourceKind: string;
  /** The source's value: the registry URL, the path … ("." for the project itself). */
  readonly sourceValue: string;
  readonly dependencies: readonly LockEdge[];
  readonly optional: Readonly<Record<string, readonly LockEdge[]>>;
  readonly groups: Readonly<Record<string, readonly LockEdge[]>>;
  readonly requiresDist: readonly LockRequirement[];
  readonly requiresDev: Readonly<Record<string, readonly LockRequirement[]>>;
}

export interface LockGraph {
  readonly packages: readonly LockPackage[];
  /** Workspace members ([manifest] members), normalised. */
  readonly members: readonly string[];
}

/** The lock, or undefined when it cannot be read. */
export function readLockGraph(path: string): LockGraph | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return lockGraphOf(doc);
}

export function lockGraphOf(doc: Record<string, unknown>): LockGraph {
  const packages: LockPackage[] = [];
  for (const p of asArray(doc.package)) {
    if (typeof p.name !== "string") continue;
    const source = asRecord(p.source);
    const sourceKind = Object.keys(source)[0] ?? "unknown";
    const metadata = asRecord(p.metadata);
    packages.push({
      name: normalizeName(p.name),
      version: typeof p.version === "string" ? p.version : "",
      sourceKind,
      sourceValue: String(source[sourceKind] ?? ""),
      dependencies: edges(p.dependencies),
      optional: mapValues(asRecord(p["optional-dependencies"]), edges),
      groups: mapValues(asRecord(p["dev-dependencies"]), edges),
      requiresDist: requirements(metadata["requires-dist"]),
      requiresDev: mapValues(asRecord(metadata["requires-dev"]), requirements),
    });
  }
  const members = asArray<unknown>(asRecord(doc.manifest).members)
    .filter((m): m is string => typeof m === "string")
    .map(normalizeName);
  return { packages, members };
}

/** What `uv sync` starts from: the project at the lock's folder, else the workspace's members. */
export function rootPackages(graph: LockGraph): LockPackage[] {
  const local = (p: LockPackage) => p.sourceKind === "virtual" || p.sourceKind === "editable";
  const atRoot = graph.packages.filter((p) => local(p) && p.sourceValue === ".");
  if (atRoot.length > 0) return atRoot;
  const members = graph.packages.filter((p) => graph.members.includes(p.name));
  return members.length > 0 ? members : graph.packages.filter(local);
}

/** A package `uv sync` installs, with who brings it in. */
export interface Reached {
  readonly pkg: LockPackage;
  /** The extras of it that are installed. */
  readonly extras: ReadonlySet<string>;
  /** The packages whose dependency it is, with the extras those are installed with. */
  readonly dependents: ReadonlyArray<{ readonly pkg: LockPackage; readonly extras: ReadonlySet<string> }>;
}

/**
 * The packages `uv sync` installs for this interpreter (roots included), by `name@version`.
 * `groups` are the dependency groups synced (uv's default: ["dev"]; "all" for every group).
 */
export function reachablePackages(graph: LockGraph, env: MarkerEnvironment, groups: readonly string[] | "all" = ["dev"]): Map<string, Reached> {
  const byName = new Map<string, LockPackage[]>();
  for (const p of graph.packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const found = new Map<string, { pkg: LockPackage; extras: Set<string>; dependents: Array<{ pkg: LockPackage; extras: ReadonlySet<string> }> }>();
  const done = new Set<string>(); // key + extra, so each optional group is walked once
  const queue: Array<{ pkg: LockPackage; extras: readonly string[] }> = [];

  const visit = (pkg: LockPackage, extras: readonly string[], from?: { pkg: LockPackage; extras: ReadonlySet<string> }) => {
    const key = keyOf(pkg);
    let entry = found.get(key);
    if (!entry) {
      entry = { pkg, extras: new Set(), dependents: [] };
      found.set(key, entry);
      queue.push({ pkg, extras: [] });
    }
    if (from && !entry.dependents.some((d) => d.pkg === from.pkg)) entry.dependents.push(from);
    const fresh = extras.map(normalizeName).filter((e) => !entry.extras.has(e));
    for (const e of fresh) entry.extras.add(e);
    if (fresh.length > 0) queue.push({ pkg, extras: fresh });
  };
  const follow = (from: LockPackage, list: readonly LockEdge[]) => {
    const fromEntry = found.get(keyOf(from))!;
    for (const edge of list) {
      if (!evaluateMarker(edge.marker, env)) continue;
      const targets = (byName.get(edge.name) ?? []).filter((t) => edge.version === undefined || t.version === edge.version);
      for (const t of targets) visit(t, edge.extras, { pkg: from, extras: fromEntry.extras });
    }
  };

  const roots = rootPackages(graph);
  for (const r of roots) visit(r, []);
  while (queue.length > 0) {
    const { pkg, extras } = queue.shift()!;
    const key = keyOf(pkg);
    if (extras.length === 0) {
      if (done.has(key)) continue;
      done.add(key);
      follow(pkg, pkg.dependencies);
      if (roots.includes(pkg)) for (const [group, list] of Object.entries(pkg.groups)) if (groups === "all" || groups.includes(group)) follow(pkg, list);
    }
    for (const e of extras) {
      if (done.has(`${key}[${e}]`)) continue;
      done.add(`${key}[${e}]`);
      follow(pkg, pkg.optional[e] ?? []);
    }
  }
  return found;
}

function keyOf(p: LockPackage): string {
  return `${p.name}@${p.version}`;
}

/** The dependency groups `uv sync` installs by default: pyproject's [tool.uv] default-groups, else ["dev"]. */
export function defaultGroups(pyprojectPath: string | undefined): readonly string[] | "all" {
  if (!pyprojectPath) return ["dev"];
  try {
    const doc = parse(readFileSync(pyprojectPath, "utf8")) as Record<string, unknown>;
    const setting = asRecord(asRecord(doc.tool).uv)["default-groups"];
    if (setting === "all") return "all";
    if (Array.isArray(setting)) return setting.filter((g): g is string => typeof g === "string").map(normalizeName);
  } catch {
    // unreadable: uv would fail on it too; the default stands
  }
  return ["dev"];
}

function edges(value: unknown): LockEdge[] {
  return asArray(value)
    .filter((d) => typeof d.name === "string")
    .map((d) => ({
      name: normalizeName(d.name as string),
      ...(typeof d.version === "string" ? { version: d.version } : {}),
      extras: asArray<unknown>(d.extra).filter((e): e is string => typeof e === "string"),
      ...(typeof d.marker === "string" ? { marker: d.marker } : {}),
    }));
}

function requirements(value: unknown): LockRequirement[] {
  return asArray(value)
    .filter((r) => typeof r.name === "string")
    .map((r) => ({
      name: normalizeName(r.name as string),
      specifier: typeof r.specifier === "string" ? r.specifier : "",
      ...(typeof r.marker === "string" ? { marker: r.marker } : {}),
    }));
}

function asArray<T = Record<string, unknown>>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function mapValues<T>(record: Record<string, unknown>, f: (v: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [normalizeName(k), f(v)]));
}
