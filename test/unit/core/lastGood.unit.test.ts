// A load whose fresh evaluation fails with a typed error serves the last good environment. Here
// the failures are output the engine cannot read: a nix whose print-dev-env JSON is broken (a
// script stands in for nix; the real-nix case of an unreadable Python probe is in
// test/integration/lastGood.test.ts).
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DevEnvParseError } from "../../../src/core/devEnv";
import { loadEnvironment, type LoadRequest } from "../../../src/core/engine";
import { HybridEnvError } from "../../../src/core/errors";
import { MemoryLogger } from "../../../src/core/logger";
import { resolve } from "../../../src/core/mutations";
import { defaultOptions } from "../../../src/core/options";
import { ProcessRunner } from "../../../src/core/process";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

/** A nix-only project and a `nix` that prints the content of `output` (whatever it is). */
function nixOnlyProject(): { dir: string; nix: string; output: string } {
  const dir = tempDir("last-good");
  write(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
  const bin = tempDir("fake-nix");
  const output = join(bin, "output.json");
  const nix = join(bin, "nix");
  writeFileSync(nix, `#!/bin/bash\ncat ${output}\n`);
  chmodSync(nix, 0o755);
  return { dir, nix, output };
}

function request(dir: string, nix: string, cacheDir: string, useCache: boolean): LoadRequest {
  const log = new MemoryLogger();
  return { dir, options: defaultOptions({ nixPath: nix, cacheDir, useCache }), baseEnv: { PATH: "/usr/bin:/bin" }, runner: new ProcessRunner(log), log };
}

const GOOD = JSON.stringify({ variables: { FROM_NIX: { type: "exported", value: "good" } }, bashFunctions: {} });

describe("last good environment after unreadable nix output", () => {
  for (const [label, text] of [
    ["invalid JSON", "{\"variables\": {"],
    ["JSON without variables", "{\"bashFunctions\": {}}"],
  ] as const) {
    test(`${label}: a DevEnvParseError that says what to do, and the last good environment`, async () => {
      const { dir, nix, output } = nixOnlyProject();
      const cacheDir = tempDir("cache");
      writeFileSync(output, GOOD);
      assert.equal((await loadEnvironment(request(dir, nix, cacheDir, true))).failure, undefined);
      writeFileSync(output, text);
      const req = request(dir, nix, cacheDir, false);
      const result = await loadEnvironment(req);
      assert.ok(result.failure instanceof DevEnvParseError, String(result.failure));
      assert.ok(result.failure instanceof HybridEnvError);
      assert.match(result.failure.message, /nix print-dev-env --json/, "names the command to run by hand");
      assert.equal(result.failure.actions[0]?.kind, "open-log");
      assert.equal(resolve(req.baseEnv, result.environment.mutations).FROM_NIX, "good");
      assert.equal(result.fromCache, true);
    });
  }
});
