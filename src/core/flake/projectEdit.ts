// Add Nix Package / Remove Nix Package on a whole project, in three steps a front end can also
// take one by one: plan (pure: which list, the name as that list writes it, the new text), check
// (does the package set have it; offline, cached), write (real Nix parses the result; the file is
// replaced atomically and only if nobody changed it meanwhile). The edit lands in the file that
// holds the list: flake.nix, nix/devshell.nix, shell.nix …
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { defaultCacheDir } from "../options";
import { checkNixParses, writeAtomically, type FlakeEditOp, type ParseCheckOptions } from "./check";
import { addPackage, assertValidPackageName, nameForList, removePackage } from "./edit";
import { FlakeChangedError, FlakeParseError, PackageNameScopeError, PackageSetEvalError, UnknownPackageError } from "./errors";
import { elementIsPackage } from "./packageLists";
import { checkPackageExists, type PackageCheck, type PackageSetOptions } from "./packageCheck";
import { chooseProjectList, findProjectPackageLists, type FindProjectListsOptions, type ProjectPackageList, type ProjectPackageLists } from "./projectLists";

export interface PackageEditPlan {
  readonly op: FlakeEditOp;
  readonly list: ProjectPackageList;
  /** The bare attribute: `rich`. */
  readonly attribute: string;
  /** As the list gets it: `ps_.rich`. */
  readonly element: string;
  readonly before: string;
  readonly after: string;
  readonly changed: boolean;
  readonly message: string;
  /** Said to the user: the name was rewritten for the list. */
  readonly notes: readonly string[];
}

/** Which list and what text, without touching anything. Throws the typed errors of choosing and naming. */
export function planPackageEdit(project: ProjectPackageLists, op: FlakeEditOp, typed: string, opts: { readonly list?: number | string } = {}): PackageEditPlan {
  assertValidPackageName(typed);
  const list = op === "remove" && (opts.list === undefined || opts.list === "") ? chooseListHolding(project, typed) : chooseProjectList(project, opts.list);
  const before = project.files.find((f) => f.path === list.file)!.text;
  const name = nameForList(before, list.candidate, typed);
  const edit = op === "add" ? addPackage(before, list.candidate, typed) : removePackage(before, list.candidate, typed);
  const notes = name.note && op === "add" ? [name.note] : [];
  const message = !edit.changed
    ? `${name.attribute} ${op === "add" ? "is already in" : "is not in"} ${list.label}: no change.`
    : op === "add"
      ? `Added ${name.element} to ${list.label}.`
      : edit.message.replace(list.candidate.label, list.label);
  return { op, list, attribute: name.attribute, element: name.element, before, after: edit.text, changed: edit.changed, message, notes };
}

/** For a removal without --list: the one list that has the name (the devShell's, if several have it). */
function chooseListHolding(project: ProjectPackageLists, typed: string): ProjectPackageList {
  const holders = project.lists.filter((l) => {
    const text = project.files.find((f) => f.path === l.file)!.text;
    try {
      const { attribute } = nameForList(text, l.candidate, typed);
      return l.candidate.elements.some((e) => elementIsPackage(l.candidate, e, attribute));
    } catch (err) {
      if (err instanceof PackageNameScopeError) return false;
      throw err;
    }
  });
  if (holders.length === 1) return holders[0]!;
  if (holders.length === 0) return chooseProjectList(project);
  return chooseProjectList({ ...project, lists: holders.filter((h) => h.inDevShell).length > 0 ? holders.filter((h) => h.inDevShell) : holders });
}

export interface WritePlanOptions extends ParseCheckOptions {}

/** Writes the plan's text if real Nix parses it and the file still has the planned bytes. */
export async function writePackageEdit(plan: PackageEditPlan, opts: WritePlanOptions): Promise<void> {
  if (!plan.changed) return;
  const file = plan.list.file;
  const original = readFileSync(file);
  if (original.toString("utf8") !== plan.before) throw new FlakeChangedError(file);
  const parseOpts = { ...opts, cwd: opts.cwd ?? dirname(file) };
  const check = await checkNixParses(plan.after, parseOpts);
  if (!check.ok) {
    const before = await checkNixParses(plan.before, parseOpts);
    const why = before.ok
      ? `The edit would make ${plan.list.relPath} unparsable (${check.error})`
      : `${plan.list.relPath} does not parse even before the edit (${before.error}); fix it first`;
    throw new FlakeParseError(`${why}. The file was left as it was.`, check.output);
  }
  writeAtomically(file, original, plan.after);
}

export interface EditProjectOptions extends ParseCheckOptions, FindProjectListsOptions, Partial<Omit<PackageSetOptions, "runner" | "env">> {
  readonly list?: number | string;
  /** Check that the package set has the name before adding it (default true). */
  readonly checkExists?: boolean;
}

export interface ProjectEditOutcome {
  readonly changed: boolean;
  readonly message: string;
  readonly plan: PackageEditPlan;
  /** The semantic check of an addition (absent for removals and no-change additions). */
  readonly check?: PackageCheck;
  /** Things to tell the user besides the message: a rewritten name, a skipped or uncertain check. */
  readonly notes: readonly string[];
}

/** Adds or removes `typed` in the project's Python package list: plan, check, write. */
export async function editProjectPackage(dir: string, op: FlakeEditOp, typed: string, opts: EditProjectOptions): Promise<ProjectEditOutcome> {
  const project = findProjectPackageLists(dir, opts);
  const plan = planPackageEdit(project, op, typed, opts);
  const notes = [...plan.notes];
  if (!plan.changed) return { changed: false, message: plan.message, plan, notes };
  let check: PackageCheck | undefined;
  if (op === "add" && opts.checkExists !== false) {
    check = await checkOrSkip(project, plan, opts);
    notes.push(...checkNotes(plan, check));
  }
  await writePackageEdit(plan, opts);
  return { changed: true, message: plan.message, plan, check, notes };
}

async function checkOrSkip(project: ProjectPackageLists, plan: PackageEditPlan, opts: EditProjectOptions): Promise<PackageCheck> {
  try {
    const check = await checkPackageExists(project, plan.list, plan.attribute, { ...opts, cacheDir: opts.cacheDir ?? defaultCacheDir(opts.env) });
    if (check.status === "missing" && check.certain) {
      const hint = check.suggestions.length > 0 ? ` Did you mean ${check.suggestions.join(", ")}?` : "";
      throw new UnknownPackageError(`${plan.attribute} is not in ${check.source}.${hint} Nothing was changed (to add it anyway: --no-check).`, check.suggestions);
    }
    return check;
  } catch (err) {
    if (err instanceof PackageSetEvalError) return { status: "skipped", reason: err.message };
    throw err;
  }
}

/** What the check means for the user, in a sentence (nothing when it simply found the package). */
export function checkNotes(plan: PackageEditPlan, check: PackageCheck): string[] {
  if (check.status === "skipped") return [`${plan.attribute} was not checked against the package set: ${check.reason}.`];
  if (check.status === "missing") {
    const hint = check.suggestions.length > 0 ? ` (did you mean ${check.suggestions.join(", ")}?)` : "";
    return [`${plan.attribute} is not in ${check.source}${hint}; added anyway, since overlays or overrides of the project may define it.`];
  }
  return [];
}
