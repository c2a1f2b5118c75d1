// Which Python's package set a list draws from, as far as the text says: `pkgs.python311` for
// `python311.withPackages`, `python3` for `with pkgs.python3Packages;`, a set written in the file
// for `myPkgs pythonPackages` when `pythonPackages = { … };`. Names are followed through `let`
// bindings (`python = pkgs.python311;`, `dist = python.override { … };`), never evaluated.
import { dottedPathAt, visibleBinding, type Binding, type ScopeTable } from "./bindings";
import { lineColumn } from "./tokenizer";

export interface PythonSetRef {
  /** The set or interpreter as resolved: "pkgs.python311", "python3Packages", "pythonPackages". */
  readonly text: string;
  /** The interpreter attribute of nixpkgs it belongs to: "python311", "python3", "pypy3". */
  readonly interpreter?: string;
  /** A set written as an attribute set literal in the file itself. */
  readonly local?: { readonly name: string; readonly line: number; readonly binding: Binding };
}

/** `python311`, `python3`, `pypy3`, `python`, `python3Minimal`, `python312Full`. */
const INTERPRETER = /^(python|pypy)([0-9]*)(Full|Minimal|-?full|_full)?$/;
/** `python311Packages`, `python3Packages`, `pypy3Packages`, `pythonPackages`. */
const PACKAGE_SET = /^(python|pypy)([0-9]*)Packages$/;

/** Receivers of `.withPackages` that belong to other languages or tools. */
const OTHER_LANGUAGE =
  /^(perl[0-9]*|lua[0-9_]*|luajit\w*|ruby\w*|emacs\w*|octave\w*|julia\w*|texlive\w*|agda\w*|idris\w*|sbcl\w*|ecl|clisp|ccl|abcl|kodi\w*|typst\w*|tree-sitter\w*|terraform\w*|opentofu\w*|ghc\w*|haskell\w*|R|rWrapper|rstudioWrapper|nodejs\w*|php\w*|gnuradio\w*|weechat\w*|pass\w*|chicken\w*|tcl\w*|guile\w*|coq\w*|elixir\w*|erlang\w*|dotnet\w*|neovim\w*|vim\w*|hunspell\w*|aspell\w*|gimp\w*|grass|qgis\w*|mpv\w*|obs-studio\w*|lib)$/;

/** The interpreter a (resolved) set or interpreter path names: `pkgs.python311.pkgs` → python311. */
export function interpreterOf(path: string): string | undefined {
  const segments = path.split(".");
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    const set = PACKAGE_SET.exec(seg);
    if (set) return `${set[1]}${set[2]}`;
    const interpreter = INTERPRETER.exec(seg);
    if (interpreter) return `${interpreter[1]}${interpreter[2]}`;
  }
  return undefined;
}

/** True when the path names a Python package set (`python3Packages`, `python3.pkgs`, `pkgs.python311Packages`). */
export function isPythonPackageSetPath(path: string): boolean {
  const segments = path.split(".");
  const last = segments.at(-1)!;
  if (PACKAGE_SET.test(last)) return true;
  return last === "pkgs" && segments.length >= 2 && INTERPRETER.test(segments.at(-2)!);
}

/** The receiver of `.withPackages` belongs to another language (perl, lua, emacs, ghc …). */
export function isOtherLanguageReceiver(path: string): boolean {
  const meaningful = path.split(".").filter((s) => s !== "pkgs" && s !== "legacyPackages");
  const last = meaningful.at(-1);
  return last !== undefined && OTHER_LANGUAGE.test(last) && interpreterOf(path) === undefined;
}

/** The Python version a interpreter attribute names, for messages: python311 → "Python 3.11". */
export function describeInterpreter(interpreter: string): string {
  const m = /^(python|pypy)([0-9]*)$/.exec(interpreter);
  if (!m) return interpreter;
  const impl = m[1] === "pypy" ? "PyPy" : "Python";
  const digits = m[2]!;
  if (digits === "") return impl;
  return `${impl} ${digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`}`;
}

/**
 * Two interpreters that cannot share a package set: different implementations, or two versions
 * that differ. `python3` is whichever 3.x the nixpkgs has, and a bare `python` (blender.python,
 * a let name) says nothing of its version, so neither conflicts with a 3.x.
 */
export function interpretersConflict(a: string, b: string): boolean {
  const pa = /^(python|pypy)([0-9]*)$/.exec(a);
  const pb = /^(python|pypy)([0-9]*)$/.exec(b);
  if (!pa || !pb) return false;
  if (pa[1] !== pb[1]) return true;
  const [va, vb] = [pa[2]!, pb[2]!];
  if (va === vb || va === "" || vb === "") return false;
  if (va.length === 1 || vb.length === 1) return va[0] !== vb[0];
  return true;
}

const MAX_HOPS = 8;

/**
 * Follows `path` (used at token `at`) through let bindings to what it stands for. Stops at a name
 * that is not bound here (a function argument such as `pkgs`), or at an attribute set literal.
 */
export function resolvePythonSet(table: ScopeTable, path: string, at: number): PythonSetRef {
  const s = table.s;
  let text = path;
  let where = at;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const [head, ...rest] = text.split(".");
    const b = visibleBinding(table, head!, where);
    if (!b) break;
    if (b.inheritFrom) {
      const from = dottedPathAt(s, b.inheritFrom[0]);
      if (!from || from.end !== b.inheritFrom[1]) break;
      text = [from.text, head, ...rest].join(".");
      where = b.inheritFrom[0];
      continue;
    }
    if (b.inherited) {
      where = b.scope; // the same name, one scope further out
      continue;
    }
    const value = s.tokens[b.valueStart];
    if (value?.kind === "punct" && value.text === "{" && rest.length === 0) {
      return { text, local: { name: b.name, line: lineColumn(s.text, s.tokens[b.keyStart]!.start).line, binding: b } };
    }
    const target = valuePath(table, b);
    if (!target) break;
    text = [target, ...rest].join(".");
    where = b.valueStart;
  }
  return { text, interpreter: interpreterOf(text) };
}

/**
 * The path a binding's value starts with, when that is what it is: `pkgs.python311` for
 * `pkgs.python311`, `python.override { … }`, `(pkgs.python3.override { … })`, `pkgs.python3 // { … }`.
 */
function valuePath(table: ScopeTable, b: Binding): string | undefined {
  const s = table.s;
  let start = b.valueStart;
  while (s.tokens[start]?.text === "(" && s.tokens[start]?.kind === "punct") start++;
  const path = dottedPathAt(s, start);
  if (!path) return undefined;
  const segments = path.text.split(".");
  const overrideAt = segments.findIndex((seg) => /^override/.test(seg));
  if (overrideAt > 0) return segments.slice(0, overrideAt).join(".");
  const next = s.tokens[path.end];
  const endsHere = path.end >= b.valueEnd || (next?.kind === "punct" && [")", "//"].includes(next.text));
  return endsHere ? path.text : undefined;
}
