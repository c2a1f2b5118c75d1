// What is kept of a failed suite: a screenshot of the workbench, the extension host log, the
// workbench's own log lines and the server's output, under <repo>/.artifacts/vscode/<suite>-<time>/
// (.artifacts is gitignored). The temp folder of the run is deleted afterwards, so copy.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function artifactsDirFor(artifactsRoot, suiteName) {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return join(artifactsRoot, `${suiteName}-${stamp}`);
}

// The server writes logs under <user-data-dir>/logs/<stamp>/exthost1/remoteexthost.log; search
// rather than hard-code the layout, which has moved between VS Code versions. Links are not
// followed: the extensions dir links to extension folders (the repo among them).
function findFiles(dir, fileName, depth = 0, found = []) {
  if (depth > 5 || !existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) findFiles(p, fileName, depth + 1, found);
    else if (entry.isFile() && entry.name === fileName) found.push(p);
  }
  return found;
}

/**
 * @param {object} o
 * @param {import('playwright-core').Page | undefined} o.page
 * @param {string} o.runDir       the temp folder of the run (server and user data inside)
 * @param {string} o.outDir       where to keep the artifacts
 * @param {string[]} o.workbenchLog  log lines the page reported that were not suite output
 * @param {string[]} o.serverLog  the server's output
 * @returns {Promise<string[]>} paths written
 */
export async function saveFailureArtifacts({ page, runDir, outDir, workbenchLog, serverLog }) {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  if (page) {
    const shot = join(outDir, "workbench.png");
    try {
      await page.screenshot({ path: shot, timeout: 10_000 });
      written.push(shot);
    } catch (error) {
      written.push(`(no screenshot: ${String(error.message).split("\n")[0]})`);
    }
  }
  [join(runDir, "user-data"), join(runDir, "server-data")].flatMap((d) => findFiles(d, "remoteexthost.log")).forEach((log, i) => {
    const copy = join(outDir, i === 0 ? "remoteexthost.log" : `remoteexthost-${i}.log`);
    copyFileSync(log, copy);
    written.push(copy);
  });
  // hybrid-env's own output channel ("Hybrid Env"): every command line it ran and why it failed;
  // and the real Python extensions' channels, where they say what they selected and why.
  const channels = [["Hybrid Env.log", "hybrid-env"], ["Python Environments.log", "python-envs"], ["Python.log", "python"], ["Python Debugger.log", "debugpy"]];
  for (const [fileName, name] of channels) {
    [join(runDir, "user-data"), join(runDir, "server-data")].flatMap((d) => findFiles(d, fileName)).forEach((log, i) => {
      const copy = join(outDir, i === 0 ? `${name}.log` : `${name}-${i}.log`);
      copyFileSync(log, copy);
      written.push(copy);
    });
  }
  for (const [name, lines] of [["workbench.log", workbenchLog], ["server.log", serverLog]]) {
    writeFileSync(join(outDir, name), lines.join("\n") + "\n");
    written.push(join(outDir, name));
  }
  return written;
}
