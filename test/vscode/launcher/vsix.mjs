// Suites with repoAs: "vsix" get hybrid-env the way a user installs a release: the .vsix from
// `npm run package` (scripts/package.mjs), built once per launcher process, installed with the
// server's own `--install-extension` into the run's --extensions-dir. The suite learns that folder
// from VSIX_EXTENSIONS_DIR_ENV, so it can check that the copy it runs is the installed one.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const VSIX_EXTENSIONS_DIR_ENV = "HYBRID_ENV_BENCH_EXTENSIONS_DIR";

let built; // Promise<string>: the .vsix of this launcher process

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (!error) return resolve(`${stdout}${stderr}`.trim());
      const tail = stdout.trim().split("\n").slice(-30).join("\n");
      reject(new Error(`${[command, ...args].join(" ")} failed (${error.code ?? error.signal}):\n${tail}\n${stderr.trim()}`));
    });
  });
}

/**
 * Packages the extension once (concurrent suites share the one build) into a temp folder that is
 * removed when the launcher exits. scripts/package.mjs builds in a staging folder, so the dev
 * bundles in dist/ that other suites load stay as they are.
 * @returns {Promise<string>} the .vsix path
 */
export function vsixOnce(repoRoot, print) {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "hybrid-env-vsix-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const vsix = join(dir, "hybrid-env.vsix");
    const started = Date.now();
    const output = await run(process.execPath, [join(repoRoot, "scripts", "package.mjs"), "--out", vsix], { cwd: repoRoot });
    const summary = output.split("\n").find((l) => /^\[package\] [\d.]+ KiB/.test(l)) ?? "";
    print(`[test:vscode] npm run package: ${((Date.now() - started) / 1000).toFixed(1)} s ${summary.replace("[package] ", "")}`);
    return vsix;
  })();
  return built;
}

/**
 * `--install-extension VSIX --extensions-dir DIR` through the server's command line. code-server
 * releases whose server-main.js is a library (4.93) take it through code-server's own entry,
 * which hands it to the same VS Code CLI code.
 */
export async function installVsix({ deps, runDir, vsix }) {
  const extensionsDir = join(runDir, "extensions");
  mkdirSync(extensionsDir, { recursive: true });
  const common = ["--install-extension", vsix, "--extensions-dir", extensionsDir, "--user-data-dir", join(runDir, "user-data")];
  const args = deps.toolset.serverMainIsLibrary
    ? [join(dirname(dirname(deps.vscodeDir)), "out", "node", "entry.js"), ...common]
    : [deps.serverMain, ...common, "--server-data-dir", join(runDir, "server-data"), "--accept-server-license-terms"];
  // code-server writes a default config file under XDG_CONFIG_HOME: keep it in the run's folder.
  const output = await run(deps.node, args, { env: { ...process.env, XDG_CONFIG_HOME: join(runDir, "config") }, timeout: 120_000 });
  if (!/successfully installed/.test(output)) throw new Error(`--install-extension ${vsix} did not report success:\n${output}`);
  if (!existsSync(join(extensionsDir, "extensions.json"))) throw new Error(`--install-extension wrote no ${extensionsDir}/extensions.json`);
  return { [VSIX_EXTENSIONS_DIR_ENV]: extensionsDir };
}
