// A failing activate() becomes an error notification with Show Log, cleans up, and still fails.
import assert from "node:assert/strict";
import { test } from "node:test";
import { guardActivation } from "../../../src/common/activationGuard";
import { FakeLog, FakeWindow, settle } from "../fakes";

test("an activation failure is shown with Show Log, logged with its stack, cleaned up and rethrown", async () => {
  const log = new FakeLog();
  const window = new FakeWindow();
  window.answers.push({ match: /failed to start/, answer: "Show Log" });
  let cleaned = false;
  assert.throws(
    () => guardActivation(log, window, () => { throw new Error("no registry"); }, () => void (cleaned = true)),
    /no registry/,
  );
  await settle();
  assert.deepEqual(window.errors(), [{ kind: "error", message: "Hybrid Env failed to start: no registry", actions: ["Show Log"] }]);
  assert.ok(cleaned);
  assert.ok(log.lines.some((l) => l.startsWith("error activation failed: Error: no registry\n")), "the stack is in the log");
  assert.equal(log.shown, 1, "Show Log shows it");
});

test("a successful activation passes its value through and shows nothing", () => {
  const window = new FakeWindow();
  assert.equal(guardActivation(new FakeLog(), window, () => 42, () => assert.fail("no clean-up")), 42);
  assert.deepEqual(window.shown, []);
});
