// `npm run package`: the production build and a .vsix made from it with @vscode/vsce, holding only
// what runs (the allow-list in .vscodeignore). Prints the .vsix's path, size and file list, and
// fails if the list is not exactly the expected one (SHIPPED below).
//   --out FILE   where to write the .vsix (default: hybrid-env-<version>.vsix in the repository)
//
// It works on a staging copy: the repository's files are linked into a temp folder (dist/ aside),
// `node scripts/build.mjs --production` writes its bundles into that folder's dist/, and vsce
// packages the folder with the repository's own .vscodeignore. The repository's dist/ (the dev
// build, which test runs and `npm start` load) is never touched, so packaging can run beside them.
//
// vsce runs offline: no dependencies are listed (esbuild bundles them, so `dependencies: false`,
// the CLI's --no-dependencies), and the README's relative links (the screenshot) are rewritten
// against the package.json repository URL (--baseContentUrl/--baseImagesUrl): vsce only infers
// those for GitHub and GitLab and otherwise refuses to package a README with relative links.
import { createVSIX } from "@vscode/vsce";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Top-level entries not linked into the staging folder: built there, or never packaged. */
const NOT_STAGED = new Set(["dist", "node_modules", ".git"]);

/**
 * What the .vsix must hold (paths in the repository; `extension/` inside the .vsix), besides
 * vsce's own extension.vsixmanifest and [Content_Types].xml.
 */
function shippedFiles(root = repoRoot) {
  const under = (dir) => listFiles(join(root, dir)).map((f) => `${dir}/${f}`);
  return [
    "package.json", "README.md", "CHANGELOG.md", "LICENSE", "language-configuration.json",
    "dist/extension.js", "dist/languageClient.js", "dist/cli.js",
    ...under("media").filter((f) => !f.startsWith("media/screenshots/")),
    ...under("syntaxes"),
  ].sort();
}

/** Where vsce puts a repository file inside the .vsix (it renames the readme, changelog and license). */
function vsixPathOf(file) {
  const renamed = { "README.md": "readme.md", "CHANGELOG.md": "changelog.md", LICENSE: "LICENSE.txt" };
  return `extension/${renamed[file] ?? file}`;
}

function listFiles(dir, prefix = "") {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The repository's tree as real folders with a symlink per file (symlinks kept as they are). */
function mirror(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (from === repoRoot && NOT_STAGED.has(entry.name)) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) mirror(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else symlinkSync(source, target);
  }
}

/** Names and sizes of a zip's entries, from its central directory. */
function zipEntries(file) {
  const zip = readFileSync(file);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${file} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  const entries = [];
  for (let at = zip.readUInt32LE(end + 16), i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({ name: zip.toString("utf8", at + 46, at + 46 + nameLength), size: zip.readUInt32LE(at + 24) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  const out = resolve(values.out ?? join(repoRoot, `${manifest.name}-${manifest.version}.vsix`));
  const repository = String(manifest.repository?.url ?? manifest.repository ?? "").replace(/\.git$/, "");
  if (!/^https:\/\//.test(repository)) throw new Error(`package.json has no https repository URL to base the README's links on`);

  const staging = mkdtempSync(join(tmpdir(), "hybrid-env-package-"));
  try {
    const started = Date.now();
    mirror(repoRoot, staging);
    execFileSync(process.execPath, [join(repoRoot, "scripts", "build.mjs"), "--production"], { cwd: staging, stdio: "inherit" });
    console.log(`[package] production build: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    await createVSIX({
      cwd: staging,
      packagePath: out,
      dependencies: false, // --no-dependencies
      baseContentUrl: `${repository}/blob/HEAD/`,
      baseImagesUrl: `${repository}/raw/HEAD/`,
    });

    const entries = zipEntries(out);
    console.log(`\n[package] ${out}`);
    console.log(`[package] ${kib(statSync(out).size)} (${entries.length} files, ${kib(entries.reduce((n, e) => n + e.size, 0))} unpacked)`);
    for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) console.log(`  ${e.name.padEnd(48)} ${kib(e.size).padStart(10)}`);

    const expected = ["[Content_Types].xml", "extension.vsixmanifest", ...shippedFiles().map(vsixPathOf)].sort();
    const actual = entries.map((e) => e.name).sort();
    const extra = actual.filter((n) => !expected.includes(n));
    const missing = expected.filter((n) => !actual.includes(n));
    if (extra.length || missing.length) {
      if (extra.length) console.error(`[package] not meant to ship (check .vscodeignore): ${extra.join(", ")}`);
      if (missing.length) console.error(`[package] missing (check .vscodeignore): ${missing.join(", ")}`);
      return 1;
    }
    console.log(`[package] contents as expected: the bundles, media (no screenshots), syntaxes, manifest, README, CHANGELOG, LICENSE`);
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((error) => {
  console.error(`[package] ${error.stack ?? error}`);
  return 1;
});
