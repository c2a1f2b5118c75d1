// The Python probe's failures name the devShell the user configured, and say what went wrong.
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NoPythonError } from "../../../src/core/errors";
import { MemoryLogger } from "../../../src/core/logger";
import { ProcessRunner } from "../../../src/core/process";
import { probePython, probePythonCached } from "../../../src/core/python";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

const runner = new ProcessRunner(new MemoryLogger());
const env = { PATH: "/usr/bin:/bin" };

/** A python3 that dies at start, as a broken wrapper or a missing shared library does. */
function brokenPython(): string {
  const path = join(tempDir("broken-python"), "python3");
  write(path, "#!/bin/bash\necho 'error while loading shared libraries: libpython3.11.so.1.0' >&2\nexit 127\n");
  chmodSync(path, 0o755);
  return path;
}

describe("probePython failures", () => {
  test("a python3 that does not run: NoPythonError names the configured devShell and the reason", async () => {
    const python = brokenPython();
    await assert.rejects(probePython(runner, python, env, { cwd: tempDir("cwd"), timeoutMs: 10_000, devShell: "science" }), (e: unknown) => {
      assert.ok(e instanceof NoPythonError, String(e));
      assert.match(e.message, /devShell "science"/);
      assert.doesNotMatch(e.message, /"default"/);
      assert.match(e.message, /libpython3\.11\.so\.1\.0/);
      return true;
    });
  });

  test("the cached probe says the same", async () => {
    await assert.rejects(
      probePythonCached(runner, brokenPython(), env, { cwd: tempDir("cwd"), timeoutMs: 10_000, devShell: "docs", cacheDir: tempDir("cache") }),
      (e: unknown) => e instanceof NoPythonError && /devShell "docs"/.test(e.message),
    );
  });
});
