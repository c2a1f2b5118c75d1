// Editing the Python package lists of a project's Nix files: the API the extension and the CLI use.
//
// Whole projects (flake.nix and what it imports, or shell.nix / default.nix):
//   findProjectPackageLists(dir, { devShell })     the lists, where each is, what uses it
//   chooseProjectList(project, list?)             the one to edit, or AmbiguousPackageListError
//   planPackageEdit(project, op, name, { list })  pure: the new text of the file that holds the list
//   checkPackageExists(project, list, attribute)  the name in the list's package set (offline, cached)
//   listPackageChoices(project, list)             names, versions, descriptions for a quick pick
//   writePackageEdit(plan, parseOptions)          parsed by real Nix, written atomically
//   editProjectPackage(dir, op, name, options)    all of the above (the CLI)
// One file's text: findPackageLists, addPackage, removePackage, editFlakeFile.
export { addPackage, assertValidPackageName, nameForList, packageNameProblem, removePackage, type EditResult } from "./edit";
export {
  checkNixParses,
  chooseCandidate,
  editFlakeFile,
  findNixInstantiate,
  type EditFlakeOptions,
  type FlakeEditOp,
  type FlakeEditOutcome,
  type ParseCheck,
} from "./check";
export {
  AmbiguousPackageListError,
  FlakeChangedError,
  FlakeParseError,
  NixSyntaxError,
  NoPackageListError,
  PackageNameScopeError,
  PackageSetEvalError,
  UnknownPackageError,
} from "./errors";
export { reconcileName, type ReconciledName } from "./nameScope";
export { elementAttribute, elementIsPackage, findPackageLists, type ListElement, type PackageListCandidate } from "./packageLists";
export { checkPackageExists, listPackageChoices, nixpkgsAttrPath, type PackageCheck, type PackageChoices, type PackageSetOptions } from "./packageCheck";
export { evalPackageSet, type PackageSetEntry, type PackageSetListing } from "./packageSetEval";
export { locateNixpkgs, type NixpkgsSource } from "./nixpkgsSource";
export { localPackageSet, type LocalPackageSet } from "./localPackageSet";
export { suggestNames } from "./suggestions";
export { readProjectSources, projectEntry, type NixSource, type ProjectKind, type ProjectSources } from "./projectFiles";
export { chooseProjectList, findProjectPackageLists, type ProjectPackageList, type ProjectPackageLists } from "./projectLists";
export { checkNotes, editProjectPackage, planPackageEdit, writePackageEdit, type EditProjectOptions, type PackageEditPlan, type ProjectEditOutcome } from "./projectEdit";
