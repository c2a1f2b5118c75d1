// Editing the Python package lists of a flake.nix: the API the extension and the CLI use.
export { addPackage, assertValidPackageName, packageNameProblem, removePackage, type EditResult } from "./edit";
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
export { AmbiguousPackageListError, FlakeChangedError, FlakeParseError, NixSyntaxError } from "./errors";
export { elementIsPackage, findPackageLists, type ListElement, type PackageListCandidate } from "./packageLists";
