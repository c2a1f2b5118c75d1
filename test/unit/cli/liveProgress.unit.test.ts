// The live progress line's logic on a recording stream (the real terminal is tested in
// test/integration/progress.test.ts): TTY only, throttled, cut to the width, erased at the end.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { liveProgressFor } from "../../../src/cli/liveProgress";
import type { NixProgress } from "../../../src/core/progress/nixLog";

const ERASE = "\r\u001b[2K";
const zero = { done: 0, expected: 0, running: 0, failed: 0 };
const nix = (done: number): NixProgress => ({ builds: { done, expected: 9, running: 1, failed: 0 }, download: zero, copyPaths: zero, copyBytes: zero, evaluatedFiles: 0, running: [`pkg-${done}`] });

function stream(columns = 120) {
  const writes: string[] = [];
  return { isTTY: true, columns, writes, write: (t: string) => (writes.push(t), true) };
}

describe("liveProgressFor", () => {
  test("none for a pipe or TERM=dumb", () => {
    assert.equal(liveProgressFor({ isTTY: false, write: () => true }, {}), undefined);
    assert.equal(liveProgressFor(stream(), { TERM: "dumb" }), undefined);
  });

  test("a step draws at once; updates within 100 ms coalesce into one later draw; done erases", async () => {
    const s = stream();
    const live = liveProgressFor(s, { TERM: "xterm" })!;
    live.step("cache");
    assert.deepEqual(s.writes, [], "a cache lookup draws nothing");
    live.step("nix");
    live.update({ tool: "nix", nix: nix(1) });
    live.update({ tool: "nix", nix: nix(2) });
    live.update({ tool: "nix", nix: nix(3) });
    assert.deepEqual(s.writes, [`${ERASE}hybrid-env: Evaluating flake…`]);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(s.writes.slice(1), [`${ERASE}hybrid-env: nix · building 4/9 (pkg-3)`], "one draw, the last update wins");
    live.step("done");
    assert.equal(s.writes.at(-1), ERASE);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(s.writes.length, 3, "nothing is drawn after the end");
  });

  test("cut to the terminal's width, never wrapping", () => {
    const s = stream(30);
    const live = liveProgressFor(s, {})!;
    live.step("nix");
    live.update({ tool: "nix", nix: nix(1) });
    for (const w of s.writes) assert.ok(w.length - ERASE.length <= 29, JSON.stringify(w));
    assert.ok(s.writes.at(-1)!.endsWith("…"));
    live.clear();
  });
});
