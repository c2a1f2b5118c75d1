// Reads a Python package function the way Nix evaluates it, top down, to the lists it returns:
//   ps: with ps; [ … ]                                  a lambda whose body is the list
//   ps: [ ps.a ] ++ lib.optionals cond [ ps.b ]          concatenations, optionals, if/else
//   ps: let ps_ = ps.override { … }; in [ ps_.numpy ]    a set rebound in a let (an alias of ps)
//   p: [ p.x ] ++ (pythonPackages p)                     a named function applied, followed to its definition
//   myPkgs                                               a name, followed to its binding
//   import ./python-packages.nix                         a file, reported to the caller
// Only what is certainly a list of the function's result is reported; anything else (a call of an
// unknown function, a map) is left alone rather than guessed.
import { dottedPathAt, visibleBinding, withTargetsAround, type Binding, type ScopeTable } from "./bindings";
import type { PythonSetRef } from "./pythonSets";
import { skipGroup } from "./structure";

export type SiteForm = "withPackages" | "named" | "packageSet";

/** Where the walk started and what the lists found there belong to. */
export interface Site {
  readonly form: SiteForm;
  /** `pkgs.python3.withPackages` for the label. */
  readonly receiver?: string;
  /** Token index where the expression that yields the list starts (for the label). */
  readonly exprStart: number;
  /** The named function (binding path) the list is in: `myPkgs`. */
  readonly functionName?: string;
  readonly pythonSet?: PythonSetRef;
}

export interface ListScope {
  /** The lambda's parameter: `ps` in `ps: [ … ]`. */
  readonly param?: string;
  /** `with X;` targets around the list, outermost first. */
  readonly withTargets: readonly string[];
  /** Let-bound names for the parameter's set: `ps_` in `let ps_ = ps.override { … }; in`. */
  readonly aliases: readonly string[];
  readonly hasLet: boolean;
  /** The list is the function's whole result (not one operand of `++`, not under optionals). */
  readonly direct: boolean;
  /** The list was reached through a name bound to it (`extra = [ … ];` … `++ extra`). */
  readonly viaBinding?: boolean;
  /** Token range of the lambda the list is in, to tell its own let bindings from outer ones. */
  readonly lambda?: readonly [number, number];
}

export interface FoundList {
  /** Token index of "[". */
  readonly open: number;
  readonly scope: ListScope;
  readonly site: Site;
}

export interface FoundImport {
  /** Token index of the path token. */
  readonly path: number;
  readonly site: Site;
  /** Arguments the import is applied to (`import ./reqs.nix pkgs` → 1). */
  readonly args: number;
  /** What the applied import is: a package function (`ps: [ … ]`) or already the list (`ps` given). */
  readonly yields: "function" | "list";
}

const EMPTY_SCOPE: ListScope = { withTargets: [], aliases: [], hasLet: false, direct: true };
const MAX_DEPTH = 16;

export class ListWalker {
  readonly lists: FoundList[] = [];
  readonly imports: FoundImport[] = [];
  /** Bindings followed as functions or lists (by keyStart), so that a named list is not found twice. */
  readonly followed = new Set<number>();

  constructor(private readonly table: ScopeTable) {}

  private get s() {
    return this.table.s;
  }

  private punct(i: number, text: string): boolean {
    const t = this.s.tokens[i];
    return t?.kind === "punct" && t.text === text;
  }

  private word(i: number, text: string): boolean {
    const t = this.s.tokens[i];
    return t?.kind === "identifier" && t.text === text;
  }

  /** A function expression in [from, to): a lambda, a name bound to one, or an imported file. */
  walkFunction(from: number, to: number, site: Site, depth = 0): void {
    if (depth > MAX_DEPTH || from >= to) return;
    if (this.punct(from, "(") && this.s.closerOf.get(from) === to - 1) return this.walkFunction(from + 1, to - 1, site, depth + 1);
    const t = this.s.tokens[from]!;
    if (t.kind === "identifier" && this.punct(from + 1, ":")) {
      const scope: ListScope = { ...EMPTY_SCOPE, param: t.text, lambda: [from, to] };
      return this.walkBody(from + 2, to, scope, site, depth + 1);
    }
    if (this.word(from, "import") && this.s.tokens[from + 1]?.kind === "path") {
      const args = this.terms(from, to).length - 2;
      if (args >= 0 && this.terms(from, to).at(-1)![1] === to) this.imports.push({ path: from + 1, site, args, yields: "function" });
      return;
    }
    const path = dottedPathAt(this.s, from);
    if (path && path.end === to && !path.text.includes(".")) {
      const b = visibleBinding(this.table, path.text, from);
      if (b) this.followFunction(b, site, depth);
    }
  }

  private followFunction(b: Binding, site: Site, depth: number): void {
    if (this.followed.has(b.keyStart) || b.inherited || b.inheritFrom) return;
    this.followed.add(b.keyStart);
    this.walkFunction(b.valueStart, b.valueEnd, { ...site, form: "named", functionName: b.path, exprStart: b.valueStart, receiver: undefined }, depth + 1);
  }

  /** A list-valued expression in [from, to). */
  walkBody(from: number, to: number, scope: ListScope, site: Site, depth = 0): void {
    if (depth > MAX_DEPTH || from >= to) return;
    const s = this.s;
    if (this.punct(from, "(") && s.closerOf.get(from) === to - 1) return this.walkBody(from + 1, to - 1, scope, site, depth + 1);
    if (this.word(from, "with")) {
      const target = dottedPathAt(s, from + 1);
      if (!target || !this.punct(target.end, ";")) return;
      return this.walkBody(target.end + 1, to, { ...scope, withTargets: [...scope.withTargets, target.text] }, site, depth + 1);
    }
    if (this.word(from, "let") && s.closerOf.has(from)) {
      const aliases = this.aliasesIn(from, scope);
      return this.walkBody(s.closerOf.get(from)! + 1, to, { ...scope, aliases: [...scope.aliases, ...aliases], hasLet: true }, site, depth + 1);
    }
    if (this.word(from, "assert")) {
      let semi = from + 1;
      while (semi < to && !this.punct(semi, ";")) semi = skipGroup(s, semi);
      return this.walkBody(semi + 1, to, scope, site, depth + 1);
    }
    if (this.word(from, "if")) return this.walkConditional(from, to, scope, site, depth);
    const operands = this.operands(from, to);
    if (operands.length > 1) {
      for (const [a, b] of operands) this.walkBody(a, b, { ...scope, direct: false }, site, depth + 1);
      return;
    }
    if (this.punct(from, "[") && s.closerOf.get(from) === to - 1) {
      this.lists.push({ open: from, scope, site });
      return;
    }
    this.walkApplication(from, to, scope, site, depth);
  }

  private walkConditional(from: number, to: number, scope: ListScope, site: Site, depth: number): void {
    let nested = 0;
    let thenAt = -1;
    for (let i = from + 1; i < to; i = skipGroup(this.s, i)) {
      if (this.word(i, "if")) nested++;
      else if (this.word(i, "then") && nested === 0 && thenAt === -1) thenAt = i;
      else if (this.word(i, "else")) {
        if (nested > 0) nested--;
        else if (thenAt !== -1) {
          const branch = { ...scope, direct: false };
          this.walkBody(thenAt + 1, i, branch, site, depth + 1);
          this.walkBody(i + 1, to, branch, site, depth + 1);
          return;
        }
      }
    }
  }

  /** `lib.optionals cond [ … ]`, a named list, or a named function applied to the set. */
  private walkApplication(from: number, to: number, scope: ListScope, site: Site, depth: number): void {
    const s = this.s;
    const terms = this.terms(from, to);
    const head = dottedPathAt(s, from);
    if (!head || terms.length === 0 || terms[0]![1] !== head.end) return;
    const last = head.text.split(".").at(-1);
    if (last === "optionals" && terms.length >= 3) {
      const [a, b] = terms.at(-1)!;
      return this.walkBody(a, b, { ...scope, direct: false }, site, depth + 1);
    }
    if (head.text === "import" && terms.length >= 3 && s.tokens[from + 1]?.kind === "path") {
      this.imports.push({ path: from + 1, site, args: terms.length - 2, yields: "list" });
      return;
    }
    if (head.text.includes(".")) return;
    const b = visibleBinding(this.table, head.text, from);
    if (!b || b.inherited || b.inheritFrom) return;
    if (terms.length >= 2) return this.followFunction(b, site, depth);
    if (this.followed.has(b.keyStart)) return;
    this.followed.add(b.keyStart);
    // A list bound to a name: inside this lambda it sees the lambda's names; outside it, it has its own.
    const inside = scope.lambda !== undefined && b.valueStart > scope.lambda[0] && b.valueStart < scope.lambda[1];
    // Only the `with`s around the binding itself apply (`let extra = [ ]; in with ps; [ … ] ++ extra`).
    const around = withTargetsAround(s, b.valueStart);
    const own: ListScope = inside
      ? { ...scope, withTargets: scope.withTargets.filter((w) => around.includes(w)), direct: false, viaBinding: true }
      : { ...EMPTY_SCOPE, withTargets: around, direct: false, viaBinding: true };
    this.walkBody(b.valueStart, b.valueEnd, own, { ...site, exprStart: b.valueStart, functionName: site.functionName ?? b.path }, depth + 1);
  }

  /** Names bound in the let opening at `letIndex` whose value starts with one of the scope's set names. */
  private aliasesIn(letIndex: number, scope: ListScope): string[] {
    const sets = new Set([scope.param, ...scope.aliases, ...scope.withTargets].filter((n): n is string => n !== undefined));
    const aliases: string[] = [];
    for (const b of this.table.bindings) {
      if (b.scope !== letIndex || b.path !== b.name || b.inherited || b.inheritFrom) continue;
      let start = b.valueStart;
      while (this.punct(start, "(")) start++;
      const head = dottedPathAt(this.s, start)?.text.split(".")[0];
      if (head !== undefined && sets.has(head)) aliases.push(b.name);
    }
    return aliases;
  }

  /** The operands of a top-level `++` chain in [from, to). */
  private operands(from: number, to: number): Array<[number, number]> {
    const found: Array<[number, number]> = [];
    let start = from;
    for (let i = from; i < to; i = skipGroup(this.s, i)) {
      if (this.punct(i, "++")) {
        found.push([start, i]);
        start = i + 1;
      }
    }
    found.push([start, to]);
    return found;
  }

  /** The terms of an application in [from, to): each a group or a select path; undefined tokens end it. */
  private terms(from: number, to: number): Array<[number, number]> {
    const s = this.s;
    const found: Array<[number, number]> = [];
    for (let i = from; i < to; ) {
      const t = s.tokens[i]!;
      const startsTerm = ["identifier", "path", "string", "indented-string", "number", "uri"].includes(t.kind) || (t.kind === "punct" && ["(", "[", "{"].includes(t.text));
      if (!startsTerm || (t.kind === "identifier" && ["if", "then", "else", "with", "let", "in", "assert", "or"].includes(t.text))) return found;
      let next = skipGroup(s, i);
      while (next + 1 < to && this.punct(next, ".")) next = skipGroup(s, next + 1);
      found.push([i, next]);
      i = next;
    }
    return found;
  }
}
