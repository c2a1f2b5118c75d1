// Finds the lists of Python packages in a flake.nix, in the forms real projects write them:
//   myPkgs = p: with p; [ torch quimb jax ];  … python311.withPackages myPkgs   (the seed's)
//   python3.withPackages (ps: with ps; [ numpy ])                                 (inline)
//   python3.withPackages (ps: [ ps.numpy ps.torch ])                              (explicit)
//   (with pkgs.python3Packages; [ numpy ])                                        (package set)
//   with pkgs; [ git python3Packages.numpy ]                                      (mixed; fallback)
// A list is a candidate only when something ties it to Python: a `.withPackages` whose receiver
// names Python, a `with` over a Python package set, or (only when there is none of those) elements
// named through a Python package set. Lists of other languages (ghc, perl, lua also have
// withPackages) and plain lists of system packages are left alone.
import { analyze, bindingPath, dottedPathEndingAt, skipGroup, type NixStructure } from "./structure";
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
  /** What goes before a new name: "" under `with`, "ps." in the explicit form, "python3Packages." in a mixed list. */
  readonly addPrefix: string;
  readonly elements: readonly ListElement[];
}

/** Receivers of `.withPackages` that are Pythons: python3, pkgs.python311, pypy3, myPython … */
const PYTHON_RECEIVER = /py/i;
/** Package sets a `with` can open: python3Packages, python311Packages, pypy3Packages, python3.pkgs. */
const PYTHON_PACKAGE_SET = /(^|\.)((python|pypy)[0-9]*Packages|(python|pypy)[0-9]*\.pkgs)$/;

type Unnumbered = Omit<PackageListCandidate, "number">;

export function findPackageLists(text: string): PackageListCandidate[] {
  const s = analyze(text);
  const givenToPython = namesGivenToPythonWithPackages(s);
  const pythonLists: Unnumbered[] = [];
  const mixedLists: Unnumbered[] = [];
  s.tokens.forEach((token, i) => {
    if (token.kind !== "punct" || token.text !== "[") return;
    const pythonList = classify(s, i, givenToPython);
    if (pythonList) pythonLists.push(pythonList);
    else {
      const mixed = mixedList(s, i);
      if (mixed) mixedLists.push(mixed);
    }
  });
  // A mixed list (`[ git python3Packages.numpy ]`) is where packages go only when the flake has no
  // list of its own for Python: it must not make every seed-like flake ask which list to use.
  return (pythonLists.length > 0 ? pythonLists : mixedLists).map((c, i) => ({ ...c, number: i + 1 }));
}

/** The same list in an edited text whose "[" has not moved (its elements and end read afresh). */
export function relocateCandidate(text: string, candidate: PackageListCandidate): PackageListCandidate {
  const s = analyze(text);
  const open = s.tokens.findIndex((t) => t.start === candidate.listStart && t.kind === "punct" && t.text === "[");
  if (open === -1) throw new Error(`no list at offset ${candidate.listStart} any more`);
  return { ...candidate, listEnd: s.tokens[s.closerOf.get(open)!]!.end, elements: listElements(s, open) };
}

/** Whether the element is `name` in one of the forms the list accepts (`numpy`, `ps.numpy`). */
export function elementIsPackage(candidate: PackageListCandidate, element: ListElement, name: string): boolean {
  if (candidate.qualifier) {
    // Only the Python elements count: removing "git" from `[ git python3Packages.numpy ]` is not ours.
    const prefix = `${candidate.qualifier}.`;
    return element.key === (name.startsWith(prefix) ? name : prefix + name);
  }
  const scopes = [candidate.param, candidate.withTarget].filter((s): s is string => s !== undefined);
  const unscoped = (path: string) => scopes.find((s) => path.startsWith(`${s}.`))?.length;
  const bare = (path: string) => path.slice((unscoped(path) ?? -1) + 1);
  return element.key === name || bare(element.key) === bare(name);
}

function classify(s: NixStructure, open: number, givenToPython: ReadonlySet<string>): Unnumbered | undefined {
  const tok = (i: number) => s.tokens[i];
  const isPunct = (i: number, text: string) => tok(i)?.kind === "punct" && tok(i)?.text === text;

  // Walk back from "[" over `with TARGET;` and `PARAM:` to the start of the expression.
  let head = open;
  let withTarget: string | undefined;
  if (isPunct(open - 1, ";")) {
    const target = dottedPathEndingAt(s, open - 2);
    if (target && tok(target.start - 1)?.text === "with" && tok(target.start - 1)?.kind === "identifier") {
      withTarget = target.text;
      head = target.start - 1;
    }
  }
  // `ps: let extra = …; in with ps; [ … ]`: the lambda is in front of the let.
  if (tok(head - 1)?.kind === "identifier" && tok(head - 1)?.text === "in") head = s.openerOf.get(head - 1) ?? head;
  let param: string | undefined;
  if (isPunct(head - 1, ":") && tok(head - 2)?.kind === "identifier") {
    param = tok(head - 2)!.text;
    head -= 2;
  }

  let form: PackageListForm | undefined;
  let shape = `${param ? `${param}: ` : ""}${withTarget ? `with ${withTarget}; ` : ""}[ … ]`;
  let exprStart = head;
  if (param && isPunct(head - 1, "(")) {
    const fn = dottedPathEndingAt(s, head - 2);
    const receiver = fn?.text.endsWith(".withPackages") ? fn.text.slice(0, -".withPackages".length) : undefined;
    if (fn && receiver && PYTHON_RECEIVER.test(receiver)) {
      form = "withPackages";
      shape = `${fn.text} (${shape})`;
      exprStart = fn.start;
    }
  }
  if (!form && param && isPunct(head - 1, "=")) {
    const name = dottedPathEndingAt(s, head - 2)?.text;
    if (name && (givenToPython.has(name) || PYTHON_RECEIVER.test(name))) form = "named";
  }
  if (!form && withTarget && PYTHON_PACKAGE_SET.test(withTarget)) form = "packageSet";
  if (!form) return undefined;
  return describe(s, open, exprStart, shape, { form, param, withTarget, addPrefix: withTarget || !param ? "" : `${param}.` });
}

/** A list with Python packages named through their set, among others: `with pkgs; [ git python3Packages.numpy ]`. */
function mixedList(s: NixStructure, open: number): Unnumbered | undefined {
  const qualifiers = listElements(s, open).map((e) => PYTHON_QUALIFIED.exec(e.key)?.[1]).filter((q) => q !== undefined);
  const qualifier = qualifiers.at(-1);
  if (qualifier === undefined) return undefined;
  return describe(s, open, open, `[ … ${qualifier}.* … ]`, { form: "qualified", qualifier, addPrefix: `${qualifier}.` });
}

const PYTHON_QUALIFIED = /^((?:[A-Za-z_][A-Za-z0-9_'-]*\.)*(?:python|pypy)[0-9]*Packages)\.[A-Za-z_][A-Za-z0-9_'-]*$/;

type FormFields = Pick<PackageListCandidate, "form" | "param" | "withTarget" | "qualifier" | "addPrefix">;

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

/** Names passed to a Python's withPackages: `python311.withPackages myPkgs`, `withPackages (p: myPkgs p)`. */
function namesGivenToPythonWithPackages(s: NixStructure): Set<string> {
  const names = new Set<string>();
  s.tokens.forEach((token, i) => {
    if (token.kind !== "identifier" || token.text !== "withPackages" || s.tokens[i - 1]?.text !== ".") return;
    const receiver = dottedPathEndingAt(s, i - 2);
    if (!receiver || !PYTHON_RECEIVER.test(receiver.text)) return;
    for (let j = i + 1; j <= i + 6 && j < s.tokens.length; j++) {
      const t = s.tokens[j]!;
      if (t.kind === "identifier") names.add(dottedPathEndingAt(s, j)?.text ?? t.text);
    }
  });
  return names;
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
