// The native-library scan on a realistic venv: the scientific stack from PyPI (numpy, scipy,
// pandas, scikit-learn, matplotlib, pillow, opencv, pyarrow, lxml, grpcio; ~700 MB, ~350 ELF
// files), installed once with uv into the bench cache (later runs reuse it). Measured: a scan,
// the key that decides whether a cached report still holds, a cached hit, and the longest the
// event loop waited during a scan (what an extension host would feel). Prints, asserts nothing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { scanNativeLibraries } from "../../src/core/native/scan";
import { cachedNativeScan, venvStateKey } from "../../src/core/native/scanCache";
import { tempDir } from "../helpers/fixtures";

/** Pinned, so every run scans the same files. */
const STACK = ["numpy==2.4.6", "scipy==1.17.1", "pandas==3.1.1", "scikit-learn==1.9.1", "matplotlib==3.11.2", "pillow==13.0.0", "opencv-python-headless==5.0.0.93", "pyarrow==26.0.1", "lxml==6.1.3", "grpcio==1.85.3"];

type Row = (what: string, value: string, note: string) => void;

function benchVenv(): string | undefined {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "hybrid-env-bench", "native-scan-venv");
  const venv = join(dir, ".venv");
  if (existsSync(join(venv, ".complete"))) return venv;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("uv", ["venv", "-q", venv, "--python", "python3"], { stdio: "ignore" });
    execFileSync("uv", ["pip", "install", "-q", "--python", join(venv, "bin", "python"), ...STACK], { stdio: "ignore", timeout: 900_000 });
    execFileSync("touch", [join(venv, ".complete")]);
    return venv;
  } catch (e) {
    console.log(`native scan: skipped (the venv could not be installed from PyPI: ${(e as Error).message.split("\n")[0]})`);
    return undefined;
  }
}

function countElf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countElf(join(dir, e.name));
    else if (/\.so(\.\d+)*$/.test(e.name)) n++;
  }
  return n;
}

/** The longest gap between 1 ms timer ticks while `work` runs. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

export async function nativeScanBenchmark(row: Row, runs: number, median: (xs: number[]) => number, fmt: (ms: number) => string): Promise<void> {
  const venvDir = benchVenv();
  if (!venvDir) return;
  const interpreter = join(venvDir, "bin", "python");
  const files = countElf(join(venvDir, "lib"));
  const scans: number[] = [];
  const stalls: number[] = [];
  let checked = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    stalls.push(await longestStall(async () => (checked = (await scanNativeLibraries({ venvDir, interpreter })).checked)));
    scans.push(performance.now() - t0);
  }
  row(`native scan: ${STACK.length}-package scientific venv (${files} .so files, ${checked} ELF checked)`, fmt(median(scans)), `median of ${runs}; first ${fmt(scans[0]!)}`);
  row("native scan: longest event-loop stall during a scan", fmt(median(stalls)), `median of ${runs}, max ${fmt(Math.max(...stalls))}`);
  const keys: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    venvStateKey({ venvDir, interpreter });
    keys.push(performance.now() - t0);
  }
  row("native scan: the venv-state key (stats + one readdir)", fmt(median(keys)), `median of ${runs}`);
  const cacheDir = tempDir("bench-native");
  await cachedNativeScan({ venvDir, interpreter, cacheDir, projectDir: venvDir });
  const hits: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await cachedNativeScan({ venvDir, interpreter, cacheDir, projectDir: venvDir });
    hits.push(performance.now() - t0);
    if (!r.fromCache) throw new Error("a cached scan of an unchanged venv missed");
  }
  row("native scan: cached report of an unchanged venv (warm open)", fmt(median(hits)), "no ELF file read");
}
