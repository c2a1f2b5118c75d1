// `npm start`: the main job. Installs what is missing (as `npm test` does), builds the extension,
// and starts VS Code (the VS Code server of the test bench) with hybrid-env installed, on a working
// copy of examples/offline-hybrid. Prints the address to open; Ctrl-C stops it.
//   --fresh            start again from the example (a new copy: no venv, no remembered answers)
//   --desktop          open a desktop VS Code instead (HYBRID_ENV_VSCODE_EXECUTABLE, or `code` on PATH),
//                      with hybrid-env as the extension in development
//   --screenshot FILE  instead: open the workbench headless, accept "Enter", wait for the ready
//                      state, and save a PNG of the packages view and the status bar
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stopOnSignal } from "../test/vscode/launcher/cleanup.mjs";
import { installExtensions } from "../test/vscode/launcher/install-extensions.mjs";
import { startServer } from "../test/vscode/launcher/server.mjs";
import { openWorkbench } from "../test/vscode/launcher/browser.mjs";
import { uiActions } from "../test/vscode/launcher/ui-driver.mjs";
import { ensureVscodeDeps } from "./vscode-deps.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fresh = process.argv.includes("--fresh");
const screenshotAt = process.argv.indexOf("--screenshot");
const screenshot = screenshotAt > 0 ? resolve(process.argv[screenshotAt + 1] ?? "") : undefined;
if (screenshotAt > 0 && !process.argv[screenshotAt + 1]) throw new Error("--screenshot needs a file name");
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

if (screenshot) {
  await takeScreenshot(screenshot);
  process.exit(0);
}
if (process.argv.includes("--desktop")) {
  const code = process.env.HYBRID_ENV_VSCODE_EXECUTABLE || findOnPath("code");
  if (!code) {
    console.error("--desktop: no desktop VS Code found (set HYBRID_ENV_VSCODE_EXECUTABLE or put `code` on PATH)");
    process.exit(1);
  }
  run(code, [`--extensionDevelopmentPath=${repoRoot}`, workspace]);
  console.log(`opened ${workspace} in ${code} with hybrid-env in development`);
  process.exit(0);
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

The folder opens in Restricted Mode (hybrid-env runs nothing there, as Nix and uv would run the
project's code): click "Restricted Mode" in the status bar, then Trust. Click "Enter" on "Enter
the hybrid Nix + uv environment?", then look at the Hybrid Env view, the status bar, and a
terminal (python main.py). Ctrl-C stops the server.`);
await new Promise(() => undefined);

/** A fresh server (no remembered answer, so the Enter prompt shows), driven like a person would. */
async function takeScreenshot(file) {
  const serverDir = mkdtempSync(join(tmpdir(), "hybrid-env-screenshot-"));
  installExtensions(join(serverDir, "extensions"), [repoRoot]);
  const server = await startServer({ deps, dir: serverDir, trust: true, env: {}, onOutput: () => undefined });
  const stopServer = stopOnSignal(server.stop);
  const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(`vscode-remote://127.0.0.1:${server.port}${workspace}`)}`;
  const workbench = await openWorkbench({ executablePath: deps.chromium, url, onLog: () => undefined });
  try {
    const { page } = workbench;
    // The prompt comes once the extension host has started: on a busy machine that takes a while.
    for (let attempt = 1; ; attempt++) {
      try {
        await uiActions.clickNotificationButton(page, { label: "Enter", message: "Enter the hybrid Nix + uv environment" });
        break;
      } catch (error) {
        if (attempt === 6) throw error;
      }
    }
    await uiActions.openView(page, { container: "Hybrid Env", view: "Packages" });
    // Ready when the status bar shows the counts (it shows the step while loading).
    const deadline = Date.now() + 180_000;
    for (;;) {
      const text = await uiActions.statusBarText(page, { id: "hybridEnv.status" }).catch(() => "");
      if (/Nix \d+ · uv \d+/.test(text)) break;
      if (Date.now() > deadline) throw new Error(`not ready after 180 s (status bar: ${text})`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.keyboard.press("Escape"); // close the notification center
    await page.waitForTimeout(500);
    await page.screenshot({ path: file });
    console.log(`screenshot: ${file}`);
  } finally {
    await workbench.close();
    await server.stop();
    stopServer?.();
    rmSync(serverDir, { recursive: true, force: true });
  }
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
