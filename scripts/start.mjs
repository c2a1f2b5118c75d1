// `npm start`: the main job. Installs what is missing (as `npm test` does), builds the extension,
// and starts VS Code (the VS Code server of the test bench) with hybrid-env installed, on a working
// copy of examples/offline-hybrid. Prints the address to open; Ctrl-C stops it.
//   --fresh   start again from the example (a new copy: no venv, no remembered answers)
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stopOnSignal } from "../test/vscode/launcher/cleanup.mjs";
import { installExtensions } from "../test/vscode/launcher/install-extensions.mjs";
import { startServer } from "../test/vscode/launcher/server.mjs";
import { ensureVscodeDeps } from "./vscode-deps.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fresh = process.argv.includes("--fresh");
const home = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "hybrid-env-example");
const workspace = join(home, "offline-hybrid");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: repoRoot, ...opts });

run("bash", ["scripts/setup.sh"]);
const deps = ensureVscodeDeps("current");
run(process.execPath, ["scripts/build.mjs"]);

if (fresh) rmSync(home, { recursive: true, force: true });
if (!existsSync(workspace)) {
  mkdirSync(home, { recursive: true });
  cpSync(join(repoRoot, "examples", "offline-hybrid"), workspace, { recursive: true });
  // A flake in a git repository sees only tracked files: track them, as a user would.
  run("git", ["init", "-q"], { cwd: workspace });
  run("git", ["add", "-A"], { cwd: workspace });
}

// The server's state (settings, remembered answers, extensions) persists beside the example.
const serverDir = join(home, "server");
rmSync(join(serverDir, "extensions"), { recursive: true, force: true });
installExtensions(join(serverDir, "extensions"), [repoRoot]);
const server = await startServer({ deps, dir: serverDir, trust: false, env: {}, onOutput: () => undefined });
stopOnSignal(server.stop);
const remote = `vscode-remote://127.0.0.1:${server.port}${workspace}`;
console.log(`
hybrid-env is running in VS Code (code-server ${deps.toolset.codeServer}) on ${workspace}

  open  http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(remote)}

Trust the folder, click "Enter" on "Enter the hybrid Nix + uv environment?", then look at the
Hybrid Env view, the status bar, and a terminal (python main.py). Ctrl-C stops the server.`);
await new Promise(() => undefined);
