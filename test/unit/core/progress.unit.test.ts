// The progress parsers on output recorded from the real Nix 2.8 and uv of this machine
// (test/fixtures/progress/record.sh says how), and the one-line descriptions.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NixEvalError } from "../../../src/core/errors";
import { classifyNixFailure } from "../../../src/core/nixErrors";
import { describeNixProgress, describeUvProgress, megabytes } from "../../../src/core/progress/describe";
import { nixLogText, NixLogReader, type NixProgress } from "../../../src/core/progress/nixLog";
import { UvLogReader, type UvProgress } from "../../../src/core/progress/uvLog";

const FIXTURES = join(__dirname, "../../../../test/fixtures/progress");
const lines = (name: string) => readFileSync(join(FIXTURES, name), "utf8").split("\n");

function replayNix(name: string) {
  const states: NixProgress[] = [];
  const texts: string[] = [];
  const reader = new NixLogReader((p) => states.push(p));
  for (const l of lines(name)) {
    const t = reader.feed(l);
    if (t !== undefined) texts.push(t);
  }
  const described = states.map(describeNixProgress).filter((d, i, all) => d !== all[i - 1]);
  return { states, texts, described, final: reader.snapshot() };
}

function replayUv(name: string) {
  const states: UvProgress[] = [];
  const reader = new UvLogReader((p) => states.push(p));
  for (const l of lines(name)) reader.feed(l);
  return { states, described: states.map(describeUvProgress).filter((d, i, all) => d !== all[i - 1]) };
}

describe("NixLogReader on recorded Nix 2.8 logs", () => {
  test("four sleeping builds and the devShell's own: building 1/5 … built 5/5, with names", () => {
    const { described, final, texts, states } = replayNix("nix-builds.log");
    assert.equal(described[0], "evaluating (1 files)");
    for (const n of [1, 2, 3, 4]) assert.ok(described.includes(`building ${n}/5 (step-${n})`), described.join("\n"));
    assert.ok(described.includes("building 5/5 (step-shell-env)"), described.join("\n"));
    assert.equal(described.at(-1), "built 5/5");
    assert.deepEqual(final.builds, { done: 5, expected: 5, running: 0, failed: 0 });
    const done = states.map((s) => s.builds.done);
    assert.ok(done.every((d, i) => i === 0 || d >= done[i - 1]!), "the count never goes back");
    assert.ok(texts.includes("step-2> building step 2"), "build output reaches the log");
    assert.ok(texts.some((t) => /^building '\/nix\/store\/[a-z0-9]{32}-step-1\.drv'$/.test(t)), texts.join("\n"));
    assert.ok(!texts.some((t) => t.startsWith("@nix") || t.startsWith("evaluating file")), "no JSON and no -v chatter in the log");
  });

  test("three paths substituted over HTTP: downloaded bytes climb to the total, 3/3 paths copied", () => {
    const { described, final } = replayNix("nix-downloads.log");
    const total = 36_000_000;
    assert.ok(Math.abs(final.download.expected - total) / total < 0.01, String(final.download.expected));
    assert.equal(final.download.done, final.download.expected);
    assert.deepEqual([final.copyPaths.done, final.copyPaths.expected], [3, 3]);
    const shown = described.map((d) => /downloading (\d+)\/36 MB/.exec(d)?.[1]).filter((x): x is string => x !== undefined).map(Number);
    assert.ok(shown.length >= 5, described.join("\n"));
    assert.ok(shown.every((v, i) => i === 0 || v >= shown[i - 1]!), shown.join(","));
    assert.equal(shown.at(-1), 36);
  });

  test("an evaluation error: the plain text classifies as before, with its position", () => {
    const text = nixLogText(readFileSync(join(FIXTURES, "nix-eval-error.log"), "utf8"));
    assert.match(text, /^error: syntax error, unexpected ';'$/m);
    const err = classifyNixFailure(text, "nix print-dev-env", 1);
    assert.ok(err instanceof NixEvalError, err.message);
    assert.deepEqual(err.location, { file: "flake.nix", line: 1, column: 61 });
  });

  test("a failing builder: its output and the error in the text, the failure counted", () => {
    const { final } = replayNix("nix-build-error.log");
    const text = nixLogText(readFileSync(join(FIXTURES, "nix-build-error.log"), "utf8"));
    assert.match(text, /^broken-1> about to fail$/m);
    assert.match(text, /^error: builder for '\/nix\/store\/[a-z0-9]{32}-broken-1\.drv' failed with exit code 3$/m);
    assert.match(classifyNixFailure(text, "nix print-dev-env", 1).message, /dependencies of derivation .* failed to build/);
    assert.equal(final.builds.failed, 1);
  });

  test("lines that are not JSON pass through; broken JSON is kept as text", () => {
    const reader = new NixLogReader();
    assert.equal(reader.feed("warning: plain"), "warning: plain");
    assert.equal(reader.feed("@nix {broken"), "@nix {broken");
    assert.equal(reader.feed(""), undefined);
    assert.equal(reader.feed('@nix {"action":"result","id":99,"type":105,"fields":[1,2,0,0]}'), undefined, "a result of an unknown activity is ignored");
  });
});

describe("UvLogReader on recorded uv 0.13 output", () => {
  test("cold sync from PyPI: resolving → resolved 7 · downloading numpy → installing → installed 6", () => {
    const { described, states } = replayUv("uv-cold.log");
    assert.deepEqual(described, ["resolving dependencies", "resolved 7 · preparing", "resolved 7 · downloading numpy (15.6MiB)", "resolved 7 · preparing", "prepared 6 · installing", "installed 6"]);
    assert.equal(states.at(-1)!.phase, "done");
  });

  test("nothing to do: up to date", () => {
    assert.deepEqual(replayUv("uv-noop.log").described, ["resolved 7 · preparing", "up to date"]);
  });

  test("a change with a local build and an uninstall", () => {
    const { described, states } = replayUv("uv-change.log");
    assert.ok(described.includes("resolved 7 · building rec"), described.join("\n"));
    assert.deepEqual([states.at(-1)!.installed, states.at(-1)!.uninstalled], [2, 1]);
  });
});

describe("descriptions", () => {
  test("megabytes: one decimal below 10 MB, thousands separators above", () => {
    assert.equal(megabytes(5_700_000, 9_300_000), "5.7/9.3 MB");
    assert.equal(megabytes(412_000_000, 1_204_000_000), "412/1,204 MB");
  });

  test("builds and downloads together", () => {
    const zero = { done: 0, expected: 0, running: 0, failed: 0 };
    const p: NixProgress = { builds: { done: 2, expected: 12, running: 1, failed: 0 }, download: { ...zero, done: 412e6, expected: 1204e6 }, copyPaths: zero, copyBytes: zero, evaluatedFiles: 900, running: ["torch-2.5"] };
    assert.equal(describeNixProgress(p), "building 3/12 (torch-2.5) · downloading 412/1,204 MB");
    assert.equal(describeNixProgress({ ...p, builds: zero, download: zero }), "evaluating (900 files)");
  });
});
