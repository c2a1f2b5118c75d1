// Where a file's Python package lists start: the places a Nix user would point at.
//   RECEIVER.withPackages ARG      any receiver that is not another language's (dist, python, pkgs.python311 …)
//   with PYTHON_SET; BODY          pkgs.python3Packages, python.pkgs, a let name bound to one
//   NAME = p: BODY                 a named function used as Python's: applied to a Python set
//                                  (`myPkgs pythonPackages`), or named so (`pythonPkgs`, the seed's `myPkgs`)
// Each start is read by ListWalker, which follows names and applications to the lists themselves.
import { dottedPathAt, expressionEnd, isNameUse, visibleBinding, withTargetsAround, type Binding, type ScopeTable } from "./bindings";
import { ListWalker, type FoundImport, type FoundList } from "./listWalker";
import { isOtherLanguageReceiver, isPythonPackageSetPath, resolvePythonSet, type PythonSetRef } from "./pythonSets";
import { dottedPathEndingAt, skipGroup } from "./structure";

export interface PythonSites {
  readonly lists: readonly FoundList[];
  /** Files used as a Python package function: `python3.withPackages (import ./python-packages.nix)`. */
  readonly imports: readonly FoundImport[];
}

/** The seed's name for its list; kept even where nothing in the file passes it on. */
const SEED_LIST_NAME = "myPkgs";
const PYTHONISH = /py/i;

/** How another file uses this one: as a package function after `args` arguments, or as the list itself. */
export interface WholeFileUse {
  readonly pythonSet: PythonSetRef;
  readonly args: number;
  readonly yields: "function" | "list";
}

export function findPythonSites(table: ScopeTable, wholeFile?: WholeFileUse): PythonSites {
  const walker = new ListWalker(table);
  if (wholeFile) walkWholeFile(table, walker, wholeFile);
  walkWithPackages(table, walker);
  walkNamedFunctions(table, walker);
  walkBuildEnvLibs(table, walker);
  walkPythonWiths(table, walker);
  // A list reached twice keeps its first, most specific reading (a withPackages lambda over a bare `with`).
  const seen = new Set<number>();
  const lists = walker.lists.filter((l) => !seen.has(l.open) && seen.add(l.open));
  return { lists, imports: walker.imports };
}

/** `pkgs: pypkgs: with pypkgs; [ … ]` imported as `import ./reqs.nix pkgs`: skip the applied parameters. */
function walkWholeFile(table: ScopeTable, walker: ListWalker, use: WholeFileUse): void {
  const s = table.s;
  let from = 0;
  let param: string | undefined;
  for (let skipped = 0; skipped < use.args; skipped++) {
    while (s.tokens[from]?.text === "(" && s.closerOf.get(from) === s.tokens.length - 1) from++;
    const t = s.tokens[from];
    const lambdaParam = t?.kind === "identifier" && s.tokens[from + 1]?.text === ":";
    const formals = t?.text === "{" && s.tokens[(s.closerOf.get(from) ?? -2) + 1]?.text === ":";
    if (!lambdaParam && !formals) return; // not the function the import's use says it is
    param = lambdaParam ? t!.text : undefined;
    from = lambdaParam ? from + 2 : s.closerOf.get(from)! + 2;
  }
  const site = { form: "named" as const, exprStart: from, pythonSet: use.pythonSet };
  const end = s.tokens.length;
  if (use.yields === "function") walker.walkFunction(from, end, site);
  else walker.walkBody(from, end, { withTargets: [], aliases: [], hasLet: false, direct: true, ...(param ? { param, lambda: [from, end] as const } : {}) }, site);
}

function walkWithPackages(table: ScopeTable, walker: ListWalker): void {
  const s = table.s;
  s.tokens.forEach((token, i) => {
    if (token.kind !== "identifier" || token.text !== "withPackages" || s.tokens[i - 1]?.text !== ".") return;
    const receiver = dottedPathEndingAt(s, i - 2);
    if (!receiver) return;
    const pythonSet = resolvePythonSet(table, receiver.text, receiver.start);
    if (isOtherLanguageReceiver(receiver.text) || isOtherLanguageReceiver(pythonSet.text)) return;
    const argEnd = termEnd(table, i + 1);
    if (argEnd === undefined) return;
    walker.walkFunction(i + 1, argEnd, { form: "withPackages", receiver: `${receiver.text}.withPackages`, exprStart: receiver.start, pythonSet });
  });
}

/** The end of the term at `i` with its `.attr` selections, or undefined when no term starts there. */
function termEnd(table: ScopeTable, i: number): number | undefined {
  const s = table.s;
  const t = s.tokens[i];
  if (!t) return undefined;
  if (t.kind === "punct" && t.text === "(") return skipGroup(s, i);
  return dottedPathAt(s, i)?.end;
}

function walkPythonWiths(table: ScopeTable, walker: ListWalker): void {
  const s = table.s;
  s.tokens.forEach((token, i) => {
    if (token.kind !== "identifier" || token.text !== "with") return;
    const target = dottedPathAt(s, i + 1);
    if (!target || s.tokens[target.end]?.text !== ";") return;
    const pythonSet = resolvePythonSet(table, target.text, i + 1);
    if (!isPythonPackageSetPath(target.text) && !isPythonPackageSetPath(pythonSet.text)) return;
    const end = expressionEnd(s, target.end + 1);
    walker.walkBody(i, end, { withTargets: [], aliases: [], hasLet: false, direct: true }, { form: "packageSet", exprStart: i, pythonSet });
  });
}

/** `python3.buildEnv.override { extraLibs = [ … ]; }`, possibly inside `with python3Packages; …`. */
function walkBuildEnvLibs(table: ScopeTable, walker: ListWalker): void {
  const s = table.s;
  for (const b of table.bindings) {
    if (b.path !== "extraLibs" || b.scopeKind === "let") continue;
    const fn = dottedPathEndingAt(s, b.scope - 1);
    if (!fn || !/(^|\.)buildEnv\.override$/.test(fn.text)) continue;
    const receiver = fn.text.slice(0, -".buildEnv.override".length);
    const resolved = resolvePythonSet(table, receiver || "python3", fn.start);
    if (receiver && isOtherLanguageReceiver(resolved.text)) continue;
    const withTargets = pythonWithsAround(table, b.valueStart);
    // `with python3Packages; python.buildEnv.override …`: `python` is that set's interpreter.
    const vague = resolved.interpreter === undefined || resolved.interpreter === "python";
    const pythonSet = vague && withTargets.length > 0 ? resolvePythonSet(table, withTargets.at(-1)!, b.valueStart) : resolved;
    walker.walkBody(b.valueStart, b.valueEnd, { withTargets, aliases: [], hasLet: false, direct: true }, { form: "packageSet", exprStart: b.valueStart, pythonSet });
  }
}

/** The `with X;` scopes over a Python package set that contain token `at`, outermost first. */
function pythonWithsAround(table: ScopeTable, at: number): string[] {
  return withTargetsAround(table.s, at).filter((target) => isPythonPackageSetPath(target) || isPythonPackageSetPath(resolvePythonSet(table, target, at).text));
}

function walkNamedFunctions(table: ScopeTable, walker: ListWalker): void {
  const s = table.s;
  for (const b of table.bindings) {
    if (b.path !== b.name || b.inherited || b.inheritFrom || walker.followed.has(b.keyStart)) continue;
    const value = s.tokens[b.valueStart];
    if (value?.kind !== "identifier" || s.tokens[b.valueStart + 1]?.text !== ":") {
      // `name = (p: …);` is as common as `name = p: …;`.
      if (!(value?.text === "(" && s.tokens[b.valueStart + 1]?.kind === "identifier" && s.tokens[b.valueStart + 2]?.text === ":")) continue;
    }
    const use = pythonUse(table, b);
    if (!use) continue;
    walker.walkFunction(b.valueStart, b.valueEnd, { form: "named", functionName: b.path, exprStart: b.valueStart, pythonSet: use.pythonSet });
    walker.followed.add(b.keyStart);
  }
}

/**
 * Whether the function bound by `b` is used as a Python package function, and with which set:
 * applied to a Python-looking set somewhere, or named so and never given to another language.
 */
function pythonUse(table: ScopeTable, b: Binding): { pythonSet?: PythonSetRef } | undefined {
  const s = table.s;
  let appliedTo: PythonSetRef | undefined;
  let otherLanguage = false;
  s.tokens.forEach((t, i) => {
    if (t.text !== b.name || !isNameUse(table, i) || i === b.keyStart || visibleBinding(table, b.name, i) !== b) return;
    const before = s.tokens[i - 1];
    if (before?.kind === "identifier" && /WithPackages$|^withPackages$/.test(before.text)) {
      const receiver = before.text === "withPackages" ? dottedPathEndingAt(s, i - 3)?.text ?? "" : before.text;
      if (before.text !== "withPackages" || isOtherLanguageReceiver(receiver)) otherLanguage = true;
      return;
    }
    const arg = dottedPathAt(s, i + 1);
    if (!arg) return;
    const resolved = resolvePythonSet(table, arg.text, i + 1);
    if (resolved.interpreter || resolved.local || PYTHONISH.test(arg.text)) appliedTo ??= resolved;
  });
  if (appliedTo) return { pythonSet: appliedTo };
  if (otherLanguage) return undefined;
  return PYTHONISH.test(b.name) || b.name === SEED_LIST_NAME ? {} : undefined;
}
