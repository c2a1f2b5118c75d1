// Log levels with real nix, bash and uv: the tools' own output (nix's and uv's stderr, what the
// shellHook prints) is debug; the command lines are info. `--verbose` shows both.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { cli } from "../helpers/cli";
import { devShellDerivation, gitTrackAll, makeHybridProject, tempDir, write } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

test("env --verbose: nix, uv and shellHook output at [debug], command lines at [info]", async () => {
  const dir = makeHybridProject({ git: false });
  const shell = devShellDerivation({
    fromNix: "nix-value",
    shellHook: "echo hello from the hook",
    extraAttrs: `TRACED = builtins.trace "hello from nix" "x";`,
  });
  write(join(dir, "flake.nix"), `{\n  outputs = { self }: {\n    devShells.x86_64-linux.default = ${shell};\n  };\n}\n`);
  gitTrackAll(dir);
  const r = await cli(["env", "--verbose", "--no-cache", dir], testEnv({ XDG_CACHE_HOME: tempDir("xdg") }));
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split("\n");
  assert.ok(lines.includes("[debug] shellHook: hello from the hook"), r.stderr);
  assert.ok(lines.some((l) => /^\[debug\] nix: trace: hello from nix$/.test(l)), r.stderr);
  assert.ok(lines.some((l) => /^\[debug\] uv: /.test(l)), r.stderr);
  assert.ok(lines.some((l) => /^\[info\] \$ \S*nix print-dev-env /.test(l)), r.stderr);
  assert.ok(lines.some((l) => /^\[info\] \$ \S*uv sync/.test(l)), r.stderr);
  assert.deepEqual(lines.filter((l) => /^\[info\] (nix|uv|shellHook): /.test(l)), [], "tool output is not info");
});

test("env without --verbose logs nothing but the progress lines", async () => {
  const dir = makeHybridProject();
  const r = await cli(["env", "--no-cache", dir], testEnv({ XDG_CACHE_HOME: tempDir("xdg") }));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stderr.split("\n").filter((l) => l && !l.startsWith("hybrid-env: ")), []);
});
