// cacheKey inputs and the on-disk EnvironmentCache, in temp folders.
import assert from "node:assert/strict";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CACHE_FORMAT, cacheKey, EnvironmentCache, keyFiles, type CacheKeyInputs } from "../../../src/core/cache";
import { detectProject, type Project } from "../../../src/core/detect";
import type { HybridEnvironment } from "../../../src/core/environment";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

function hybridDir(): string {
  const dir = tempDir("cache");
  write(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
  write(join(dir, "flake.lock"), "{\"nodes\":{}}\n");
  write(join(dir, "pyproject.toml"), "[project]\nname = \"a\"\n");
  write(join(dir, "uv.lock"), "version = 1\n");
  write(join(dir, "shell.nix"), "{ }\n");
  return dir;
}

function inputs(project: Project, over: Partial<CacheKeyInputs> = {}): CacheKeyInputs {
  return { project, options: { devShell: "default", runShellHook: true }, nixIdentity: "/nix/bin/nix:1:2", uvIdentity: "/uv:3:4", ...over };
}

describe("cacheKey", () => {
  test("is a sha256 hex digest and stable when nothing changes", () => {
    const dir = hybridDir();
    const a = cacheKey(inputs(detectProject(dir, "default", {})));
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(cacheKey(inputs(detectProject(dir, "default", {}))), a);
    write(join(dir, "README.md"), "unrelated\n");
    write(join(dir, "sub", "other.nix"), "{ }\n");
    assert.equal(cacheKey(inputs(detectProject(dir, "default", {}))), a, "files that are not key files do not count");
  });

  test("keyFiles lists the flake, lock, uv project and sibling .nix files", () => {
    const dir = hybridDir();
    write(join(dir, "a.nix"), "{ }\n");
    assert.deepEqual(keyFiles(detectProject(dir, "default", {})), [
      join(dir, "flake.nix"), join(dir, "flake.lock"), join(dir, "pyproject.toml"), join(dir, "uv.lock"),
      join(dir, "a.nix"), join(dir, "shell.nix"),
    ]);
  });

  test("keyFiles follows the flake's relative imports into sub-folders, and only those", () => {
    const dir = hybridDir();
    write(join(dir, "flake.nix"), "{ outputs = _: { devShells.x86_64-linux.default = import ./nix/devshell.nix { }; }; }\n");
    write(join(dir, "nix", "devshell.nix"), "{ }: import ./python { } # and ./not-a-file.nix\n");
    write(join(dir, "nix", "python", "default.nix"), "{ }: { }\n");
    write(join(dir, "nix", "unused.nix"), "{ }\n");
    assert.deepEqual(keyFiles(detectProject(dir, "default", {})).slice(5), [join(dir, "nix", "devshell.nix"), join(dir, "nix", "python", "default.nix")]);
  });

  test("changes when a file the flake imports from a sub-folder changes; not for one it does not import", () => {
    const dir = hybridDir();
    write(join(dir, "flake.nix"), "{ outputs = _: { devShells.x86_64-linux.default = import ./nix/devshell.nix; }; }\n");
    write(join(dir, "nix", "devshell.nix"), "{ }\n");
    const project = detectProject(dir, "default", {});
    const before = cacheKey(inputs(project));
    write(join(dir, "nix", "unused.nix"), "{ }\n");
    assert.equal(cacheKey(inputs(project)), before);
    write(join(dir, "nix", "devshell.nix"), "{ edited = true; }\n");
    assert.notEqual(cacheKey(inputs(project)), before);
  });

  test("a flake that does not tokenize still has a key (its files beside it)", () => {
    const dir = hybridDir();
    write(join(dir, "flake.nix"), "{ outputs = \"unterminated; ./nix/a.nix\n");
    assert.equal(keyFiles(detectProject(dir, "default", {})).length, 5);
  });

  for (const file of ["flake.nix", "flake.lock", "pyproject.toml", "uv.lock", "shell.nix"]) {
    test(`changes when ${file} changes`, () => {
      const dir = hybridDir();
      const project = detectProject(dir, "default", {});
      const before = cacheKey(inputs(project));
      write(join(dir, file), "# edited\n");
      assert.notEqual(cacheKey(inputs(project)), before);
    });
  }

  test("changes when a new .nix file appears beside the flake", () => {
    const dir = hybridDir();
    const project = detectProject(dir, "default", {});
    const before = cacheKey(inputs(project));
    write(join(dir, "python.nix"), "{ }\n");
    assert.notEqual(cacheKey(inputs(project)), before);
  });

  test("changes when a key file is deleted", () => {
    const dir = hybridDir();
    const project = detectProject(dir, "default", {});
    const before = cacheKey(inputs(project));
    rmSync(join(dir, "uv.lock"));
    assert.notEqual(cacheKey(inputs(project)), before);
  });

  test("changes with devShell, runShellHook, nix or uv identity, venv location", () => {
    const dir = hybridDir();
    const project = detectProject(dir, "default", {});
    const base = cacheKey(inputs(project));
    const variants = [
      cacheKey(inputs(project, { options: { devShell: "other", runShellHook: true } })),
      cacheKey(inputs(project, { options: { devShell: "default", runShellHook: false } })),
      cacheKey(inputs(project, { nixIdentity: "/nix/bin/nix:1:3" })),
      cacheKey(inputs(project, { uvIdentity: "/uv:3:5" })),
      cacheKey(inputs(detectProject(dir, "default", { UV_PROJECT_ENVIRONMENT: "/elsewhere" }))),
    ];
    assert.equal(new Set([base, ...variants]).size, 6);
  });
});

function environment(dir: string, marker: string): HybridEnvironment {
  return {
    project: detectProject(dir, "default", {}),
    mutations: [{ name: "MARK", op: "replace", value: marker }],
    python: { venvPython: join(dir, ".venv/bin/python") },
    createdAt: "2024-01-01T00:00:00.000Z",
    timings: { nix: 1 },
  };
}

const key = (n: number) => n.toString(16).padStart(64, "0");

describe("EnvironmentCache", () => {
  test("write then read returns the environment; lastGood follows the latest write", () => {
    const projectDir = hybridDir();
    const cache = new EnvironmentCache(tempDir("cachedir"), projectDir);
    assert.equal(cache.read(key(1)), undefined);
    assert.equal(cache.lastGood(), undefined);
    cache.write(key(1), environment(projectDir, "one"));
    cache.write(key(2), environment(projectDir, "two"));
    assert.deepEqual(cache.read(key(1)), environment(projectDir, "one"));
    assert.deepEqual(cache.read(key(2)), environment(projectDir, "two"));
    assert.deepEqual(cache.lastGood(), environment(projectDir, "two"));
    assert.equal(cache.read(key(3)), undefined);
    assert.equal(cache.gcRootDir, join(cache.dir, "gcroot"));
  });

  test("different project folders use different cache folders", () => {
    const root = tempDir("cachedir");
    assert.notEqual(new EnvironmentCache(root, "/p/a").dir, new EnvironmentCache(root, "/p/b").dir);
    assert.equal(new EnvironmentCache(root, "/p/a").dir, new EnvironmentCache(root, "/p/a").dir);
  });

  const corruptions: Array<[string, (k: string, env: HybridEnvironment) => string]> = [
    ["garbage JSON", () => "{not json"],
    ["an empty file", () => ""],
    ["a wrong format number", (k, env) => JSON.stringify({ format: CACHE_FORMAT - 1, key: k, environment: env })],
    ["a wrong key", (_k, env) => JSON.stringify({ format: CACHE_FORMAT, key: key(99), environment: env })],
    ["no mutations array", (k, env) => JSON.stringify({ format: CACHE_FORMAT, key: k, environment: { ...env, mutations: {} } })],
    ["JSON null", () => "null"],
  ];
  for (const [label, content] of corruptions) {
    test(`an entry with ${label} is a miss, replaced by the next write`, () => {
      const projectDir = hybridDir();
      const cache = new EnvironmentCache(tempDir("cachedir"), projectDir);
      cache.write(key(7), environment(projectDir, "x"));
      const path = join(cache.dir, `${key(7)}.json`);
      writeFileSync(path, content(key(7), environment(projectDir, "x")));
      assert.equal(cache.read(key(7)), undefined);
      cache.write(key(7), environment(projectDir, "y"));
      assert.deepEqual(cache.read(key(7)), environment(projectDir, "y"));
    });
  }

  test("a corrupted last-good is a miss", () => {
    const projectDir = hybridDir();
    const cache = new EnvironmentCache(tempDir("cachedir"), projectDir);
    cache.write(key(1), environment(projectDir, "x"));
    writeFileSync(join(cache.dir, "last-good.json"), "[1,2");
    assert.equal(cache.lastGood(), undefined);
    assert.deepEqual(cache.read(key(1)), environment(projectDir, "x"), "other entries are untouched");
  });

  test("prune keeps the 5 newest entries plus last-good, and no temp files", () => {
    const projectDir = hybridDir();
    const cache = new EnvironmentCache(tempDir("cachedir"), projectDir);
    for (let i = 1; i <= 8; i++) cache.write(key(i), environment(projectDir, `e${i}`));
    const names = readdirSync(cache.dir).sort();
    assert.equal(names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).length, 5);
    assert.ok(names.includes("last-good.json"));
    assert.deepEqual(names.filter((n) => n.endsWith(".tmp")), []);
    assert.equal(names.length, 6);
    assert.deepEqual(cache.lastGood(), environment(projectDir, "e8"));
    assert.deepEqual(cache.read(key(8)), environment(projectDir, "e8"), "the entry just written survives");
  });
});
