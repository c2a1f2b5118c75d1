// Two writers of one cache at once (two VS Code windows, or the CLI beside VS Code): two real CLI
// processes load the same project at the same time, again and again, and both must succeed.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { projectCacheDir } from "../../src/core/cache";
import { cli } from "../helpers/cli";
import { makeHybridProject, tempDir } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

const ROUNDS = 6;
/** Stale entries put in the cache before each round: each writer's prune then takes long enough to overlap the other's. */
const STALE_ENTRIES = 1500;

function addStaleEntries(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const old = new Date("2001-01-01T00:00:00Z");
  for (let i = 0; i < STALE_ENTRIES; i++) {
    const path = join(dir, `${randomBytes(32).toString("hex")}.json`);
    writeFileSync(path, "{}");
    utimesSync(path, old, old);
  }
}

test("two CLI `env --no-cache` runs on one project at once both exit 0, round after round", async () => {
  const dir = makeHybridProject();
  const xdg = tempDir("xdg");
  const env = testEnv({ XDG_CACHE_HOME: xdg });
  const cacheDir = projectCacheDir(join(xdg, "hybrid-env"), dir);
  // The venv exists before the race: this test is about the cache, not about two uv creating one venv.
  assert.equal((await cli(["env", dir], env)).code, 0);
  for (let round = 1; round <= ROUNDS; round++) {
    // A sibling .nix file is part of the key: each round writes a new entry, so prune has work to do.
    writeFileSync(join(dir, "round.nix"), `{ round = ${round}; }\n`);
    addStaleEntries(cacheDir);
    const [a, b] = await Promise.all([cli(["env", "--json", "--no-cache", dir], env), cli(["env", "--json", "--no-cache", dir], env)]);
    for (const r of [a, b]) {
      assert.equal(r.code, 0, `round ${round}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).FROM_NIX, "nix-value");
    }
  }
});
