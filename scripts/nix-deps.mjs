// Installs a second, current Nix for the tests beside Debian's nix-bin 2.8: the Debian 12 build of
// Nix 2.30.5 from the shared tools folder (a tarball that unpacks to /opt/nix-2.30.5, whose library
// path is fixed there), after checking its sha256 and installing the Debian libraries it links to.
// A finished install carries a stamp holding the tarball's sha256; anything else is redone, and the
// unpacking happens beside /opt and is renamed into place, so an interrupted install never looks
// complete. Idempotent: a second run only checks.
//
// That Nix never sees the real /nix: a newer Nix upgrades /nix/var/nix/db's schema for good (2.30
// adds a SchemaMigrations table) and Debian's 2.8 shares that database. Commands run with it go
// through withPrivateNix(): a private mount namespace in which a cached folder outside the clone is
// bind-mounted over /nix, so store paths stay /nix/store/… and the store stays warm between runs.
//
// Usable as a module (scripts/nix-matrix.mjs) or on its own: `node scripts/nix-deps.mjs`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cacheRoot } from "./vscode-deps.mjs";

export const NIX_VERSION = "2.30.5";
const TOOL = `nix-${NIX_VERSION}`;
const TARBALL = `${TOOL}-bookworm.tar.zst`;
export const PREFIX = `/opt/${TOOL}`;
const STAMP = ".hybrid-env-bench-installed";
/** Inside the private namespace this file is at /nix/<name>: proof that /nix is ours, not the real one. */
const PRIVATE_MARK = ".hybrid-env-private-nix";
// From the tools folder's README (libc6, libstdc++6, libgcc-s1 are on every machine); zstd unpacks.
const DEBIAN_PACKAGES = [
  "zstd", "libarchive13", "libboost-context1.74.0", "libboost-iostreams1.74.0", "libboost-regex1.74.0", "libbrotli1",
  "libcurl4", "libgc1", "liblowdown1", "libreadline8", "libseccomp2", "libsodium23", "libsqlite3-0", "libssl3", "zlib1g",
];
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The shared tools folder. An explicit HYBRID_ENV_SHARED_TOOLS wins (and must exist); else CI's
 * layout, the project cloned beside `shared/`; else this machine's /work/shared/tools.
 */
export function findToolsDir() {
  const explicit = process.env.HYBRID_ENV_SHARED_TOOLS;
  const candidates = explicit ? [resolve(explicit)] : [resolve(repoRoot, "..", "shared", "tools"), "/work/shared/tools"];
  const dir = candidates.find((d) => existsSync(join(d, TOOL, TARBALL)));
  return { dir: dir && join(dir, TOOL), searched: candidates.map((d) => join(d, TOOL, TARBALL)) };
}

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function expectedSha256(toolDir) {
  const line = readFileSync(join(toolDir, "SHA256SUMS"), "utf8").split("\n").find((l) => l.trim().endsWith(TARBALL));
  const sum = line?.trim().split(/\s+/)[0];
  if (!sum || !/^[0-9a-f]{64}$/.test(sum)) throw new Error(`${toolDir}/SHA256SUMS has no sha256 for ${TARBALL}`);
  return sum;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with ${r.status ?? r.signal}`);
}

function debianInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => !debianInstalled(p));
  if (missing.length === 0) return "present";
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${missing.join(" ")}: run as root: apt-get install -y ${missing.join(" ")}`);
  const known = spawnSync("apt-cache", ["policy", ...missing], { encoding: "utf8" }).stdout;
  if (!known || known.includes("Candidate: (none)") || missing.some((p) => !known.includes(`${p}:`))) run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return `installed ${missing.join(" ")}`;
}

function installedVersion() {
  const r = spawnSync(join(PREFIX, "bin", "nix"), ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : `exit ${r.status ?? r.signal}: ${r.stderr.trim()}`;
}

function ensureUnpacked(toolDir) {
  const want = expectedSha256(toolDir);
  const stamp = join(PREFIX, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) return "present";
  const tarball = join(toolDir, TARBALL);
  const got = sha256(tarball);
  if (got !== want) throw new Error(`${tarball}: sha256 ${got}, SHA256SUMS says ${want}: not installing it`);
  const staging = mkdtempSync(join(dirname(PREFIX), `.${TOOL}-`));
  try {
    run("tar", ["-C", staging, "--zstd", "-xf", tarball]);
    writeFileSync(join(staging, PREFIX.slice(1), STAMP), `${want}\n`);
    rmSync(PREFIX, { recursive: true, force: true });
    renameSync(join(staging, PREFIX.slice(1)), PREFIX);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return `unpacked ${TARBALL} into ${PREFIX}`;
}

/** The private /nix: cached outside the clone so the store stays warm between runs. */
export function privateNixRoot() {
  return join(cacheRoot(), `${TOOL}-root`);
}

/**
 * Installs Nix 2.30.5 when the tools folder is there. Returns { available: true, bin, root } or
 * { available: false, reason } (the tools folder is absent, or this is not root); throws when an
 * install that should work fails (bad checksum, apt failure, a binary that does not run).
 */
export function ensureNix() {
  const { dir, searched } = findToolsDir();
  if (!dir) return { available: false, reason: `Nix ${NIX_VERSION} not found (looked for ${searched.join(", ")}; set HYBRID_ENV_SHARED_TOOLS)` };
  if (process.getuid?.() !== 0) return { available: false, reason: `Nix ${NIX_VERSION} needs root here (a private mount namespace over /nix)` };
  const probe = spawnSync("unshare", ["--mount", "--propagation", "private", "--", "true"], { encoding: "utf8" });
  if (probe.status !== 0) return { available: false, reason: `no private mount namespace here (unshare: ${(probe.stderr || probe.error?.message || "").trim()}), so no /nix of its own for Nix ${NIX_VERSION}` };
  const started = Date.now();
  const debian = ensureDebianPackages();
  const unpacked = ensureUnpacked(dir);
  const version = installedVersion();
  if (version !== `nix (Nix) ${NIX_VERSION}`) throw new Error(`${PREFIX}/bin/nix --version: ${version}`);
  const root = privateNixRoot();
  mkdirSync(root, { recursive: true, mode: 0o755 });
  writeFileSync(join(root, PRIVATE_MARK), "the /nix of the tests' Nix 2.30.5; never Debian's\n");
  console.log(`[nix-deps] Nix ${NIX_VERSION}: debian packages ${debian}, ${unpacked}, private /nix ${root} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { available: true, bin: join(PREFIX, "bin"), root, version: NIX_VERSION, toolDir: dir };
}

/**
 * The command line that runs `cmd` in a private mount namespace where `root` is /nix. The mount
 * and the check of the mark come before the command: if either fails, nothing runs.
 */
export function privateNixCommand(root, cmd) {
  const script = `mount --bind "$0" /nix && test -e /nix/${PRIVATE_MARK} && exec "$@"`;
  return ["unshare", "--mount", "--propagation", "private", "--", "bash", "-c", script, root, ...cmd];
}

/** True when the real /nix's database has been migrated by a newer Nix (its schema is then shared with 2.8). */
export function realNixDbMigrated(dbDir = "/nix/var/nix/db") {
  // Table names are stored as text in sqlite_master: a byte search needs no sqlite client.
  return ["db.sqlite", "db.sqlite-wal"].some((f) => {
    const p = join(dbDir, f);
    return existsSync(p) && readFileSync(p).includes("SchemaMigrations");
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const nix = ensureNix();
  if (!nix.available) console.log(`[nix-deps] skipped: ${nix.reason}`);
  console.log(JSON.stringify(nix, null, 2));
}
