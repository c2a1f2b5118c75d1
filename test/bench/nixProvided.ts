// `npm run bench`, the part for issue 12.1: what leaving Nix's packages to Nix saves, on two
// projects whose dependency the Nix devShell provides: wheels built here (bigpkg, 48 MB of
// incompressible data, needing bigdep, 16 MB; local, no download) and numpy from PyPI (a cold
// cache downloads it). Measured with the real engine (nix, uv sync), a fresh venv every run, uv's
// cache cold (an empty UV_CACHE_DIR) or warm: the load's uv step, the venv's size, and what the
// cold sync put in uv's cache. Prints what it measured; asserts nothing.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironment } from "../../src/core/engine";
import { silentLogger } from "../../src/core/logger";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { folderSize } from "../../src/core/venv";
import { makeHybridProject, tempDir, write } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";
import { WRITE_WHEEL_PY } from "../helpers/wheel";

/** A wheel whose package holds `megabytes` of random bytes in 4 MB files (stored, not deflated: it would not shrink). */
const BIG_WHEEL = `${WRITE_WHEEL_PY}
import random, sys
out_dir, name, version, megabytes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
requires = "".join(f"Requires-Dist: {r}\\n" for r in sys.argv[5:])
mod = name.replace("-", "_")
dist = f"{mod}-{version}.dist-info"
rng = random.Random(name)
files = {f"{mod}/__init__.py": f"VERSION = {version!r}\\nSOURCE = 'uv'\\n".encode()}
for i in range(megabytes // 4):
    files[f"{mod}/data/blob{i}.bin"] = rng.randbytes(4 * 1024 * 1024)
files[f"{dist}/METADATA"] = (f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n" + requires).encode()
write_wheel(f"{out_dir}/{mod}-{version}-py3-none-any.whl", dist, files, "py3-none-any", stored=True)
`;

type Row = (label: string, value: string, note: string) => void;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(0)} KB` : `${(bytes / 1e6).toFixed(1)} MB`);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function nixProvidedBenchmarks(row: Row, runs: number): Promise<void> {
  await measureCase(row, runs, "built wheels, 64 MB", builtFixture());
  let numpy: string;
  try {
    numpy = numpyFixture();
  } catch (e) {
    row("nix-provided, numpy from PyPI", "skipped", `PyPI unreachable? ${(e as Error).message.split("\n")[0]}`);
    return;
  }
  await measureCase(row, runs, "numpy 2.1.3 from PyPI", numpy);
}

/** bigpkg (48 MB of incompressible data) needs bigdep (16 MB); local wheels (find-links), no download. */
function builtFixture(): string {
  const dir = makeHybridProject({
    // Nix's copies need no data to be found and imported: only their metadata and module.
    nixPackages: [
      { name: "bigpkg", version: "1.0", requires: ["bigdep>=1"] },
      { name: "bigdep", version: "1.0" },
    ],
    uvPackages: [{ name: "uvonly", version: "3.1" }],
    dependencies: ["uvonly==3.1", "bigpkg>=1"],
  });
  execFileSync("python3", ["-c", BIG_WHEEL, join(dir, "wheels"), "bigpkg", "1.0", "48", "bigdep>=1"]);
  execFileSync("python3", ["-c", BIG_WHEEL, join(dir, "wheels"), "bigdep", "1.0", "16"]);
  return dir;
}

/**
 * numpy from PyPI (a cold cache downloads it). Nix's side is numpy's metadata only: the bench
 * measures what uv does, not imports. Resolving once here fails fast without PyPI.
 */
function numpyFixture(): string {
  const dir = makeHybridProject({ nixPackages: [{ name: "numpy", version: "2.1.3" }], uvPackages: [] });
  write(join(dir, "pyproject.toml"), '[project]\nname = "bench-numpy"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = ["numpy==2.1.3"]\n\n[tool.uv]\npackage = false\n');
  execFileSync("git", ["add", "-A"], { cwd: dir });
  execFileSync("uv", ["lock", "--python", "python3"], { cwd: dir, env: testEnv({ UV_PYTHON_DOWNLOADS: "never" }), stdio: "pipe", timeout: 120_000 });
  return dir;
}

async function measureCase(row: Row, runs: number, what: string, dir: string): Promise<void> {
  const xdg = tempDir("bench-nixprov-xdg");
  const warmUvCache = tempDir("bench-nixprov-uvcache");

  const measure = async (skip: boolean, cold: boolean) => {
    const uvCache = cold ? tempDir("bench-nixprov-cold") : warmUvCache;
    rmSync(join(dir, ".venv"), { recursive: true, force: true });
    const { environment } = await loadEnvironment({
      dir,
      options: defaultOptions({ useCache: false, cacheDir: join(xdg, "hybrid-env"), skipNixProvided: skip }),
      baseEnv: testEnv({ XDG_CACHE_HOME: xdg, UV_CACHE_DIR: uvCache }),
      runner: new ProcessRunner(silentLogger),
      log: silentLogger,
    });
    const result = { uvMs: environment.timings.uv ?? NaN, venv: folderSize(join(dir, ".venv")).bytes, uvCache: folderSize(uvCache).bytes };
    if (cold) rmSync(uvCache, { recursive: true, force: true });
    return result;
  };

  await measure(false, false); // fills the warm cache with every wheel, the big ones included
  for (const cold of [true, false]) {
    type Sample = Awaited<ReturnType<typeof measure>>;
    const samples = { skip: [] as Sample[], install: [] as Sample[] };
    // Alternate the two, so that the machine's changing load falls on both alike.
    for (let i = 0; i < runs; i++) {
      samples.install.push(await measure(false, cold));
      samples.skip.push(await measure(true, cold));
    }
    const of = (list: Sample[], f: (s: Sample) => number) => median(list.map(f));
    const t = { skip: of(samples.skip, (s) => s.uvMs), install: of(samples.install, (s) => s.uvMs) };
    const v = { skip: of(samples.skip, (s) => s.venv), install: of(samples.install, (s) => s.venv) };
    const cache = cold ? `; uv's cache after the sync ${mb(of(samples.skip, (s) => s.uvCache))} vs ${mb(of(samples.install, (s) => s.uvCache))}` : "";
    const label = `nix-provided (${what}), ${cold ? "cold" : "warm"} uv cache`;
    row(`${label}: uv step, left to Nix`, sec(t.skip), `uv installing its own copy ${sec(t.install)}: saves ${sec(t.install - t.skip)} (median of ${runs}, fresh venv)`);
    row(`${label}: venv size`, mb(v.skip), `uv installing its own copy ${mb(v.install)}: saves ${mb(v.install - v.skip)}${cache}`);
  }
}
