// parseNixVersion / versionNote / readsPathsWithSpaces on the `nix --version` lines of Nix, Lix and
// Determinate Nix (the two tested ones as the real Nix prints them; the others as their users report).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseNixVersion, readsPathsWithSpaces, TESTED_NIX_VERSIONS, versionNote } from "../../../src/core/nixVersions";

test("the three flavours and their versions", () => {
  assert.deepEqual(parseNixVersion("nix (Nix) 2.8.0\n"), { flavour: "nix", version: "2.8.0", major: 2, minor: 8 });
  assert.deepEqual(parseNixVersion("nix (Nix) 2.30.5"), { flavour: "nix", version: "2.30.5", major: 2, minor: 30 });
  assert.deepEqual(parseNixVersion("nix (Lix, like Nix) 2.96.0"), { flavour: "lix", version: "2.96.0", major: 2, minor: 96 });
  // Determinate Nix's own version is in the parentheses; the Nix it is based on follows.
  assert.deepEqual(parseNixVersion("nix (Determinate Nix 3.6.2) 2.29.0"), { flavour: "determinate", version: "2.29.0", major: 2, minor: 29 });
  assert.equal(parseNixVersion("command not found"), undefined);
});

test("doctor's note: tested, untested Nix, Lix, Determinate Nix", () => {
  assert.deepEqual(TESTED_NIX_VERSIONS, ["2.8.0", "2.30.5"]);
  assert.match(versionNote(parseNixVersion("nix (Nix) 2.30.5")!), /^a version hybrid-env is tested with \(tested: Nix 2\.8\.0 and 2\.30\.5\)$/);
  assert.match(versionNote(parseNixVersion("nix (Nix) 2.24.1")!), /^not a tested version/);
  assert.match(versionNote(parseNixVersion("nix (Lix, like Nix) 2.93.0")!), /^Lix is not tested .*forked from Nix 2\.18/);
  assert.match(versionNote(parseNixVersion("nix (Determinate Nix 3.6.2) 2.29.0")!), /^Determinate Nix is not tested .*based on Nix 2\.29\.0, with stable flakes and lazy trees/);
});

test("paths with a space: Nix 2.19 and later read them, 2.8 does not, Lix is not known", () => {
  assert.equal(readsPathsWithSpaces(parseNixVersion("nix (Nix) 2.8.0")!), false);
  assert.equal(readsPathsWithSpaces(parseNixVersion("nix (Nix) 2.18.9")!), false);
  assert.equal(readsPathsWithSpaces(parseNixVersion("nix (Nix) 2.19.0")!), true);
  assert.equal(readsPathsWithSpaces(parseNixVersion("nix (Determinate Nix 3.6.2) 2.29.0")!), true);
  assert.equal(readsPathsWithSpaces(parseNixVersion("nix (Lix, like Nix) 2.93.0")!), undefined);
});
