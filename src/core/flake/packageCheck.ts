// Whether a name exists in the package set a list draws from, before the list gets it, and the
// names a front end can offer. Sources, best first: a set written in the project itself (certain
// and instant), the project's own nixpkgs when it is already in the store (evaluated offline,
// cached per lock hash), and otherwise nothing: the check is skipped and the result says why.
import type { ProcessRunner } from "../process";
import { findNixInstantiate } from "./check";
import { localPackageSet } from "./localPackageSet";
import { locateNixpkgs, type NixpkgsSource } from "./nixpkgsSource";
import { evalPackageSet, type PackageSetEntry } from "./packageSetEval";
import type { ProjectPackageList, ProjectPackageLists } from "./projectLists";
import { interpreterOf, isPythonPackageSetPath, type PythonSetRef } from "./pythonSets";
import { suggestNames } from "./suggestions";

export type PackageCheck =
  | { readonly status: "found"; readonly source: string }
  | {
      readonly status: "missing";
      readonly source: string;
      /** False when overlays or overrides may add names the evaluated set lacks. */
      readonly certain: boolean;
      readonly suggestions: readonly string[];
    }
  | { readonly status: "skipped"; readonly reason: string };

export interface PackageSetOptions {
  readonly runner: ProcessRunner;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cacheDir: string;
  readonly nixInstantiate?: string;
  readonly nixPath?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** The flake input that is nixpkgs, when it is not named "nixpkgs". */
  readonly nixpkgsInput?: string;
}

export type PackageChoices =
  | { readonly source: "nixpkgs"; readonly label: string; readonly entries: readonly PackageSetEntry[]; readonly fromCache: boolean; readonly durationMs: number }
  | { readonly source: "local"; readonly label: string; readonly entries: readonly PackageSetEntry[] }
  | { readonly source: "none"; readonly reason: string };

/** The attribute path of the list's set in nixpkgs ("python311.pkgs"), or why there is none. */
export function nixpkgsAttrPath(set: PythonSetRef | undefined): { attrPath: string } | { reason: string } {
  if (!set) return { reason: "the file does not say which Python the list belongs to" };
  if (set.local) return { reason: `the list draws from ${set.local.name}, a set written in the project` };
  // `pkgs.python311`, `nixpkgs.legacyPackages.x86_64-linux.python311` (a let name followed), an overlay's `final.python3`.
  const NIXPKGS_HEAD = /^((inputs\.)?nixpkgs\.legacyPackages\.[A-Za-z0-9_-]+\.|(pkgs|nixpkgs|final|prev|self|super)\.)/;
  const fromPkgs = NIXPKGS_HEAD.test(set.text);
  const text = set.text.replace(NIXPKGS_HEAD, "");
  const segments = text.split(".");
  if (!segments.every((seg) => /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(seg))) return { reason: `${set.text} is not a plain attribute path` };
  const head = segments[0]!;
  if (!fromPkgs && interpreterOf(head) === undefined && (segments.length === 1 || ["inputs", "self", "config", "lib", "builtins"].includes(head))) {
    return { reason: `the list's package set is \`${set.text}\`, which is not a nixpkgs attribute hybrid-env can name` };
  }
  if (isPythonPackageSetPath(text)) return { attrPath: text };
  const last = segments.at(-1)!;
  if (interpreterOf(last) !== undefined) return { attrPath: `${text}.pkgs` };
  return { reason: `${set.text} is not a Python interpreter or package set` };
}

/** Overlays and package overrides can add names plain nixpkgs lacks. */
function mayExtendSet(project: ProjectPackageLists, list: ProjectPackageList): boolean {
  if ((list.candidate.aliases ?? []).length > 0) return true;
  return project.files.some((f) => /\boverlays\b|packageOverrides|pythonPackagesExtensions|overrideScope|\boverrides\s*=/.test(f.text));
}

/** Defined by the project's own Nix text (`mypkg = …;` in an overlay), as a last resort for overlay users. */
function definedInProject(project: ProjectPackageLists, attribute: string): boolean {
  const escaped = attribute.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return project.files.some((f) => new RegExp(`(^|[\\s{;])${escaped}\\s*=`, "m").test(f.text));
}

async function nixpkgsFor(project: ProjectPackageLists, opts: PackageSetOptions): Promise<NixpkgsSource> {
  let nixInstantiate = opts.nixInstantiate;
  try {
    nixInstantiate ??= project.kind === "flake" ? undefined : findNixInstantiate(opts.env, opts.nixPath);
  } catch {
    // Not found: <nixpkgs> is then reported as not looked up, and the check skipped.
  }
  return locateNixpkgs({ dir: project.dir, kind: project.kind, texts: project.files.map((f) => f.text), runner: opts.runner, env: opts.env, nixInstantiate, signal: opts.signal, input: opts.nixpkgsInput });
}

function textOf(project: ProjectPackageLists, list: ProjectPackageList): string {
  return project.files.find((f) => f.path === list.file)?.text ?? "";
}

/** Checks that `attribute` (a bare name: `rich`) is in the list's package set. */
export async function checkPackageExists(project: ProjectPackageLists, list: ProjectPackageList, attribute: string, opts: PackageSetOptions): Promise<PackageCheck> {
  const local = localPackageSet(textOf(project, list), list.candidate, list.relPath);
  if (local?.certain) return verdict(local.names, attribute, local.label, true);
  const target = nixpkgsAttrPath(list.candidate.pythonSet);
  if ("reason" in target) {
    if (local) return verdict(local.names, attribute, local.label, false);
    return { status: "skipped", reason: target.reason };
  }
  const source = await nixpkgsFor(project, opts);
  if (!source.available) {
    if (local) return verdict(local.names, attribute, local.label, false);
    return { status: "skipped", reason: source.reason };
  }
  const listing = await evalPackageSet(source, target.attrPath, { ...opts, detailed: false });
  const names = listing.entries.map((e) => e.name);
  const result = verdict(names, attribute, listing.label, !mayExtendSet(project, list));
  if (result.status === "missing" && !result.certain && definedInProject(project, attribute)) return { status: "found", source: "the project's own overrides" };
  return result;
}

function verdict(names: readonly string[], attribute: string, source: string, certain: boolean): PackageCheck {
  if (names.includes(attribute)) return { status: "found", source };
  return { status: "missing", source, certain, suggestions: suggestNames(attribute, names) };
}

/**
 * What a front end can offer for the list: the locked nixpkgs' set with versions and
 * descriptions when it is in the store (slow the first time, then cached), else the project's
 * own set, else nothing and why.
 */
export async function listPackageChoices(project: ProjectPackageLists, list: ProjectPackageList, opts: PackageSetOptions & { readonly detailed?: boolean; readonly refresh?: boolean }): Promise<PackageChoices> {
  const local = localPackageSet(textOf(project, list), list.candidate, list.relPath);
  const asLocal = (): PackageChoices => ({ source: "local", label: local!.label, entries: local!.names.map((name) => ({ name })) });
  if (local?.certain) return asLocal();
  const target = nixpkgsAttrPath(list.candidate.pythonSet);
  if ("reason" in target) return local ? asLocal() : { source: "none", reason: target.reason };
  const source = await nixpkgsFor(project, opts);
  if (!source.available) return local ? asLocal() : { source: "none", reason: source.reason };
  const listing = await evalPackageSet(source, target.attrPath, { ...opts, detailed: opts.detailed ?? true });
  return { source: "nixpkgs", label: listing.label, entries: listing.entries, fromCache: listing.fromCache, durationMs: listing.durationMs };
}
