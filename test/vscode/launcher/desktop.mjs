// `--desktop`: the same suite modules on a desktop VS Code through @vscode/test-electron. The
// executable comes from HYBRID_ENV_VSCODE_EXECUTABLE, else test-electron downloads one (cached
// outside the clone). Where neither works (an offline machine), the launcher says so and is
// skipped. The UI helper needs the browser launcher; suites that use it skip themselves here.
import { downloadAndUnzipVSCode, runTests } from "@vscode/test-electron";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheRoot } from "../../../scripts/vscode-deps.mjs";
import { extensionLayout } from "./extension-layout.mjs";
import { installExtensions } from "./install-extensions.mjs";
import { installProcessSpies } from "./process-spy.mjs";
import { protocol } from "./protocol.mjs";
import { copyWorkspace } from "./workspace-copy.mjs";

const MIN_DESKTOP_VERSION = "1.93.0";

async function findExecutable(options, print) {
  const given = process.env.HYBRID_ENV_VSCODE_EXECUTABLE;
  if (given) {
    if (!existsSync(given)) throw new Error(`HYBRID_ENV_VSCODE_EXECUTABLE does not exist: ${given}`);
    return given;
  }
  const version = options.toolset === "min" ? MIN_DESKTOP_VERSION : "stable";
  print(`[desktop] HYBRID_ENV_VSCODE_EXECUTABLE is not set: downloading VS Code ${version}`);
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: join(cacheRoot(), "vscode-desktop"), timeout: 20_000 });
  } catch (error) {
    print(`[desktop] skipped: no desktop VS Code: HYBRID_ENV_VSCODE_EXECUTABLE is not set and the download failed`);
    print(`[desktop]   (${String(error.message ?? error).split("\n")[0]})`);
    print(`[desktop]   set HYBRID_ENV_VSCODE_EXECUTABLE=/path/to/code to run the suites there`);
    return undefined;
  }
}

/** @returns {Promise<{passed: number, failed: number, skipped: number} | "skipped">} */
export async function runDesktop(suites, { repoRoot, bundled, options, print }) {
  const executable = await findExecutable(options, print);
  if (!executable) return "skipped";
  if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    print("[desktop] no display: run under a display server, e.g. `xvfb-run -a npm run test:vscode -- --desktop`");
    return { passed: 0, failed: suites.length, skipped: 0 };
  }
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const spec of suites) {
    print(`\n▶ ${spec.name} (desktop VS Code ${executable})`);
    const runDir = mkdtempSync(join(tmpdir(), `hybrid-env-desktop-${spec.name}-`));
    const resultFile = join(runDir, "result.json");
    try {
      const layout = extensionLayout(spec, options.extensions, repoRoot, { toolset: options.toolset, desktop: true });
      installExtensions(join(runDir, "extensions"), layout.extensions);
      const code = await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: layout.devExtension,
        extensionTestsPath: bundled.get(spec.suite),
        extensionTestsEnv: {
          [protocol.env.resultFile]: resultFile,
          ...(spec.spy?.length ? installProcessSpies(runDir, spec.spy) : {}),
          ...spec.env,
          ...options.env,
        },
        launchArgs: [
          copyWorkspace(spec.workspace, runDir),
          "--user-data-dir", join(runDir, "user-data"),
          "--extensions-dir", join(runDir, "extensions"), // fresh: only the extensions linked above
          ...(spec.trust ? ["--disable-workspace-trust"] : []),
        ],
      }).catch((error) => error.code ?? 1);
      const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, "utf8")) : undefined;
      totals.passed += result?.passed ?? (code === 0 ? 1 : 0);
      totals.failed += code === 0 ? result?.failed ?? 0 : Math.max(1, result?.failed ?? 0);
      totals.skipped += result?.pending ?? 0;
    } finally {
      if (!options.keepTemp) rmSync(runDir, { recursive: true, force: true });
    }
  }
  return totals;
}
