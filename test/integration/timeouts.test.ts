// The CLI's timeout messages name its own flag, --timeout (real nix, real nix-instantiate).
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli } from "../helpers/cli";
import { makeHybridProject, tempDir } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

test("env --timeout: nix print-dev-env's timeout names --timeout and the VS Code setting", async () => {
  const dir = makeHybridProject();
  const r = await cli(["env", "--no-cache", "--timeout", "0.001", dir], testEnv({ XDG_CACHE_HOME: tempDir("xdg") }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nix print-dev-env did not finish within 1 ms\. Raise hybridEnv\.nixTimeoutSeconds \(the CLI: --timeout\)/);
});

test("add-nix-package --timeout: nix-instantiate's timeout names --timeout, not a VS Code setting", async () => {
  const dir = tempDir("timeout-edit");
  copyFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", "flakes", "seed.nix"), join(dir, "flake.nix"));
  const r = await cli(["add-nix-package", "rich", dir, "--timeout", "0.001"], testEnv());
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nix-instantiate --parse did not finish within 1 ms\. Raise it with --timeout/);
  assert.doesNotMatch(r.stderr, /hybridEnv\./);
});
