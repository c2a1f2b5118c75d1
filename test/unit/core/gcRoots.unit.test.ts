// Pruning the GC-root profile's old generations, on the layout nix print-dev-env --profile makes
// (profile -> profile-N-link -> /nix/store/…), with a second writer in the middle of its run.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pruneOldGenerations } from "../../../src/core/nix";
import { tempDir } from "../tmp";

function gcRootDir(generations: number[], current: number | undefined): string {
  const dir = tempDir("gcroot");
  const store = tempDir("store");
  for (const n of generations) {
    mkdirSync(join(store, `env-${n}`));
    symlinkSync(join(store, `env-${n}`), join(dir, `profile-${n}-link`));
  }
  if (current !== undefined) symlinkSync(`profile-${current}-link`, join(dir, "profile"));
  return dir;
}

describe("pruneOldGenerations", () => {
  test("keeps the generation the profile points at, deletes older ones", () => {
    const dir = gcRootDir([1, 2, 3], 3);
    pruneOldGenerations(dir);
    assert.deepEqual(readdirSync(dir).sort(), ["profile", "profile-3-link"]);
    assert.ok(existsSync(join(dir, "profile")), "the profile still resolves: the GC root holds");
  });

  test("another writer's newer generation, not yet switched to, does not cost this one its GC root", () => {
    // Writer A's nix switched the profile to 3 last; writer B's nix made 4 before that.
    const dir = gcRootDir([2, 3, 4], 3);
    pruneOldGenerations(dir);
    assert.deepEqual(readdirSync(dir).sort(), ["profile", "profile-3-link", "profile-4-link"]);
    assert.ok(existsSync(join(dir, "profile")), "the profile still resolves: the GC root holds");
  });

  test("without a profile link nothing is deleted", () => {
    const dir = gcRootDir([1, 2], undefined);
    pruneOldGenerations(dir);
    assert.deepEqual(readdirSync(dir).sort(), ["profile-1-link", "profile-2-link"]);
  });
});
