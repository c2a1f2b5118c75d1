// The Python package lists of a whole project (flake.nix and the files it imports, or shell.nix /
// default.nix), each with the outputs that use it, and the choice of the one to edit: the only
// list; else the only one the configured devShell uses; else the user is asked, with where each
// list is and what uses it. A smaller list beside the main one is never picked silently.
import { InvalidInputError } from "../errors";
import { AmbiguousPackageListError, NoPackageListError } from "./errors";
import { readPackageLists, type PackageListCandidate } from "./packageLists";
import { readProjectSources, type NixSource, type ProjectKind, type ReadSourcesOptions } from "./projectFiles";
import type { WholeFileUse } from "./pythonSites";
import { computeReach, devShellLabels, outputsUsing } from "./usage";

export interface ProjectPackageList {
  /** 1-based over the project, flake.nix's lists first: what `--list N` refers to. */
  readonly number: number;
  /** Absolute path of the file that holds the list (where the edit lands). */
  readonly file: string;
  /** "nix/devshell.nix" */
  readonly relPath: string;
  /** The list in its file (offsets into that file's text). */
  readonly candidate: PackageListCandidate;
  /** Outputs that use it: ["devShells.default"], ["packages.default"], ["shell.nix"]. */
  readonly usedBy: readonly string[];
  /** "myPkgs = p: with p; [ … ] (flake.nix:14)" */
  readonly label: string;
  /** Used by the devShell the options name (devShells.<system>.<devShell>, devShell.<system>). */
  readonly inDevShell: boolean;
}

export interface ProjectPackageLists {
  readonly dir: string;
  readonly kind: ProjectKind;
  readonly files: readonly NixSource[];
  readonly lists: readonly ProjectPackageList[];
  /** The devShell the choice prefers, and the outputs found for it. */
  readonly devShell: string;
  readonly devShellOutputs: readonly string[];
  readonly skipped: readonly { readonly relPath: string; readonly reason: string }[];
}

export interface FindProjectListsOptions extends ReadSourcesOptions {
  /** hybridEnv.devShell / --dev-shell (default "default"). */
  readonly devShell?: string;
}

export function findProjectPackageLists(dir: string, opts: FindProjectListsOptions = {}): ProjectPackageLists {
  const devShell = opts.devShell ?? "default";
  const sources = readProjectSources(dir, opts);
  const reach = computeReach(sources.kind, sources.files);
  const perFile = readAllLists(sources.files);
  const wanted = new Set(devShellLabels(reach, devShell));
  const lists: ProjectPackageList[] = [];
  for (const source of sources.files) {
    for (const candidate of perFile.get(source.path) ?? []) {
      const usedBy = outputsUsing(reach, source.path, candidate.listStart);
      lists.push({
        number: lists.length + 1,
        file: source.path,
        relPath: source.relPath,
        candidate,
        usedBy,
        label: `${candidate.label.replace(/ \(line \d+\)$/, "")} (${source.relPath}:${candidate.line})`,
        inDevShell: usedBy.some((u) => wanted.has(u)),
      });
    }
  }
  return { dir: sources.dir, kind: sources.kind, files: sources.files, lists, devShell, devShellOutputs: [...wanted], skipped: sources.skipped };
}

/**
 * Each file's lists. A file another one uses as a Python package function
 * (`python3.withPackages (import ./python-packages.nix)`) is read as one, so that its bare
 * `ps: with ps; [ … ]` counts.
 */
function readAllLists(files: readonly NixSource[]): Map<string, PackageListCandidate[]> {
  const functions = new Map<string, WholeFileUse>();
  const lists = new Map<string, PackageListCandidate[]>();
  for (const source of files) {
    try {
      const read = readPackageLists(source.text);
      lists.set(source.path, read.lists);
      for (const imp of read.functionImports) {
        const target = source.links.get(imp.path);
        if (target) functions.set(target, imp.use);
      }
    } catch (err) {
      if (source === files[0]) throw err; // the entry file's syntax error is the user's to see
    }
  }
  for (const [path, use] of functions) {
    const source = files.find((f) => f.path === path);
    if (source) lists.set(path, readPackageLists(source.text, { asPythonFunction: use }).lists);
  }
  return lists;
}

/**
 * The list to edit. `list` picks one by number, by label, or as "file:line" / "line"; otherwise
 * the only list, or the only one the devShell uses. Throws NoPackageListError or
 * AmbiguousPackageListError (which lists the choices with what uses each).
 */
export function chooseProjectList(project: ProjectPackageLists, list?: number | string): ProjectPackageList {
  const { lists } = project;
  if (lists.length === 0) throw new NoPackageListError(project.files.map((f) => f.relPath));
  if (list !== undefined && list !== "") return pickExplicit(project, list);
  if (lists.length === 1) return lists[0]!;
  const inDevShell = lists.filter((l) => l.inDevShell);
  if (inDevShell.length === 1) return inDevShell[0]!;
  const choices = inDevShell.length > 1 ? inDevShell : lists;
  const why = inDevShell.length > 1 ? `that ${project.devShellOutputs.join(" and ")} use${project.devShellOutputs.length === 1 ? "s" : ""}` : "";
  throw new AmbiguousPackageListError(
    choices.map((l) => ({ number: l.number, label: l.label, usedBy: l.usedBy })),
    why,
    project.files[0]?.relPath ?? "flake.nix",
  );
}

function pickExplicit(project: ProjectPackageLists, list: number | string): ProjectPackageList {
  const { lists } = project;
  const text = String(list).trim();
  const byNumber = /^\d+$/.test(text) ? lists.find((l) => l.number === Number(text)) : undefined;
  const fileLine = /^(?:(.+):)?(\d+)$/.exec(text);
  const found =
    byNumber ??
    lists.find((l) => l.label === text || l.candidate.label === text) ??
    (fileLine && fileLine[1] !== undefined ? lists.find((l) => l.relPath === fileLine[1] && l.candidate.line === Number(fileLine[2])) : undefined);
  if (found) return found;
  const known = lists.map((l) => `  ${l.number}: ${l.label}`).join("\n");
  throw new InvalidInputError(`There is no package list ${JSON.stringify(text)}. The lists are:\n${known}`);
}
