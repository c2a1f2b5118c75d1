// Loads of one folder: a request during a load queues exactly one more; bursts coalesce.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LoadScheduler, type Timers } from "../../../src/folders/loadScheduler";

/** Timers driven by hand: advance(ms) fires what is due. */
class FakeTimers implements Timers {
  now = 0;
  private pending = new Map<number, { at: number; f: () => void }>();
  private next = 1;
  setTimeout(f: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, f });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.pending]) {
      if (t.at <= this.now) {
        this.pending.delete(id);
        t.f();
      }
    }
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test("requests during a load queue exactly one more, with the latest options", async () => {
  const calls: string[] = [];
  const gates = [deferred(), deferred()];
  const s = new LoadScheduler<string>(async (o) => {
    calls.push(o);
    await gates[calls.length - 1]?.promise;
  }, 100);
  const first = s.request("a");
  for (const o of ["b", "c", "d"]) void s.request(o);
  assert.deepEqual(calls, ["a"]);
  gates[0]!.resolve();
  gates[1]!.resolve();
  await first;
  assert.deepEqual(calls, ["a", "d"]);
  assert.equal(s.busy, false);
});

test("20 changes in 2 s, 100 ms apart, cause one load after the quiet period", async () => {
  const timers = new FakeTimers();
  let loads = 0;
  const s = new LoadScheduler<void>(async () => void loads++, 400, timers);
  for (let i = 0; i < 20; i++) {
    s.requestAfterQuiet();
    timers.advance(100);
  }
  assert.equal(loads, 0);
  timers.advance(400);
  await Promise.resolve();
  assert.equal(loads, 1);
});

test("a burst spread over a slow load causes at most two loads", async () => {
  const timers = new FakeTimers();
  let loads = 0;
  let release!: () => void;
  const s = new LoadScheduler<void>(async () => {
    loads++;
    if (loads === 1) await new Promise<void>((r) => (release = r));
  }, 400, timers);
  // Saves every 500 ms: each quiet period ends, so a load is requested each time.
  for (let i = 0; i < 4; i++) {
    s.requestAfterQuiet();
    timers.advance(500);
  }
  assert.equal(loads, 1, "the first load is still running; the rest queued as one");
  release();
  await new Promise((r) => setImmediate(r));
  assert.equal(loads, 2);
});

test("clearPending drops the queued load and the pending quiet period", async () => {
  const timers = new FakeTimers();
  let loads = 0;
  let release!: () => void;
  const s = new LoadScheduler<void>(async () => {
    loads++;
    await new Promise<void>((r) => (release = r));
  }, 400, timers);
  const running = s.request();
  void s.request();
  s.requestAfterQuiet();
  s.clearPending();
  timers.advance(1000);
  release();
  await running;
  assert.equal(loads, 1);
});
