// "Ask / pick a list": what Add or Remove Nix Package is to do, from the arguments or by asking
// the user: which Python package list of flake.nix, which name. Nothing is edited here (apply.ts).
import * as vscode from "vscode";
import { bareElementNames, localPackageSet } from "../../core/flake/packageSetNames";
import { chooseCandidate, packageNameProblem, type PackageListCandidate } from "../../core/flake";
import { normalizeName } from "../../core/packageName";
import { UserError, type NixPackageArgs } from "./args";

export interface Choice {
  readonly name: string;
  readonly candidate: PackageListCandidate;
}

/** Nothing to edit, and why. */
export interface NoChange {
  readonly noChange: string;
}

export async function chooseAddition(
  document: vscode.TextDocument,
  text: string,
  candidates: readonly PackageListCandidate[],
  args: NixPackageArgs,
): Promise<Choice | undefined> {
  if (args.name !== undefined) {
    const problem = packageNameProblem(args.name);
    if (problem) throw new UserError(problem);
  }
  const candidate = await pickCandidate(candidates, args.list, "Add to which package list?");
  if (!candidate) return undefined;
  const name = args.name ?? (await askNameToAdd(document, text, candidate));
  return name === undefined ? undefined : { name, candidate };
}

export async function chooseRemoval(candidates: readonly PackageListCandidate[], args: NixPackageArgs): Promise<Choice | NoChange | undefined> {
  const wanted = args.name ?? args.fromRow;
  if (wanted !== undefined && args.name !== undefined) {
    const problem = packageNameProblem(wanted);
    if (problem) throw new UserError(problem);
  }
  if (wanted === undefined) {
    const candidate = await pickCandidate(candidates, args.list, "Remove from which package list?");
    if (!candidate) return undefined;
    const name = await pickListElement(candidate, `Remove a Nix package from ${candidate.label}`);
    return name === undefined ? undefined : { name, candidate };
  }
  // The lists holding the name; a row's name is a Python distribution name, so compare normalised.
  const holders = (args.list !== undefined ? [chooseCandidate(candidates, args.list)] : candidates)
    .map((c) => ({ c, element: matchingElement(c, wanted) }))
    .filter((h): h is { c: PackageListCandidate; element: string } => h.element !== undefined);
  if (holders.length === 0) {
    if (candidates.length === 0) chooseCandidate(candidates); // throws: explains the list shapes
    if (args.fromRow === undefined) return { noChange: `${wanted} is not in ${candidates.length === 1 ? candidates[0]!.label : "any Python package list of flake.nix"}: no change.` };
    // The Nix attribute may be spelled differently from the distribution: let the user pick it.
    const candidate = await pickCandidate(candidates, args.list, "Remove from which package list?");
    if (!candidate) return undefined;
    const name = await pickListElement(candidate, `No element of ${candidate.label} is named ${wanted}: which one provides it?`);
    return name === undefined ? undefined : { name, candidate };
  }
  if (holders.length === 1) return { name: holders[0]!.element, candidate: holders[0]!.c };
  const picked = await vscode.window.showQuickPick(
    holders.map((h) => ({ label: h.c.label, holder: h })),
    { placeHolder: `${wanted} is in ${holders.length} package lists: remove it from which one?` },
  );
  return picked ? { name: picked.holder.element, candidate: picked.holder.c } : undefined;
}

/** The list's own spelling (bare, `numpy` for `ps.numpy`) of the element that is `name`, if any. */
function matchingElement(candidate: PackageListCandidate, name: string): string | undefined {
  const bare = bareElementNames(candidate) ?? [];
  return bare.find((n) => n === name) ?? bare.find((n) => normalizeName(n) === normalizeName(name));
}

async function pickCandidate(candidates: readonly PackageListCandidate[], list: number | string | undefined, placeHolder: string): Promise<PackageListCandidate | undefined> {
  if (list !== undefined || candidates.length <= 1) return chooseCandidate(candidates, list);
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.label, description: `${c.elements.length} package${c.elements.length === 1 ? "" : "s"}`, candidate: c })),
    { placeHolder: `flake.nix has ${candidates.length} Python package lists. ${placeHolder}` },
  );
  return picked?.candidate;
}

async function pickListElement(candidate: PackageListCandidate, placeHolder: string): Promise<string | undefined> {
  const names = bareElementNames(candidate) ?? candidate.elements.map((e) => e.key);
  if (names.length === 0) throw new UserError(`${candidate.label} is empty: there is nothing to remove.`);
  return vscode.window.showQuickPick([...new Set(names)], { placeHolder });
}

/**
 * The name to add. When the list draws from a package set written in flake.nix itself, its names
 * are offered (typing any other attribute path still works); otherwise a free-text input box.
 * Both validate as the user types.
 */
async function askNameToAdd(document: vscode.TextDocument, text: string, candidate: PackageListCandidate): Promise<string | undefined> {
  const present = new Set(bareElementNames(candidate) ?? []);
  const problemOf = (value: string) => {
    const problem = packageNameProblem(value);
    if (problem) return problem;
    const bare = candidate.addPrefix && value.startsWith(candidate.addPrefix) ? value.slice(candidate.addPrefix.length) : value;
    return present.has(bare) ? `${value} is already in ${candidate.label}.` : undefined;
  };
  const title = `Add a Nix package to ${vscode.workspace.asRelativePath(document.uri)}: ${candidate.label}`;
  const set = localPackageSet(text, candidate);
  if (!set) {
    const value = await vscode.window.showInputBox({
      title,
      prompt: "A Nix attribute name of the package set the list uses (numpy, scikit-learn, or a path like python3Packages.numpy)",
      placeHolder: "numpy",
      validateInput: (v) => (v.trim() === "" ? undefined : problemOf(v.trim())),
    });
    const name = value?.trim();
    if (!name) return undefined;
    const problem = problemOf(name);
    if (problem) throw new UserError(problem);
    return name;
  }

  type Item = vscode.QuickPickItem & { readonly name?: string };
  const offered: Item[] = set.missing.map((n) => ({ label: n, name: n, description: `in ${set.label}` }));
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = title;
  picker.placeholder = `A package of ${set.label}, or type any Nix attribute name`;
  picker.matchOnDescription = false;
  const update = () => {
    const value = picker.value.trim();
    if (value === "" || offered.some((i) => i.name === value)) {
      picker.items = offered;
      return;
    }
    const problem = problemOf(value);
    const typed: Item = problem
      ? { label: `$(error) ${value}`, detail: problem, alwaysShow: true }
      : { label: value, name: value, description: `not in ${set.label}: added as typed`, alwaysShow: true };
    picker.items = [typed, ...offered];
  };
  update();
  return new Promise<string | undefined>((resolve) => {
    let chosen: string | undefined;
    picker.onDidChangeValue(update);
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0] ?? picker.activeItems[0];
      if (!item?.name) return; // an invalid name: the item says why; keep the picker open
      chosen = item.name;
      picker.hide();
    });
    picker.onDidHide(() => {
      picker.dispose();
      resolve(chosen);
    });
    picker.show();
  });
}
