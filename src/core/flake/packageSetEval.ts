// The names (and, for a quick pick, versions and descriptions) of a Python package set of a
// nixpkgs that is on this machine, by `nix-instantiate --eval` of a fixed expression: the
// nixpkgs path and the set's attribute path are passed with --argstr, never spliced into Nix
// text. Results are cached on disk per nixpkgs (its lock hash) and attribute path, so the second
// look-up starts no process. `--readonly-mode` keeps the evaluation from writing to the store.
import { NIX_TIMEOUT } from "../options";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidInputError } from "../errors";
import type { ProcessRunner } from "../process";
import { findNixInstantiate, summarizeParseError } from "./check";
import { PackageSetEvalError } from "./errors";
import type { NixpkgsSource } from "./nixpkgsSource";

export interface PackageSetEntry {
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
}

export interface PackageSetListing {
  /** "python311.pkgs of the locked input nixpkgs (…)" */
  readonly label: string;
  readonly entries: readonly PackageSetEntry[];
  /** With versions and descriptions (a catalogue), or names only. */
  readonly detailed: boolean;
  readonly fromCache: boolean;
  /** Time the evaluation took (0 from the cache). */
  readonly durationMs: number;
}

export interface EvalPackageSetOptions {
  readonly runner: ProcessRunner;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly nixInstantiate?: string;
  readonly nixPath?: string;
  readonly cacheDir: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Versions and descriptions too (slower: each package's derivation attributes are read). */
  readonly detailed?: boolean;
  /** Ignore a cached listing. */
  readonly refresh?: boolean;
}

const NAMES_TIMEOUT_MS = 60_000;
const DETAILED_TIMEOUT_MS = 300_000;
const ATTR_PATH = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

/**
 * Lists the set at `attrPath` (e.g. "python311.pkgs") of nixpkgs. Packages whose attributes throw
 * (aliases of removed packages, broken ones) are listed without version or description.
 */
const EXPRESSION = `{ nixpkgs, attrPath, detailed }:
let
  pkgs = import nixpkgs { config = { }; overlays = [ ]; };
  set = builtins.foldl' (s: a: s.\${a}) pkgs (builtins.filter builtins.isString (builtins.split "[.]" attrPath));
  describe = v:
    let r = builtins.tryEval (
      if builtins.isAttrs v && (v.type or null) == "derivation"
      then [ (v.version or "") (v.meta.description or "") ]
      else null);
    in if r.success then r.value else null;
in if detailed == "1" then builtins.mapAttrs (_: describe) set else builtins.attrNames set
`;

export async function evalPackageSet(source: Extract<NixpkgsSource, { available: true }>, attrPath: string, opts: EvalPackageSetOptions): Promise<PackageSetListing> {
  if (!ATTR_PATH.test(attrPath)) throw new InvalidInputError(`${JSON.stringify(attrPath)} is not a Nix attribute path.`);
  const detailed = Boolean(opts.detailed);
  const label = `${attrPath} of ${source.description}`;
  const cacheFile = join(opts.cacheDir, "nix-package-sets", `${cacheKey(source.key, attrPath, detailed)}.json`);
  if (!opts.refresh) {
    const cached = readCached(cacheFile, detailed) ?? (detailed ? undefined : namesOf(readCached(join(opts.cacheDir, "nix-package-sets", `${cacheKey(source.key, attrPath, true)}.json`), true)));
    if (cached) return { label, entries: cached, detailed, fromCache: true, durationMs: 0 };
  }
  const tool = opts.nixInstantiate ?? findNixInstantiate(opts.env, opts.nixPath);
  const args = ["--eval", "--strict", "--json", "--readonly-mode", "--expr", EXPRESSION, "--argstr", "nixpkgs", source.path, "--argstr", "attrPath", attrPath, "--argstr", "detailed", detailed ? "1" : "0"];
  const result = await opts.runner.run(tool, args, {
    what: `nix-instantiate --eval (${attrPath} of nixpkgs)`,
    env: opts.env,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? (detailed ? DETAILED_TIMEOUT_MS : NAMES_TIMEOUT_MS),
    timeoutRaisedBy: NIX_TIMEOUT,
    maxStdoutBytes: 256 * 1024 * 1024,
  });
  if (result.exitCode !== 0) {
    throw new PackageSetEvalError(`Listing ${label} failed: ${summarizeParseError(result.stderr)}.`, result.stderr);
  }
  const entries = parseListing(result.stdout, detailed, label);
  writeCached(cacheFile, entries, detailed);
  return { label, entries, detailed, fromCache: false, durationMs: result.durationMs };
}

function parseListing(stdout: string, detailed: boolean, label: string): PackageSetEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    throw new PackageSetEvalError(`Listing ${label} printed something that is not JSON.`, stdout.slice(0, 2000));
  }
  if (!detailed) {
    if (!Array.isArray(value) || !value.every((n) => typeof n === "string")) throw new PackageSetEvalError(`Listing ${label} did not give a list of names.`, stdout.slice(0, 2000));
    return (value as string[]).map((name) => ({ name }));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PackageSetEvalError(`Listing ${label} did not give an attribute set.`, stdout.slice(0, 2000));
  return Object.entries(value as Record<string, unknown>)
    .map(([name, v]) => {
      const [version, description] = Array.isArray(v) ? (v as unknown[]) : [];
      return {
        name,
        ...(typeof version === "string" && version ? { version } : {}),
        ...(typeof description === "string" && description ? { description } : {}),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function cacheKey(sourceKey: string, attrPath: string, detailed: boolean): string {
  return createHash("sha256").update(`v1\0${sourceKey}\0${attrPath}\0${detailed ? "detailed" : "names"}`).digest("hex").slice(0, 32);
}

function readCached(file: string, detailed: boolean): PackageSetEntry[] | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { detailed?: boolean; entries?: PackageSetEntry[] };
    return parsed.detailed === detailed && Array.isArray(parsed.entries) ? parsed.entries : undefined;
  } catch {
    return undefined; // absent or damaged: evaluate again
  }
}

function namesOf(entries: PackageSetEntry[] | undefined): PackageSetEntry[] | undefined {
  return entries?.map((e) => ({ name: e.name }));
}

function writeCached(file: string, entries: readonly PackageSetEntry[], detailed: boolean): void {
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, JSON.stringify({ detailed, entries }));
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs the next look-up its evaluation.
  }
}
