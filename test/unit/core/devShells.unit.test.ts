// The pure parts of the devShell listing (the real `nix eval` is in test/integration/devShells.test.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { devShellsArgs, nixSystem, parseNames, parseSystems } from "../../../src/core/devShells";

describe("devShells", () => {
  test("nixSystem names this machine as Nix does", () => {
    assert.equal(nixSystem("linux", "x64"), "x86_64-linux");
    assert.equal(nixSystem("darwin", "arm64"), "aarch64-darwin");
    assert.equal(nixSystem("linux", "arm64"), "aarch64-linux");
  });

  test("one offline nix eval of the attribute names, no shell built", () => {
    assert.deepEqual(devShellsArgs("/p"), ["eval", "--json", "--offline", "--extra-experimental-features", "nix-command flakes", "/p#devShells", "--apply", "builtins.mapAttrs (system: shells: builtins.attrNames shells)"]);
    assert.throws(() => devShellsArgs("/p#x"), /cannot express/);
    assert.deepEqual(devShellsArgs("/p", "devShell").slice(-3), ["/p#devShell", "--apply", "builtins.attrNames"]);
  });

  test("parseSystems reads the legacy output's systems", () => {
    assert.deepEqual(parseSystems('["x86_64-linux", 1]'), ["x86_64-linux"]);
    assert.throws(() => parseSystems("{}"), /no list/);
  });

  test("parseNames keeps string lists per system and refuses anything but an attribute set", () => {
    assert.deepEqual(parseNames('{"x86_64-linux":["default","b",3],"odd":"x"}'), { "x86_64-linux": ["default", "b"] });
    assert.throws(() => parseNames("[1]"), /no attribute set/);
  });
});
