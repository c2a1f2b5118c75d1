// The bracket structure of a Nix file on top of its tokens: which opener closes where, which opener
// encloses each token, and the name of the binding (`a.b = …;`) a position lies in. Enough to find
// and label package lists without a full parser.
import { NixSyntaxError } from "./errors";
import { isTrivia, lineColumn, tokenize, type Token } from "./tokenizer";

export interface NixStructure {
  readonly text: string;
  /** The tokens that are not whitespace or comments. */
  readonly tokens: readonly Token[];
  /** Index of an opener (`{ ${ ( [ let`) → index of its closer (`} ) ] in`). */
  readonly closerOf: ReadonlyMap<number, number>;
  /** The reverse: index of a closer → index of its opener. */
  readonly openerOf: ReadonlyMap<number, number>;
  /** Index of a token → index of the innermost opener around it (-1 at top level). */
  readonly enclosing: readonly number[];
}

const CLOSER_FOR: Record<string, string> = { "{": "}", "${": "}", "(": ")", "[": "]", let: "in" };

export function analyze(text: string): NixStructure {
  const tokens = tokenize(text).filter((t) => !isTrivia(t));
  const closerOf = new Map<number, number>();
  const openerOf = new Map<number, number>();
  const enclosing: number[] = [];
  const open: number[] = [];
  const fail = (reason: string, token: Token): never => {
    const { line, column } = lineColumn(text, token.start);
    throw new NixSyntaxError(reason, line, column);
  };
  tokens.forEach((token, i) => {
    enclosing.push(open.at(-1) ?? -1);
    const word = token.kind === "punct" || token.kind === "identifier" ? token.text : "";
    // `let {` is the legacy let-block, an attribute set that never sees `in`.
    const opensLet = word === "let" && tokens[i + 1]?.text !== "{";
    if ((token.kind === "punct" && word in CLOSER_FOR) || opensLet) {
      open.push(i);
      return;
    }
    if (word === "}" || word === ")" || word === "]" || word === "in") {
      const opener = open.pop();
      if (opener === undefined || CLOSER_FOR[tokens[opener]!.text] !== word) fail(`unexpected '${word}'`, token);
      closerOf.set(opener!, i);
      openerOf.set(i, opener!);
      enclosing[i] = open.at(-1) ?? -1;
    }
  });
  if (open.length > 0) fail(`'${tokens[open.at(-1)!]!.text}' is never closed`, tokens[open.at(-1)!]!);
  return { text, tokens, closerOf, openerOf, enclosing };
}

/** Index of the token after the construct starting at i (a bracketed group counts as one). */
export function skipGroup(s: NixStructure, i: number): number {
  return (s.closerOf.get(i) ?? i) + 1;
}

/**
 * The binding `NAME = …;` directly inside the attribute set or let that opens at `opener` and
 * contains token `index`, or undefined (function formals, `inherit`, the body after `in`).
 */
function bindingNameAt(s: NixStructure, opener: number, index: number): string | undefined {
  const close = s.closerOf.get(opener)!;
  let segmentStart = opener + 1;
  // `with x;` and `assert x;` inside a binding's value end with a ";" that does not end the binding.
  let openStatements = 0;
  for (let i = opener + 1; i < close; i = skipGroup(s, i)) {
    if (i <= index && index < skipGroup(s, i)) return attrPathBefore(s, segmentStart);
    const t = s.tokens[i]!;
    if (t.kind === "identifier" && (t.text === "with" || t.text === "assert")) openStatements++;
    else if (t.kind === "punct" && t.text === ";") {
      if (openStatements > 0) openStatements--;
      else segmentStart = i + 1;
    }
  }
  return undefined;
}

/** The attribute path `a.${b}."c"` starting at token `start` when an `=` follows it. */
function attrPathBefore(s: NixStructure, start: number): string | undefined {
  let i = start;
  const parts: string[] = [];
  for (;;) {
    const t = s.tokens[i];
    if (!t) return undefined;
    if (t.kind === "identifier" || t.kind === "string") parts.push(t.text), i++;
    else if (t.text === "${") {
      const end = skipGroup(s, i);
      parts.push(s.text.slice(t.start, s.tokens[end - 1]!.end));
      i = end;
    } else return undefined;
    const sep = s.tokens[i];
    if (sep?.text === "=" && sep.kind === "punct") return parts.join(".");
    if (sep?.text !== ".") return undefined;
    i++;
  }
}

/** The chain of binding names around token `index`, outermost first: ["outputs", "devShells.default"]. */
export function bindingPath(s: NixStructure, index: number): string[] {
  const names: string[] = [];
  for (let opener = s.enclosing[index]!; opener !== -1; opener = s.enclosing[opener]!) {
    const text = s.tokens[opener]!.text;
    if (text !== "{" && text !== "let") continue;
    const name = bindingNameAt(s, opener, index);
    if (name !== undefined) names.unshift(name);
  }
  return names;
}

/** The dotted identifier path ending at token `end` (inclusive), walking back: `pkgs.python3`. */
export function dottedPathEndingAt(s: NixStructure, end: number): { text: string; start: number } | undefined {
  if (s.tokens[end]?.kind !== "identifier") return undefined;
  let start = end;
  while (s.tokens[start - 1]?.text === "." && s.tokens[start - 2]?.kind === "identifier") start -= 2;
  return { text: s.tokens.slice(start, end + 1).map((t) => t.text).join(""), start };
}
