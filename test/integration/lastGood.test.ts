// Real nix: a devShell whose python3 answers the probe with something that is not its JSON (a
// wrapper that prints a banner, say) fails with a typed error that names the devShell, and the
// last good environment is served.
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import { PythonProbeError } from "../../src/core/errors";
import { MemoryLogger } from "../../src/core/logger";
import { resolve } from "../../src/core/mutations";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { devShellDerivation, gitTrackAll, makeHybridProject, tempDir, write } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

/** The fixture project with its devShell named `science`; FROM_NIX tells the evaluations apart. */
function writeFlake(dir: string, fromNix: string, pythonDir: string): void {
  const shell = devShellDerivation({ fromNix, shellHook: "export HOOK_RAN=yes" }).replace("${./nixpy}/bin", `\${./${pythonDir}}/bin`);
  write(join(dir, "flake.nix"), `{\n  outputs = { self }: {\n    devShells.x86_64-linux.science = ${shell};\n  };\n}\n`);
}

test("an unreadable Python probe is a PythonProbeError naming the devShell; the last good environment is served", async () => {
  const dir = makeHybridProject({ git: false });
  write(join(dir, "badpy", "bin", "python3"), "#!/bin/bash\necho 'Welcome to the lab python!'\n");
  chmodSync(join(dir, "badpy", "bin", "python3"), 0o755);
  writeFlake(dir, "first", "nixpy");
  gitTrackAll(dir);
  const log = new MemoryLogger();
  const req: LoadRequest = {
    dir,
    options: defaultOptions({ devShell: "science", cacheDir: join(tempDir("cache"), "c") }),
    baseEnv: testEnv(),
    runner: new ProcessRunner(log),
    log,
  };
  const first = await loadEnvironment(req);
  assert.equal(first.failure, undefined, String(first.failure));

  writeFlake(dir, "second", "badpy");
  const second = await loadEnvironment(req);
  assert.ok(second.failure instanceof PythonProbeError, String(second.failure));
  assert.match(second.failure.message, /devShell "science"/);
  assert.match(second.failure.message, /Welcome to the lab python!/, "says what it printed");
  assert.equal(resolve(req.baseEnv, second.environment.mutations).FROM_NIX, "first", "the last good environment");
});
