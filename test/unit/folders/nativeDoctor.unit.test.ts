// The native-library doctor's timing and bookkeeping, with a fake registry and a fake scan (the
// real scan is unit-tested in core and runs for real in the native-libraries VS Code suite): a
// moment after an environment is applied, once per environment, never during a load, dropped when
// the folder exits or another environment arrives mid-scan.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CachedScan } from "../../../src/core/native/scanCache";
import type { NativeLibraryReport } from "../../../src/core/native/scan";
import type { NativeScanRequest } from "../../../src/core/native/scan";
import { Emitter } from "../../../src/common/emitter";
import type { FolderSnapshot } from "../../../src/folders/model";
import { NativeLibraryDoctor, type NativeReportChange } from "../../../src/folders/nativeDoctor";
import { detectProject } from "../../../src/core/detect";
import { FakeLog, settle } from "../fakes";
import { environmentOf, hybridFolder } from "./harness";

const report = (missing: string[]): NativeLibraryReport => ({
  venvDir: "/v",
  loader: "system",
  searched: [],
  checked: 3,
  missing: missing.map((soname) => ({ soname, neededBy: ["m/x.so"] })),
  incomplete: false,
});

class ManualTimers {
  readonly pending: Array<{ f: () => void; ms: number; live: boolean }> = [];
  setTimeout = (f: () => void, ms: number) => {
    const t = { f, ms, live: true };
    this.pending.push(t);
    return t;
  };
  clearTimeout = (h: unknown) => void ((h as { live: boolean }).live = false);
  runAll(): void {
    for (const t of this.pending.splice(0)) if (t.live) t.f();
  }
  live(): number {
    return this.pending.filter((t) => t.live).length;
  }
}

function setUp() {
  const changes = new Emitter<FolderSnapshot>();
  const folder = hybridFolder();
  const snapshots: FolderSnapshot[] = [];
  const registry = { onDidChange: changes.event, all: () => snapshots };
  const timers = new ManualTimers();
  const scans: NativeScanRequest[] = [];
  let answer: (r: CachedScan) => void = () => undefined;
  const scan = (req: NativeScanRequest) => {
    scans.push(req);
    return new Promise<CachedScan>((r) => (answer = r));
  };
  const doctor = new NativeLibraryDoctor({ registry, log: new FakeLog(), cacheDir: "/c", timers, scan, delayMs: 1500 });
  const seen: NativeReportChange[] = [];
  doctor.onDidChange((c) => seen.push(c));
  const project = detectProject(folder.uri.fsPath, "default", {});
  const snap = (state: FolderSnapshot["state"], environment = environmentOf(folder, "x")): FolderSnapshot => ({
    folder,
    project,
    state,
    environment,
    resolved: { LD_LIBRARY_PATH: "/nix/store/abc-lib/lib" },
  });
  return { changes, folder, timers, scans, doctor, seen, snap, answer: (r: CachedScan) => answer(r), snapshots };
}

describe("NativeLibraryDoctor", () => {
  test("checks an applied environment after the delay, with its venv, interpreter and library path", async () => {
    const t = setUp();
    const ready = t.snap("ready");
    t.changes.fire(ready);
    assert.equal(t.scans.length, 0, "not at once: off the activation path");
    assert.equal(t.timers.pending[0]?.ms, 1500);
    t.timers.runAll();
    assert.deepEqual(
      { venvDir: t.scans[0]!.venvDir, interpreter: t.scans[0]!.interpreter, ld: t.scans[0]!.ldLibraryPath },
      { venvDir: ready.environment!.project.venvDir, interpreter: ready.environment!.python.venvPython, ld: "/nix/store/abc-lib/lib" },
    );
    t.answer({ report: report(["libz.so.1"]), key: "k", fromCache: false });
    await settle();
    assert.deepEqual(t.doctor.get(t.folder.uri)?.report.missing.map((m) => m.soname), ["libz.so.1"]);
    assert.equal(t.seen.length, 1);
    t.doctor.dispose();
  });

  test("once per environment; none during a load; a new environment is checked again", async () => {
    const t = setUp();
    const ready = t.snap("ready");
    t.changes.fire(ready);
    t.changes.fire({ ...ready, state: "stale" });
    t.timers.runAll();
    assert.equal(t.scans.length, 1, "the same environment (stale) is not checked twice");
    t.answer({ report: report([]), key: "k", fromCache: true });
    await settle();
    t.changes.fire(t.snap("loading", environmentOf(t.folder, "y")));
    assert.equal(t.timers.live(), 0, "nothing is scheduled while loading");
    t.changes.fire(t.snap("ready", environmentOf(t.folder, "y")));
    t.timers.runAll();
    assert.equal(t.scans.length, 2);
    t.doctor.dispose();
  });

  test("the environments applied before the doctor existed are checked too (warm activation)", () => {
    const t = setUp();
    t.doctor.dispose();
    const snapshots = [t.snap("ready")];
    const timers = new ManualTimers();
    const scans: unknown[] = [];
    const doctor = new NativeLibraryDoctor({
      registry: { onDidChange: t.changes.event, all: () => snapshots },
      log: new FakeLog(),
      cacheDir: "/c",
      timers,
      scan: (req) => (scans.push(req), new Promise<CachedScan>(() => undefined)),
    });
    assert.equal(scans.length, 0);
    timers.runAll();
    assert.equal(scans.length, 1);
    doctor.dispose();
  });

  test("exit clears the report; a result for an environment replaced mid-scan is dropped", async () => {
    const t = setUp();
    t.changes.fire(t.snap("ready"));
    t.timers.runAll();
    t.answer({ report: report(["libz.so.1"]), key: "k", fromCache: false });
    await settle();
    t.changes.fire({ ...t.snap("idle"), environment: undefined });
    assert.equal(t.doctor.get(t.folder.uri), undefined);
    assert.deepEqual(t.seen.map((c) => c.report === undefined), [false, true]);

    t.changes.fire(t.snap("ready", environmentOf(t.folder, "a")));
    t.timers.runAll();
    t.changes.fire(t.snap("ready", environmentOf(t.folder, "b")));
    t.answer({ report: report(["libgone.so.1"]), key: "k", fromCache: false });
    await settle();
    assert.equal(t.doctor.get(t.folder.uri), undefined, "a's report is not b's");
    t.doctor.dispose();
  });
});
