// ProcessRunner's failures are typed HybridEnvErrors whose messages say what really went wrong
// (so that a load falls back to the last good environment, and the user is sent the right way).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { HybridEnvError, ToolNotFoundError } from "../../../src/core/errors";
import { MemoryLogger } from "../../../src/core/logger";
import { ProcessRunner, type RunOptions } from "../../../src/core/process";
import { tempDir } from "../tmp";

const runner = new ProcessRunner(new MemoryLogger());
const opts = (over: Partial<RunOptions> = {}): RunOptions => ({
  what: "the test script",
  env: { PATH: "/usr/bin:/bin" },
  timeoutMs: 10_000,
  timeoutRaisedBy: { fixed: "a test" },
  ...over,
});

describe("ProcessRunner errors", () => {
  test("more stdout than maxStdoutBytes is a HybridEnvError (a load can serve the last good environment)", async () => {
    await assert.rejects(runner.run("/bin/bash", ["-c", "head -c 5000 /dev/zero"], opts({ maxStdoutBytes: 100 })), (e: unknown) => {
      assert.ok(e instanceof HybridEnvError, String(e));
      assert.match(e.message, /^the test script printed more than 100 bytes/);
      return true;
    });
  });

  test("a working folder that does not exist is said as such, not as the tool being missing", async () => {
    const gone = join(tempDir("cwd"), "deleted-project");
    await assert.rejects(runner.run("/bin/true", [], opts({ cwd: gone })), (e: unknown) => {
      assert.ok(e instanceof HybridEnvError, String(e));
      assert.ok(!(e instanceof ToolNotFoundError), `${(e as Error).constructor.name}: ${(e as Error).message}`);
      assert.match(e.message, new RegExp(`${gone.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} does not exist`));
      return true;
    });
  });
});
