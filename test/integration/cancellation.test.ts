// Cancelling a slow evaluation kills nix and the builder it started: no child is left alive.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadEnvironment } from "../../src/core/engine";
import { CancelledError } from "../../src/core/errors";
import { MemoryLogger } from "../../src/core/logger";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { makeHybridProject, tempDir } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";
import { processesWithArg, waitUntil } from "../helpers/processes";

test("cancel during a slow build leaves no nix or builder process", async () => {
  // The devShell depends on a derivation whose builder sleeps: nix must build it first.
  const marker = `${Date.now() % 100000}.5`; // a unique sleep duration to find the builder by
  const slow = `SLOW = derivation { name = "slow"; system = "x86_64-linux"; builder = "/bin/bash"; outputs = [ "out" ]; args = [ "-c" "/bin/sleep ${marker}; echo > $out" ]; };`;
  // This machine sometimes kills builders (see shared notes): retry if nix failed before we cancelled.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const dir = makeHybridProject({ extraShellAttrs: slow });
    const abort = new AbortController();
    const log = new MemoryLogger();
    const load = loadEnvironment({
      dir,
      options: defaultOptions({ cacheDir: join(tempDir("cache"), "c") }),
      baseEnv: testEnv(),
      runner: new ProcessRunner(log),
      log,
      signal: abort.signal,
    });
    const builderStarted = await waitUntil(() => processesWithArg(`sleep ${marker}`).length > 0, 20_000);
    if (!builderStarted) {
      await load.catch(() => undefined);
      console.log(`attempt ${attempt}: the builder never started (${log.lines.slice(-3).join(" | ")}); retrying`);
      continue;
    }
    abort.abort();
    await assert.rejects(load, CancelledError);
    const gone = await waitUntil(() => processesWithArg(`sleep ${marker}`).length === 0 && processesWithArg(dir).length === 0, 5_000);
    assert.ok(gone, `left alive: ${processesWithArg(`sleep ${marker}`).join(", ")} ${processesWithArg(dir).join(", ")}`);
    return;
  }
  assert.fail("the slow builder never started in 3 attempts");
});
