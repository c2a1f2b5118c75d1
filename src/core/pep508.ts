// PEP 508 dependency specifications: a requirement line ("numpy[extra]>=1.26; python_version >=
// '3.9'", as in METADATA's Requires-Dist) and environment markers evaluated for one interpreter.
// Pure. Comparisons follow the semantics of the `packaging` library (26): the version variables
// compare as PEP 440 specifiers (pre-releases admitted), the others as strings with membership and
// equality only; `extra` values compare as normalised names.
import { normalizeName } from "./packageName";
import { parseSpecifier, parseSpecifierSet, satisfies, type Specifier } from "./pep440";

/** The marker variables of one interpreter (what `packaging.markers.default_environment()` returns). */
export type MarkerEnvironment = Readonly<Record<string, string>>;

export interface Requirement {
  /** PEP 503 normalised. */
  readonly name: string;
  readonly extras: readonly string[];
  /** The specifier text ("" for none); see `specifiers`. */
  readonly specifier: string;
  readonly specifiers: readonly Specifier[];
  readonly url?: string;
  /** The marker text after ";", if any. */
  readonly marker?: string;
}

const NAME_RE = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;

/** A requirement line, or undefined when it is not PEP 508. */
export function parseRequirement(line: string): Requirement | undefined {
  const nameMatch = NAME_RE.exec(line);
  if (!nameMatch) return undefined;
  let rest = line.slice(nameMatch[0].length);
  let extras: string[] = [];
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) return undefined;
    extras = rest
      .slice(1, close)
      .split(",")
      .map((e) => e.trim())
      .filter((e) => e !== "")
      .map(normalizeName);
    rest = rest.slice(close + 1).trimStart();
  }
  let url: string | undefined;
  let specText = "";
  let markerText: string | undefined;
  if (rest.startsWith("@")) {
    // A URL ends at whitespace; a marker must then follow after " ;".
    const m = /^@\s*(\S+)\s*(?:;(.*))?$/.exec(rest);
    if (!m) return undefined;
    url = m[1];
    markerText = m[2];
  } else {
    const semi = rest.indexOf(";");
    specText = (semi < 0 ? rest : rest.slice(0, semi)).trim();
    markerText = semi < 0 ? undefined : rest.slice(semi + 1);
    if (specText.startsWith("(") && specText.endsWith(")")) specText = specText.slice(1, -1).trim();
  }
  const specifiers = parseSpecifierSet(specText);
  if (!specifiers) return undefined;
  const marker = markerText?.trim();
  if (marker !== undefined && parseMarker(marker) === undefined) return undefined;
  return { name: normalizeName(nameMatch[1]!), extras, specifier: specText, specifiers, ...(url ? { url } : {}), ...(marker ? { marker } : {}) };
}

// Markers: a small recursive-descent parser over tokens, then an evaluator.
type MarkerValue = { readonly kind: "variable"; readonly name: string } | { readonly kind: "string"; readonly value: string };

export type MarkerNode =
  | { readonly kind: "and" | "or"; readonly left: MarkerNode; readonly right: MarkerNode }
  | { readonly kind: "compare"; readonly left: MarkerValue; readonly op: string; readonly right: MarkerValue };

/** The variables PEP 508 defines, with the legacy dotted spellings packaging still reads. */
const VARIABLES = new Set([
  "python_version",
  "python_full_version",
  "os_name",
  "sys_platform",
  "platform_release",
  "platform_system",
  "platform_version",
  "platform_machine",
  "platform_python_implementation",
  "implementation_name",
  "implementation_version",
  "extra",
]);
const LEGACY: Readonly<Record<string, string>> = {
  "os.name": "os_name",
  "sys.platform": "sys_platform",
  "platform.version": "platform_version",
  "platform.machine": "platform_machine",
  "platform.python_implementation": "platform_python_implementation",
  python_implementation: "platform_python_implementation",
};

const TOKEN_RE = /\s*(?:(\()|(\))|'([^']*)'|"([^"]*)"|(===|==|!=|<=|>=|~=|<|>)|(not\s+in\b)|([A-Za-z_][A-Za-z0-9_.]*))/y;

type Token = { kind: "(" | ")" | "string" | "op" | "word"; text: string };

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN_RE.lastIndex = at;
    const m = TOKEN_RE.exec(text);
    if (!m) return undefined;
    at = TOKEN_RE.lastIndex;
    if (m[1]) tokens.push({ kind: "(", text: "(" });
    else if (m[2]) tokens.push({ kind: ")", text: ")" });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ kind: "string", text: m[3] ?? m[4]! });
    else if (m[5]) tokens.push({ kind: "op", text: m[5] });
    else if (m[6]) tokens.push({ kind: "op", text: "not in" });
    else if (m[7] === "in") tokens.push({ kind: "op", text: "in" });
    else tokens.push({ kind: "word", text: m[7]! });
  }
  return tokens;
}

/** The marker's syntax tree, or undefined when it is not a valid marker. */
export function parseMarker(text: string): MarkerNode | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  let i = 0;
  const peek = () => tokens[i];
  const parseOr = (): MarkerNode | undefined => {
    let left = parseAnd();
    while (left && peek()?.kind === "word" && peek()!.text === "or") {
      i++;
      const right = parseAnd();
      left = right && { kind: "or", left, right };
    }
    return left;
  };
  const parseAnd = (): MarkerNode | undefined => {
    let left = parseAtom();
    while (left && peek()?.kind === "word" && peek()!.text === "and") {
      i++;
      const right = parseAtom();
      left = right && { kind: "and", left, right };
    }
    return left;
  };
  const parseValue = (): MarkerValue | undefined => {
    const t = tokens[i++];
    if (t?.kind === "string") return { kind: "string", value: t.text };
    if (t?.kind === "word") {
      const name = LEGACY[t.text] ?? t.text;
      return VARIABLES.has(name) ? { kind: "variable", name } : undefined;
    }
    return undefined;
  };
  const parseAtom = (): MarkerNode | undefined => {
    if (peek()?.kind === "(") {
      i++;
      const inner = parseOr();
      if (tokens[i++]?.kind !== ")") return undefined;
      return inner;
    }
    const left = parseValue();
    const op = tokens[i++];
    if (!left || op?.kind !== "op") return undefined;
    const right = parseValue();
    return right && { kind: "compare", left, op: op.text, right };
  };
  const tree = parseOr();
  return tree && i === tokens.length ? tree : undefined;
}

/**
 * Whether the marker holds in `env`. `extras` are the extras being installed: `extra == "x"` is
 * true when x is among them (none: every `extra ==` is false). An unknown or invalid marker is
 * false, the cautious answer for "is this dependency wanted here".
 */
export function evaluateMarker(marker: string | MarkerNode | undefined, env: MarkerEnvironment, extras: readonly string[] = []): boolean {
  if (marker === undefined) return true;
  const tree = typeof marker === "string" ? parseMarker(marker) : marker;
  if (!tree) return false;
  return evaluate(tree, env, extras.map(normalizeName));
}

function evaluate(node: MarkerNode, env: MarkerEnvironment, extras: readonly string[]): boolean {
  if (node.kind !== "compare") {
    return node.kind === "and" ? evaluate(node.left, env, extras) && evaluate(node.right, env, extras) : evaluate(node.left, env, extras) || evaluate(node.right, env, extras);
  }
  const isExtra = (v: MarkerValue) => v.kind === "variable" && v.name === "extra";
  if (isExtra(node.left) || isExtra(node.right)) {
    // As pip does: the base install (extra "") and each extra being installed.
    const candidates = ["", ...extras];
    return candidates.some((extra) => compareNames(valueOf(node.left, env, extra), node.op, valueOf(node.right, env, extra)));
  }
  const key = node.left.kind === "variable" ? node.left.name : node.right.kind === "variable" ? node.right.name : "";
  return compare(valueOf(node.left, env, ""), node.op, valueOf(node.right, env, ""), VERSION_VARIABLES.has(key));
}

/** The variables whose values are versions: only these compare as PEP 440 (packaging 26 does the same). */
const VERSION_VARIABLES = new Set(["python_version", "python_full_version", "implementation_version", "platform_release"]);

function valueOf(v: MarkerValue, env: MarkerEnvironment, extra: string): string {
  if (v.kind === "string") return v.value;
  return v.name === "extra" ? extra : (env[v.name] ?? "");
}

function compareNames(left: string, op: string, right: string): boolean {
  const [l, r] = [normalizeName(left), normalizeName(right)];
  return op === "==" ? l === r : op === "!=" ? l !== r : false;
}

/**
 * A version variable against a valid version compares as a PEP 440 specifier, pre-releases
 * admitted. Anything else compares as strings, where the spec defines only membership and
 * equality: `<=` and `>=` are equality, `<` and `>` never hold, `~=` and `===` are undefined (false).
 */
function compare(left: string, op: string, right: string, versions: boolean): boolean {
  if (op === "in") return right.includes(left);
  if (op === "not in") return !right.includes(left);
  if (versions) {
    const spec = parseSpecifier(`${op}${right}`);
    if (spec) return satisfies(left, [spec], { prereleases: true });
  }
  switch (op) {
    case "==":
    case "<=":
    case ">=":
      return left === right;
    case "!=":
      return left !== right;
    default:
      return false;
  }
}
