// The engine against real nix and real uv on a seed-like hybrid project.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import { FlakeNotTrackedError, NixEvalError, ToolNotFoundError } from "../../src/core/errors";
import { MemoryLogger } from "../../src/core/logger";
import { resolve } from "../../src/core/mutations";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner, spawnCounter } from "../../src/core/process";
import { scanProvenance } from "../../src/core/provenance";
import { makeHybridProject, tempDir } from "../helpers/fixtures";
import { devShellNix, makeImportingHybridProject } from "../helpers/importingProject";
import { testEnv } from "../helpers/tools";

function request(dir: string, overrides: Partial<LoadRequest> = {}): LoadRequest {
  const log = new MemoryLogger();
  return {
    dir,
    options: defaultOptions({ cacheDir: join(tempDir("cache"), "c") }),
    baseEnv: testEnv(),
    runner: new ProcessRunner(log),
    log,
    ...overrides,
  };
}

function python(env: Record<string, string>, code: string): string {
  return execFileSync("python", ["-c", code], { env, encoding: "utf8" }).trim();
}

describe("seed-like hybrid project", () => {
  let dir: string;
  let req: LoadRequest;
  before(() => {
    dir = makeHybridProject({
      nixPackages: [
        { name: "nixonly", version: "1.0" },
        { name: "shared-pkg", version: "1.0" },
      ],
      uvPackages: [
        { name: "uvonly", version: "3.1" },
        { name: "shared-pkg", version: "2.0" },
      ],
    });
    // shared-pkg in both, side by side: uv installs its own copy (the default leaves it to Nix, see nixProvided.test.ts).
    req = request(dir, { options: defaultOptions({ cacheDir: join(tempDir("cache"), "c"), skipNixProvided: false }) });
  });

  test("env holds the devShell variables, the hook's effects and the venv", async () => {
    const { environment, fromCache, failure } = await loadEnvironment(req);
    assert.equal(fromCache, false);
    assert.equal(failure, undefined);
    const env = resolve(req.baseEnv, environment.mutations);
    assert.equal(env.FROM_NIX, "nix-value");
    assert.equal(env.HOOK_RAN, "yes");
    assert.equal(env.VIRTUAL_ENV, join(dir, ".venv"));
    assert.ok(env.PATH!.startsWith(`${join(dir, ".venv", "bin")}:/nix/store/`), env.PATH);
    assert.ok(env.PATH!.endsWith(req.baseEnv.PATH!), "the user's PATH stays behind the devShell's");
    assert.match(env.PYTHONPATH!, /^\/nix\/store\/[^:]+-nixpy\/lib\/python3\.\d+\/site-packages$/);
    assert.equal(env.UV_PYTHON, undefined);
    assert.equal(env.HOME, req.baseEnv.HOME, "build-only HOME=/homeless-shelter is dropped");
    assert.equal(env.TMPDIR, req.baseEnv.TMPDIR);
    assert.ok(environment.gcRoot, "a GC root is kept");
    assert.match(readFileSync(join(dir, ".venv", "pyvenv.cfg"), "utf8"), /home = /);
  });

  test("python in the resolved env imports the Nix package and the uv package", async () => {
    const { environment } = await loadEnvironment(req);
    const env = resolve(req.baseEnv, environment.mutations);
    assert.equal(python(env, "import sys; print(sys.prefix)"), join(dir, ".venv"));
    assert.equal(python(env, "import nixonly, uvonly; print(nixonly.SOURCE, uvonly.SOURCE)"), "nix uv");
    // PYTHONPATH comes before site-packages: the Nix copy of a package in both wins.
    assert.equal(python(env, "import shared_pkg; print(shared_pkg.SOURCE, shared_pkg.VERSION)"), "nix 1.0");
  });

  test("packages: each has its source, the shared one is shadowed by the Nix copy", async () => {
    const { environment } = await loadEnvironment(req);
    const env = resolve(req.baseEnv, environment.mutations);
    const prov = scanProvenance({ pythonPath: env.PYTHONPATH, venvDir: join(dir, ".venv"), uvLockPath: join(dir, "uv.lock") });
    const by = (name: string, source: string) => prov.packages.find((p) => p.name === name && p.source === source);
    assert.equal(by("nixonly", "nix")?.version, "1.0");
    assert.equal(by("uvonly", "uv")?.version, "3.1");
    assert.equal(by("uvonly", "uv")?.lockedVersion, "3.1");
    assert.equal(by("shared-pkg", "nix")?.shadowedBy, undefined);
    assert.deepEqual(by("shared-pkg", "uv")?.shadowedBy?.source, "nix");
    assert.equal(by("shared-pkg", "uv")?.shadowedBy?.version, "1.0");
    assert.equal(prov.counts.shadowed, 1);
  });

  test("a second load comes from the cache and starts no process", async () => {
    await loadEnvironment(req);
    const started = spawnCounter.count;
    const second = await loadEnvironment(req);
    assert.equal(second.fromCache, true);
    assert.equal(spawnCounter.count - started, 0);
  });

  test("a flake syntax error is reported with its line while the last good env is served", async () => {
    await loadEnvironment(req);
    const flake = join(dir, "flake.nix");
    const good = readFileSync(flake, "utf8");
    try {
      writeFileSync(flake, good.replace('FROM_NIX = "nix-value";', 'FROM_NIX = "nix-value"'));
      // Nix points at the token after the missing ';': the next non-blank line (1-based).
      const lines = good.split("\n");
      const at = lines.findIndex((l) => l.includes('FROM_NIX = "nix-value";'));
      const lineOfNext = lines.findIndex((l, i) => i > at && l.trim() !== "") + 1;
      const result = await loadEnvironment(req);
      assert.ok(result.failure instanceof NixEvalError, String(result.failure));
      assert.equal(result.failure.location?.file, "flake.nix");
      assert.equal(result.failure.location?.line, lineOfNext);
      assert.match(result.failure.message, /syntax error/);
      assert.equal(resolve(req.baseEnv, result.environment.mutations).FROM_NIX, "nix-value");
    } finally {
      writeFileSync(flake, good);
    }
  });
});

test("a devShell in nix/devshell.nix: an edit there is a cache miss, and the next load has the new value", async () => {
  const dir = makeImportingHybridProject("before-edit");
  const req = request(dir);
  const first = await loadEnvironment(req);
  assert.equal(resolve(req.baseEnv, first.environment.mutations).FROM_NIX, "before-edit");
  assert.equal((await loadEnvironment(req)).fromCache, true);
  writeFileSync(join(dir, "nix", "devshell.nix"), devShellNix("after-edit"));
  const edited = await loadEnvironment(req);
  assert.equal(edited.fromCache, false, "not answered from the cache of the old nix/devshell.nix");
  assert.equal(resolve(req.baseEnv, edited.environment.mutations).FROM_NIX, "after-edit");
});

describe("failures", () => {
  test("an untracked flake.nix gives the git add -N error", async () => {
    const dir = makeHybridProject({ git: false });
    execFileSync("git", ["init", "-q"], { cwd: dir });
    await assert.rejects(loadEnvironment(request(dir)), (e: unknown) => {
      assert.ok(e instanceof FlakeNotTrackedError, String(e));
      assert.match(e.message, /git add -N flake\.nix/);
      assert.equal(e.actions[0]?.kind, "git-add");
      return true;
    });
  });

  test("nix absent from PATH gives the not-found error with the folders searched", async () => {
    const dir = makeHybridProject();
    const env = testEnv({ PATH: "/usr/local/bin-nothing-here", HOME: tempDir("home") });
    await assert.rejects(loadEnvironment(request(dir, { baseEnv: env })), (e: unknown) => {
      assert.ok(e instanceof ToolNotFoundError);
      assert.equal(e.tool, "nix");
      assert.match(e.detail, /\/nix\/var\/nix\/profiles\/default\/bin/);
      return true;
    });
  });
});
