// A check that must fail: run by `npm run test:vscode -- --self-test`, never in the default run,
// to prove that a failing test makes the launcher print "0 passed, 1 failed" and exit non-zero.
import * as assert from "node:assert/strict";
import { runMochaSuite } from "../suite-runner";

export const run = () =>
  runMochaSuite("runner self-test (must fail)", () => {
    test("a check that must fail", () => {
      assert.equal(1 + 1, 3);
    });
  });
