// The native-library doctor's one-click fix, on the text of a flake.nix: put nixpkgs attributes on
// the library path of the devShell the folder loads. Read on the Nix tokenizer (comments, strings
// and interpolation are never mistaken for code), in this order:
//   1. the devShell has `LD_LIBRARY_PATH = … makeLibraryPath [ … ]`: the list is extended in
//      place, keeping its layout (libraryPathEdit.ts);
//   2. it sets LD_LIBRARY_PATH some other way, or its shellHook exports it: a line at the end of
//      the shellHook prepends the attributes (an attribute would be overwritten by the hook);
//   3. it has none: a new `LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ … ];` attribute;
//   anything else (no devShell found, no package set in scope): the snippet, for the user.
// Pure: text in, text out. Checking the result with nix-instantiate --parse and applying it are
// the front ends' (a WorkspaceEdit in VS Code).
import { expressionEnd, scopeTable, visibleBinding, type Binding, type ScopeTable } from "../flake/bindings";
import { analyze, bindingPath, dottedPathEndingAt, skipGroup, type NixStructure } from "../flake/structure";
import { libraryPathEdit, sameLibraryEntry } from "./libraryPathEdit";

export type LibraryPathFix =
  | { readonly kind: "edit"; readonly text: string; readonly how: "extend-list" | "shellhook-export" | "new-attribute"; readonly added: readonly string[] }
  | { readonly kind: "unchanged"; readonly message: string }
  | { readonly kind: "manual"; readonly message: string; readonly snippet: string };

/** Where the devShell is in the file, for a diagnostic and for the edit. */
export interface DevShellSite {
  /** Character range of the devShell's attribute set `{ … }`. */
  readonly set: readonly [number, number];
  /** Character range of its LD_LIBRARY_PATH binding, when it has one. */
  readonly libraryPath?: readonly [number, number];
  /** What the devShell calls nixpkgs ("pkgs"), when it can be told. */
  readonly pkgs?: string;
}

interface Target extends DevShellSite {
  readonly s: NixStructure;
  readonly table: ScopeTable;
  readonly opener: number;
  readonly ldBinding?: Binding;
  readonly shellHook?: Binding;
}

const MAX_HOPS = 4;

/** The devShell named `devShell` (of `system`, when several systems define it). */
export function findDevShellSite(text: string, devShell: string, system = "x86_64-linux"): DevShellSite | undefined {
  const t = findTarget(text, devShell, system);
  return t && { set: t.set, libraryPath: t.libraryPath, pkgs: t.pkgs };
}

export function planLibraryPathFix(text: string, devShell: string, attributes: readonly string[], system = "x86_64-linux"): LibraryPathFix {
  const target = findTarget(text, devShell, system);
  const pkgs = target?.pkgs ?? "pkgs";
  const q = (name: string) => (pkgs ? `${pkgs}.${name}` : name);
  const listOf = (attrs: readonly string[]) => `[ ${attrs.map(q).join(" ")} ]`;
  const snippet = `LD_LIBRARY_PATH = ${q("lib.makeLibraryPath")} ${listOf(attributes)};`;
  if (!target) return { kind: "manual", message: `flake.nix defines no devShell "${devShell}" that can be read without evaluating it`, snippet };
  if (target.pkgs === undefined) return { kind: "manual", message: `the devShell "${devShell}" has no package set in scope to take the libraries from`, snippet };
  if (attributes.length === 0) return { kind: "unchanged", message: "no attribute to add" };
  const { s } = target;

  if (target.ldBinding) {
    const from = s.tokens[target.ldBinding.keyStart]!.start;
    const to = s.tokens[target.ldBinding.valueEnd]?.end ?? text.length;
    const edit = libraryPathEdit(text.slice(from, to), attributes, pkgs);
    if (edit.kind === "unchanged") return { kind: "unchanged", message: `the devShell's LD_LIBRARY_PATH already has ${attributes.join(", ")}` };
    if (edit.kind === "extend-list") {
      return { kind: "edit", how: "extend-list", added: edit.added, text: text.slice(0, from + edit.offset) + edit.text + text.slice(from + edit.offset) };
    }
  }
  const hookExports = target.shellHook !== undefined && /\bLD_LIBRARY_PATH\b/.test(bindingText(s, target.shellHook));
  if (target.ldBinding || hookExports) {
    const hook = target.shellHook && s.tokens[target.shellHook.valueStart];
    if (!hook || hook.kind !== "indented-string" || target.shellHook!.valueEnd !== target.shellHook!.valueStart + 1) {
      return { kind: "manual", message: "the devShell sets LD_LIBRARY_PATH in a way that cannot be extended in place, and has no ''…'' shellHook to add a line to", snippet };
    }
    // A line the hook has already (this fix, earlier) counts: only what it lacks is added.
    const missing = attributes.filter((a) => !hookLibraries(hook.text).some((e) => sameLibraryEntry(e, a, pkgs)));
    if (missing.length === 0) return { kind: "unchanged", message: `the devShell's shellHook already puts ${attributes.join(", ")} on LD_LIBRARY_PATH` };
    const line = `export LD_LIBRARY_PATH=\${${q("lib.makeLibraryPath")} ${listOf(missing)}}''\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}`;
    return { kind: "edit", how: "shellhook-export", added: missing, text: appendToIndentedString(text, hook.start, hook.end, line) };
  }
  return { kind: "edit", how: "new-attribute", added: [...attributes], text: addAttribute(text, target, snippet) };
}

function findTarget(text: string, devShell: string, system: string): Target | undefined {
  let s: NixStructure;
  try {
    s = analyze(text);
  } catch {
    return undefined; // does not tokenize: nothing can be placed safely
  }
  const table = scopeTable(s);
  const candidates = devShellBindings(s, table, devShell);
  // devShells.<system>.NAME for several systems: the one that names this machine's.
  const binding = candidates.find((c) => c.path.includes(system)) ?? candidates[0];
  if (!binding) return undefined;
  const opener = attributeSetOf(s, table, binding.binding.valueStart, binding.binding.valueEnd, 0);
  if (opener === undefined) return undefined;
  const close = s.closerOf.get(opener)!;
  // Its own bindings, and those of sets inside it (`env.LD_LIBRARY_PATH`, `env = { … }`).
  const inside = table.bindings.filter((b) => b.scope >= opener && b.scope < close);
  const ldBinding = inside.find((b) => b.path === "LD_LIBRARY_PATH" || b.path.endsWith(".LD_LIBRARY_PATH"));
  const shellHook = inside.find((b) => b.scope === opener && b.path === "shellHook");
  return {
    s,
    table,
    opener,
    set: [s.tokens[opener]!.start, s.tokens[close]!.end],
    libraryPath: ldBinding ? [s.tokens[ldBinding.keyStart]!.start, s.tokens[ldBinding.valueEnd]?.end ?? text.length] : undefined,
    pkgs: packageSetName(s, table, opener),
    ldBinding,
    shellHook,
  };
}

/** `devShells.x86_64-linux.docs`, `devShells = { docs = …; }`, flake-utils' `devShells.docs`, legacy `devShell`. */
function devShellBindings(s: NixStructure, table: ScopeTable, name: string): Array<{ binding: Binding; path: string }> {
  const found: Array<{ binding: Binding; path: string }> = [];
  for (const b of table.bindings) {
    if (b.scopeKind === "let") continue;
    const raw = bindingPath(s, b.valueStart);
    const segments = raw.flatMap((p) => p.match(/\$\{[^}]*\}|"[^"]*"|[^.]+/g) ?? []).filter((seg, i) => !WRAPPERS.has(seg) && !(seg === "flake" && i === 0) && !isSystemSegment(seg));
    const isShell = (segments.length === 2 && segments[0] === "devShells" && segments[1] === name) || (name === "default" && segments.length === 1 && segments[0] === "devShell");
    if (isShell) found.push({ binding: b, path: raw.join(".") });
  }
  return found;
}

const WRAPPERS = new Set(["outputs", "perSystem"]);
const isSystemSegment = (seg: string) => /^\$\{|^"|-(linux|darwin)$|^system$/.test(seg);

/**
 * The `{` of the attribute set a devShell's value passes to its builder: `pkgs.mkShell { … }`,
 * `derivation { … }`, `let … in mkShell { … }`; a name is followed to its binding.
 */
function attributeSetOf(s: NixStructure, table: ScopeTable, from: number, to: number, hops: number): number | undefined {
  if (hops > MAX_HOPS) return undefined;
  if (to - from === 1 && s.tokens[from]!.kind === "identifier") {
    const b = visibleBinding(table, s.tokens[from]!.text, from);
    return b && !b.inherited && !b.inheritFrom ? attributeSetOf(s, table, b.valueStart, b.valueEnd, hops + 1) : undefined;
  }
  const level = s.enclosing[from];
  for (let i = from; i < to; i++) {
    const t = s.tokens[i]!;
    if (t.kind !== "punct" || t.text !== "{" || isFormals(s, i)) continue;
    // The argument of a shell builder, at the value's own level or inside its `( … )`:
    // `mkShell { … }`, `mkShell rec { … }`, `mkShell ({ … } // x)`. Not callPackage's arguments.
    const parent = s.enclosing[i]!;
    const inParens = parent >= from && s.tokens[parent]!.text === "(" && s.enclosing[parent] === level;
    if (parent !== level && !inParens) continue;
    let head = inParens ? parent - 1 : i - 1;
    if (s.tokens[head]?.text === "rec") head--;
    if (SHELL_BUILDERS.test(dottedPathEndingAt(s, head)?.text ?? "")) return i;
  }
  return undefined;
}

const SHELL_BUILDERS = /(^|\.)(mkShell|mkShellNoCC|derivation|mkDerivation)$/;

/** `{ pkgs, ... }:` is a function's formals, not an attribute set. */
function isFormals(s: NixStructure, opener: number): boolean {
  const after = s.tokens[s.closerOf.get(opener)! + 1];
  return after?.kind === "punct" && (after.text === ":" || after.text === "@");
}

/**
 * `pkgs` of `pkgs.mkShell {`; `with pkgs; mkShell {` → pkgs; "" under a `with` of something
 * unnamed (`with import nixpkgs { … }; mkShell {`: names are written bare); else a visible let
 * binding or function formal named pkgs.
 */
function packageSetName(s: NixStructure, table: ScopeTable, opener: number): string | undefined {
  const headEnd = s.tokens[opener - 1]?.text === "rec" ? opener - 2 : opener - 1;
  const head = dottedPathEndingAt(s, headEnd)?.text ?? "";
  const m = /^(.+)\.(mkShell|mkShellNoCC|stdenv\.mkDerivation|mkDerivation)$/.exec(head);
  if (m) return m[1];
  if (/^(mkShell|mkShellNoCC)$/.test(head)) {
    const around = withScopeAround(s, opener);
    if (around !== undefined) return around;
  }
  if (visibleBinding(table, "pkgs", opener)) return "pkgs";
  // `{ pkgs, ... }: …` (flake-parts' perSystem, a devshell.nix module) whose body holds the set.
  for (let i = 0; i < opener; i++) {
    if (s.tokens[i]!.text !== "{" || !isFormals(s, i)) continue;
    const close = s.closerOf.get(i)!;
    if (!s.tokens.slice(i + 1, close).some((t) => t.kind === "identifier" && t.text === "pkgs")) continue;
    const body = s.tokens[close + 1]!.text === ":" ? close + 2 : close + 4; // `{ … }@args:`
    if (opener >= body && opener < expressionEnd(s, body)) return "pkgs";
  }
  return undefined;
}

/**
 * The innermost `with X;` whose body holds token `at`: X when it is a plain name (`with pkgs;`),
 * "" when it is an expression (`with import nixpkgs { … };`), undefined without one.
 */
function withScopeAround(s: NixStructure, at: number): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < at; i++) {
    if (s.tokens[i]!.kind !== "identifier" || s.tokens[i]!.text !== "with") continue;
    let semi = i + 1;
    while (semi < at && s.tokens[semi]!.text !== ";") semi = skipGroup(s, semi);
    if (semi >= at || at >= expressionEnd(s, semi + 1)) continue;
    const target = s.tokens.slice(i + 1, semi);
    found = target.every((t, k) => (k % 2 === 0 ? t.kind === "identifier" : t.text === ".")) ? target.map((t) => t.text).join("") : "";
  }
  return found;
}

/** The elements of every `makeLibraryPath [ … ]` (or `(with pkgs; [ … ])`) in a shellHook's text. */
function hookLibraries(hook: string): string[] {
  return [...hook.matchAll(/makeLibraryPath\s*(?:\(\s*with\s+[\w.]+\s*;\s*)?\[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(/\s+/).filter(Boolean));
}

function bindingText(s: NixStructure, b: Binding): string {
  return s.text.slice(s.tokens[b.valueStart]!.start, s.tokens[b.valueEnd - 1]!.end);
}

/** A line at the end of the indented string spanning [start, end), indented like its other lines. */
function appendToIndentedString(text: string, start: number, end: number, line: string): string {
  const body = text.slice(start + 2, end - 2);
  const lastNl = body.lastIndexOf("\n");
  if (lastNl < 0) return `${text.slice(0, end - 2)}\n${line}\n${text.slice(end - 2)}`;
  const lines = body.slice(0, lastNl).split("\n").filter((l) => l.trim() !== "");
  const indent = /^[ \t]*/.exec(lines.at(-1) ?? "")![0];
  const closingLineBlank = body.slice(lastNl + 1).trim() === "";
  const at = closingLineBlank ? start + 2 + lastNl : end - 2;
  return `${text.slice(0, at)}\n${indent}${line}${closingLineBlank ? "" : "\n"}${text.slice(at)}`;
}

/** `snippet` as the last attribute of the devShell's set, on its own line like the others. */
function addAttribute(text: string, target: Target, snippet: string): string {
  const { s, table, opener } = target;
  const close = s.closerOf.get(opener)!;
  const last = table.bindings.filter((b) => b.scope === opener).at(-1);
  if (!last || !text.slice(s.tokens[opener]!.start, s.tokens[close]!.start).includes("\n")) {
    // `{ }` or a one-line set: `{ a = 1; }` → `{ a = 1; LD_LIBRARY_PATH = …; }`.
    const at = s.tokens[close]!.start;
    const before = text.slice(0, at).trimEnd();
    return `${before} ${snippet} ${text.slice(at)}`;
  }
  const keyStart = s.tokens[last.keyStart]!.start;
  const indent = /[ \t]*$/.exec(text.slice(text.lastIndexOf("\n", keyStart) + 1, keyStart))![0];
  const at = s.tokens[last.valueEnd]!.end; // after the last binding's ";"
  return `${text.slice(0, at)}\n${indent}${snippet}${text.slice(at)}`;
}
