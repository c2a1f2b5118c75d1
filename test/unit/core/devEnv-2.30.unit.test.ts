// parseDevEnv / exportedVariables on the Nix 2.30.5 recordings of `nix print-dev-env --json`, beside
// the Debian 2.8.0 recordings of the same flakes (test/fixtures/print-dev-env/; the flakes are in
// test/integration/nixDevEnv.test.ts, which checks the recordings against each real Nix).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "../../helpers/nixMatrix";
import { exportedVariables, parseDevEnv, shellHookOf, type DevEnv } from "../../../src/core/devEnv";

const FIXTURES = join(repoRoot(), "test", "fixtures", "print-dev-env");
const load = (name: string): DevEnv => parseDevEnv(readFileSync(join(FIXTURES, name), "utf8"));
const BUILD_DIR_230 = /^\/nix\/var\/nix\/builds\/nix-\d+-\d+$/;

for (const kind of ["shellhook", "stdenv-functions"]) {
  describe(`${kind}: 2.30.5 beside 2.8.0`, () => {
    const old = load(`nix-2.8-${kind}.json`);
    const recent = load(`nix-2.30.5-${kind}.json`);

    test("the same variables with the same types, less bash's COMP_WORDBREAKS and EPOCH*", () => {
      const shape = (e: DevEnv) => [...e.variables].map(([n, v]) => `${n}:${v.type}`);
      const onlyIn28 = ["COMP_WORDBREAKS:var", "EPOCHREALTIME:var", "EPOCHSECONDS:var"];
      assert.deepEqual(shape(recent), shape(old).filter((s) => !onlyIn28.includes(s)));
      assert.deepEqual(recent.bashFunctions, old.bashFunctions);
      assert.equal(shellHookOf(recent).replace(/\/nix\/store\/\w+-/g, ""), shellHookOf(old).replace(/\/nix\/store\/\w+-/g, ""));
    });

    test("2.30 builds in /nix/var/nix/builds/nix-<pid>-<n>, 2.8 in /tmp/nix-build-…; neither reaches the environment", () => {
      for (const name of ["NIX_BUILD_TOP", "TMP", "TMPDIR", "TEMP", "TEMPDIR"]) {
        const v = recent.variables.get(name);
        assert.ok(v?.type === "exported" && BUILD_DIR_230.test(v.value), `${name}: ${JSON.stringify(v)}`);
        const o = old.variables.get(name);
        assert.ok(o?.type === "exported" && o.value.startsWith("/tmp/nix-build-"), `${name}: ${JSON.stringify(o)}`);
      }
      for (const env of [old, recent]) {
        const exported = exportedVariables(env);
        for (const dropped of ["NIX_BUILD_TOP", "TMP", "TMPDIR", "TEMP", "TEMPDIR", "HOME", "TERM", "NIX_LOG_FD", "OLDPWD", "shellHook"]) {
          assert.equal(exported.has(dropped), false, dropped);
        }
        for (const [name, value] of exported) assert.doesNotMatch(value, /homeless-shelter|\/nix\/var\/nix\/builds|nix-build-/, name);
      }
    });

    test("`name` is the devShell's on 2.8 and the env derivation's (…-env) on 2.30", () => {
      const name = (e: DevEnv) => exportedVariables(e).get("name");
      assert.equal(name(recent), `${name(old)}-env`);
    });
  });
}

test("2.30.5 stdenv-functions: exactly the variables a user's shell gets", () => {
  const exported = exportedVariables(load("nix-2.30.5-stdenv-functions.json"));
  assert.deepEqual([...exported.keys()], [
    "FROM_SETUP", "IN_NIX_SHELL", "NIX_BUILD_CORES", "NIX_STORE", "PATH",
    "builder", "dontAddDisableDepTrack", "name", "out", "outputs", "stdenv", "system",
  ]);
  assert.equal(exported.get("name"), "s-env");
});
