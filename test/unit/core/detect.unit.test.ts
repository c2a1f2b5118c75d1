// detectProject kinds and venv location; the option helpers.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { detectProject, venvDirFor } from "../../../src/core/detect";
import { defaultCacheDir, defaultOptions, isValidDevShellName } from "../../../src/core/options";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

function folder(files: string[]): string {
  const dir = tempDir("detect");
  for (const f of files) write(join(dir, f), "x\n");
  return dir;
}

describe("detectProject", () => {
  test("flake.nix + pyproject.toml → hybrid, with every path found", () => {
    const dir = folder(["flake.nix", "flake.lock", "pyproject.toml", "uv.lock"]);
    assert.deepEqual(detectProject(dir, "dev", {}), {
      dir,
      kind: "hybrid",
      flakePath: join(dir, "flake.nix"),
      flakeLockPath: join(dir, "flake.lock"),
      pyprojectPath: join(dir, "pyproject.toml"),
      uvLockPath: join(dir, "uv.lock"),
      venvDir: join(dir, ".venv"),
      devShell: "dev",
    });
  });

  test("flake.nix only → nix-only, missing files undefined", () => {
    const dir = folder(["flake.nix"]);
    const p = detectProject(dir, "default", {});
    assert.equal(p.kind, "nix-only");
    assert.equal(p.pyprojectPath, undefined);
    assert.equal(p.flakeLockPath, undefined);
    assert.equal(p.uvLockPath, undefined);
  });

  test("pyproject.toml only → uv-only", () => {
    const p = detectProject(folder(["pyproject.toml", "uv.lock"]), "default", {});
    assert.equal(p.kind, "uv-only");
    assert.equal(p.flakePath, undefined);
  });

  test("neither → none; a folder named flake.nix does not count", () => {
    const dir = folder(["setup.py", "shell.nix"]);
    mkdirSync(join(dir, "flake.nix"));
    mkdirSync(join(dir, "pyproject.toml"));
    assert.equal(detectProject(dir, "default", {}).kind, "none");
    assert.equal(detectProject(join(dir, "nonexistent"), "default", {}).kind, "none");
  });

  test("a relative dir is resolved to an absolute one", () => {
    const dir = folder(["flake.nix"]);
    const rel = join(dir, "sub", "..");
    assert.equal(detectProject(rel, "default", {}).dir, dir);
  });

  test("UV_PROJECT_ENVIRONMENT: relative to the project, absolute as is, empty ignored", () => {
    const dir = folder(["pyproject.toml"]);
    assert.equal(detectProject(dir, "default", { UV_PROJECT_ENVIRONMENT: "envs/py" }).venvDir, join(dir, "envs", "py"));
    assert.equal(detectProject(dir, "default", { UV_PROJECT_ENVIRONMENT: "/opt/venvs/app" }).venvDir, "/opt/venvs/app");
    assert.equal(detectProject(dir, "default", { UV_PROJECT_ENVIRONMENT: "" }).venvDir, join(dir, ".venv"));
    assert.equal(venvDirFor("/p", { UV_PROJECT_ENVIRONMENT: "../shared" }), "/shared");
  });
});

describe("options", () => {
  test("defaultCacheDir: XDG_CACHE_HOME when absolute, else ~/.cache", () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/xdg", HOME: "/home/u" }), "/xdg/hybrid-env");
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "relative", HOME: "/home/u" }), "/home/u/.cache/hybrid-env");
    assert.equal(defaultCacheDir({ HOME: "/home/u" }), "/home/u/.cache/hybrid-env");
  });

  test("defaultOptions applies overrides", () => {
    const o = defaultOptions({ devShell: "ci", cacheDir: "/c" });
    assert.equal(o.devShell, "ci");
    assert.equal(o.cacheDir, "/c");
    assert.equal(o.runShellHook, true);
    assert.equal(o.nixTimeoutMs, 600_000);
  });

  test("isValidDevShellName", () => {
    for (const ok of ["default", "my_shell", "shell'", "a-b", "_x1"]) assert.equal(isValidDevShellName(ok), true, ok);
    for (const bad of ["", "1abc", "a.b", "a b", "x#y", "../x", "a\"b"]) assert.equal(isValidDevShellName(bad), false, bad);
  });
});
