// Finds the Python package lists of one Nix file, in the forms real projects write them:
//   myPkgs = p: with p; [ torch quimb jax ];  … python311.withPackages myPkgs   (the seed's)
//   python3.withPackages (ps: with ps; [ numpy ])                                 (inline)
//   python3.withPackages (ps: [ ps.numpy ps.torch ])                              (explicit)
//   (with pkgs.python3Packages; [ numpy ])                                        (package set)
//   with pkgs; [ git python3Packages.numpy ]                                      (mixed; fallback)
// Where lists start and how they are followed (receivers, named functions, applications, let
// aliases, buildEnv extraLibs) is pythonSites.ts and listWalker.ts; this module turns what they
// found into candidates (label, prefix for a new name, elements) and matches elements to names.
// Lists of other languages (ghc, perl, lua also have withPackages) and plain lists of system
// packages are left alone.
import { scopeTable, type ScopeTable } from "./bindings";
import type { FoundList } from "./listWalker";
import { findPythonSites, type WholeFileUse } from "./pythonSites";
import { isPythonPackageSetPath, resolvePythonSet, type PythonSetRef } from "./pythonSets";
import { analyze, bindingPath, skipGroup, type NixStructure } from "./structure";
import { lineColumn } from "./tokenizer";

export type PackageListForm = "named" | "withPackages" | "packageSet" | "qualified";

export interface ListElement {
  readonly start: number;
  readonly end: number;
  /** The element's source text, comments inside it included. */
  readonly text: string;
  /** Its tokens without whitespace or comments, for comparing with names: "ps.numpy". */
  readonly key: string;
}

export interface PackageListCandidate {
  /** 1-based, in file order: what `--list N` and the quick pick refer to. */
  readonly number: number;
  /** For people: "myPkgs = p: with p; [ … ] (line 6)". */
  readonly label: string;
  readonly form: PackageListForm;
  /** 1-based line of the opening bracket. */
  readonly line: number;
  /** Offset of "[". */
  readonly listStart: number;
  /** Offset just after "]". */
  readonly listEnd: number;
  /** The lambda's parameter (`ps` in `ps: [ … ]`), when the list is a lambda's body. */
  readonly param?: string;
  /** The scope the list's names come from (`ps`, `pkgs.python3Packages`), when a `with` precedes it. */
  readonly withTarget?: string;
  /** The package set of a mixed list's Python elements: `python3Packages` in `[ git python3Packages.numpy ]`. */
  readonly qualifier?: string;
  /** Every `with X;` around the list, outermost first (withTarget is the innermost). */
  readonly withTargets?: readonly string[];
  /** Names a `let` in the function binds to the parameter's set: `ps_` in `let ps_ = ps.override { … }; in`. */
  readonly aliases?: readonly string[];
  /** The Python package set the list draws from, as far as the text tells. */
  readonly pythonSet?: PythonSetRef;
  /** The named function the list is in (`myPkgs`), when it is one. */
  readonly functionName?: string;
  /** What goes before a new name: "" under `with`, "ps." in the explicit form, "python3Packages." in a mixed list. */
  readonly addPrefix: string;
  readonly elements: readonly ListElement[];
}

type Unnumbered = Omit<PackageListCandidate, "number">;

/** The Python package lists of one Nix file, in file order. */
export function findPackageLists(text: string): PackageListCandidate[] {
  return readPackageLists(text).lists;
}

export interface FilePackageLists {
  readonly lists: PackageListCandidate[];
  /** Files this one uses as a Python package function: `withPackages (import ./python-packages.nix)`. */
  readonly functionImports: readonly { readonly path: string; readonly use: WholeFileUse }[];
}

export interface ReadListsOptions {
  /** The file is imported as a Python package function (`withPackages (import ./this.nix)`): read its expression as one. */
  readonly asPythonFunction?: WholeFileUse;
}

export function readPackageLists(text: string, opts: ReadListsOptions = {}): FilePackageLists {
  const s = analyze(text);
  const table = scopeTable(s);
  const sites = findPythonSites(table, opts.asPythonFunction);
  const pythonLists = sites.lists.map((found) => fromFoundList(s, found)).sort((a, b) => a.listStart - b.listStart);
  // A mixed list (`[ git python3Packages.numpy ]`) is where packages go only when the file has no
  // list of its own for Python: it must not make every seed-like flake ask which list to use.
  const mixed = pythonLists.length > 0 ? [] : s.tokens.flatMap((t, i) => (t.kind === "punct" && t.text === "[" ? (mixedList(table, i) ?? []) : []));
  const lists = (pythonLists.length > 0 ? pythonLists : mixed).map((c, i) => ({ ...c, number: i + 1 }));
  const functionImports = sites.imports.map((imp) => ({
    path: s.tokens[imp.path]!.text,
    use: { pythonSet: imp.site.pythonSet ?? { text: "(the importing file's set)" }, args: imp.args, yields: imp.yields },
  }));
  return { lists, functionImports };
}

function fromFoundList(s: NixStructure, found: FoundList): Unnumbered {
  const { scope, site } = found;
  const inner = scope.viaBinding ? "[ … ]" : [
    scope.param ? `${scope.param}: ` : "",
    scope.hasLet ? "let …; in " : "",
    ...scope.withTargets.map((w) => `with ${w}; `),
    scope.direct ? "" : "… ",
    "[ … ]",
  ].join("");
  const form: PackageListForm = site.form === "withPackages" && scope.param === undefined ? "packageSet" : site.form;
  const shape = site.form === "withPackages" && site.receiver && !scope.viaBinding ? `${site.receiver} (${inner})` : inner;
  const elements = listElements(s, found.open);
  const withTarget = scope.withTargets.at(-1);
  return describe(s, found.open, site.exprStart, shape, {
    form,
    param: scope.param,
    withTarget,
    withTargets: scope.withTargets,
    aliases: scope.aliases,
    pythonSet: site.pythonSet,
    functionName: site.functionName,
    addPrefix: addPrefixFor(scope.param, scope.aliases, scope.withTargets, elements),
  });
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/**
 * What goes before a new name: the prefix the list's last element is written with (`ps_.` in
 * `[ ps_.numpy ]`, `python3Packages.` in `[ python3Packages.a ]`), or none under a `with`, or the
 * lambda's parameter.
 */
function addPrefixFor(param: string | undefined, aliases: readonly string[], withTargets: readonly string[], elements: readonly ListElement[]): string {
  const scopes = [param, ...aliases, ...withTargets].filter((n): n is string => n !== undefined);
  for (const e of [...elements].reverse()) {
    const dot = e.key.lastIndexOf(".");
    const qualifier = dot > 0 ? e.key.slice(0, dot) : undefined;
    if (qualifier === undefined) {
      if (BARE_NAME.test(e.key) && withTargets.length > 0) return "";
      continue;
    }
    if (!BARE_NAME.test(e.key.slice(dot + 1))) continue;
    if (scopes.includes(qualifier) || isPythonPackageSetPath(qualifier)) return `${qualifier}.`;
  }
  if (withTargets.length > 0) return "";
  return param ? `${param}.` : "";
}

/** The same list in an edited text whose "[" has not moved (its elements and end read afresh). */
export function relocateCandidate(text: string, candidate: PackageListCandidate): PackageListCandidate {
  const s = analyze(text);
  const open = s.tokens.findIndex((t) => t.start === candidate.listStart && t.kind === "punct" && t.text === "[");
  if (open === -1) throw new Error(`no list at offset ${candidate.listStart} any more`);
  return { ...candidate, listEnd: s.tokens[s.closerOf.get(open)!]!.end, elements: listElements(s, open) };
}

/** The names an element's attribute path may start with and still be the list's own package. */
export function scopeNames(candidate: PackageListCandidate): string[] {
  return [candidate.param, ...(candidate.aliases ?? []), ...(candidate.withTargets ?? [candidate.withTarget])].filter((n): n is string => n !== undefined);
}

/** The element's package as a bare attribute name (`numpy` for `ps_.numpy`), or undefined when it is not a plain name. */
export function elementAttribute(candidate: PackageListCandidate, element: ListElement): string | undefined {
  if (candidate.qualifier) {
    const prefix = `${candidate.qualifier}.`;
    return element.key.startsWith(prefix) && BARE_NAME.test(element.key.slice(prefix.length)) ? element.key.slice(prefix.length) : undefined;
  }
  if (BARE_NAME.test(element.key)) return element.key;
  const dot = element.key.lastIndexOf(".");
  const qualifier = element.key.slice(0, dot);
  const name = element.key.slice(dot + 1);
  if (dot <= 0 || !BARE_NAME.test(name)) return undefined;
  return scopeNames(candidate).includes(qualifier) || isPythonPackageSetPath(qualifier) ? name : undefined;
}

/** Whether the element is `name` in one of the forms the list accepts (`numpy`, `ps.numpy`, `ps_.numpy`). */
export function elementIsPackage(candidate: PackageListCandidate, element: ListElement, name: string): boolean {
  if (candidate.qualifier) {
    // Only the Python elements count: removing "git" from `[ git python3Packages.numpy ]` is not ours.
    const prefix = `${candidate.qualifier}.`;
    return element.key === (name.startsWith(prefix) ? name : prefix + name);
  }
  if (element.key === name) return true;
  const attribute = elementAttribute(candidate, element);
  if (attribute === undefined) return false;
  const scopes = scopeNames(candidate);
  const typed = scopes.find((sc) => name.startsWith(`${sc}.`));
  return attribute === (typed ? name.slice(typed.length + 1) : name);
}

/** A list with Python packages named through their set, among others: `with pkgs; [ git python3Packages.numpy ]`. */
function mixedList(table: ScopeTable, open: number): Unnumbered | undefined {
  const s = table.s;
  const qualifiers = listElements(s, open).map((e) => PYTHON_QUALIFIED.exec(e.key)?.[1]).filter((q) => q !== undefined);
  const qualifier = qualifiers.at(-1);
  if (qualifier === undefined) return undefined;
  return describe(s, open, open, `[ … ${qualifier}.* … ]`, { form: "qualified", qualifier, addPrefix: `${qualifier}.`, pythonSet: resolvePythonSet(table, qualifier, open) });
}

const PYTHON_QUALIFIED = /^((?:[A-Za-z_][A-Za-z0-9_'-]*\.)*(?:python|pypy)[0-9]*Packages)\.[A-Za-z_][A-Za-z0-9_'-]*$/;

type FormFields = Pick<PackageListCandidate, "form" | "param" | "withTarget" | "withTargets" | "aliases" | "qualifier" | "addPrefix" | "pythonSet" | "functionName">;

/** Position, label and elements of the list opening at token `open`; `exprStart` begins the expression that yields it. */
function describe(s: NixStructure, open: number, exprStart: number, shape: string, fields: FormFields): Unnumbered {
  const path = bindingPath(s, open);
  if (path.length > 1 && path[0] === "outputs") path.shift(); // every flake's lists are under outputs
  const where = path.length > 0 ? path.join(".") : "(top level)";
  const boundDirectly = s.tokens[exprStart - 1]?.kind === "punct" && s.tokens[exprStart - 1]?.text === "=";
  const listToken = s.tokens[open]!;
  const line = lineColumn(s.text, listToken.start).line;
  return {
    ...fields,
    label: `${where} = ${boundDirectly ? "" : "… "}${shape} (line ${line})`,
    line,
    listStart: listToken.start,
    listEnd: s.tokens[s.closerOf.get(open)!]!.end,
    elements: listElements(s, open),
  };
}

/**
 * A list's elements are select expressions: a term (name, string, path, number, bracketed group,
 * `rec { … }`) followed by `.attr` selections and an optional `or DEFAULT`.
 */
function listElements(s: NixStructure, open: number): ListElement[] {
  const close = s.closerOf.get(open)!;
  const elements: ListElement[] = [];
  const skipTerm = (i: number) => (s.tokens[i]?.text === "rec" && s.tokens[i + 1]?.text === "{" ? skipGroup(s, i + 1) : skipGroup(s, i));
  const skipSelect = (i: number) => {
    let next = skipTerm(i);
    while (next + 1 < close && s.tokens[next]!.kind === "punct" && s.tokens[next]!.text === ".") next = skipGroup(s, next + 1);
    return next;
  };
  for (let i = open + 1; i < close; ) {
    const first = i;
    i = skipSelect(i);
    if (i + 1 < close && s.tokens[i]!.kind === "identifier" && s.tokens[i]!.text === "or") i = skipSelect(i + 1);
    i = Math.min(i, close);
    const parts = s.tokens.slice(first, i);
    const start = parts[0]!.start;
    const end = parts.at(-1)!.end;
    elements.push({ start, end, text: s.text.slice(start, end), key: parts.map((t) => t.text).join("") });
  }
  return elements;
}
