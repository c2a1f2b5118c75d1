// The names a package list can draw from, when they can be known at once and offline: a package
// set written as an attribute set in flake.nix itself (a local overlay, a set of path packages)
// that holds every name the list already has. nixpkgs' python3Packages is not listed: that would
// take an evaluation of nixpkgs (seconds, and possibly a download), so the input stays free text.
import { packageNameProblem } from "./edit";
import type { PackageListCandidate } from "./packageLists";
import { analyze, bindingPath, skipGroup, type NixStructure } from "./structure";
import { lineColumn } from "./tokenizer";

export interface LocalPackageSet {
  /** Every attribute name of the set, sorted. */
  readonly names: readonly string[];
  /** Names of the set that the list does not have yet. */
  readonly missing: readonly string[];
  /** "pythonPackages (line 7)" */
  readonly label: string;
}

/** The list's elements as bare names (`numpy` for `ps.numpy` under `ps:`), or undefined if one is not a plain name. */
export function bareElementNames(candidate: PackageListCandidate): string[] | undefined {
  const scopes = [candidate.param, candidate.withTarget, candidate.qualifier].filter((s): s is string => s !== undefined);
  const names: string[] = [];
  for (const element of candidate.elements) {
    const scope = scopes.find((s) => element.key.startsWith(`${s}.`));
    const bare = scope ? element.key.slice(scope.length + 1) : element.key;
    if (!/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(bare)) return undefined;
    names.push(bare);
  }
  return names;
}

export function localPackageSet(text: string, candidate: PackageListCandidate): LocalPackageSet | undefined {
  const present = bareElementNames(candidate);
  if (!present || present.length === 0) return undefined;
  let s: NixStructure;
  try {
    s = analyze(text);
  } catch {
    return undefined;
  }
  const covering: LocalPackageSet[] = [];
  s.tokens.forEach((token, i) => {
    if (token.kind !== "punct" || token.text !== "{") return;
    // The set that holds the list itself is not where its names come from.
    if (token.start < candidate.listStart && s.tokens[s.closerOf.get(i)!]!.end > candidate.listEnd) return;
    const names = attributeNames(s, i);
    if (!present.every((n) => names.has(n))) return;
    const missing = [...names].filter((n) => !present.includes(n)).sort();
    if (missing.length === 0) return;
    const where = bindingPath(s, i).at(-1) ?? "an attribute set";
    covering.push({ names: [...names].sort(), missing, label: `${where} (line ${lineColumn(text, token.start).line})` });
  });
  return covering.length === 1 ? covering[0] : undefined;
}

/** The names an attribute set literal `{ … }` opening at token `open` defines (`a = …;`, `a.b = …;`, `inherit a b;`). */
function attributeNames(s: NixStructure, open: number): Set<string> {
  const names = new Set<string>();
  const close = s.closerOf.get(open)!;
  let statementStart = true;
  for (let i = open + 1; i < close; ) {
    const t = s.tokens[i]!;
    if (statementStart && t.kind === "identifier" && t.text === "inherit") {
      let j = i + 1;
      if (s.tokens[j]?.text === "(") j = skipGroup(s, j);
      for (; j < close && s.tokens[j]!.text !== ";"; j++) {
        if (s.tokens[j]!.kind === "identifier" && packageNameProblem(s.tokens[j]!.text) === undefined) names.add(s.tokens[j]!.text);
      }
      i = j;
      continue;
    }
    if (statementStart && t.kind === "identifier") {
      const next = s.tokens[i + 1];
      if ((next?.text === "=" || next?.text === ".") && packageNameProblem(t.text) === undefined) names.add(t.text);
    }
    statementStart = t.kind === "punct" && t.text === ";";
    i = skipGroup(s, i);
  }
  return names;
}
