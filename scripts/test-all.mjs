// Runs every test stage in order, prints how long each took, and ends with one line
// "N passed, N failed, N skipped" over all stages. Exit code 1 if any stage failed.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";

const only = process.argv.slice(2); // e.g. `node scripts/test-all.mjs unit integration`
const tap = (name) => [`--test-reporter=spec`, `--test-reporter-destination=stdout`, `--test-reporter=tap`, `--test-reporter-destination=out/${name}.tap`];
// Recursive: unit tests live in a tree that mirrors src/ (test/unit/core/cache.unit.test.ts …).
const testFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(".test.js"))
    .sort()
    .map((f) => `${dir}/${f}`);

const stages = [
  { name: "typecheck", cmd: ["npx", "tsc", "-p", ".", "--noEmit"] },
  { name: "build", cmd: ["node", "scripts/build.mjs", "--tests"] },
  { name: "unit", cmd: () => ["node", "--test", ...tap("unit"), ...testFiles("out/test/unit")], counts: "tap" },
  // The version matrix: the full set of real-Nix tests on Debian's Nix 2.8 and on Nix 2.30.5 (its own
  // /nix; skipped, loudly and counted, where the shared tools folder is absent).
  ...[["2.8", "debian"], ["2.30.5", "2.30.5"]].map(([version, which]) => ({
    name: `integration-nix-${version}`,
    cmd: () => [
      "node", "scripts/nix-matrix.mjs", which, `out/integration-nix-${version}.tap`, "--",
      "node", "--test", "--test-concurrency=1", ...tap(`integration-nix-${version}`), ...testFiles("out/test/integration"),
    ],
    counts: "tap",
  })),
  { name: "vscode", cmd: ["npm", "run", "--silent", "test:vscode"], counts: "line", optionalScript: "test:vscode" },
  // Proves the VS Code runner fails on a failing suite (kept apart from the real suites).
  { name: "vscode-self", cmd: ["node", "test/vscode/launcher/run.mjs", "--self-test"], counts: "line" },
];

function run(cmd) {
  return new Promise((resolve) => {
    let tail = "";
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk).slice(-4000);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, tail }));
  });
}

function countsFromTap(name) {
  const text = readFileSync(`out/${name}.tap`, "utf8");
  const num = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  return { passed: num("pass"), failed: num("fail") + num("cancelled"), skipped: num("skipped") + num("todo") };
}

// A stage's own closing line, "N passed, N failed" and optionally ", N skipped".
function countsFromLine(tail) {
  const m = [...tail.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/gm)].at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) } : { passed: 0, failed: 0, skipped: 0 };
}

mkdirSync("out", { recursive: true });
const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts;
const summary = [];
let passed = 0;
let failed = 0;
let skipped = 0;
let stageFailed = false;
for (const stage of stages) {
  if (only.length > 0 && !only.includes(stage.name)) continue;
  if (stage.optionalScript && !scripts[stage.optionalScript]) continue;
  const started = Date.now();
  console.log(`\n=== ${stage.name}`);
  const { code, tail } = await run(typeof stage.cmd === "function" ? stage.cmd() : stage.cmd);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let note = code === 0 ? "ok" : `exit ${code}`;
  if (stage.counts) {
    const c = stage.counts === "tap" ? countsFromTap(stage.name) : countsFromLine(tail);
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    note += `, ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
    if (code === 0 && c.passed + c.failed === 0) note += " (ran nothing)";
    if (code !== 0 && c.failed === 0) failed += 1; // a crash counts as a failure
  }
  if (code !== 0) stageFailed = true;
  summary.push(`${stage.name.padEnd(12)} ${seconds.padStart(6)} s  ${note}`);
  if (code !== 0 && !stage.counts) break; // nothing to test without a build
}
console.log(`\n=== summary\n${summary.join("\n")}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(stageFailed || failed > 0 ? 1 : 0);
