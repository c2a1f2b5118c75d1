// flake.lock reading (inputs, follows, what moved), the store path of a locked source, the Nix
// version's update command line, and "did you mean".
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { diffLocks, formatChange, lockedInputs, nixBase32, resolveInput, sourceStorePath } from "../../../../src/core/flakeLock";
import { parseNixVersion, updateArgs, updateTakesInputNames } from "../../../../src/core/flakeUpdate";
import { editDistance, suggestNames } from "../../../../src/core/flake/suggestions";

const lock = (nixpkgsRev: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    nodes: {
      nixpkgs: { locked: { type: "github", owner: "NixOS", repo: "nixpkgs", rev: nixpkgsRev, narHash: `sha256-${nixpkgsRev.padEnd(43, "A").slice(0, 43)}=`, lastModified: 1714521600 }, original: {} },
      utils: { inputs: { systems: "systems" }, locked: { type: "github", owner: "numtide", repo: "flake-utils", rev: "u1", lastModified: 1700000000 } },
      systems: { locked: { type: "github", owner: "nix-systems", repo: "default", rev: "s1" } },
      dev: { inputs: { nixpkgs: ["nixpkgs"] }, locked: { type: "path", path: "/src/dev", narHash: "sha256-x" } },
      root: { inputs: { nixpkgs: "nixpkgs", utils: "utils", dev: "dev", ...extra } },
    },
    root: "root",
    version: 7,
  });

describe("flake.lock", () => {
  test("inputs by the path a user names them; follows are not repeated", () => {
    assert.deepEqual(lockedInputs(lock("a1")).map((i) => [i.path, i.url]), [
      ["nixpkgs", "github:NixOS/nixpkgs"],
      ["utils", "github:numtide/flake-utils"],
      ["utils/systems", "github:nix-systems/default"],
      ["dev", "path:/src/dev"],
    ]);
    assert.equal(resolveInput(lock("a1"), "dev/nixpkgs")?.rev, "a1", "a follows resolves to its target");
    assert.equal(resolveInput(lock("a1"), "nope"), undefined);
  });

  test("what moved, with short revisions and dates", () => {
    const changes = diffLocks(lock("a1b2c3d4e5"), lock("f6e5d4c3b2"));
    assert.deepEqual(changes.map((c) => [c.input, c.kind]), [["nixpkgs", "updated"]]);
    assert.equal(formatChange(changes[0]!), "nixpkgs: a1b2c3d (2024-05-01) → f6e5d4c (2024-05-01)");
    assert.deepEqual(diffLocks(undefined, lock("a1")).map((c) => c.kind), ["added", "added", "added", "added"]);
    assert.deepEqual(diffLocks(lock("a1", { extra: "systems" }), lock("a1")).map((c) => [c.input, c.kind]), [["extra", "removed"]]);
    assert.throws(() => diffLocks("{", lock("a1")), /not valid JSON/);
  });

  test("the source store path of a locked input, as Nix names it (checked against Nix 2.8 once, and by the integration test)", () => {
    assert.equal(sourceStorePath("sha256-bZ71poCrtVMMdPmfDzdVyFN4qtwHUAD8uAueCS/F7ow="), "/nix/store/1z8z8ch12wj8mgzc433ppvns9q9yymaj-source");
    assert.equal(sourceStorePath("sha1-abc"), undefined);
    assert.equal(nixBase32(new Uint8Array([0xff])), "7z");
  });
});

describe("the update command line for the Nix at hand", () => {
  test("versions, including distributions that print their own name first", () => {
    assert.deepEqual(parseNixVersion("nix (Nix) 2.8.0\n"), { major: 2, minor: 8, patch: 0, text: "nix (Nix) 2.8.0" });
    assert.equal(parseNixVersion("nix (Determinate Nix 3.1.0) 2.26.3")?.minor, 26);
    assert.equal(parseNixVersion("nix (Lix, like Nix) 2.91.1")?.minor, 91);
    assert.equal(parseNixVersion("garbage"), undefined);
  });
  test("2.8: flake update for all, flake lock --update-input for one; 2.19 and later: flake update NAME", () => {
    const v28 = parseNixVersion("nix (Nix) 2.8.0")!;
    const v219 = parseNixVersion("nix (Nix) 2.19.2")!;
    assert.equal(updateTakesInputNames(v28), false);
    assert.equal(updateTakesInputNames(v219), true);
    assert.deepEqual(updateArgs(false), ["flake", "update", "--extra-experimental-features", "nix-command flakes"]);
    assert.deepEqual(updateArgs(false, "nixpkgs"), ["flake", "lock", "--extra-experimental-features", "nix-command flakes", "--update-input", "nixpkgs"]);
    assert.deepEqual(updateArgs(true, "nixpkgs"), ["flake", "update", "--extra-experimental-features", "nix-command flakes", "nixpkgs"]);
  });
});

describe("did you mean", () => {
  const names = ["numpy", "numba", "pyyaml", "scikit-learn", "python-dateutil", "requests", "requests-toolbelt", "rich", "torch", "torchvision"];
  test("spelling variants first, then near misses, then names that start with or contain it", () => {
    assert.deepEqual(suggestNames("PyYAML", names), ["pyyaml"]);
    assert.deepEqual(suggestNames("scikit_learn", names), ["scikit-learn"]);
    assert.deepEqual(suggestNames("nupmy", names).slice(0, 1), ["numpy"]);
    assert.deepEqual(suggestNames("dateutil", names), ["python-dateutil"]);
    assert.deepEqual(suggestNames("request", names), ["requests", "requests-toolbelt"]);
    assert.deepEqual(suggestNames("zzzzzz", names), []);
  });
  test("edit distance counts a swap as one", () => {
    assert.equal(editDistance("numpy", "nupmy"), 1);
    assert.equal(editDistance("abc", "xyz"), 3);
  });
});
