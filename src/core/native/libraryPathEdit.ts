// The fix the native-library doctor proposes: put the providing nixpkgs attributes on the
// devShell's LD_LIBRARY_PATH, as `LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ … ];` (makeLibraryPath
// picks each package's lib output, so `stdenv.cc.cc` and `stdenv.cc.cc.lib` are the same entry).
// Pure functions: the plan, and a text edit that extends an existing makeLibraryPath list in
// flake.nix. Applying the edit (a workspace edit in VS Code, a checked write in the CLI, both
// checked with nix-instantiate --parse) belongs to the flake-editing layer and is wired there.
import type { MissingLibrary } from "./scan";

export interface LibraryPathPlan {
  /** Attributes under pkgs to add, sorted, without duplicates: ["stdenv.cc.cc.lib", "zlib"]. */
  readonly attributes: readonly string[];
  /** Sonames no curated attribute provides (the user has to find the package). */
  readonly unknown: readonly string[];
  /** Sonames the GPU driver provides, which no flake edit can fix. */
  readonly fromDriver: readonly string[];
  /** A devShell attribute to add when the devShell has no library path yet. */
  readonly attributeSnippet?: string;
  /** The same as a shellHook line, for devShells that build their environment in the hook. */
  readonly shellHookSnippet?: string;
}

export function planLibraryPath(missing: readonly MissingLibrary[]): LibraryPathPlan {
  const attributes = new Set<string>();
  const unknown: string[] = [];
  const fromDriver: string[] = [];
  for (const m of missing) {
    if (!m.provider) unknown.push(m.soname);
    else if (m.provider.fromDriver) fromDriver.push(m.soname);
    else attributes.add(m.provider.attribute);
  }
  const attrs = [...attributes].sort();
  const list = `(with pkgs; [ ${attrs.join(" ")} ])`;
  return {
    attributes: attrs,
    unknown,
    fromDriver,
    attributeSnippet: attrs.length > 0 ? `LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath ${list};` : undefined,
    shellHookSnippet: attrs.length > 0 ? `export LD_LIBRARY_PATH=\${pkgs.lib.makeLibraryPath ${list}}\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}` : undefined,
  };
}

/** Compares list elements the way makeLibraryPath sees them: `pkgs.zlib` = `zlib`, `x.lib` = `x` (`pkgs`: the package set's name). */
export function sameLibraryEntry(a: string, b: string, pkgs = "pkgs"): boolean {
  const prefix = `${pkgs}.`;
  const norm = (s: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s).replace(/\.(lib|out)$/, "");
  return norm(a) === norm(b);
}

export type LibraryPathEdit =
  /** Insert `text` at `offset` (just before the list's closing bracket) of the flake's text. */
  | { readonly kind: "extend-list"; readonly offset: number; readonly text: string; readonly added: readonly string[] }
  /** Nothing to add: every attribute is already in the list. */
  | { readonly kind: "unchanged" }
  /** No LD_LIBRARY_PATH list to extend: the devShell needs `snippet` as a new attribute. */
  | { readonly kind: "add-attribute"; readonly snippet: string; readonly added: readonly string[] };

/**
 * The edit that adds `attributes` to `LD_LIBRARY_PATH = … makeLibraryPath [ … ]` in `source`,
 * keeping the list's layout (one element per line, or inline). Elements are written as they
 * would be inside the list: bare under `with pkgs;` or next to bare elements, else `pkgs.NAME`.
 */
export function libraryPathEdit(source: string, attributes: readonly string[], pkgs = "pkgs"): LibraryPathEdit {
  const list = findLibraryPathList(source);
  if (!list) {
    const snippet = planLibraryPath(attributes.map((a) => ({ soname: a, neededBy: [], provider: { attribute: a } }))).attributeSnippet;
    return attributes.length === 0 || !snippet ? { kind: "unchanged" } : { kind: "add-attribute", snippet, added: [...attributes] };
  }
  const existing = source.slice(list.open + 1, list.close).replace(/#.*$/gm, "").split(/\s+/).filter(Boolean);
  const added = attributes.filter((a) => !existing.some((e) => sameLibraryEntry(e, a, pkgs)));
  if (added.length === 0) return { kind: "unchanged" };
  // Follow the list's style: bare names under `with pkgs;` or when its elements are bare already.
  const bare = pkgs === "" || list.withPkgs || (existing.length > 0 && existing.every((e) => !e.startsWith(`${pkgs}.`)));
  const written = added.map((a) => (bare ? a : `${pkgs}.${a}`));
  const inner = source.slice(list.open + 1, list.close);
  if (!inner.includes("\n")) {
    // Inline: `[ zlib ]` → `[ zlib glib ]`; `[]` → `[ glib ]`.
    const before = inner.trimEnd();
    const offset = list.open + 1 + before.length;
    return { kind: "extend-list", offset, text: ` ${written.join(" ")}${inner.length === before.length ? " " : ""}`, added };
  }
  // One per line: after the last element, with its indentation.
  const lastLineStart = inner.lastIndexOf("\n", inner.trimEnd().length - 1) + 1;
  const indent = /^[ \t]*/.exec(inner.slice(lastLineStart))![0];
  const offset = list.open + 1 + inner.trimEnd().length;
  return { kind: "extend-list", offset, text: written.map((w) => `\n${indent}${w}`).join(""), added };
}

interface ListSpan {
  readonly open: number;
  readonly close: number;
  readonly withPkgs: boolean;
}

/** The `[ … ]` of `LD_LIBRARY_PATH = <lib.>makeLibraryPath [ … ]` or `… (with pkgs; [ … ])`, outside comments and strings. */
export function findLibraryPathList(source: string): ListSpan | undefined {
  const code = blankCommentsAndStrings(source);
  const m = /\bLD_LIBRARY_PATH\s*=\s*(?:[\w.]*\.)?makeLibraryPath\s*(\(\s*with\s+pkgs\s*;\s*)?\[/.exec(code);
  if (!m) return undefined;
  const open = m.index + m[0].length - 1;
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === "[") depth++;
    else if (code[i] === "]" && --depth === 0) return { open, close: i, withPkgs: m[1] !== undefined };
  }
  return undefined;
}

/** Same length as source, with comments and string contents replaced by spaces (newlines kept). */
function blankCommentsAndStrings(source: string): string {
  const out = source.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  let i = 0;
  while (i < source.length) {
    const rest = source.startsWith.bind(source);
    if (source[i] === "#") {
      const end = source.indexOf("\n", i);
      blank(i, end < 0 ? source.length : end);
      i = end < 0 ? source.length : end;
    } else if (rest("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      blank(i, end < 0 ? source.length : end + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (source[i] === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === "\\" ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else if (rest("''", i)) {
      let j = i + 2;
      // '' ends an indented string unless it is the escape ''' or ''$ or ''\.
      while (j < source.length && !(rest("''", j) && !rest("'''", j) && !rest("''$", j) && !rest("''\\", j))) j += rest("''", j) ? 3 : 1;
      blank(i + 2, j);
      i = j + 2;
    } else i++;
  }
  return out.join("");
}
