// A devShell (or its shellHook) that exports UV_PROJECT_ENVIRONMENT moves the venv, with real nix
// and uv: activation, the result's project.venvDir, provenance and reset-venv all follow it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import { MemoryLogger } from "../../src/core/logger";
import { resolve } from "../../src/core/mutations";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { scanProvenance } from "../../src/core/provenance";
import { cli } from "../helpers/cli";
import { devShellDerivation, gitTrackAll, makeHybridProject, tempDir, write } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

function request(dir: string): LoadRequest {
  const log = new MemoryLogger();
  return { dir, options: defaultOptions({ cacheDir: join(tempDir("cache"), "c") }), baseEnv: testEnv(), runner: new ProcessRunner(log), log };
}

/** A hybrid project whose devShell's shellHook is `hook` (the fixture's Python and packages otherwise). */
function projectWithHook(hook: string): string {
  const dir = makeHybridProject({ git: false });
  const shell = devShellDerivation({ fromNix: "nix-value", shellHook: hook });
  write(join(dir, "flake.nix"), `{\n  outputs = { self }: {\n    devShells.x86_64-linux.default = ${shell};\n  };\n}\n`);
  gitTrackAll(dir);
  return dir;
}

async function assertVenvAt(dir: string, venvDir: string): Promise<void> {
  const req = request(dir);
  const { environment, failure } = await loadEnvironment(req);
  assert.equal(failure, undefined, String(failure));
  const env = resolve(req.baseEnv, environment.mutations);
  assert.equal(environment.project.venvDir, venvDir, "the result's project.venvDir");
  assert.equal(env.VIRTUAL_ENV, venvDir, "VIRTUAL_ENV");
  assert.ok(env.PATH!.startsWith(join(venvDir, "bin") + ":"), env.PATH);
  assert.equal(environment.python.venvPython, join(venvDir, "bin", "python"));
  assert.ok(existsSync(join(venvDir, "pyvenv.cfg")), "uv built the venv there");
  assert.equal(existsSync(join(dir, ".venv")), false, "and not in .venv");
  const prefix = execFileSync("python", ["-c", "import sys, uvonly; print(sys.prefix, uvonly.SOURCE)"], { env, encoding: "utf8" }).trim();
  assert.equal(prefix, `${venvDir} uv`);
  const prov = scanProvenance({ pythonPath: env.PYTHONPATH, venvDir: environment.project.venvDir, uvLockPath: environment.project.uvLockPath });
  assert.equal(prov.packages.find((p) => p.name === "uvonly")?.location.startsWith(venvDir + "/"), true, "provenance reads that venv");
  // A second load is a cache hit: the entry's venv is where the entry says.
  assert.equal((await loadEnvironment(req)).fromCache, true);
}

describe("UV_PROJECT_ENVIRONMENT from the devShell", () => {
  test("exported by the devShell (relative): the venv is <project>/envs/dev", async () => {
    const dir = makeHybridProject({ extraShellAttrs: `UV_PROJECT_ENVIRONMENT = "envs/dev";` });
    await assertVenvAt(dir, join(dir, "envs", "dev"));
  });

  test("exported by the shellHook (absolute): the venv is where the hook says", async () => {
    const dir = projectWithHook(`export UV_PROJECT_ENVIRONMENT="$PWD/hookenv"`);
    await assertVenvAt(dir, join(dir, "hookenv"));
  });

  test("reset-venv --yes deletes and rebuilds the devShell's venv, never .venv", async () => {
    const dir = makeHybridProject({ extraShellAttrs: `UV_PROJECT_ENVIRONMENT = "envs/dev";` });
    const venv = join(dir, "envs", "dev");
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    assert.equal((await cli(["env", dir], env)).code, 0);
    const marker = join(venv, "marker");
    writeFileSync(marker, "x");
    const r = await cli(["reset-venv", "--yes", dir], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`hybrid-env: deleting ${venv} (`), r.stderr);
    assert.equal(existsSync(marker), false, "the old venv is gone");
    assert.ok(existsSync(join(venv, "bin", "python")), "a new venv is there");
    assert.equal(existsSync(join(dir, ".venv")), false);
  });
});
