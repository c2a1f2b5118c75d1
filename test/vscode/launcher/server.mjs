// Starts the VS Code server (the OSS build inside code-server) for one suite and stops it again.
// We run server-main.js directly rather than the code-server wrapper: no password page, no
// wrapper options, the same workbench URL scheme as upstream VS Code.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Built-in extensions that start work at startup (git runs processes, JSON starts a language
// server, the auth providers wait on the network) and have nothing to do with hybrid-env: not
// loading them saves 2-4 s per suite on 2 cores. `--env VSCODE_SKIP_BUILTIN_EXTENSIONS=` keeps all.
const SKIPPED_BUILTINS = [
  "vscode.git", "vscode.git-base", "vscode.github", "vscode.github-authentication",
  "vscode.microsoft-authentication", "vscode.emmet", "vscode.npm", "vscode.merge-conflict",
  "vscode.json-language-features", "vscode.configuration-editing", "vscode.extension-editing",
  "vscode.debug-auto-launch",
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} o
 * @param {{node: string, serverMain: string}} o.deps
 * @param {string} o.dir        temp folder of this run: server data, user data, extensions
 * @param {boolean} o.trust     false: keep workspace trust on (the trust dialog and restricted mode)
 * @param {Record<string,string>} o.env  extra environment; the extension host inherits it
 * @param {(line: string) => void} o.onOutput  the server's own output (kept for failure reports)
 */
export async function startServer({ deps, dir, trust, env, onOutput }) {
  const port = await freePort();
  // code-server 4.93's server-main.js only exports the server: a shim starts it (legacy-server.cjs).
  const entry = deps.toolset.serverMainIsLibrary
    ? [fileURLToPath(new URL("./legacy-server.cjs", import.meta.url)), deps.serverMain]
    : [deps.serverMain];
  const args = [
    ...entry,
    "--host", "127.0.0.1",
    "--port", String(port),
    "--without-connection-token",
    "--accept-server-license-terms",
    "--disable-telemetry",
    "--server-data-dir", join(dir, "server-data"),
    "--user-data-dir", join(dir, "user-data"),
    "--extensions-dir", join(dir, "extensions"),
    "--enable-proposed-api",
    // A built VS Code ignores extensionDevelopmentPath/extensionTestsPath in the URL without it.
    "--enable-smoke-test-driver",
    // The server would otherwise run the user's login shell and take its environment, which
    // resets PATH (losing the process spies) and makes runs depend on the machine's dotfiles.
    "--force-disable-user-env",
  ];
  if (trust) args.push("--disable-workspace-trust");

  const child = spawn(deps.node, args, {
    env: { ...process.env, VSCODE_SKIP_BUILTIN_EXTENSIONS: SKIPPED_BUILTINS.join(","), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stop() also ends extension hosts and pty hosts
  });
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("VS Code server did not start within 60 s")), 60_000);
    const watch = (line) => {
      if (line.trim()) onOutput(line);
      if (line.includes(`Extension host agent listening on ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    onLines(child.stdout, watch);
    onLines(child.stderr, watch);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited early (${code ?? signal})`));
    });
  });
  const stop = () => stopGroup(child);
  try {
    await listening;
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, userDataDir: join(dir, "user-data"), stop };
}

// Calls back once per complete line (a chunk may end in the middle of one).
function onLines(stream, callback) {
  let rest = "";
  stream.on("data", (chunk) => {
    const lines = (rest + chunk.toString()).split("\n");
    rest = lines.pop();
    lines.forEach(callback);
  });
  stream.on("end", () => rest && callback(rest));
}

// Ends the whole process group: SIGTERM, then SIGKILL if it lingers.
async function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signalGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  signalGroup("SIGKILL"); // stragglers that ignored SIGTERM after the leader went
}
