// uv's failure summed up in one line: its last error or cause, not the hints it prints after.
import assert from "node:assert/strict";
import { test } from "node:test";
import { uvHeadline } from "../../../src/core/errors";

test("uvHeadline skips uv's closing hints (output of uv 0.13 `uv add` on a missing package)", () => {
  const output = [
    "error: Failed to add dependencies",
    "  cause: No solution found when resolving dependencies",
    "  cause: Because no-such-package-xyz was not found in the provided package locations, we can conclude that your project's requirements are unsatisfiable.",
    "",
    "hint: Packages were unavailable because index lookups were disabled",
    "",
    "hint: If you want to add the package regardless of the failed resolution, provide the `--frozen` flag",
  ].join("\n");
  assert.equal(uvHeadline(output), "Because no-such-package-xyz was not found in the provided package locations, we can conclude that your project's requirements are unsatisfiable.");
  assert.equal(uvHeadline("error: Failed to fetch\n"), "Failed to fetch");
  assert.equal(uvHeadline(""), "no output");
});
