// Real nix: after loads of two different devShells, the GC-root profile keeps exactly the current
// generation, and it resolves into the store (pruning reads the layout nix really makes).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import { MemoryLogger } from "../../src/core/logger";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { makeHybridProject, tempDir } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

test("the GC-root profile keeps only the generation it points at, and it resolves", async () => {
  const dir = makeHybridProject();
  const log = new MemoryLogger();
  const req: LoadRequest = { dir, options: defaultOptions({ cacheDir: join(tempDir("cache"), "c") }), baseEnv: testEnv(), runner: new ProcessRunner(log), log };
  const first = await loadEnvironment(req);
  const flake = join(dir, "flake.nix");
  writeFileSync(flake, readFileSync(flake, "utf8").replace('FROM_NIX = "nix-value";', 'FROM_NIX = "changed";'));
  const second = await loadEnvironment(req);
  assert.equal(second.failure, undefined, String(second.failure));
  const gcRoot = second.environment.gcRoot!;
  assert.equal(gcRoot, first.environment.gcRoot);
  const gens = readdirSync(join(gcRoot, "..")).filter((n) => /^profile-\d+-link$/.test(n));
  assert.equal(gens.length, 1, gens.join(", "));
  assert.ok(existsSync(gcRoot) && realpathSync(gcRoot).startsWith("/nix/store/"), "the profile resolves into the store");
});
