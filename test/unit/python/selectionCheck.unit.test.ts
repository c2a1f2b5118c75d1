// SelectionCheck against a stand-in that behaves as the Python extension's interpreter path store
// (read in its source, interpreterPathService.ts and configSettings.ts): an update to the stored
// value is a no-op, and with no value stored it answers its own auto-selection, or "python".
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SelectionCheck } from "../../../src/python/selectionCheck";
import { fakeFolder, FakeLog } from "../fakes";

function pathStore(autoSelected = "python") {
  const stored = new Map<string, string>();
  const writes: string[] = [];
  let stale: string | undefined;
  return {
    writes,
    /** Its answer ignores the store until the next real change (what the bench saw). */
    goStale: (answer: string) => void (stale = answer),
    api: {
      get: (f: { uri: { toString(): string } }) => stale ?? (stored.get(f.uri.toString()) || autoSelected),
      /** The value vanishes from its globalState (what a lost write looks like). */
      lose: (f: { uri: { toString(): string } }) => void stored.delete(f.uri.toString()),
      update: async (path: string, f: { uri: { toString(): string } }) => {
        if (stored.get(f.uri.toString()) === path) return;
        stored.set(f.uri.toString(), path);
        stale = undefined;
        writes.push(path);
      },
    },
  };
}

describe("SelectionCheck", () => {
  test("a selection that reads back as ours: nothing is written", async () => {
    const store = pathStore();
    const folder = fakeFolder("/w/a");
    await store.api.update("/w/a/.venv/bin/python", folder);
    const check = new SelectionCheck(store.api, new FakeLog(), [10]);
    await check.confirm(folder, "/w/a/.venv/bin/python");
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(store.writes, ["/w/a/.venv/bin/python"]);
  });

  test("a lost selection (reads python) is made again, through an unset so the store really changes", async () => {
    const store = pathStore();
    const folder = fakeFolder("/w/b");
    await store.api.update("/w/b/.venv/bin/python", folder);
    store.goStale("python");
    const log = new FakeLog();
    await new SelectionCheck(store.api, log, [10]).confirm(folder, "/w/b/.venv/bin/python");
    assert.equal(store.api.get(folder), "/w/b/.venv/bin/python");
    assert.deepEqual(store.writes, ["/w/b/.venv/bin/python", "", "/w/b/.venv/bin/python"]);
    assert.match(log.lines.join("\n"), /b's interpreter reads python, not \/w\/b\/\.venv\/bin\/python/);
  });

  test("its auto-selection answered after the selection (our value gone from its store) is a lost selection: made again", async () => {
    const store = pathStore("/w/e/nixpy/bin/python3");
    const folder = fakeFolder("/w/e");
    await store.api.update("/w/e/.venv/bin/python", folder);
    const log = new FakeLog();
    await new SelectionCheck(store.api, log, [10]).confirm(folder, "/w/e/.venv/bin/python");
    store.api.lose(folder);
    assert.equal(store.api.get(folder), "/w/e/nixpy/bin/python3");
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(store.api.get(folder), "/w/e/.venv/bin/python", "the later check selected it again");
    assert.match(log.lines.join("\n"), /e's interpreter reads \/w\/e\/nixpy\/bin\/python3, not/);
  });

  test("after the last check, another interpreter is somebody's choice: kept", async () => {
    const store = pathStore();
    const folder = fakeFolder("/w/d");
    await store.api.update("/w/d/.venv/bin/python", folder);
    await new SelectionCheck(store.api, new FakeLog(), [5, 10]).confirm(folder, "/w/d/.venv/bin/python");
    await new Promise((r) => setTimeout(r, 30));
    await store.api.update("/home/u/.pyenv/versions/3.12/bin/python", folder);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(store.api.get(folder), "/home/u/.pyenv/versions/3.12/bin/python");
    assert.deepEqual(store.writes, ["/w/d/.venv/bin/python", "/home/u/.pyenv/versions/3.12/bin/python"]);
  });

  test("checked again later; cancel (Exit) stops the later check", async () => {
    const store = pathStore();
    const folder = fakeFolder("/w/c");
    const check = new SelectionCheck(store.api, new FakeLog(), [10]);
    await store.api.update("/w/c/.venv/bin/python", folder);
    await check.confirm(folder, "/w/c/.venv/bin/python");
    store.goStale("python");
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(store.api.get(folder), "/w/c/.venv/bin/python", "the later check put it back");
    await check.confirm(folder, "/w/c/.venv/bin/python");
    check.cancel(folder);
    store.goStale("python");
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(store.api.get(folder), "python", "after Exit nothing is selected again");
  });
});
