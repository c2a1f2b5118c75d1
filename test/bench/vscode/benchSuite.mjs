// What the VS Code benchmarks share: one run of the test launcher on a bench suite, which prints
// one `BENCH {json}` line of figures. Each benchmark adds its own flags (spies, timeouts).
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const launcher = join(repoRoot, "test", "vscode", "launcher", "run.mjs");
const fakes = ["fake-python", "fake-python-envs"].map((n) => join(repoRoot, "test", "vscode", "extensions", n));
// As the engine bench and the integration tests run Nix (test/helpers/tools.ts TEST_NIX_CONFIG):
// offline, single-user.
const NIX_CONFIG = ["experimental-features = nix-command flakes", "sandbox = false", "substituters ="].join("\n");

/**
 * Runs `suite` (a file under test/vscode/bench-suites) on `workspace` in place, with the fake
 * Python extensions and hybrid-env's cache in `cacheDir`. Resolves to `{ figures, code }`: the BENCH
 * figures (undefined if none) and the launcher's exit code; without figures or on a failed run, prints (through `log`, prefixed with `label`) the
 * end of the launcher's output.
 */
export function runBenchSuite({ suite, workspace, cacheDir, timeoutS, extraArgs = [], label, log }) {
  const argv = [
    launcher,
    "--workspace", workspace,
    "--suite", join(repoRoot, "test", "vscode", "bench-suites", suite),
    "--in-place",
    ...extraArgs,
    "--env", `XDG_CACHE_HOME=${cacheDir}`,
    "--env", `NIX_CONFIG=${NIX_CONFIG}`,
    ...fakes.flatMap((e) => ["--extension", e]),
    "--timeout", String(timeoutS),
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, argv, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("close", (code) => {
      const line = output.split("\n").find((l) => l.startsWith("BENCH "));
      let figures;
      try {
        figures = line ? JSON.parse(line.slice("BENCH ".length)) : undefined;
      } catch {
        figures = undefined;
      }
      if (!figures || code !== 0) {
        log(`${label ? `${label}: ` : ""}no figures (launcher exit ${code}); its output ends with:`);
        for (const l of output.trimEnd().split("\n").slice(-25)) console.log(`    ${l}`);
      }
      done({ figures, code });
    });
  });
}
