// The cost of the environment cache's key on a warm load: what a cache hit spends before it can
// answer (reading and hashing the key files, and following the flake's relative imports to find
// them). Measured on a flake whose devShell is in flake.nix, and on one that keeps it in
// nix/devshell.nix (imported, importing a second file), with the same engine call the extension
// makes at activation. `BENCH_ONLY=cache npm run bench` prints only these rows.
import { join } from "node:path";
import { cacheKey, keyFiles } from "../../src/core/cache";
import { detectProject } from "../../src/core/detect";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import { silentLogger } from "../../src/core/logger";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner, spawnCounter } from "../../src/core/process";
import { makeHybridProject, tempDir } from "../helpers/fixtures";
import { makeImportingHybridProject } from "../helpers/importingProject";
import { testEnv } from "../helpers/tools";

type Row = (...cells: string[]) => void;

export async function cacheKeyBenchmarks(row: Row, runs: number, fmt: (ms: number) => string, median: (xs: number[]) => number): Promise<void> {
  const cases = [
    { label: "devShell in flake.nix", dir: makeHybridProject() },
    { label: "devShell in nix/devshell.nix (2 imports)", dir: makeImportingHybridProject() },
  ].map((c) => {
    const env = testEnv({ XDG_CACHE_HOME: tempDir("bench-key-xdg") });
    const req: LoadRequest = {
      dir: c.dir,
      options: defaultOptions({ cacheDir: join(env.XDG_CACHE_HOME!, "hybrid-env") }),
      baseEnv: env,
      runner: new ProcessRunner(silentLogger),
      log: silentLogger,
    };
    return { ...c, req, env, warm: [] as number[], key: [] as number[] };
  });
  for (const c of cases) {
    await loadEnvironment(c.req); // fills the cache (uv sync writes uv.lock)
    await loadEnvironment(c.req); // and warms the code paths of a hit
  }
  const projects = cases.map((c) => detectProject(c.dir, "default", c.env));
  const spawned = spawnCounter.count;
  // The cases take turns, so that the machine's changing load falls on both alike.
  for (let round = 0; round < runs * 3; round++) {
    for (const [k, c] of cases.entries()) {
      const t0 = performance.now();
      const r = await loadEnvironment(c.req);
      c.warm.push(performance.now() - t0);
      if (!r.fromCache) throw new Error(`${c.label}: a warm load missed the cache`);
      for (let i = 0; i < 10; i++) {
        const t1 = performance.now();
        cacheKey({ project: projects[k]!, options: { devShell: "default", runShellHook: true }, nixIdentity: "n", uvIdentity: "u" });
        c.key.push(performance.now() - t1);
      }
    }
  }
  const processes = spawnCounter.count - spawned;
  for (const [k, c] of cases.entries()) {
    row(`cache: warm engine load, ${c.label}`, fmt(median(c.warm)), `median of ${c.warm.length}; ${processes} processes in all`);
    row(`cache: the key alone, ${c.label}`, fmt(median(c.key)), `${keyFiles(projects[k]!).length} key files; median of ${c.key.length}`);
  }
}
