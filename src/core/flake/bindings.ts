// Names and what they are bound to, read the way Nix scopes them: `let` bindings are visible in
// the let and in its body, `rec { }` bindings inside the set, plain attribute sets bind nothing
// for their own values. Enough to follow `python = pkgs.python311;` from a use of `python`, or
// `myPkgs` from `python.withPackages myPkgs` to its definition. `with` scopes are not followed:
// they make a name's origin unknowable without evaluation.
import { skipGroup, type NixStructure } from "./structure";

export type ScopeKind = "let" | "rec" | "attrs";

export interface Binding {
  /** The first segment of the attribute path: `devShells` for `devShells.${system}.default`. */
  readonly name: string;
  /** The whole attribute path as written. */
  readonly path: string;
  /** Index of the `{` or `let` token that holds the binding. */
  readonly scope: number;
  readonly scopeKind: ScopeKind;
  /** Token index of the first key token. */
  readonly keyStart: number;
  /** Token range of the value: [valueStart, valueEnd), valueEnd is the ";". */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** `inherit (from) name;`: the token range of `from` (the value is `from.name`). */
  readonly inheritFrom?: readonly [number, number];
  /** `inherit name;`: the value is `name` from the enclosing scope. */
  readonly inherited?: boolean;
}

export interface ScopeTable {
  readonly s: NixStructure;
  readonly bindings: readonly Binding[];
  /** For each `let` opener: where its body ends (token index, exclusive). */
  readonly letBodyEnd: ReadonlyMap<number, number>;
}

const isPunct = (s: NixStructure, i: number, text: string) => s.tokens[i]?.kind === "punct" && s.tokens[i]?.text === text;
const isWord = (s: NixStructure, i: number, text: string) => s.tokens[i]?.kind === "identifier" && s.tokens[i]?.text === text;

export function scopeTable(s: NixStructure): ScopeTable {
  const bindings: Binding[] = [];
  const letBodyEnd = new Map<number, number>();
  s.tokens.forEach((token, i) => {
    const isLet = token.kind === "identifier" && token.text === "let" && s.closerOf.has(i);
    const isSet = token.kind === "punct" && token.text === "{";
    if (!isLet && !isSet) return;
    const kind: ScopeKind = isLet ? "let" : isWord(s, i - 1, "rec") ? "rec" : "attrs";
    bindings.push(...bindingsIn(s, i, kind));
    if (isLet) letBodyEnd.set(i, expressionEnd(s, s.closerOf.get(i)! + 1));
  });
  return { s, bindings, letBodyEnd };
}

/** The statements `a.b = v;` and `inherit …;` directly inside the scope opening at `opener`. */
function bindingsIn(s: NixStructure, opener: number, scopeKind: ScopeKind): Binding[] {
  const close = s.closerOf.get(opener)!;
  const found: Binding[] = [];
  let start = opener + 1;
  while (start < close) {
    const end = statementEnd(s, start, close);
    if (isWord(s, start, "inherit")) {
      let j = start + 1;
      let from: [number, number] | undefined;
      if (isPunct(s, j, "(")) {
        from = [j + 1, s.closerOf.get(j)!];
        j = skipGroup(s, j);
      }
      for (; j < end; j++) {
        const t = s.tokens[j]!;
        if (t.kind !== "identifier" && t.kind !== "string") continue;
        const name = t.kind === "string" ? t.text.slice(1, -1) : t.text;
        found.push({ name, path: name, scope: opener, scopeKind, keyStart: j, valueStart: j, valueEnd: j + 1, ...(from ? { inheritFrom: from } : { inherited: true }) });
      }
    } else {
      const eq = keyEnd(s, start, end);
      if (eq !== undefined) {
        const path = s.tokens.slice(start, eq).map((t) => t.text).join("");
        const first = s.tokens[start]!;
        const name = first.kind === "string" ? first.text.slice(1, -1) : first.text;
        found.push({ name, path, scope: opener, scopeKind, keyStart: start, valueStart: eq + 1, valueEnd: end });
      }
    }
    start = end + 1;
  }
  return found;
}

/** The `=` after an attribute path starting at `start`, or undefined (formals, a stray token). */
function keyEnd(s: NixStructure, start: number, end: number): number | undefined {
  let i = start;
  for (;;) {
    const t = s.tokens[i];
    if (!t || i >= end) return undefined;
    if (t.kind === "identifier" || t.kind === "string") i++;
    else if (t.text === "${") i = skipGroup(s, i);
    else return undefined;
    if (isPunct(s, i, "=")) return i;
    if (!isPunct(s, i, ".")) return undefined;
    i++;
  }
}

/** Index of the ";" that ends the statement starting at `start` (or `close`). */
function statementEnd(s: NixStructure, start: number, close: number): number {
  // `with x;` and `assert x;` inside a value end with a ";" that does not end the binding.
  let open = 0;
  for (let i = start; i < close; i = skipGroup(s, i)) {
    if (isWord(s, i, "with") || isWord(s, i, "assert")) open++;
    else if (isPunct(s, i, ";")) {
      if (open === 0) return i;
      open--;
    }
  }
  return close;
}

/**
 * Where the expression starting at token `from` ends (exclusive): at a ";" or "," of its own
 * level, a `then`/`else` that is not its own, or the closer of the group around it.
 */
export function expressionEnd(s: NixStructure, from: number, limit = s.tokens.length): number {
  const group = s.enclosing[from] ?? -1;
  const groupEnd = group === -1 ? s.tokens.length : (s.closerOf.get(group) ?? s.tokens.length);
  const end = Math.min(limit, groupEnd);
  let statements = 0;
  let ifs = 0;
  for (let i = from; i < end; i = skipGroup(s, i)) {
    if (s.openerOf.has(i)) return i; // a closer (`)`, `]`, `}`, `in`) of an enclosing group
    if (isWord(s, i, "with") || isWord(s, i, "assert")) statements++;
    else if (isPunct(s, i, ";")) {
      if (statements === 0) return i;
      statements--;
    } else if (isPunct(s, i, ",")) return i;
    else if (isWord(s, i, "if")) ifs++;
    else if (isWord(s, i, "else")) {
      if (ifs === 0) return i;
      ifs--;
    } else if (isWord(s, i, "then") && ifs === 0) return i;
  }
  return end;
}

/** Whether the bindings of `b`'s scope are visible at token `at`. */
function visibleAt(table: ScopeTable, b: Binding, at: number): boolean {
  const close = table.s.closerOf.get(b.scope)!;
  if (b.scopeKind === "attrs") return false;
  if (b.scopeKind === "rec") return b.scope < at && at < close;
  return (b.scope < at && at < close) || (close < at && at < table.letBodyEnd.get(b.scope)!);
}

/** The binding of `name` that a use at token `at` refers to: the innermost visible let or rec set. */
export function visibleBinding(table: ScopeTable, name: string, at: number): Binding | undefined {
  let best: Binding | undefined;
  for (const b of table.bindings) {
    if (b.name !== name || b.path !== name || !visibleAt(table, b, at)) continue;
    // `inherit name;` in a let refers outward, never to itself.
    if (b.inherited && b.keyStart === at) continue;
    if (!best || b.scope > best.scope) best = b;
  }
  return best;
}

/** Bindings (let, rec or plain set) whose whole path is `path`, wherever they are. */
export function bindingsNamed(table: ScopeTable, path: string): Binding[] {
  return table.bindings.filter((b) => b.path === path);
}

/** The dotted identifier path starting at token `start`: `pkgs.python3.pkgs`, and the index after it. */
export function dottedPathAt(s: NixStructure, start: number): { text: string; end: number } | undefined {
  if (s.tokens[start]?.kind !== "identifier") return undefined;
  let end = start + 1;
  while (isPunct(s, end, ".") && s.tokens[end + 1]?.kind === "identifier") end += 2;
  return { text: s.tokens.slice(start, end).map((t) => t.text).join(""), end };
}

/** True when the identifier at `i` is a use of a name (not `a.b`'s `b`, not a binding's key). */
export function isNameUse(table: ScopeTable, i: number): boolean {
  const s = table.s;
  if (s.tokens[i]?.kind !== "identifier" || isPunct(s, i - 1, ".")) return false;
  if (isPunct(s, i + 1, ":") || isPunct(s, i + 1, "=") || isPunct(s, i + 1, "?")) return false;
  return !["let", "in", "with", "rec", "inherit", "if", "then", "else", "assert", "or"].includes(s.tokens[i]!.text);
}

/** The targets of the `with X;` expressions whose body contains token `at`, outermost first. */
export function withTargetsAround(s: NixStructure, at: number): string[] {
  const found: string[] = [];
  s.tokens.forEach((token, i) => {
    if (i >= at || token.kind !== "identifier" || token.text !== "with") return;
    const target = dottedPathAt(s, i + 1);
    if (!target || !isPunct(s, target.end, ";")) return;
    if (at > target.end && at < expressionEnd(s, target.end + 1)) found.push(target.text);
  });
  return found;
}
