// Status bar text, tooltip and the Packages view's message for each folder state.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FolderSnapshot } from "../../../src/folders/model";
import { formatTime, packagesViewMessage, presentStatus, statusFactsOf, type StatusFacts } from "../../../src/views/statusText";

const hybrid = { kind: "hybrid", devShell: "default", venvDir: "/work/my_proj/.venv" } as const;

function facts(extra: Partial<StatusFacts> = {}): StatusFacts {
  return {
    folderName: "my_proj",
    state: "ready",
    project: hybrid,
    environment: { createdAt: "2024-11-24T06:32:00.000Z", python: { version: "3.11.9" } },
    provenance: { counts: { nix: 42, uv: 17, shadowed: 0 } },
    ...extra,
  };
}

describe("status bar text", () => {
  test("icon per state", () => {
    assert.equal(presentStatus(facts({ state: "idle", provenance: undefined })).text, "$(circle-outline) Hybrid Env");
    assert.equal(presentStatus(facts({ state: "loading", step: "nix" })).text, "$(sync~spin) Evaluating flake…");
    assert.equal(presentStatus(facts()).text, "$(check) Nix 42 · uv 17");
    assert.equal(presentStatus(facts({ state: "stale" })).text, "$(warning) Nix 42 · uv 17");
    assert.equal(presentStatus(facts({ state: "failed", provenance: undefined })).text, "$(error) Hybrid Env");
  });

  test("shadowed packages add a warning count", () => {
    const status = presentStatus(facts({ provenance: { counts: { nix: 42, uv: 17, shadowed: 3 } } }));
    assert.equal(status.text, "$(check) Nix 42 · uv 17 $(warning) 3");
    assert.equal(status.accessibilityLabel, "Hybrid Env, ready, Nix 42 · uv 17, 3 shadowed");
  });

  test("one-sided projects show only their side", () => {
    const nixOnly = { ...hybrid, kind: "nix-only" } as const;
    const uvOnly = { ...hybrid, kind: "uv-only" } as const;
    assert.equal(presentStatus(facts({ project: nixOnly })).text, "$(check) Nix 42");
    assert.equal(presentStatus(facts({ project: uvOnly })).text, "$(check) uv 17");
  });

  test("severity drives the background", () => {
    assert.equal(presentStatus(facts({ state: "failed", error: new Error("x") })).severity, "error");
    assert.equal(presentStatus(facts({ state: "stale" })).severity, "warning");
    assert.equal(presentStatus(facts()).severity, "none");
  });
});

describe("status tooltip", () => {
  test("summarises the folder and links the commands", () => {
    const tooltip = presentStatus(facts({ fromCache: true })).tooltip;
    for (const part of [
      "**Hybrid Env** · my\\_proj",
      "devShell: `default`",
      "Python: 3.11.9",
      "venv: `/work/my_proj/.venv`",
      "Packages: 42 from Nix · 17 from uv",
      `Evaluated: ${formatTime("2024-11-24T06:32:00.000Z")} (from cache)`,
      "[Reload](command:hybridEnv.reload)",
      "[Reset venv](command:hybridEnv.resetVenv)",
      "[Show log](command:hybridEnv.showLog)",
    ]) {
      assert.ok(tooltip.includes(part), `missing ${part} in:\n${tooltip}`);
    }
  });

  test("failed: the error's first line, escaped, and that the last good env stays", () => {
    const error = new Error("\nerror: attribute 'devShells.x86_64-linux.default' missing\n  at flake.nix:3");
    const tooltip = presentStatus(facts({ state: "failed", error })).tooltip;
    assert.ok(tooltip.includes("Error: error: attribute 'devShells.x86\\_64\\-linux.default' missing"), tooltip);
    assert.ok(!tooltip.includes("flake.nix:3"));
    assert.match(tooltip, /last good environment stays applied/);
  });

  test("idle offers Enter instead of Reload", () => {
    const tooltip = presentStatus(facts({ state: "idle", environment: undefined, provenance: undefined })).tooltip;
    assert.ok(tooltip.includes("[Enter](command:hybridEnv.enter)"));
    assert.ok(!tooltip.includes("hybridEnv.reload"));
    assert.ok(!tooltip.includes("Evaluated:"));
  });

  test("formatTime is YYYY-MM-DD HH:MM and passes bad input through", () => {
    assert.match(formatTime("2024-11-24T06:32:00.000Z"), /^2024-11-2[345] \d\d:\d\d$/);
    assert.equal(formatTime("not a date"), "not a date");
  });
});

describe("packages view message", () => {
  test("per state", () => {
    assert.equal(packagesViewMessage(facts({ state: "loading", step: "uv" })), "Loading… uv sync…");
    assert.equal(packagesViewMessage(facts({ state: "failed", error: new Error("nix failed\nmore") })), "nix failed");
    assert.match(packagesViewMessage(facts({ state: "stale" }))!, /Reload/);
    assert.equal(packagesViewMessage(facts()), undefined);
    assert.equal(packagesViewMessage(facts({ provenance: { counts: { nix: 0, uv: 0, shadowed: 0 } } })), "No Python packages found.");
    assert.equal(packagesViewMessage(facts({ state: "idle" })), undefined);
  });

  test("statusFactsOf takes the folder's name and keeps extra fields", () => {
    const snapshot = { ...facts(), folder: { name: "other", index: 0, uri: {} }, fromCache: true } as unknown as FolderSnapshot;
    const derived = statusFactsOf(snapshot);
    assert.equal(derived.folderName, "other");
    assert.equal(derived.fromCache, true);
  });
});
