// Where the folders' terminal environments go in the collection, checked against a model of VS
// Code's merge of all extensions' collections (read in its source, 1.139: the extension host
// keys a mutator `NAME` or `NAME:::<folder uri>`; the workbench keeps one list per key across
// extensions, a Replace first in a list hides the later ones, and a terminal gets ONE list per
// variable name — the one whose key was merged last). The model is what makes these tests
// mean something: the first test shows it reproduces the lost-PATH bug the bench saw with
// ms-python.debugpy.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { WorkspaceFolder, WorkspaceFoldersChangeEvent } from "vscode";
import { TerminalCollections } from "../../../src/folders/terminalCollections";
import type { CollectionEntry, CollectionSink } from "../../../src/platform/apis";
import { fakeFolder } from "../fakes";

interface Mutator {
  readonly variable: string;
  readonly op: "replace" | "prepend" | "append";
  readonly value: string;
  readonly scope?: string;
}

/** One extension's collection as the extension host keeps it. */
class ExtensionCollection implements CollectionSink {
  readonly map = new Map<string, Mutator>();
  clear = () => this.map.clear();
  write = (e: CollectionEntry) => {
    const scope = e.folder?.uri.toString();
    const key = scope ? `${e.name}:::${scope}` : e.name;
    const existing = this.map.get(key);
    if (existing && existing.op === e.op && existing.value === e.value) return; // _setIfDiffers keeps its place
    this.map.set(key, { variable: e.name, op: e.op, value: e.value, scope });
  };
  describe = () => undefined;
}

/** The workbench's merge and what one terminal of `folder` gets from it. */
function terminalEnv(collections: readonly ExtensionCollection[], base: Record<string, string>, folder: WorkspaceFolder | undefined): Record<string, string> {
  const merged = new Map<string, Mutator[]>();
  for (const c of collections) {
    for (const [key, m] of c.map) {
      let list = merged.get(key);
      if (!list) merged.set(key, (list = []));
      if (list.length > 0 && list[0]!.op === "replace") continue;
      list.unshift(m);
    }
  }
  const scope = folder?.uri.toString();
  const perVariable = new Map<string, Mutator[]>();
  for (const list of merged.values()) {
    const applicable = list.filter((m) => !m.scope || (scope !== undefined && m.scope === scope));
    if (applicable.length > 0) perVariable.set(applicable[0]!.variable, applicable);
  }
  const env = { ...base };
  for (const [name, list] of perVariable) {
    for (const m of list) env[name] = m.op === "replace" ? m.value : m.op === "prepend" ? m.value + (env[name] ?? "") : (env[name] ?? "") + m.value;
  }
  return env;
}

/** What ms-python.debugpy writes (noConfigDebugInit.ts): an unscoped append to PATH. */
function debugpy(): ExtensionCollection {
  const c = new ExtensionCollection();
  c.write({ op: "append", name: "PATH", value: ":/debugpy/noConfigScripts", atShellIntegration: false });
  c.write({ op: "replace", name: "PYDEVD_DISABLE_FILE_VALIDATION", value: "1", atShellIntegration: false });
  return c;
}

function workspaceOf(folders: WorkspaceFolder[]) {
  let listener: ((e: WorkspaceFoldersChangeEvent) => void) | undefined;
  return {
    folders: () => folders,
    onDidChangeWorkspaceFolders: (l: (e: WorkspaceFoldersChangeEvent) => void) => ((listener = l), { dispose: () => undefined }),
    change(added: WorkspaceFolder[], removed: WorkspaceFolder[]) {
      folders.splice(0, folders.length, ...folders.filter((f) => !removed.includes(f)), ...added);
      listener?.({ added, removed });
    },
  };
}

const BASE = { PATH: "/usr/bin" };
const a = fakeFolder("/w/a", 0);
const b = fakeFolder("/w/b", 1);

function applyVenv(collections: TerminalCollections, folder: WorkspaceFolder): void {
  const t = collections.forFolder(folder);
  t.clear();
  t.describe(`Hybrid env of ${folder.name}`);
  t.prepend("PATH", `${folder.uri.fsPath}/.venv/bin:`);
  t.replace("VIRTUAL_ENV", `${folder.uri.fsPath}/.venv`);
}

describe("TerminalCollections against VS Code's merge", () => {
  test("the model reproduces the bench's bug: a folder-scoped PATH loses to debugpy's unscoped one", () => {
    const ours = new ExtensionCollection();
    ours.write({ op: "prepend", name: "PATH", value: "/w/a/.venv/bin:", folder: a, atShellIntegration: true });
    assert.equal(terminalEnv([ours, debugpy()], BASE, a).PATH, "/usr/bin:/debugpy/noConfigScripts", "debugpy merged last: our venv is gone");
    assert.equal(terminalEnv([debugpy(), ours], BASE, a).PATH, "/w/a/.venv/bin:/usr/bin", "ours merged last: debugpy's scripts are gone");
  });

  test("one folder: unscoped, so our PATH and debugpy's both apply in either merge order", () => {
    const ours = new ExtensionCollection();
    const collections = new TerminalCollections(ours, workspaceOf([a]), (f) => f());
    applyVenv(collections, a);
    for (const order of [[ours, debugpy()], [debugpy(), ours]]) {
      const env = terminalEnv(order, BASE, a);
      assert.equal(env.PATH, "/w/a/.venv/bin:/usr/bin:/debugpy/noConfigScripts");
      assert.equal(env.VIRTUAL_ENV, "/w/a/.venv");
    }
    assert.ok([...ours.map.values()].every((m) => m.scope === undefined));
  });

  test("several folders: each terminal gets its own folder's venv first in either merge order", () => {
    const ours = new ExtensionCollection();
    const collections = new TerminalCollections(ours, workspaceOf([a, b]), (f) => f());
    applyVenv(collections, a);
    applyVenv(collections, b);
    for (const order of [[ours, debugpy()], [debugpy(), ours]]) {
      assert.equal(terminalEnv(order, BASE, a).PATH, "/w/a/.venv/bin:/usr/bin");
      assert.equal(terminalEnv(order, BASE, b).PATH, "/w/b/.venv/bin:/usr/bin");
      assert.equal(terminalEnv(order, BASE, b).VIRTUAL_ENV, "/w/b/.venv");
      assert.equal(terminalEnv(order, BASE, undefined).PATH, "/usr/bin:/debugpy/noConfigScripts", "a terminal of no folder: the placeholder changes nothing");
    }
  });

  test("a second folder moves the first one's environment into its scope; removing it moves it back", () => {
    const ours = new ExtensionCollection();
    const workspace = workspaceOf([a]);
    const collections = new TerminalCollections(ours, workspace, (f) => f());
    applyVenv(collections, a);
    workspace.change([b], []);
    assert.equal(terminalEnv([ours], BASE, b).PATH, "/usr/bin", "b is not entered: its terminals get nothing of a's");
    assert.equal(terminalEnv([ours], BASE, a).PATH, "/w/a/.venv/bin:/usr/bin");
    workspace.change([], [b]);
    assert.equal(terminalEnv([debugpy(), ours], BASE, a).PATH, "/w/a/.venv/bin:/usr/bin:/debugpy/noConfigScripts");
  });

  test("clear (Exit) takes the folder's entries out; other folders keep theirs", () => {
    const ours = new ExtensionCollection();
    const collections = new TerminalCollections(ours, workspaceOf([a, b]), (f) => f());
    applyVenv(collections, a);
    applyVenv(collections, b);
    collections.forFolder(a).clear();
    assert.equal(terminalEnv([ours], BASE, a).VIRTUAL_ENV, undefined);
    assert.equal(terminalEnv([ours], BASE, b).VIRTUAL_ENV, "/w/b/.venv");
    collections.forFolder(b).clear();
    assert.equal(ours.map.size, 0, "nothing left, not even the placeholder");
  });

  test("stale entries persisted by an earlier session are cleared at start; writes are batched", () => {
    const ours = new ExtensionCollection();
    ours.write({ op: "replace", name: "STALE", value: "x", folder: a, atShellIntegration: true });
    const queued: Array<() => void> = [];
    const collections = new TerminalCollections(ours, workspaceOf([a]), (f) => queued.push(f));
    applyVenv(collections, a);
    assert.equal(queued.length, 1, "one write for the whole batch");
    queued.shift()!();
    assert.deepEqual([...ours.map.keys()].sort(), ["PATH", "VIRTUAL_ENV"]);
  });
});
