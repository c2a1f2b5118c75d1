// The real Python extensions (ms-python.python, ms-python.vscode-python-envs, ms-python.debugpy)
// for suites with python: "real". The marketplace is unreachable, so they come as .vsix files built
// from source in the shared vendor folder (its README says how): beside the clone as CI lays it out
// (<clone>/../shared/vendor/python-extensions), else /work/shared/vendor/python-extensions, or
// where HYBRID_ENV_PYTHON_EXTENSIONS points. Their SHA256SUMS are checked on every run.
//
// Installing takes the server's own --install-extension (~3 s for the three); it is done once per
// code-server version and set of .vsix hashes into a cache folder outside the clone, and each run
// links the installed folders into its fresh --extensions-dir (as install-extensions.mjs does for
// the fakes). A run that wants them and cannot have them fails with a message saying why.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { cacheRoot } from "../../../scripts/vscode-deps.mjs";

export const PYTHON_EXTENSION_IDS = ["ms-python.python", "ms-python.vscode-python-envs", "ms-python.debugpy"];
const STAMP = ".hybrid-env-bench-installed";

/** Where the vendor folder may be, in the order searched. */
export function vendorCandidates(repoRoot) {
  return [
    process.env.HYBRID_ENV_PYTHON_EXTENSIONS,
    resolve(repoRoot, "..", "shared", "vendor", "python-extensions"),
    "/work/shared/vendor/python-extensions",
  ].filter(Boolean);
}

/** Checks SHA256SUMS for the three .vsix files; returns them and a key of their hashes. */
export function verifiedVsixFiles(vendorDir) {
  const sums = new Map(
    readFileSync(join(vendorDir, "SHA256SUMS"), "utf8")
      .split("\n")
      .map((line) => /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim()))
      .filter(Boolean)
      .map((m) => [m[2], m[1]]),
  );
  const files = PYTHON_EXTENSION_IDS.map((id) => {
    const relative = `vsix/${id}.vsix`;
    const expected = sums.get(relative);
    if (!expected) throw new Error(`${vendorDir}/SHA256SUMS has no line for ${relative}`);
    const path = join(vendorDir, relative);
    const actual = createHash("sha256").update(readFileSync(path)).digest("hex");
    if (actual !== expected) throw new Error(`${path}: sha256 ${actual}, SHA256SUMS says ${expected}`);
    return { id, path, sha256: actual };
  });
  const key = createHash("sha256").update(files.map((f) => f.sha256).join("\n")).digest("hex").slice(0, 12);
  return { files, key };
}

function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (!error) return resolvePromise(`${stdout}${stderr}`);
      reject(new Error(`${[command, ...args].join(" ")} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`.trim()));
    });
  });
}

/**
 * The three extensions installed by this code-server, cached; concurrent launchers each install
 * into a staging folder and the first rename wins.
 */
async function installedOnce(deps, vendorDir, print) {
  const { files, key } = verifiedVsixFiles(vendorDir);
  const dir = join(cacheRoot(), "python-extensions", `${deps.toolset.codeServer}-${key}`);
  if (!existsSync(join(dir, STAMP))) {
    const started = Date.now();
    const staging = `${dir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const args = [
      deps.serverMain,
      ...files.flatMap((f) => ["--install-extension", f.path]),
      "--extensions-dir", join(staging, "extensions"),
      "--user-data-dir", join(staging, "user-data"),
      "--server-data-dir", join(staging, "server-data"),
      "--accept-server-license-terms",
    ];
    const output = await run(deps.node, args, { env: { ...process.env, XDG_CONFIG_HOME: join(staging, "config") }, timeout: 180_000 });
    const installed = (output.match(/successfully installed/g) ?? []).length;
    if (installed !== files.length) throw new Error(`--install-extension installed ${installed} of ${files.length}:\n${output}`);
    for (const scratch of ["user-data", "server-data", "config"]) rmSync(join(staging, scratch), { recursive: true, force: true });
    writeFileSync(join(staging, STAMP), JSON.stringify({ at: new Date().toISOString(), files }, null, 2));
    mkdirSync(dirname(dir), { recursive: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true }); // another launcher got there first
      if (!existsSync(join(dir, STAMP))) throw error;
    }
    print(`[test:vscode] real Python extensions installed into ${dir}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const extensionsDir = join(dir, "extensions");
  const folders = readdirSync(extensionsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  return PYTHON_EXTENSION_IDS.map((id) => {
    const folder = folders.find((f) => f.toLowerCase().startsWith(`${id}-`));
    if (!folder) throw new Error(`${extensionsDir} has no ${id}-<version> folder (have: ${folders.join(", ")})`);
    return { id, folder, path: join(extensionsDir, folder) };
  });
}

let cached; // Promise per launcher process

/**
 * Links the real Python extensions into a run's extensions dir. Throws (the suite fails) when the
 * vendor folder is missing or its files do not match SHA256SUMS.
 * @returns {Promise<Record<string, string>>} env entries for the suite (where they are installed)
 */
export async function linkRealPythonExtensions({ deps, repoRoot, extensionsDir, print }) {
  const vendorDir = vendorCandidates(repoRoot).find((d) => existsSync(join(d, "SHA256SUMS")));
  if (!vendorDir) {
    throw new Error(
      `the real Python extensions are missing: no SHA256SUMS in ${vendorCandidates(repoRoot).join(" or ")} ` +
        "(set HYBRID_ENV_PYTHON_EXTENSIONS to the vendor/python-extensions folder)",
    );
  }
  cached ??= installedOnce(deps, vendorDir, print);
  const installed = await cached;
  mkdirSync(extensionsDir, { recursive: true });
  for (const e of installed) symlinkSync(e.path, join(extensionsDir, e.folder), "dir");
  return { HYBRID_ENV_BENCH_PYTHON_EXTENSIONS: installed.map((e) => `${e.id}=${e.path}`).join(":") };
}

/**
 * `<user-data-dir>/Machine/settings.json` for a spec's Python mode. The Python extension reads
 * python.useEnvironmentsExtension once at activation, so it must be there before the server starts.
 * On: Python Environments owns discovery and selection, PET locates. Off (set explicitly, as a user
 * who opts out does): the Python extension alone, and Python Environments deactivates itself.
 */
export function pythonMachineSettings(spec) {
  if (spec.python !== "real") return {};
  // Without Pylance (closed source, not to be had here) the Python extension starts a Jedi
  // language server per folder: nothing a suite looks at, and seconds of a 2-core machine.
  const common = { "python.languageServer": "None" };
  if (spec.pythonEnvs === undefined) return common;
  return spec.pythonEnvs
    ? { ...common, "python.useEnvironmentsExtension": true, "python.locator": "native" }
    : { ...common, "python.useEnvironmentsExtension": false };
}
