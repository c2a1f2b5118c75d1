// The Nix a test runs against (one version of the matrix in scripts/test-all.mjs, named by
// HYBRID_ENV_TEST_NIX_VERSION), and the texts recorded from each version (test/fixtures/nix-messages,
// test/fixtures/print-dev-env) that the tests compare with a live run of that version.
// HYBRID_ENV_RECORD_NIX_FIXTURES=1 writes the recordings of the running version instead.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface NixUnderTest {
  /** e.g. "2.8.0", "2.30.5" */
  readonly version: string;
  atLeast(major: number, minor: number): boolean;
}

let cached: NixUnderTest | undefined;

export function nixUnderTest(): NixUnderTest {
  cached ??= (() => {
    const out = execFileSync("nix", ["--version"], { encoding: "utf8" });
    const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(out);
    if (!m) throw new Error(`cannot read the version in \`nix --version\`: ${out}`);
    const [major, minor] = [Number(m[1]), Number(m[2])];
    return { version: m[0], atLeast: (a, b) => major > a || (major === a && minor >= b) };
  })();
  return cached;
}

export function repoRoot(): string {
  // Test bundles run from out/test/…; the sources are found from the checkout's package.json.
  for (let d = __dirname; dirname(d) !== d; d = dirname(d)) {
    if (existsSync(join(d, "package.json")) && existsSync(join(d, "test", "fixtures"))) return d;
  }
  throw new Error(`no checkout above ${__dirname}`);
}

export const recording = process.env.HYBRID_ENV_RECORD_NIX_FIXTURES === "1";

/**
 * Replaces what differs between runs: the given folders (longest first) by their names, store
 * hashes, build folders' numbers, the Python minor version and the machine's core count.
 */
export function normalizeNixText(text: string, folders: Readonly<Record<string, string>> = {}): string {
  let out = text;
  for (const [name, dir] of Object.entries(folders).sort(([, a], [, b]) => b.length - a.length)) out = out.split(dir).join(name);
  return out
    .replace(/\/nix\/store\/[0-9a-df-np-sv-z]{32}-/g, "/nix/store/<hash>-")
    .replace(/\/nix\/var\/nix\/builds\/nix-\d+-\d+/g, "/nix/var/nix/builds/nix-<pid>-<n>")
    .replace(/(\/tmp\/nix-build-[^"/\s]+\.drv)-\d+/g, "$1-<n>")
    .replace(/python3\.\d+/g, "python3.<minor>");
}

/** The recording of this Nix version for `name` (a path under test/fixtures), or undefined. */
export function recorded(name: string): string | undefined {
  const file = join(repoRoot(), "test", "fixtures", name);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/**
 * Compares a live text with the recording of this version, both normalized; when recording,
 * writes it. Versions outside the matrix have no recordings: nothing to compare then.
 */
export function matchesRecording(name: string, live: string, normalize: (text: string) => string): void {
  const file = join(repoRoot(), "test", "fixtures", name);
  if (recording) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, live);
    return;
  }
  const text = recorded(name);
  if (text === undefined && !MATRIX.includes(nixUnderTest().version)) return;
  assert.ok(text !== undefined, `no recording ${name} for Nix ${nixUnderTest().version} (record with HYBRID_ENV_RECORD_NIX_FIXTURES=1)`);
  assert.equal(normalize(live), normalize(text), `${name}: what this Nix prints differs from its recording`);
}

/** The versions the tests run against (scripts/test-all.mjs), which must have recordings. */
export const MATRIX: readonly string[] = ["2.8.0", "2.30.5"];

/** test/fixtures/nix-messages/nix-<version>/<name>.txt: what this version prints on stderr. */
export function messageFixture(name: string): string {
  return `nix-messages/nix-${nixUnderTest().version}/${name}.txt`;
}
