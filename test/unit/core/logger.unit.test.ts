// Log levels in the engine: a tool's stderr is debug, the command line info; a logger without the
// optional debug/trace (an older front end's) still works and simply drops those lines.
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadEnvironment } from "../../../src/core/engine";
import { MemoryLogger, silentLogger, type Logger } from "../../../src/core/logger";
import { defaultOptions } from "../../../src/core/options";
import { ProcessRunner } from "../../../src/core/process";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

/** A nix-only project and a `nix` script that prints a progress line on stderr and a devShell on stdout. */
function project(): { dir: string; nix: string } {
  const dir = tempDir("log-levels");
  write(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
  const nix = join(tempDir("fake-nix"), "nix");
  const json = JSON.stringify({ variables: { FROM_NIX: { type: "exported", value: "x" } }, bashFunctions: {} });
  write(nix, `#!/bin/bash\necho "copying path '/nix/store/abc-source'" >&2\necho '${json}'\n`);
  chmodSync(nix, 0o755);
  return { dir, nix };
}

async function load(log: Logger): Promise<void> {
  const { dir, nix } = project();
  const options = defaultOptions({ nixPath: nix, cacheDir: tempDir("cache"), useCache: false });
  const result = await loadEnvironment({ dir, options, baseEnv: { PATH: "/usr/bin:/bin" }, runner: new ProcessRunner(log), log });
  assert.equal(result.failure, undefined);
}

describe("engine log levels", () => {
  test("nix's stderr goes to debug; its command line and exit to info", async () => {
    const log = new MemoryLogger();
    await load(log);
    assert.ok(log.lines.includes("debug nix: copying path '/nix/store/abc-source'"), log.lines.join("\n"));
    assert.ok(log.lines.some((l) => /^info \$ \S+\/nix print-dev-env --json /.test(l)), log.lines.join("\n"));
    assert.ok(log.lines.some((l) => /^info nix print-dev-env: exit 0 in \d+ ms$/.test(l)));
    assert.deepEqual(log.lines.filter((l) => l.startsWith("info nix:")), []);
  });

  test("a logger with only info/warn/error, and silentLogger, work", async () => {
    const seen: string[] = [];
    await load({ info: (m) => seen.push(m), warn: (m) => seen.push(m), error: (m) => seen.push(m) });
    assert.ok(seen.some((m) => m.startsWith("$ ")));
    assert.ok(!seen.some((m) => m.includes("copying path")), "debug lines are dropped, not sent to info");
    await load(silentLogger);
  });
});
