// The registry of folders without a VS Code: which folders become owners, the decision to enter,
// and a folder that becomes a project after it opened (a git checkout brings flake.nix).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, test } from "node:test";
import { WATCHED_FILES } from "../../../src/folders/folderEnvironment";
import type { Timers } from "../../../src/folders/loadScheduler";
import { WorkspaceEnvironments } from "../../../src/folders/workspaceEnvironments";
import { fakeFolder, FakeState, settle } from "../fakes";
import { tempDir } from "../tmp";
import { environmentOf, harness, hybridFolder } from "./harness";

/** Timers the test runs by hand. */
class ManualTimers implements Timers {
  private pending = new Map<number, () => void>();
  private next = 0;
  setTimeout(f: () => void): unknown {
    this.pending.set(++this.next, f);
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get count(): number {
    return this.pending.size;
  }
  runAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const f of due) f();
  }
}

const registries: WorkspaceEnvironments[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.dispose()));

function setUp() {
  const h = harness();
  const timers = new ManualTimers();
  const registry = new WorkspaceEnvironments({ ...h.services, workspaceState: new FakeState(), timers });
  registries.push(registry);
  return { ...h, timers, registry };
}

describe("WorkspaceEnvironments", () => {
  test("owners only for project folders; an empty folder is watched for project files", () => {
    const t = setUp();
    const project = hybridFolder("a", 0);
    const empty = fakeFolder(tempDir("empty"), 1);
    t.host.workspace.workspaceFolders = [project, empty];
    t.registry.start();
    assert.deepEqual(t.registry.all().map((s) => s.folder.name), ["a"]);
    assert.deepEqual(t.host.workspace.liveWatchers(empty), ["{flake.nix,pyproject.toml}"]);
    t.registry.dispose();
    assert.deepEqual(t.host.workspace.liveWatchers(empty), [], "disposed with the registry");
  });

  test("nothing starts in an untrusted workspace", () => {
    const t = setUp();
    t.host.workspace.trusted = false;
    t.host.workspace.workspaceFolders = [hybridFolder()];
    t.registry.start();
    assert.deepEqual(t.registry.all(), []);
  });

  test("a folder that gains flake.nix and pyproject.toml after it opened is taken up and asked about", async () => {
    const t = setUp();
    const dir = tempDir("later");
    const folder = fakeFolder(dir);
    t.host.workspace.workspaceFolders = [folder];
    t.registry.start();
    assert.deepEqual(t.registry.all(), []);
    // A checkout writes both files: two events, one decision after the quiet period.
    writeFileSync(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
    t.host.workspace.fileChanged(folder, "flake.nix");
    writeFileSync(join(dir, "pyproject.toml"), '[project]\nname = "p"\n');
    t.host.workspace.fileChanged(folder, "pyproject.toml");
    assert.equal(t.timers.count, 1, "the burst is coalesced");
    t.timers.runAll();
    assert.deepEqual(t.registry.all().map((s) => s.project.kind), ["hybrid"]);
    await settle();
    assert.ok(t.host.window.shown.some((s) => /Enter the hybrid Nix \+ uv environment of ".*later/.test(s.message)), "asked to enter");
    assert.deepEqual(t.host.workspace.liveWatchers(folder), [WATCHED_FILES], "only the owner's watcher is left");
    t.registry.dispose();
  });

  test("autoEnter always: a folder entered before applies its cache at start and revalidates", async () => {
    const t = setUp();
    const folder = hybridFolder();
    t.host.workspace.workspaceFolders = [folder];
    t.host.workspace.set("hybridEnv", "autoEnter", "always");
    t.engine.cached = { environment: environmentOf(folder, "cached"), key: "key-1" };
    t.registry.start();
    assert.equal(t.registry.active()?.state, "ready", "the cache, at once");
    assert.equal(t.terminal.vars.get("FROM_NIX"), "cached");
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(t.engine.loads.length, 1, "then a revalidating load");
    assert.equal(t.host.commands.context.get("hybridEnv.hasEnvironment"), true);
    t.registry.dispose();
  });

  test("the active folder is the active editor's, else the first project folder", () => {
    const t = setUp();
    const a = hybridFolder("a", 0);
    const b = hybridFolder("b", 1);
    t.host.workspace.workspaceFolders = [a, b];
    t.registry.start();
    assert.equal(t.registry.active()?.folder, a);
    mkdirSync(join(b.uri.fsPath, "src"), { recursive: true });
    t.host.window.activeEditor = t.host.workspace.fileUri(join(b.uri.fsPath, "src", "x.py"));
    assert.equal(t.registry.active()?.folder, b);
    t.registry.dispose();
  });
});
