// Issue 12 in the folder layer, without a VS Code: the engine's counters reach the snapshot at a
// bounded rate and the notification as one line; the devShell chosen for a folder (workspace
// state) is what its loads ask the engine for, and what the status bar and view name.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { LoadProgress } from "../../../src/core/progress/describe";
import { describeStep } from "../../../src/core/progress/describe";
import type { NixProgress } from "../../../src/core/progress/nixLog";
import { DevShellChoices } from "../../../src/folders/devShellChoice";
import { FolderEnvironment } from "../../../src/folders/folderEnvironment";
import { Throttle } from "../../../src/folders/progressThrottle";
import { WorkspaceEnvironments } from "../../../src/folders/workspaceEnvironments";
import { namedDevShell, presentStatus, type StatusFacts } from "../../../src/views/statusText";
import { FakeState, settle } from "../fakes";
import { environmentOf, harness, hybridFolder } from "./harness";

const counter = (done: number, expected: number, running = 0) => ({ done, expected, running, failed: 0 });
function building(done: number, running: number, expected: number, name = `step-${done + 1}`): LoadProgress {
  const nix: NixProgress = {
    builds: counter(done, expected, running),
    download: counter(0, 0),
    copyPaths: counter(0, 0),
    copyBytes: counter(0, 0),
    evaluatedFiles: 3,
    running: running > 0 ? [name] : [],
  };
  return { tool: "nix", nix };
}

/** Timers the test advances by hand, with the clock they share. */
class ManualClock {
  now = 0;
  private timers: Array<{ at: number; f: () => void; live: boolean }> = [];
  readonly timersApi = {
    setTimeout: (f: () => void, ms: number) => {
      const t = { at: this.now + ms, f, live: true };
      this.timers.push(t);
      return t;
    },
    clearTimeout: (h: unknown) => void ((h as { live: boolean }).live = false),
  };
  advance(ms: number): void {
    this.now += ms;
    for (const t of this.timers.filter((x) => x.live && x.at <= this.now)) {
      t.live = false;
      t.f();
    }
  }
}

const owners: Array<{ dispose(): void }> = [];
afterEach(() => owners.splice(0).forEach((o) => o.dispose()));

describe("Throttle", () => {
  test("the first value at once, then at most one per interval, and the last is never lost", () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const throttle = new Throttle<number>((v) => seen.push(v), 250, clock.timersApi, () => clock.now);
    throttle.push(1);
    throttle.push(2);
    throttle.push(3);
    assert.deepEqual(seen, [1]);
    clock.advance(249);
    assert.deepEqual(seen, [1]);
    clock.advance(1);
    assert.deepEqual(seen, [1, 3], "2 was superseded");
    clock.advance(1000);
    throttle.push(4);
    assert.deepEqual(seen, [1, 3, 4], "after a quiet interval a value passes at once");
  });

  test("cancel drops the pending value", () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const throttle = new Throttle<number>((v) => seen.push(v), 250, clock.timersApi, () => clock.now);
    throttle.push(1);
    throttle.push(2);
    throttle.cancel();
    clock.advance(500);
    assert.deepEqual(seen, [1]);
  });
});

describe("describeStep", () => {
  test("the step's title until its tool reports counters, then the tool and the counters", () => {
    assert.equal(describeStep("nix"), "Evaluating flake…");
    assert.equal(describeStep("nix", building(2, 1, 12)), "nix · building 3/12 (step-3)");
    // Counters of another tool are stale for this step.
    assert.equal(describeStep("uv", building(2, 1, 12)), "uv sync…");
    assert.equal(describeStep("uv", { tool: "uv", uv: { phase: "preparing", resolved: 7, downloading: ["numpy (15.6MiB)"], building: [] } }), "uv sync · resolved 7 · downloading numpy (15.6MiB)");
  });
});

describe("FolderEnvironment: progress", () => {
  test("counters reach the snapshot and the notification; a new step clears them; the end drops the rest", async () => {
    const h = harness();
    const folder = hybridFolder();
    h.host.workspace.workspaceFolders = [folder];
    // The notification at once, so that its text is seen from the start.
    const owner = new FolderEnvironment(folder, { ...h.services, delays: { progressMs: 0, quietMs: 0 } });
    owners.push(owner);
    const entering = owner.enter();
    await new Promise((r) => setTimeout(r, 5));
    const request = h.engine.last().request;
    request.onStep?.("nix");
    request.onProgress?.(building(0, 1, 4));
    assert.deepEqual(owner.snapshot.progress, building(0, 1, 4), "the first counters pass at once");
    request.onProgress?.(building(1, 1, 4));
    request.onProgress?.(building(2, 1, 4));
    assert.deepEqual(owner.snapshot.progress, building(0, 1, 4), "later ones wait for the interval");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(owner.snapshot.progress, building(2, 1, 4), "the latest arrives after it");
    request.onStep?.("uv");
    assert.equal(owner.snapshot.progress, undefined);
    request.onProgress?.(building(3, 1, 4));
    h.engine.last().finish({ environment: environmentOf(folder, "x") });
    await entering;
    assert.deepEqual(h.host.window.progress.map((p) => [p.where, p.cancellable]), [["notification", true]]);
    assert.deepEqual(h.host.window.progressReports, ["Evaluating flake…", "nix · building 1/4 (step-1)", "nix · building 3/4 (step-3)", "uv sync…"]);
    await new Promise((r) => setTimeout(r, 300));
    assert.notDeepEqual(owner.snapshot.progress, building(3, 1, 4), "nothing arrives after the load");
  });

  test("the status bar and the view's message show the counters while loading", () => {
    const facts: StatusFacts = { folderName: "p", state: "loading", step: "nix", progress: building(2, 1, 12), project: { kind: "hybrid", devShell: "default", venvDir: "/p/.venv" } };
    assert.equal(presentStatus(facts).text, "$(sync~spin) nix · building 3/12 (step-3)");
    assert.ok(presentStatus(facts).tooltip.includes("nix · building 3/12 \\(step\\-3\\)"), presentStatus(facts).tooltip);
  });
});

describe("the devShell chosen for a folder", () => {
  test("is kept in the workspace state per folder; a bad stored value counts as none", async () => {
    const state = new FakeState();
    const choices = new DevShellChoices(state);
    const a = hybridFolder("a");
    const b = hybridFolder("b", 1);
    await choices.set(a, "docs");
    assert.equal(choices.get(a), "docs");
    assert.equal(choices.get(b), undefined);
    state.values.set(`hybridEnv.devShell:${b.uri.toString()}`, "x; rm -rf /");
    assert.equal(choices.get(b), undefined);
    assert.throws(() => choices.set(b, "no spaces allowed"), /not a valid devShell name/);
    await choices.set(a, undefined);
    assert.equal(choices.get(a), undefined);
  });

  test("the registry's folders load the chosen devShell, else the setting's", async () => {
    const h = harness();
    const folder = hybridFolder();
    h.host.workspace.workspaceFolders = [folder];
    h.host.workspace.set("hybridEnv", "devShell", "fromSetting");
    const registry = new WorkspaceEnvironments({ ...h.services, workspaceState: new FakeState() });
    owners.push(registry);
    registry.start();
    const owner = registry.folderFor(folder.uri)!;
    void owner.enter();
    await settle();
    assert.equal(h.engine.last().request.options.devShell, "fromSetting");
    h.engine.last().finish({ environment: environmentOf(folder, "one") });
    await settle();
    await registry.devShells.set(folder, "docs");
    void owner.enter();
    await settle();
    assert.equal(h.engine.last().request.options.devShell, "docs");
    assert.equal(owner.snapshot.project.devShell, "docs", "the snapshot names it (status bar, view)");
    h.engine.last().finish({ environment: environmentOf(folder, "two") });
    await settle();
  });

  test("the status bar names a devShell other than default, and links the picker", () => {
    const base: StatusFacts = { folderName: "p", state: "ready", project: { kind: "hybrid", devShell: "docs", venvDir: "/p/.venv" }, provenance: { counts: { nix: 2, uv: 1, shadowed: 0 } } };
    const shown = presentStatus(base);
    assert.equal(shown.text, "$(check) docs · Nix 2 · uv 1");
    assert.match(shown.accessibilityLabel, /devShell docs/);
    assert.match(shown.tooltip, /\[devShell…\]\(command:hybridEnv\.chooseDevShell\)/);
    assert.equal(presentStatus({ ...base, project: { ...base.project, devShell: "default" } }).text, "$(check) Nix 2 · uv 1");
    assert.equal(namedDevShell({ project: { kind: "uv-only", devShell: "docs", venvDir: "" } }), undefined, "no flake, no devShell");
  });
});
