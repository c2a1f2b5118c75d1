// Every timeout message names what really raises that timeout, or says it is fixed. The runs
// use the real tools (git, nix-instantiate) with a limit too short for them to meet.
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runDoctor } from "../../../src/core/doctor";
import { TimedOutError } from "../../../src/core/errors";
import { checkNixParses } from "../../../src/core/flake/check";
import { MemoryLogger } from "../../../src/core/logger";
import { defaultOptions } from "../../../src/core/options";
import { ProcessRunner } from "../../../src/core/process";
import { trackNewFiles } from "../../../src/core/template";
import { write } from "../../helpers/fixtures";
import { testEnv } from "../../helpers/tools";
import { tempDir } from "../tmp";

const runner = new ProcessRunner(new MemoryLogger());

const isFixedTimeout = (e: unknown) => {
  assert.ok(e instanceof TimedOutError, String(e));
  assert.match(e.message, /did not finish within .*The limit is fixed \(/);
  assert.doesNotMatch(e.message, /Raise/);
  assert.deepEqual(e.actions.map((a) => a.kind), ["open-log"], "no Configure button for a setting that does not exist");
  return true;
};

describe("timeout messages", () => {
  test("TimedOutError: a setting and its CLI flag, a flag alone, or fixed", () => {
    const both = new TimedOutError("nix print-dev-env", 600_000, { setting: "hybridEnv.nixTimeoutSeconds", flag: "--timeout" });
    assert.equal(both.message, "nix print-dev-env did not finish within 600 s. Raise hybridEnv.nixTimeoutSeconds (the CLI: --timeout) or check the log.");
    assert.deepEqual(both.actions.at(-1), { kind: "configure", label: "Configure", target: "hybridEnv.nixTimeoutSeconds" });
    const flag = new TimedOutError("nix-instantiate --parse", 2_000, { flag: "--timeout" });
    assert.equal(flag.message, "nix-instantiate --parse did not finish within 2 s. Raise it with --timeout or check the log.");
    assert.doesNotMatch(flag.message, /hybridEnv\./);
    assert.throws(() => {
      throw new TimedOutError("git add -N", 30_000, { fixed: "git answers at once" });
    }, isFixedTimeout);
  });

  test("nix-instantiate --parse (fixed 30 s in VS Code) does not send the user to hybridEnv.nixTimeoutSeconds", async () => {
    await assert.rejects(checkNixParses("{ }", { runner, env: testEnv(), timeoutMs: 1 }), (e: unknown) => {
      assert.doesNotMatch((e as Error).message, /nixTimeoutSeconds/);
      return isFixedTimeout(e);
    });
  });

  test("git in Create Hybrid Project: fixed, not \"Raise git\"", async () => {
    const dir = tempDir("timeout-git");
    await assert.rejects(trackNewFiles(dir, ["flake.nix"], { runner, env: testEnv(), timeoutMs: 1 }), isFixedTimeout);
  });

  test("doctor's quick checks: fixed, not --timeout (which does not raise them); reported as a finding", async () => {
    const bin = tempDir("slow-nix");
    write(join(bin, "nix"), "#!/bin/bash\nexec sleep 5\n");
    chmodSync(join(bin, "nix"), 0o755);
    const dir = tempDir("doctor");
    write(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
    const log = new MemoryLogger();
    const findings = await runDoctor(
      { dir, options: defaultOptions({ nixPath: join(bin, "nix"), cacheDir: tempDir("cache"), nixTimeoutMs: 200 }), baseEnv: testEnv(), runner: new ProcessRunner(log), log },
      { quickCheckTimeoutMs: 100 },
    );
    const nix = findings.find((f) => f.check === "nix");
    assert.equal(nix?.level, "error", JSON.stringify(findings));
    assert.match(nix!.message, /nix --version did not finish within .*The limit is fixed/);
    assert.doesNotMatch(nix!.message, /--timeout/);
  });
});
