// What Remove Nix Package takes out, from its arguments or by asking: a typed name (the core finds
// the list holding it), a Packages view row (a Python distribution name, matched to the lists'
// attributes with both normalised, `PyYAML` ~ `pyyaml`; when none matches, the user picks the
// element that provides it), or nothing (pick a list, then an element).
import { elementAttribute, type ProjectPackageList, type ProjectPackageLists } from "../../core/flake";
import { normalizeName } from "../../core/packageName";
import type { WindowApis } from "../../platform/apis";
import { UserError, type NixPackageArgs } from "./args";
import { chooseList, usedByText } from "./listChoice";

export interface RemovalChoice {
  /** The element's attribute, as planPackageEdit takes it. */
  readonly name: string;
  /** The list, or undefined to let the core find the one holding `name`. */
  readonly list?: ProjectPackageList;
}

type Window = Pick<WindowApis, "showQuickPick">;

/** The lists' attributes (bare names) that are `wanted` as a Python distribution name. */
function holdersOf(project: ProjectPackageLists, wanted: string): Array<{ list: ProjectPackageList; attribute: string }> {
  const norm = normalizeName(wanted);
  return project.lists.flatMap((list) => {
    const attributes = list.candidate.elements.map((e) => elementAttribute(list.candidate, e)).filter((a): a is string => a !== undefined);
    const attribute = attributes.find((a) => a === wanted) ?? attributes.find((a) => normalizeName(a) === norm);
    return attribute === undefined ? [] : [{ list, attribute }];
  });
}

export async function chooseRemoval(window: Window, project: ProjectPackageLists, args: NixPackageArgs): Promise<RemovalChoice | undefined> {
  if (args.name !== undefined) return { name: args.name, list: args.list !== undefined ? await chooseList(window, project, args.list, "") : undefined };
  if (args.fromRow === undefined) {
    const list = await chooseList(window, project, args.list, "Remove from which one?");
    return list && pickElement(window, list, `Remove a Nix package from ${list.label}`);
  }
  const holders = holdersOf(project, args.fromRow);
  if (holders.length === 1) return { name: holders[0]!.attribute, list: holders[0]!.list };
  if (holders.length > 1) {
    const picked = await window.showQuickPick(
      holders.map((h) => ({ label: h.list.label, description: h.attribute, detail: usedByText(project, h.list), holder: h })),
      { title: "Hybrid Env: remove a Nix package", placeHolder: `${args.fromRow} is in ${holders.length} package lists: remove it from which one?` },
    );
    return picked && { name: picked.holder.attribute, list: picked.holder.list };
  }
  // The Nix attribute may be spelled differently from the distribution: let the user pick it.
  const list = await chooseList(window, project, args.list, `No list has an element named ${args.fromRow}: which list provides it?`);
  return list && pickElement(window, list, `No element of ${list.label} is named ${args.fromRow}: which one provides it?`);
}

async function pickElement(window: Window, list: ProjectPackageList, placeHolder: string): Promise<RemovalChoice | undefined> {
  const names = [...new Set(list.candidate.elements.map((e) => elementAttribute(list.candidate, e)).filter((a): a is string => a !== undefined))];
  if (names.length === 0) throw new UserError(`${list.label} has no package hybrid-env can remove by name.`);
  const picked = await window.showQuickPick(
    names.map((name) => ({ label: name })),
    { title: "Hybrid Env: remove a Nix package", placeHolder },
  );
  return picked && { name: picked.label, list };
}
