// A typed package name, read against the list it goes into. People type what they see in docs and
// other flakes: `python3Packages.rich`, `ps.rich`, `pkgs.python311Packages.rich`. Inside a list the
// name must be written the way the list writes its own (`rich` under `with p;`, `p.rich`, `ps_.rich`),
// and a name from another Python's set (`python310Packages.x` into a python311 list) is refused:
// it would build against a second interpreter.
import { scopeTable } from "./bindings";
import type { PackageListCandidate } from "./packageLists";
import { describeInterpreter, interpreterOf, interpretersConflict, isPythonPackageSetPath, resolvePythonSet } from "./pythonSets";
import { analyze } from "./structure";

export type ReconciledName =
  | {
      readonly ok: true;
      /** The attribute in the list's package set: `rich`. */
      readonly attribute: string;
      /** What the list gets: `rich`, `p.rich`, `ps_.rich`, `python3Packages.rich`. */
      readonly element: string;
      /** Said to the user when the name was rewritten. */
      readonly note?: string;
    }
  | { readonly ok: false; readonly problem: string };

/** Names people give a Python package set argument; typed as a prefix they mean "the list's set". */
const PARAMETER_NAMES = /^(p|ps|pp|py|pyp|pyps|pypkgs|pyPkgs|pythonPkgs|python-pkgs|python-packages|pythonPackages|python_packages|pkgs_|self|super|final|prev)$/;

export function reconcileName(candidate: PackageListCandidate, typed: string, text?: string): ReconciledName {
  const dot = typed.lastIndexOf(".");
  if (dot === -1) return accepted(candidate, typed, typed);
  const qualifier = typed.slice(0, dot);
  const attribute = typed.slice(dot + 1);
  const own = [candidate.param, ...(candidate.aliases ?? []), ...(candidate.withTargets ?? []), candidate.withTarget, candidate.qualifier, candidate.pythonSet?.local?.name];
  if (own.includes(qualifier)) return accepted(candidate, typed, attribute);

  const listInterpreter = candidate.pythonSet?.interpreter;
  const resolved = text !== undefined ? resolveInFile(text, candidate, qualifier) : undefined;
  if (resolved?.local && resolved.local.binding.keyStart === candidate.pythonSet?.local?.binding.keyStart) return accepted(candidate, typed, attribute);
  const setPath = [qualifier, resolved?.text].find((p) => p !== undefined && (isPythonPackageSetPath(p) || interpreterOf(p) !== undefined));
  if (setPath !== undefined) {
    const typedInterpreter = interpreterOf(setPath)!;
    const generic = /^(python|pypy)$/.test(typedInterpreter) && !/[0-9]/.test(qualifier);
    if (!generic && listInterpreter && interpretersConflict(typedInterpreter, listInterpreter)) {
      return {
        ok: false,
        problem:
          `${typed} is from ${describeInterpreter(typedInterpreter)}'s package set (${qualifier}), but ${candidate.label} is a list for ` +
          `${describeInterpreter(listInterpreter)} (${candidate.pythonSet!.text}): a package built for another interpreter would not import there. ` +
          `Add ${attribute} instead, or use a list of ${describeInterpreter(typedInterpreter)}.`,
      };
    }
    return accepted(candidate, typed, attribute);
  }
  if (!qualifier.includes(".") && PARAMETER_NAMES.test(qualifier)) return accepted(candidate, typed, attribute);
  if (qualifier === "pkgs" || qualifier.startsWith("pkgs.")) {
    return {
      ok: false,
      problem: `${typed} is a top-level nixpkgs package, not one of a Python package set; a Python list takes ${attribute} or python3Packages.${attribute}.`,
    };
  }
  return {
    ok: false,
    problem: `${qualifier} is not the package set of ${candidate.label}: type ${attribute}${candidate.addPrefix ? ` or ${candidate.addPrefix}${attribute}` : ""}.`,
  };
}

function accepted(candidate: PackageListCandidate, typed: string, attribute: string): ReconciledName {
  const element = candidate.addPrefix + attribute;
  return { ok: true, attribute, element, ...(element !== typed ? { note: `${typed} is written ${element} in this list` } : {}) };
}

/** The typed qualifier's meaning at the list: `pythonPackages` may be a let name for a set. */
function resolveInFile(text: string, candidate: PackageListCandidate, qualifier: string) {
  try {
    const s = analyze(text);
    const at = s.tokens.findIndex((t) => t.start === candidate.listStart);
    if (at === -1) return undefined;
    return resolvePythonSet(scopeTable(s), qualifier, at);
  } catch {
    return undefined;
  }
}
