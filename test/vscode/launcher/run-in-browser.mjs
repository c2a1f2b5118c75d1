// Runs one suite in its own VS Code server + headless Chromium, on a copy of its workspace, and
// always tears both down. The suite's console arrives through codeAutomationLog: prefixed lines are
// ours (suite output, counts, UI requests), the rest is the workbench's own logging, kept for
// failure reports only.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifactsDirFor, saveFailureArtifacts } from "./artifacts.mjs";
import { openWorkbench, workbenchUrl } from "./browser.mjs";
import { installProcessSpies } from "./process-spy.mjs";
import { protocol } from "./protocol.mjs";
import { startServer } from "./server.mjs";
import { answerUiRequest } from "./ui-driver.mjs";
import { copyWorkspace } from "./workspace-copy.mjs";

/**
 * @typedef {object} SuiteSpec
 * @property {string} name
 * @property {string} testsPath      the module exporting run() (already bundled)
 * @property {string} workspace      folder or .code-workspace to copy and open
 * @property {string[]} devExtensions extensionDevelopmentPath entries (the repo first)
 * @property {boolean} trust          false: workspace trust stays on (restricted mode)
 * @property {Record<string,string>} [env]  extra environment of the server and extension host
 * @property {string[]} [spy]         programs to wrap with counting scripts (nix, uv)
 */

/** @returns {Promise<{passed: number, failed: number, artifacts: string[]}>} */
export async function runInBrowser(spec, { deps, artifactsRoot, timeoutMs, keepTemp, print }) {
  const runDir = mkdtempSync(join(tmpdir(), `hybrid-env-bench-${spec.name}-`));
  const uiDir = join(runDir, "ui");
  mkdirSync(uiDir);
  const outDir = artifactsDirFor(artifactsRoot, spec.name);
  const workbenchLog = [];
  const serverLog = [];
  let server;
  let workbench;
  let result;
  let uiQueue = Promise.resolve(); // UI actions run one at a time, in the order asked
  const started = Date.now();

  const onLog = (level, message) => {
    const at = message.indexOf(protocol.linePrefix);
    if (at < 0) return void workbenchLog.push(`[${level}] ${message}`);
    let payload;
    try {
      payload = JSON.parse(message.slice(at + protocol.linePrefix.length));
    } catch {
      return void print(message); // a console line that merely contains the prefix
    }
    if (payload.t === "out") print(payload.text);
    else if (payload.t === "result") result = payload;
    else if (payload.t === "ui") {
      uiQueue = uiQueue.then(() =>
        answerUiRequest(workbench.page, payload, { uiDir, artifactsDir: outDir, log: (l) => workbenchLog.push(l) }),
      );
    }
  };

  try {
    const workspace = copyWorkspace(spec.workspace, runDir);
    const env = {
      [protocol.env.channel]: "page",
      [protocol.env.uiDir]: uiDir,
      ...(spec.spy?.length ? installProcessSpies(runDir, spec.spy) : {}),
      ...spec.env,
    };
    server = await startServer({ deps, dir: runDir, trust: spec.trust, env, onOutput: (l) => serverLog.push(l) });
    const url = workbenchUrl({ port: server.port, workspace, devExtensions: spec.devExtensions, testsPath: spec.testsPath });
    workbench = await openWorkbench({ executablePath: deps.chromium, url, onLog });
    const exitCode = await Promise.race([
      workbench.exitCode,
      new Promise((resolve) => setTimeout(() => resolve("timeout"), timeoutMs).unref()),
    ]);
    await uiQueue;
    if (exitCode === "timeout") print(`✗ ${spec.name}: no result within ${timeoutMs / 1000} s`);
    else if (exitCode !== 0 && !result) print(`✗ ${spec.name}: the extension host exited with ${exitCode} before reporting results`);
    const counts = countsOf(result, exitCode);
    const artifacts = counts.failed > 0 ? await keepArtifacts() : [];
    print(`  (${spec.name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { ...counts, artifacts };
  } catch (error) {
    print(`✗ ${spec.name}: ${error.message}`);
    return { passed: 0, failed: 1, artifacts: await keepArtifacts() };
  } finally {
    await workbench?.close();
    await server?.stop();
    if (!keepTemp) rmSync(runDir, { recursive: true, force: true });
  }

  async function keepArtifacts() {
    const paths = await saveFailureArtifacts({ page: workbench?.page, runDir, outDir, workbenchLog, serverLog });
    for (const p of paths) print(`  artifact: ${p}`);
    return paths;
  }
}

// A suite built on our runner reports counts; any other module exporting run() counts as one test.
function countsOf(result, exitCode) {
  if (exitCode === "timeout") return { passed: result?.passed ?? 0, failed: Math.max(1, result?.failed ?? 0) };
  if (result) return { passed: result.passed, failed: exitCode === 0 ? result.failed : Math.max(1, result.failed) };
  return exitCode === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}
