// A Nix tokenizer that covers every byte of its input: concatenating the tokens' text gives the
// input back. It follows the lexer of Nix itself (src/libexpr/lexer.l) where the two could disagree
// about where a token ends — comments, both string forms with nested `${…}`, paths, URIs — because
// a list found inside a string or a comment would be edited in the wrong place.
import { NixSyntaxError } from "./errors";

export type TokenKind =
  | "whitespace"
  | "comment"
  | "string" // "…", interpolations included
  | "indented-string" // ''…'', interpolations included
  | "path" // ./a, /a, ~/a, a/b, <nixpkgs>, ./a/${b}
  | "uri" // github:owner/repo (unquoted URIs are legacy but still parse)
  | "identifier"
  | "number"
  | "punct";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just after the last character. */
  readonly end: number;
}

/** Longest first, so that `//` wins over `/` and `...` over `.`. */
const PUNCTUATION = ["...", "${", "++", "//", "==", "!=", "<=", ">=", "&&", "||", "->", ..."{}[]();=.,:@?!+-*/<>"];

const isPathChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9._\-+]/.test(c);
const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_'\-]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isUriChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9%/?:@&=+$,\-_.!~*']/.test(c);
const isSchemeChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9+\-.]/.test(c);

export function tokenize(text: string): Token[] {
  const scanner = new Scanner(text);
  const tokens: Token[] = [];
  while (scanner.pos < text.length) tokens.push(scanner.next());
  return tokens;
}

/** True for whitespace and comments, which carry no meaning for the parser. */
export function isTrivia(token: Token): boolean {
  return token.kind === "whitespace" || token.kind === "comment";
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  next(): Token {
    const start = this.pos;
    const kind = this.scan();
    return { kind, text: this.text.slice(start, this.pos), start, end: this.pos };
  }

  private fail(reason: string, at: number): never {
    const { line, column } = lineColumn(this.text, at);
    throw new NixSyntaxError(reason, line, column);
  }

  private at(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Advances over one token and says what it was. */
  private scan(): TokenKind {
    const c = this.at();
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      while (/[ \t\r\n]/.test(this.at() ?? "")) this.pos++;
      return "whitespace";
    }
    if (c === "#") {
      const eol = this.text.indexOf("\n", this.pos);
      this.pos = eol === -1 ? this.text.length : eol;
      return "comment";
    }
    if (this.startsWith("/*")) {
      const close = this.text.indexOf("*/", this.pos + 2);
      if (close === -1) this.fail("unterminated /* comment", this.pos);
      this.pos = close + 2;
      return "comment";
    }
    if (c === '"') return this.scanString();
    if (this.startsWith("''")) return this.scanIndentedString();
    if (this.scanPath()) return "path";
    if (this.scanUri()) return "uri";
    if (isIdentStart(c)) {
      while (isIdentChar(this.at())) this.pos++;
      return "identifier";
    }
    if (isDigit(c) || (c === "." && isDigit(this.at(1)))) {
      while (isDigit(this.at()) || this.at() === ".") this.pos++;
      if ((this.at() === "e" || this.at() === "E") && /[+\-0-9]/.test(this.at(1) ?? "")) {
        this.pos += 2;
        while (isDigit(this.at())) this.pos++;
      }
      return "number";
    }
    const punct = PUNCTUATION.find((p) => this.startsWith(p));
    if (!punct) this.fail(`unexpected character ${JSON.stringify(c)}`, this.pos);
    this.pos += punct.length;
    return "punct";
  }

  private scanString(): TokenKind {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.at();
      if (c === undefined) this.fail("unterminated string", start);
      if (c === '"') break;
      if (c === "\\") this.pos += 2;
      else if (this.startsWith("$${")) this.pos += 3; // `$${` is literal text, not an interpolation
      else if (this.startsWith("${")) this.skipInterpolation();
      else this.pos++;
    }
    this.pos++;
    return "string";
  }

  private scanIndentedString(): TokenKind {
    const start = this.pos;
    this.pos += 2;
    for (;;) {
      if (this.pos >= this.text.length) this.fail("unterminated '' string", start);
      if (this.startsWith("'''") || this.startsWith("''$")) this.pos += 3; // escaped '' and $
      else if (this.startsWith("''\\")) this.pos += 4; // ''\n, ''\t, ''\'' …
      else if (this.startsWith("''")) break;
      else if (this.startsWith("$${")) this.pos += 3;
      else if (this.startsWith("${")) this.skipInterpolation();
      else this.pos++;
    }
    this.pos += 2;
    return "indented-string";
  }

  /** From `${` to its matching `}`, reading real tokens so that braces in nested strings don't count. */
  private skipInterpolation(): void {
    const start = this.pos;
    this.pos += 2;
    let depth = 1;
    while (depth > 0) {
      if (this.pos >= this.text.length) this.fail("unterminated ${ interpolation", start);
      const token = this.next();
      if (token.kind !== "punct") continue;
      if (token.text === "{" || token.text === "${") depth++;
      else if (token.text === "}") depth--;
    }
  }

  /** Nix's PATH, HPATH and SPATH rules, with `${…}` after a slash (path interpolation). */
  private scanPath(): boolean {
    const start = this.pos;
    if (this.at() === "<") {
      let end = this.pos + 1;
      while (isPathChar(this.text[end]) || (this.text[end] === "/" && isPathChar(this.text[end + 1]))) end++;
      if (end > this.pos + 1 && this.text[end] === ">") {
        this.pos = end + 1;
        return true;
      }
      return false;
    }
    let end = this.pos;
    if (this.at() === "~") end++;
    else while (isPathChar(this.text[end])) end++;
    // A path needs a slash followed by a path character or an interpolation.
    if (this.text[end] !== "/" || !(isPathChar(this.text[end + 1]) || this.text.startsWith("${", end + 1))) return false;
    this.pos = end;
    for (;;) {
      if (this.at() === "/" && (isPathChar(this.at(1)) || this.text.startsWith("${", this.pos + 1))) this.pos++;
      else if (isPathChar(this.at())) this.pos++;
      else if (this.startsWith("${") && this.pos > start) this.skipInterpolation();
      else break;
    }
    if (this.at() === "/" && this.at(1) !== "/" && this.at(1) !== "*") this.pos++; // trailing slash
    return true;
  }

  private scanUri(): boolean {
    if (!/[A-Za-z]/.test(this.at() ?? "")) return false;
    let end = this.pos + 1;
    while (isSchemeChar(this.text[end])) end++;
    if (this.text[end] !== ":" || !isUriChar(this.text[end + 1])) return false;
    end++;
    while (isUriChar(this.text[end])) end++;
    this.pos = end;
    return true;
  }
}
