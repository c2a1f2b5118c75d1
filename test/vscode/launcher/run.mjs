// Entry point of `npm run test:vscode`: runs the extension's suites inside a real VS Code.
// Default launcher: the VS Code server in headless Chromium (one server + browser per suite).
// --desktop: @vscode/test-electron on a desktop VS Code. --self-test: proves a failure fails.
// Closes with the line `N passed, N failed, N skipped`; exits non-zero on any failure, and when
// nothing ran except on the desktop launcher with no desktop VS Code (all skipped, said so).
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureVscodeDeps } from "../../../scripts/vscode-deps.mjs";
import { parseCommandLine, USAGE } from "./args.mjs";
import { bundleSuites } from "./bundle.mjs";
import { extensionLayout } from "./extension-layout.mjs";
import { runDesktop } from "./desktop.mjs";
import { failingSelfTest, projectSuites } from "./project-suites.mjs";
import { runInBrowser } from "./run-in-browser.mjs";
import { runRunnerSelfTest } from "./self-test.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const print = (line) => console.log(line);

function chooseSuites(options) {
  if (options.single) return [{ ...options.single, extensions: [] }];
  const all = projectSuites(repoRoot);
  const unknown = options.only.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) throw new Error(`no project suite named ${unknown.join(", ")} (have: ${all.map((s) => s.name).join(", ")})`);
  return options.only.length ? all.filter((s) => options.only.includes(s.name)) : all;
}

async function runBrowserSuites(options, suites) {
  const deps = ensureVscodeDeps(options.toolset);
  const stage = Date.now();
  const bundled = await bundleSuites(suites.map((s) => s.suite));
  print(`[test:vscode] suites bundled: ${seconds(stage)}`);
  try {
    return await runEach(options, suites, deps, bundled.paths);
  } finally {
    bundled.dispose();
  }
}

// Suites run `jobs` at a time (two keep both cores of a small machine busy while each VS Code
// starts up). With more than one at a time, each output line carries its suite's name, so output
// still streams.
async function runEach(options, suites, deps, bundled) {
  const totals = { passed: 0, failed: 0, skipped: 0, failedSuites: [] };
  const queue = [...suites];
  const jobs = Math.min(options.jobs, suites.length);
  const worker = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) {
      const lines = [];
      const printLine = jobs > 1 ? (line) => line.trim() && print(`[${spec.name}] ${line}`) : print;
      const printSuite = (line) => {
        lines.push(line);
        printLine(line);
      };
      const result = await runOne(spec, { options, deps, bundled, print: printSuite });
      totals.passed += result.passed;
      totals.failed += result.failed;
      totals.skipped += result.skipped;
      if (result.failed > 0) totals.failedSuites.push({ name: `${spec.name} (${result.failed} failed${result.artifacts?.[0] ? `, artifacts in ${dirname(result.artifacts[0])}` : ""})`, report: failureReport(lines) });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return totals;
}

// What a failed suite said of its failures: mocha's "N failing" section (the test, the error and
// its stack), or the launcher's own ✗ lines when the suite never reported; at most 40 lines a suite,
// so the end of the log stays readable with several failures.
function failureReport(lines) {
  const failing = lines.findIndex((l) => /^\s*\d+ failing\b/.test(l));
  const report = failing >= 0 ? lines.slice(failing).filter((l) => l.trim() && !/^\s*(artifact:|\()/.test(l)) : lines.filter((l) => l.trimStart().startsWith("✗"));
  return report.length > 40 ? [...report.slice(0, 39), `… ${report.length - 39} more lines above, in the suite's output`] : report;
}

function runOne(spec, { options, deps, bundled, print }) {
  const layout = extensionLayout(spec, options.extensions, repoRoot, { toolset: options.toolset });
  const mode = [
    spec.trust ? "trusted" : "untrusted",
    `hybrid-env ${layout.hybridEnvVsix ? "installed from its .vsix" : layout.hybridEnvInstalled ? "installed" : "in development"}`,
    pythonMode(spec, layout),
    ...(spec.home ? [`HOME: ${spec.home} profile`] : []),
  ].join(", ");
  print(`▶ ${spec.name}: ${spec.generate ? "generated workspace" : relative(repoRoot, spec.workspace) || "."} (${mode}, code-server ${deps.toolset.codeServer})`);
  return runInBrowser(
    { ...spec, ...layout, repoRoot, testsPath: bundled.get(spec.suite), env: { ...spec.env, ...options.env } },
    { deps, artifactsRoot: join(repoRoot, ".artifacts", "vscode"), timeoutMs: Math.max(options.timeoutMs, spec.timeoutMs ?? 0), keepTemp: options.keepTemp, print },
  );
}

function pythonMode(spec, layout) {
  if (layout.python === "none") return "no Python extensions";
  if (layout.python === "fake") return spec.python === "real" ? "fake Python extensions (the real ones need VS Code >= 1.110)" : "fake Python extensions";
  const envs = spec.pythonEnvs === undefined ? "default" : spec.pythonEnvs ? "on" : "off";
  return `real Python extensions, python.useEnvironmentsExtension ${envs}`;
}

async function main() {
  const started = Date.now();
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    print(USAGE);
    return 0;
  }
  if (options.selfTest) return runRunnerSelfTest(fileURLToPath(import.meta.url), failingSelfTest(repoRoot), print);

  const suites = chooseSuites(options);
  let totals;
  if (options.desktop) {
    const bundled = await bundleSuites(suites.map((s) => s.suite));
    try {
      totals = await runDesktop(suites, { repoRoot, bundled: bundled.paths, options, print });
    } finally {
      bundled.dispose();
    }
    if (totals === "skipped") {
      print(`\n[test:vscode] desktop: skipped, no desktop VS Code to run ${suites.length} suite(s) on`);
      print(`0 passed, 0 failed, ${suites.length} skipped`);
      return 0;
    }
  } else {
    totals = await runBrowserSuites(options, suites);
  }
  print(`\n[test:vscode] total ${seconds(started)}`);
  // Suites run side by side, so a failure can be far up the log; name them where CI's tail shows.
  for (const failed of totals.failedSuites ?? []) {
    print(`[test:vscode] failed: ${failed.name}`);
    for (const line of failed.report) print(`  | ${line}`);
  }
  print(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped ?? 0} skipped`);
  return totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

process.exitCode = await main().catch((error) => {
  console.error(`[test:vscode] ${error.stack ?? error}`);
  return 1;
});
