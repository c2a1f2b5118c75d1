// Runs one suite in its own VS Code server + headless Chromium, on a copy of its workspace, and
// always tears both down. The suite's console arrives through codeAutomationLog: prefixed lines are
// ours (suite output, counts, UI requests), the rest is the workbench's own logging, kept for
// failure reports only.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifactsDirFor, saveFailureArtifacts } from "./artifacts.mjs";
import { stopOnSignal } from "./cleanup.mjs";
import { openWorkbench, workbenchUrl } from "./browser.mjs";
import { installExtensions } from "./install-extensions.mjs";
import { installProcessSpies } from "./process-spy.mjs";
import { protocol } from "./protocol.mjs";
import { linkRealPythonExtensions, pythonMachineSettings } from "./python-extensions.mjs";
import { startServer } from "./server.mjs";
import { answerUiRequest } from "./ui-driver.mjs";
import { makeUserMachineHome } from "./user-home.mjs";
import { installVsix, vsixOnce } from "./vsix.mjs";
import { copyWorkspace, generateWorkspace, workspaceInPlace } from "./workspace-copy.mjs";

/**
 * @typedef {object} SuiteSpec
 * @property {string} name
 * @property {string} testsPath      the module exporting run() (already bundled)
 * @property {string} workspace      folder or .code-workspace to copy and open
 * @property {string} devExtension  the extensionDevelopmentPath (see extension-layout.mjs)
 * @property {string[]} extensions   extensions installed into the server's extensions dir
 * @property {boolean} trust          false: workspace trust stays on (restricted mode)
 * @property {Record<string,string>} [env]  extra environment of the server and extension host
 * @property {string[]} [spy]         programs to wrap with counting scripts (nix, uv)
 * @property {string} [spyDir]        keep the spies in this folder rather than the run's (stable identity)
 * @property {boolean} [inPlace]      open `workspace` itself instead of a copy
 * @property {object} [generate]      instead of copying `workspace`, generate one (workspace-copy.mjs)
 * @property {string} [repoRoot]      the repository (where the fixture generator is built)
 * @property {boolean} [hybridEnvVsix] install hybrid-env from `npm run package`'s .vsix (vsix.mjs)
 * @property {boolean} [gitInit]      `git init && git add -A` in the workspace copy (a flake must be tracked)
 * @property {boolean} [realPython]   link the real Python extensions in (python-extensions.mjs)
 * @property {boolean} [pythonEnvs]   with realPython: python.useEnvironmentsExtension on or off
 * @property {"user-machine"} [home]  the server's HOME: rc files with a decoy python (user-home.mjs)
 * @property {Record<string, unknown>} [machineSettings]  more of <user-data-dir>/Machine/settings.json
 */

/** @returns {Promise<{passed: number, failed: number, skipped: number, artifacts: string[]}>} */
export async function runInBrowser(spec, { deps, artifactsRoot, timeoutMs, keepTemp, print }) {
  const runDir = mkdtempSync(join(tmpdir(), `hybrid-env-bench-${spec.name}-`));
  const uiDir = join(runDir, "ui");
  mkdirSync(uiDir);
  const outDir = artifactsDirFor(artifactsRoot, spec.name);
  const workbenchLog = [];
  const serverLog = [];
  let server;
  let workbench;
  let forgetServer;
  let forgetBrowser;
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
    if (payload.t === "out") payload.text.split("\n").forEach((line) => print(line));
    else if (payload.t === "result") result = payload;
    else if (payload.t === "ui") {
      uiQueue = uiQueue.then(() =>
        answerUiRequest(workbench.page, payload, { uiDir, artifactsDir: outDir, log: (l) => workbenchLog.push(l) }),
      );
    }
  };

  try {
    const workspace = spec.generate
      ? generateWorkspace(spec.generate, runDir, spec.repoRoot)
      : spec.inPlace
        ? workspaceInPlace(spec.workspace)
        : copyWorkspace(spec.workspace, runDir);
    if (spec.gitInit) trackWithGit(workspace);
    const env = {
      // Each run has its own hybrid-env cache (and so its own GC roots), kept in its temp folder.
      XDG_CACHE_HOME: join(runDir, "cache"),
      [protocol.env.channel]: "page",
      [protocol.env.uiDir]: uiDir,
      ...(spec.spy?.length ? (spec.spyDir ? installStableSpies(spec.spyDir, spec.spy) : installProcessSpies(runDir, spec.spy)) : {}),
      ...spec.env,
    };
    if (spec.home === "user-machine") Object.assign(env, makeUserMachineHome(join(runDir, "home")));
    installExtensions(join(runDir, "extensions"), spec.extensions);
    if (spec.realPython) {
      const linked = Date.now();
      Object.assign(env, await linkRealPythonExtensions({ deps, repoRoot: spec.repoRoot, extensionsDir: join(runDir, "extensions"), print }));
      print(`  (real Python extensions ready: ${((Date.now() - linked) / 1000).toFixed(1)} s)`);
    }
    writeMachineSettings(runDir, { ...pythonMachineSettings(spec), ...spec.machineSettings });
    // After the links: the install records them in extensions.json beside the .vsix (vsix.mjs).
    if (spec.hybridEnvVsix) Object.assign(env, await installVsix({ deps, runDir, vsix: await vsixOnce(spec.repoRoot, print) }));
    server = await startServer({ deps, dir: runDir, trust: spec.trust, env, onOutput: (l) => serverLog.push(l) });
    forgetServer = stopOnSignal(server.stop);
    const url = workbenchUrl({ port: server.port, workspace, devExtension: spec.devExtension, testsPath: spec.testsPath });
    workbench = await openWorkbench({ executablePath: deps.chromium, url, onLog });
    forgetBrowser = stopOnSignal(workbench.close);
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
    return { passed: 0, failed: 1, skipped: 0, artifacts: await keepArtifacts() };
  } finally {
    await workbench?.close();
    await server?.stop();
    forgetBrowser?.();
    forgetServer?.();
    if (!keepTemp) removeRunDir(runDir, print);
  }

  async function keepArtifacts() {
    const paths = await saveFailureArtifacts({ page: workbench?.page, runDir, outDir, workbenchLog, serverLog });
    for (const p of paths) print(`  artifact: ${p}`);
    return paths;
  }
}

// Spies in a fixed folder (--spy-dir) for runs that must find hybrid-env's cache of the run before:
// its key includes the path, size and mtime of nix and uv, which on PATH are the spies. Rewriting
// an unchanged spy would move its mtime, so an unchanged one gets its old times back.
function installStableSpies(dir, names) {
  const spyPath = (name) => join(dir, "spy-bin", name);
  const before = names.map((name) => {
    try {
      return { name, text: readFileSync(spyPath(name), "utf8"), stat: statSync(spyPath(name)) };
    } catch {
      return undefined;
    }
  });
  const env = installProcessSpies(dir, names);
  for (const old of before) {
    if (old && readFileSync(spyPath(old.name), "utf8") === old.text) utimesSync(spyPath(old.name), old.stat.atimeMs / 1000, old.stat.mtimeMs / 1000);
  }
  return env;
}

// A suite that ends while a load still runs leaves a process of the server's group (uv, nix)
// writing into the workspace for a moment after the group was signalled: retry, and never let a
// leftover temp folder fail the run (the results are in).
function removeRunDir(runDir, print) {
  try {
    rmSync(runDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (error) {
    print(`  (could not remove ${runDir}: ${error.code ?? error.message})`);
  }
}

// Settings of the remote machine, read before the server starts (user settings of the web workbench
// live in the browser's storage, which each run starts without).
function writeMachineSettings(runDir, settings) {
  if (Object.keys(settings).length === 0) return;
  const dir = join(runDir, "user-data", "Machine");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "settings.json"), JSON.stringify(settings, null, 2));
}

// Nix sees only tracked files of a flake in a git repository: track the copy as a user's would be.
function trackWithGit(folder) {
  for (const args of [["init", "-q"], ["add", "-A"]]) execFileSync("git", args, { cwd: folder, stdio: ["ignore", "ignore", "pipe"] });
}

// A suite built on our runner reports counts (mocha's pending tests are the skipped ones); any
// other module exporting run() counts as one test.
function countsOf(result, exitCode) {
  const skipped = result?.pending ?? 0;
  if (exitCode === "timeout") return { passed: result?.passed ?? 0, failed: Math.max(1, result?.failed ?? 0), skipped };
  if (result) return { passed: result.passed, failed: exitCode === 0 ? result.failed : Math.max(1, result.failed), skipped };
  return exitCode === 0 ? { passed: 1, failed: 0, skipped } : { passed: 0, failed: 1, skipped };
}
