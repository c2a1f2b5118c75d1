// The part of `npm run bench` that measures the Add Nix Package quick pick inside the real VS
// Code: one VS Code server + headless Chromium on a flake whose nixpkgs input is the stub nixpkgs
// with ~9,000 packages per Python set (test/helpers/stubNixpkgsProject.ts, locked, in the store),
// with a fresh hybrid-env cache, so that the first open is cold and the next ones are cached.
// Runs test/vscode/bench-suites/nix-package-pick.suite.ts and prints its figures (measured only;
// the stub is not the real nixpkgs: its evaluation is cheaper per package). Exits 1 without figures.
//
//   node test/bench/vscode/nixPackagePick.mjs [--filler N] [--keep]
// Needs the test bundles (node scripts/build.mjs --tests; `npm run bench` builds them).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot, runBenchSuite } from "./benchSuite.mjs";


const { values: args } = parseArgs({ options: { filler: { type: "string", default: process.env.BENCH_PICK_FILLER ?? "9000" }, keep: { type: "boolean", default: false } } });
const log = (line) => console.log(`[bench:pick] ${line}`);
const ms = (x) => (typeof x !== "number" || Number.isNaN(x) ? "—" : `${x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US")} ms`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const cli = join(repoRoot, "out", "test", "helpers", "makeFixtureCli.js");
  if (!existsSync(cli)) {
    log(`${cli} is missing: run node scripts/build.mjs --tests first`);
    return 1;
  }
  const root = mkdtempSync(join(tmpdir(), "hybrid-env-bench-pick-"));
  try {
    const filler = Number(args.filler);
    const spec = { folders: [{ name: "big", shape: "stub-nixpkgs", filler, settings: { "hybridEnv.autoEnter": "never" } }] };
    const gen = Date.now();
    const made = spawnSync(process.execPath, [cli, join(root, "ws"), JSON.stringify(spec)], { encoding: "utf8" });
    if (made.status !== 0) {
      log(`fixture generation failed: ${made.stderr}`);
      return 1;
    }
    log(`fixture: stub nixpkgs with ${filler.toLocaleString("en-US")} filler packages per Python set, locked (${ms(Date.now() - gen)})`);
    const { figures } = await runBenchSuite({ suite: "nix-package-pick.suite.ts", workspace: made.stdout.trim(), cacheDir: join(root, "cache"), timeoutS: 900, log });
    if (!figures) return 1;
    const rows = [];
    const row = (...cells) => rows.push(cells);
    const cold = figures.opens.filter((o) => o.kind === "cold");
    const cached = figures.opens.filter((o) => o.kind === "cached");
    const entries = figures.opens[0]?.extension?.entries ?? 0;
    for (const [label, opens] of [["cold (the set evaluated)", cold], [`cached (median of ${cached.length})`, cached]]) {
      if (opens.length === 0) continue;
      const pick = (f) => median(opens.map(f));
      const sources = [...new Set(opens.map((o) => `${o.extension?.source}${o.extension?.fromCache ? ", from the cache" : ""}`))].join("; ");
      row(`vscode Add Nix Package pick, ${label}: run → picker shown`, ms(pick((o) => o.shownMs)), `in the workbench; the extension showed it after ${ms(pick((o) => o.extension?.shownMs))}`);
      row(`vscode Add Nix Package pick, ${label}: run → package rows rendered`, ms(pick((o) => o.rowsMs)), `in the workbench; items set by the extension after ${ms(pick((o) => o.extension?.itemsMs))}; source ${sources}`);
    }
    console.log(`\nVS Code, the Add Nix Package quick pick on the stub nixpkgs (${entries.toLocaleString("en-US")} entries in python311.pkgs; not the real nixpkgs):`);
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2]}`);
    return cold.length > 0 && cached.length > 0 ? 0 : 1;
  } finally {
    if (!args.keep) rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
