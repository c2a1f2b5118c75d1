// The environment cache shared by several writers at once (two windows, the CLI beside VS Code):
// what one writer sees while another one prunes or renames. The two-process run is in
// test/integration/concurrentWriters.test.ts.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { atomicWrite, CACHE_FORMAT, EnvironmentCache } from "../../../src/core/cache";
import { detectProject } from "../../../src/core/detect";
import type { HybridEnvironment } from "../../../src/core/environment";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

function projectDir(): string {
  const dir = tempDir("cache-race");
  write(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
  return dir;
}

/** As it comes back from the JSON file (no undefined fields). */
function environment(dir: string, marker: string): HybridEnvironment {
  return {
    project: JSON.parse(JSON.stringify(detectProject(dir, "default", {}))),
    mutations: [{ name: "MARK", op: "replace", value: marker }],
    python: {},
    createdAt: "2024-01-01T00:00:00.000Z",
    timings: {},
  };
}

const key = (n: number) => n.toString(16).padStart(64, "0");

describe("EnvironmentCache with another writer", () => {
  test("prune skips an entry that vanished between its readdir and its stat", () => {
    const dir = projectDir();
    const cache = new EnvironmentCache(tempDir("cachedir"), dir);
    for (let i = 1; i <= 6; i++) cache.write(key(i), environment(dir, `e${i}`));
    // The race window, held open: readdir lists this name, stat finds no file (ENOENT), exactly
    // as when the other writer's prune deletes the entry in between.
    symlinkSync(join(cache.dir, "deleted-by-the-other-writer"), join(cache.dir, `${key(99)}.json`));
    assert.doesNotThrow(() => cache.write(key(7), environment(dir, "e7")));
    assert.deepEqual(cache.read(key(7)), environment(dir, "e7"));
    assert.deepEqual(cache.lastGood(), environment(dir, "e7"));
  });

  test("an entry written by another hybrid-env version (another format) is a miss and is left for it", () => {
    const dir = projectDir();
    const cache = new EnvironmentCache(tempDir("cachedir"), dir);
    cache.write(key(1), environment(dir, "mine"));
    const theirs = JSON.stringify({ format: CACHE_FORMAT + 1, key: "x", environment: { future: true } });
    writeFileSync(join(cache.dir, "last-good.json"), theirs);
    assert.equal(cache.lastGood(), undefined);
    assert.equal(readFileSync(join(cache.dir, "last-good.json"), "utf8"), theirs, "their last good environment survives our read");
  });

  test("a read while the other writer replaces the entry sees one whole version", () => {
    const dir = projectDir();
    const cache = new EnvironmentCache(tempDir("cachedir"), dir);
    cache.write(key(1), environment(dir, "old"));
    const path = join(cache.dir, `${key(1)}.json`);
    atomicWrite(path, JSON.stringify({ format: CACHE_FORMAT, key: key(1), environment: environment(dir, "new") }));
    assert.deepEqual(cache.read(key(1)), environment(dir, "new"));
    assert.deepEqual(readdirSync(cache.dir).filter((n) => n.endsWith(".tmp")), []);
  });

  test("atomicWrite leaves no temp file behind when the rename fails", () => {
    const dir = tempDir("atomic");
    const target = join(dir, "a-folder");
    write(join(target, "inside"), "x"); // a non-empty folder: rename onto it fails
    assert.throws(() => atomicWrite(target, "text"));
    assert.deepEqual(readdirSync(dir), ["a-folder"]);
    assert.ok(existsSync(join(target, "inside")));
  });
});
