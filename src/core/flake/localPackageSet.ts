// A package set written in the project's own Nix text, as an attribute set literal: the offline
// example's `pythonPackages = { nixgreet = ./nixpkgs/nixgreet; … };`. Its names are all there is
// to know without evaluating anything: the set a list is applied to (`myPkgs pythonPackages`), or
// failing that the one set in the list's file that holds every name the list already has.
import { scopeTable } from "./bindings";
import { elementAttribute, type PackageListCandidate } from "./packageLists";
import { analyze, bindingPath, skipGroup, type NixStructure } from "./structure";
import { lineColumn } from "./tokenizer";

export interface LocalPackageSet {
  /** Every attribute name of the set, sorted. */
  readonly names: readonly string[];
  /** "pythonPackages (flake.nix:9)" */
  readonly label: string;
  /** The list is applied to this very set (certain), or it merely holds all the list's names (a guess). */
  readonly certain: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** The local set `candidate` draws from, in `text` (the file that holds the list), if there is one. */
export function localPackageSet(text: string, candidate: PackageListCandidate, relPath = "flake.nix"): LocalPackageSet | undefined {
  let s: NixStructure;
  try {
    s = analyze(text);
  } catch {
    return undefined;
  }
  const local = candidate.pythonSet?.local;
  if (local) {
    const b = scopeTable(s).bindings.find((x) => x.keyStart === local.binding.keyStart && x.name === local.name);
    const names = b && s.tokens[b.valueStart]?.text === "{" ? attributeNames(s, b.valueStart) : undefined;
    // A stand-in for an interpreter (`python3 = { withPackages = f: f pythonPackages; };`) is
    // not the set the names come from: that one is found by the names the list has.
    if (names && !names.has("withPackages")) {
      return { names: [...names].sort(), label: `${local.name} (${relPath}:${local.line})`, certain: true };
    }
  }
  return coveringSet(s, candidate, relPath);
}

function coveringSet(s: NixStructure, candidate: PackageListCandidate, relPath: string): LocalPackageSet | undefined {
  const present = candidate.elements.map((e) => elementAttribute(candidate, e));
  if (present.length === 0 || present.some((n) => n === undefined)) return undefined;
  const covering: LocalPackageSet[] = [];
  s.tokens.forEach((token, i) => {
    if (token.kind !== "punct" || token.text !== "{") return;
    // The set that holds the list itself is not where its names come from.
    if (token.start < candidate.listStart && s.tokens[s.closerOf.get(i)!]!.end > candidate.listEnd) return;
    const names = attributeNames(s, i);
    if (!present.every((n) => names.has(n!))) return;
    const where = bindingPath(s, i).at(-1) ?? "an attribute set";
    covering.push({ names: [...names].sort(), label: `${where} (${relPath}:${lineColumn(s.text, token.start).line})`, certain: false });
  });
  return covering.length === 1 ? covering[0] : undefined;
}

/** The names an attribute set literal `{ … }` opening at token `open` defines (`a = …;`, `a.b = …;`, `inherit a b;`). */
export function attributeNames(s: NixStructure, open: number): Set<string> {
  const names = new Set<string>();
  const close = s.closerOf.get(open)!;
  let statementStart = true;
  for (let i = open + 1; i < close; ) {
    const t = s.tokens[i]!;
    if (statementStart && t.kind === "identifier" && t.text === "inherit") {
      let j = i + 1;
      if (s.tokens[j]?.text === "(") j = skipGroup(s, j);
      for (; j < close && s.tokens[j]!.text !== ";"; j++) if (s.tokens[j]!.kind === "identifier" && NAME.test(s.tokens[j]!.text)) names.add(s.tokens[j]!.text);
      i = j;
      continue;
    }
    if (statementStart && (t.kind === "identifier" || t.kind === "string")) {
      const next = s.tokens[i + 1];
      const name = t.kind === "string" ? t.text.slice(1, -1) : t.text;
      if ((next?.text === "=" || next?.text === ".") && NAME.test(name)) names.add(name);
    }
    statementStart = t.kind === "punct" && t.text === ";";
    i = skipGroup(s, i);
  }
  return names;
}
