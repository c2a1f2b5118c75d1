// PEP 440 versions and version specifiers: parsing, normalisation, ordering, and whether a version
// satisfies a specifier set. Pure; written after the specification and the semantics of the
// `packaging` library (what pip and uv agree with), not translated from it.
//
// Why not a loose "compare dotted numbers": the questions asked here are "does Nix's torch
// 2.5.1+cu121 satisfy torch>=2.5,<2.6" and "does 1.0.post1 satisfy ==1.0.*", and the answers hang
// on the spec's rules for local labels, pre-, post- and dev-releases and zero padding.

export interface Version {
  readonly epoch: number;
  /** The release segment as written (trailing zeros kept: they matter for ~= and ==X.*). */
  readonly release: readonly number[];
  /** Normalised pre-release: a, b or rc, and its number. */
  readonly pre?: readonly ["a" | "b" | "rc", number];
  readonly post?: number;
  readonly dev?: number;
  /** Local label segments, lower case; numeric ones as numbers. */
  readonly local?: ReadonlyArray<number | string>;
}

const VERSION_RE = new RegExp(
  "^\\s*v?" +
    "(?:(\\d+)!)?" + // epoch
    "(\\d+(?:\\.\\d+)*)" + // release
    "(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?" + // pre
    "(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?" + // post (the "-N" form, or spelled out)
    "(?:[-_.]?(dev)[-_.]?(\\d+)?)?" + // dev
    "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?" + // local
    "\\s*$",
  "i",
);

const PRE_LABELS: Readonly<Record<string, "a" | "b" | "rc">> = { alpha: "a", a: "a", beta: "b", b: "b", c: "rc", pre: "rc", preview: "rc", rc: "rc" };

/** The version, or undefined when the text is not PEP 440. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const [, epoch, release, preLabel, preNumber, postDash, postLabel, postNumber, devLabel, devNumber, local] = m;
  return {
    epoch: num(epoch),
    release: release!.split(".").map(Number),
    ...(preLabel ? { pre: [PRE_LABELS[preLabel.toLowerCase()]!, num(preNumber)] as const } : {}),
    ...(postDash !== undefined ? { post: Number(postDash) } : postLabel ? { post: num(postNumber) } : {}),
    ...(devLabel ? { dev: num(devNumber) } : {}),
    ...(local ? { local: local.toLowerCase().split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) } : {}),
  };
}

export function isPrerelease(v: Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

/** The normal form: "1.0a1.post2.dev3+ubuntu.1", epoch only when not 0. */
export function formatVersion(v: Version): string {
  let s = publicVersion(v);
  if (v.local) s += `+${v.local.join(".")}`;
  return s;
}

/** Without the local label. */
export function publicVersion(v: Version): string {
  let s = baseVersion(v);
  if (v.pre) s += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  return s;
}

/** Epoch and release only: "1!2.0". */
export function baseVersion(v: Version): string {
  return `${v.epoch !== 0 ? `${v.epoch}!` : ""}${v.release.join(".")}`;
}

function withoutLocal(v: Version): Version {
  const { local: _local, ...rest } = v;
  return rest;
}

// Ordering. Each part of the key compares as the spec says: a missing pre-release sorts after any
// pre-release (1.0rc1 < 1.0), except that a bare dev release sorts before the pre-releases
// (1.0.dev0 < 1.0a1); a missing post sorts first, a missing dev last; a missing local sorts before
// any local label, whose numeric segments sort after alphanumeric ones.
const LOW = Number.NEGATIVE_INFINITY;
const HIGH = Number.POSITIVE_INFINITY;

function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLists<T>(a: readonly T[], b: readonly T[], item: (x: T, y: T) => number): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = item(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

function trimmedRelease(release: readonly number[]): number[] {
  let end = release.length;
  while (end > 1 && release[end - 1] === 0) end--;
  return release.slice(0, end);
}

function preKey(v: Version): Array<number | string> {
  if (v.pre) return [v.pre[0], v.pre[1]];
  return v.post === undefined && v.dev !== undefined ? [LOW] : [HIGH];
}

function localSegment(a: number | string, b: number | string): number {
  if (typeof a === typeof b) return cmp(a, b);
  return typeof a === "number" ? 1 : -1;
}

/** Negative, zero or positive, as a is before, equal to or after b. */
export function compareVersions(a: Version, b: Version): number {
  return (
    cmp(a.epoch, b.epoch) ||
    compareLists(trimmedRelease(a.release), trimmedRelease(b.release), cmp) ||
    compareLists(preKey(a), preKey(b), (x, y) => (typeof x === typeof y ? cmp(x, y) : typeof x === "number" ? cmp(x, 0) : -cmp(y, 0))) ||
    cmp(a.post ?? LOW, b.post ?? LOW) ||
    cmp(a.dev ?? HIGH, b.dev ?? HIGH) ||
    (a.local === undefined ? (b.local === undefined ? 0 : -1) : b.local === undefined ? 1 : compareLists(a.local, b.local, localSegment))
  );
}

// Specifiers.
export type SpecifierOperator = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";

export interface Specifier {
  readonly operator: SpecifierOperator;
  /** The version text after the operator, as written (trimmed). */
  readonly version: string;
}

const SPECIFIER_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$/;

/** One clause such as ">=1.2", or undefined when it is not a valid specifier. */
export function parseSpecifier(text: string): Specifier | undefined {
  const m = SPECIFIER_RE.exec(text);
  if (!m) return undefined;
  const operator = m[1] as SpecifierOperator;
  const version = m[2]!;
  if (operator === "===") return { operator, version };
  const wildcard = version.endsWith(".*");
  if (wildcard && operator !== "==" && operator !== "!=") return undefined;
  const v = parseVersion(wildcard ? version.slice(0, -2) : version);
  if (!v) return undefined;
  // A wildcard is a release prefix ("==1.0.*"): no pre, post, dev or local part with it.
  if (wildcard && (v.pre || v.post !== undefined || v.dev !== undefined || v.local)) return undefined;
  if (v.local && operator !== "==" && operator !== "!=") return undefined;
  if (operator === "~=" && v.release.length < 2) return undefined;
  return { operator, version };
}

/** A comma-separated set, e.g. ">=1.2,<2,!=1.5.*"; "" is the empty set (anything). Undefined when a clause is invalid. */
export function parseSpecifierSet(text: string): Specifier[] | undefined {
  const clauses = text.split(",").map((c) => c.trim());
  if (clauses.length === 1 && clauses[0] === "") return [];
  const out: Specifier[] = [];
  for (const c of clauses) {
    const s = parseSpecifier(c);
    if (!s) return undefined;
    out.push(s);
  }
  return out;
}

/** Whether a specifier on its own admits pre-releases (it names one with an inclusive operator). */
export function specifierAllowsPrereleases(s: Specifier): boolean {
  if (s.operator === "!=" || s.operator === "<" || s.operator === ">") return false;
  const text = s.operator === "==" && s.version.endsWith(".*") ? s.version.slice(0, -2) : s.version;
  const v = parseVersion(text);
  return v !== undefined && isPrerelease(v);
}

export interface MatchOptions {
  /**
   * Admit pre-releases even if no clause names one. A version already installed is judged with
   * true (as `pip check` does); choosing what to install would use the default.
   */
  readonly prereleases?: boolean;
}

/** Whether `version` satisfies every clause of the set. */
export function satisfies(version: string | Version, specifiers: readonly Specifier[], opts: MatchOptions = {}): boolean {
  const raw = typeof version === "string" ? version : formatVersion(version);
  const v = typeof version === "string" ? parseVersion(version) : version;
  const prereleases = opts.prereleases ?? specifiers.some(specifierAllowsPrereleases);
  if (v && isPrerelease(v) && !prereleases) return false;
  return specifiers.every((s) => matchesOne(raw, v, s));
}

function matchesOne(raw: string, v: Version | undefined, s: Specifier): boolean {
  if (s.operator === "===") return raw.trim().toLowerCase() === s.version.toLowerCase();
  if (!v) return false; // a version that is not PEP 440 matches only ===
  switch (s.operator) {
    case "==":
      return equalTo(v, s.version);
    case "!=":
      return !equalTo(v, s.version);
    case "~=":
      return compatibleWith(v, s.version);
    case "<=":
      return compareVersions(withoutLocal(v), specVersion(s)) <= 0;
    case ">=":
      return compareVersions(withoutLocal(v), specVersion(s)) >= 0;
    case "<":
      return lessThan(v, specVersion(s));
    case ">":
      return greaterThan(v, specVersion(s));
  }
}

function specVersion(s: Specifier): Version {
  return parseVersion(s.version)!;
}

function equalTo(v: Version, spec: string): boolean {
  if (spec.endsWith(".*")) return prefixMatch(withoutLocal(v), parseVersion(spec.slice(0, -2))!);
  const target = parseVersion(spec)!;
  // "==1.0" admits 1.0+local; "==1.0+local" must match the label too.
  return compareVersions(target.local ? v : withoutLocal(v), target) === 0;
}

/**
 * "==P.*": the candidate's segments (epoch, release padded with zeros to the prefix's length, then
 * pre/post/dev) start with the prefix's.
 */
function prefixMatch(v: Version, prefix: Version): boolean {
  const segments = (x: Version, releaseLength: number): string[] => {
    const release = [...x.release];
    while (release.length < releaseLength) release.push(0);
    const out = [String(x.epoch), ...release.map(String)];
    if (x.pre) out.push(`${x.pre[0]}${x.pre[1]}`);
    if (x.post !== undefined) out.push(`post${x.post}`);
    if (x.dev !== undefined) out.push(`dev${x.dev}`);
    return out;
  };
  const want = segments(prefix, prefix.release.length);
  const have = segments(v, prefix.release.length).slice(0, want.length);
  return have.length === want.length && have.every((s, i) => s === want[i]);
}

/** "~=2.2.1" is ">=2.2.1, ==2.2.*": the last release number may grow, the others are fixed. */
function compatibleWith(v: Version, spec: string): boolean {
  const target = parseVersion(spec)!;
  const prefix: Version = { epoch: target.epoch, release: target.release.slice(0, -1) };
  return compareVersions(withoutLocal(v), target) >= 0 && prefixMatch(withoutLocal(v), prefix);
}

/**
 * "<V" does not admit the pre-releases of V unless V is one: for a final V it is "< V.dev0"
 * ("<2.0" refuses 2.0rc1), for V.postN it is "< V.postN.dev0" (it admits 2.0rc1, a pre-release of
 * 2.0 and not of 2.0.post1: the reading of packaging 26).
 */
function lessThan(v: Version, target: Version): boolean {
  if (isPrerelease(target)) return compareVersions(v, target) < 0;
  return compareVersions(v, { ...target, dev: 0 }) < 0;
}

/**
 * ">V" admits neither a local version of V nor, unless V is a dev or post release, V's own
 * post-releases — the later versions with V's release and pre-release segment (">2.0" refuses
 * 2.0.post1, ">2.0a1" refuses 2.0a1.post1 but admits 2.0.post1).
 */
function greaterThan(v: Version, target: Version): boolean {
  if (compareVersions(v, target) <= 0) return false;
  if (compareVersions(withoutLocal(v), target) === 0) return false;
  if (target.dev !== undefined || target.post !== undefined) return true;
  const sameRelease = v.epoch === target.epoch && compareLists(trimmedRelease(v.release), trimmedRelease(target.release), cmp) === 0;
  const samePre = v.pre?.[0] === target.pre?.[0] && v.pre?.[1] === target.pre?.[1];
  return !(sameRelease && samePre);
}
