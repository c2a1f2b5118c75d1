// Real uv: a failed `uv add` says so (not "uv sync failed … fix pyproject.toml"), and what to check;
// failures are summed up by uv's reason, not by the hint it prints last.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { UvAddError, UvSyncError } from "../../src/core/errors";
import { MemoryLogger } from "../../src/core/logger";
import { ProcessRunner } from "../../src/core/process";
import { findUv } from "../../src/core/tools";
import { uvAdd, uvSync } from "../../src/core/uv";
import { makeHybridProject, pyprojectSource, write } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

test("uv add of a package that does not exist: UvAddError naming uv add; pyproject.toml unchanged", async () => {
  const dir = makeHybridProject();
  const before = readFileSync(join(dir, "pyproject.toml"), "utf8");
  const env = testEnv();
  const req = { uv: findUv("", [], env), dir, venvDir: join(dir, ".venv"), env, requirement: "no-such-package-xyz", timeoutMs: 120_000 };
  await assert.rejects(uvAdd(new ProcessRunner(new MemoryLogger()), req), (e: unknown) => {
    assert.ok(e instanceof UvAddError, String(e));
    assert.match(e.message, /^uv add no-such-package-xyz failed: .*no-such-package-xyz/);
    assert.doesNotMatch(e.message, /uv sync|fix pyproject\.toml/);
    return true;
  });
  assert.equal(readFileSync(join(dir, "pyproject.toml"), "utf8"), before, "uv leaves pyproject.toml as it was");
});

test("uv sync that cannot resolve: the message gives uv's reason, not its closing hint", async () => {
  const dir = makeHybridProject();
  write(join(dir, "pyproject.toml"), pyprojectSource([{ name: "not-in-the-wheels", version: "1.0" }]));
  const env = testEnv();
  const req = { uv: findUv("", [], env), dir, venvDir: join(dir, ".venv"), env, timeoutMs: 120_000 };
  await assert.rejects(uvSync(new ProcessRunner(new MemoryLogger()), req), (e: unknown) => {
    assert.ok(e instanceof UvSyncError, String(e));
    assert.match(e.message, /^uv sync failed: .*not-in-the-wheels/);
    assert.doesNotMatch(e.message, /hint:/);
    return true;
  });
});
