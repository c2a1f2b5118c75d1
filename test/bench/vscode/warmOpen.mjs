// The part of `npm run bench` measured inside the real VS Code (the bench in test/vscode): opens of
// a hybrid folder whose Nix env has thousands of packages, each a fresh VS Code server + headless
// Chromium on the same folder (--in-place) with the same hybrid-env cache (a fixed XDG_CACHE_HOME),
// so that the first open is cold (it fills the cache) and the others are warm. Each open runs
// test/vscode/bench-suites/packages-view.suite.ts, which prints one `BENCH {json}` line: the
// extension's own timings (hybridEnv.internal.timings), the processes it started, and the
// Packages view's time to its first-level rows with the workbench's responsiveness meanwhile.
// nix and uv are wrapped by the launcher's counting spies in a fixed folder (--spy-dir: their
// identity is part of hybrid-env's cache key), whose log is emptied before each open.
// Prints measured figures only; exits 1 when no open produced figures.
//
//   node test/bench/vscode/warmOpen.mjs [--runs N] [--packages N] [--keep]
// Needs the test bundles (node scripts/build.mjs --tests; `npm run bench` builds them).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot, runBenchSuite } from "./benchSuite.mjs";


const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: process.env.BENCH_VSCODE_RUNS ?? "5" },
    packages: { type: "string", default: process.env.BENCH_VSCODE_PACKAGES ?? "3000" },
    keep: { type: "boolean", default: false },
  },
});
const warmRuns = Number(args.runs);
const nixPackageCount = Number(args.packages);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => (x === undefined || Number.isNaN(x) ? "—" : `${x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US")} ms`);
const spread = (xs) => (xs.length ? `min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))}, n=${xs.length}` : "no figures");
const log = (line) => console.log(`[bench:vscode] ${line}`);

function fixtureSpec() {
  // One package in both Nix and uv, so the view has its three groups (From Nix, From uv, Shadowed).
  const nixPackages = Array.from({ length: nixPackageCount - 1 }, (_, i) => ({ name: `nixpkg-${String(i).padStart(4, "0")}`, version: "1.0" }));
  nixPackages.push({ name: "shared-pkg", version: "1.0" });
  return {
    folders: [
      {
        name: "big",
        nixPackages,
        uvPackages: [{ name: "uvonly", version: "3.1" }, { name: "shared-pkg", version: "2.0" }],
        // uv installs its own shared-pkg (else it leaves it to Nix and there is no Shadowed group).
        settings: { "hybridEnv.autoEnter": "always", "hybridEnv.skipNixProvided": false },
      },
    ],
  };
}

/** Runs the launcher once; resolves to its BENCH figures with the spies' lines and the wall time (or undefined). */
async function openOnce(label, { workspace, spyDir, cacheDir }) {
  const logFile = join(spyDir, "processes.log");
  if (existsSync(logFile)) writeFileSync(logFile, "");
  const started = Date.now();
  // Only the cold open runs nix at all.
  const { figures, code } = await runBenchSuite({
    suite: "packages-view.suite.ts",
    workspace,
    cacheDir,
    timeoutS: 300,
    extraArgs: ["--spy", "nix", "--spy", "uv", "--spy-dir", spyDir],
    label,
    log,
  });
  const wallS = (Date.now() - started) / 1000;
  const spyLines = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").filter((l) => l.trim()) : [];
  if (figures && code === 0) log(`${label}: ${wallS.toFixed(1)} s (activation → env applied ${ms(figures.appliedMs)}, view rows ${ms(figures.firstLevelRowsMs)})`);
  return figures ? { ...figures, spyLines, wallS } : undefined;
}

/** The engine's step timings of the cold load, from the cache entry it wrote. */
function coldSteps(cacheDir) {
  const projects = join(cacheDir, "hybrid-env", "projects");
  try {
    for (const dir of readdirSync(projects)) {
      const file = join(projects, dir, "last-good.json");
      if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")).environment?.timings;
    }
  } catch {
    // no cache entry: the cold open failed, reported above
  }
  return undefined;
}

function printTable(rows) {
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2]}`);
}

async function main() {
  const t0 = Date.now();
  const cli = join(repoRoot, "out", "test", "helpers", "makeFixtureCli.js");
  if (!existsSync(cli)) {
    log(`${cli} is missing: run node scripts/build.mjs --tests first`);
    return 1;
  }
  const root = mkdtempSync(join(tmpdir(), "hybrid-env-bench-vscode-"));
  const paths = { spyDir: join(root, "spies"), cacheDir: join(root, "cache") };
  try {
    const gen = Date.now();
    const made = spawnSync(process.execPath, [cli, join(root, "ws"), JSON.stringify(fixtureSpec())], { encoding: "utf8" });
    if (made.status !== 0) {
      log(`fixture generation failed: ${made.stderr}`);
      return 1;
    }
    const workspace = made.stdout.trim();
    const fixtureMs = Date.now() - gen;
    log(`fixture: ${nixPackageCount} Nix packages in ${workspace} (${ms(fixtureMs)}); 1 cold + ${warmRuns} warm opens, each a new VS Code`);

    const cold = await openOnce("cold open", { workspace, ...paths });
    const warm = [];
    for (let i = 1; i <= warmRuns; i++) {
      const f = await openOnce(`warm open ${i}/${warmRuns}`, { workspace, ...paths });
      if (f) warm.push(f);
    }
    if (!cold && warm.length === 0) return 1;

    const rows = [];
    const row = (...cells) => rows.push(cells);
    const pick = (k) => warm.map((f) => f[k]).filter((x) => typeof x === "number");
    const sub = (k, s) => warm.map((f) => f[k]?.[s]).filter((x) => typeof x === "number");
    if (cold) {
      const steps = coldSteps(paths.cacheDir);
      const stepText = steps ? Object.entries(steps).map(([k, v]) => `${k} ${ms(v)}`).join(", ") : "";
      row("vscode cold open: activation → env applied", ms(cold.appliedMs), `fills the cache; engine steps: ${stepText}`);
      row("vscode cold open: processes", `${cold.spawned}`, `started by hybrid-env (its counter); spies saw ${cold.spyLines.length}: ${cold.spyLines.map((l) => l.split(" ").slice(0, 2).join(" ")).join(", ")}`);
      row("vscode cold open: packages view first level", ms(cold.firstLevelRowsMs), `after the cold load, ${cold.packages} packages`);
    }
    if (warm.length) {
      const spyTotal = warm.reduce((n, f) => n + f.spyLines.length, 0);
      const spawnedTotal = warm.reduce((n, f) => n + f.spawned, 0);
      const notReady = warm.filter((f) => f.state !== "ready").map((f) => f.state);
      row("vscode warm open: activation → env applied", ms(median(pick("appliedMs"))), `median; ${spread(pick("appliedMs"))}`);
      row("vscode warm open: activate()", ms(median(pick("activateMs"))), `median; ${spread(pick("activateMs"))}`);
      row(
        "vscode warm open: nix/uv processes",
        `${spyTotal}`,
        `in ${warm.length} opens, by the nix/uv spies; hybrid-env's counter: ${spawnedTotal} (after revalidation + 1 s)${notReady.length ? `; states not ready: ${notReady.join(", ")}` : ""}`,
      );
      const first = warm[0];
      row(
        `vscode packages view (${first.packages} packages): open → first level`,
        ms(median(pick("firstLevelRowsMs"))),
        `median; ${spread(pick("firstLevelRowsMs"))}; includes the click (median ${ms(median(pick("openViewMs")))}) and ${warm.map((f) => f.rowReads).join("/")} reads of the rows, one read alone ≈ ${ms(median(pick("uiRequestMs")))}`,
      );
      row("vscode packages view: first level rows", `${first.firstLevel.length}`, first.firstLevel.join(" | "));
      row(
        "vscode packages view: workbench round trip while rendering",
        ms(median(sub("roundTripMs", "median"))),
        `median of medians; max per open ${sub("roundTripMs", "max").map((x) => Math.round(x)).join("/")} ms; idle 1 s before: median ${ms(median(sub("idleRoundTripMs", "median")))}, max per open ${sub("idleRoundTripMs", "max").map((x) => Math.round(x)).join("/")} ms (setContext round trips every 20 ms)`,
      );
      row(
        "vscode control: open the Search container (first time)",
        ms(median(pick("controlSwitchMs"))),
        `median click; workbench round trip meanwhile: median ${ms(median(sub("controlRoundTripMs", "median")))}, max per open ${sub("controlRoundTripMs", "max").map((x) => Math.round(x)).join("/")} ms`,
      );
      row(
        "vscode packages view: extension host loop lag while rendering",
        ms(Math.max(...sub("loopLagMs", "max"))),
        `worst max (median of maxes ${ms(median(sub("loopLagMs", "max")))}); idle worst max ${ms(Math.max(...sub("idleLoopLagMs", "max")))} (lateness of a 10 ms timer)`,
      );
      const cpuShare = (k) => warm.map((f) => `${f[k].cpuMs}/${f[k].wallMs}`).join(", ");
      row("vscode packages view: extension host CPU while rendering", `${median(warm.map((f) => f.extHostCpu.cpuMs))} ms`, `median; per open CPU/wall ms: ${cpuShare("extHostCpu")}; idle 1 s: ${cpuShare("idleExtHostCpu")} (probes included)`);
      row("vscode bench: one VS Code open (server + Chromium + suite)", `${median(warm.map((f) => f.wallS)).toFixed(1)} s`, `median wall time of the warm runs; whole VS Code part ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    console.log(`\nVS Code (real workbench, headless Chromium; hybrid-env in development, fake Python extensions), folder with ${nixPackageCount} Nix packages:`);
    printTable(rows);
    return cold && warm.length === warmRuns ? 0 : 1;
  } finally {
    if (args.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((e) => {
  console.error(`[bench:vscode] ${e.stack ?? e}`);
  return 1;
});
