// The folder state machine without a VS Code: enter, reload, cancel, exit (also during a load and
// during the Python step), stale on a file change, and the last good environment on a failure.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, test } from "node:test";
import { NixEvalError } from "../../../src/core/errors";
import { PTH_NAME } from "../../../src/core/pythonLayer";
import { FolderEnvironment } from "../../../src/folders/folderEnvironment";
import type { FolderState } from "../../../src/folders/model";
import { settle } from "../fakes";
import { environmentOf, harness, hybridFolder } from "./harness";

const owners: FolderEnvironment[] = [];
afterEach(() => owners.splice(0).forEach((o) => o.dispose()));

function setUp(delays?: { progressMs: number; quietMs: number }) {
  const h = harness();
  const folder = hybridFolder();
  h.host.workspace.workspaceFolders = [folder];
  const owner = new FolderEnvironment(folder, delays ? { ...h.services, delays } : h.services);
  owners.push(owner);
  const states: FolderState[] = [];
  owner.onDidChange((s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  return { ...h, folder, owner, states };
}

describe("FolderEnvironment", () => {
  test("enter: loading, then ready with the environment in terminals and Python", async () => {
    const t = setUp();
    const entering = t.owner.enter();
    assert.equal(t.owner.snapshot.state, "loading");
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
    assert.deepEqual(t.states, ["loading", "ready"]);
    assert.equal(t.terminal.vars.get("FROM_NIX"), "one");
    assert.equal(t.owner.snapshot.resolved?.FROM_NIX, "one");
    assert.deepEqual(t.python.ops(), ["select"]);
    t.owner.dispose();
  });

  test("enter applies a cached environment at once, before the revalidating load ends", async () => {
    const t = setUp();
    t.engine.cached = { environment: environmentOf(t.folder, "cached"), key: "key-1" };
    const entering = t.owner.enter();
    assert.equal(t.terminal.vars.get("FROM_NIX"), "cached");
    t.engine.last().finish({ environment: environmentOf(t.folder, "fresh") });
    await entering;
    assert.equal(t.terminal.vars.get("FROM_NIX"), "fresh");
    t.owner.dispose();
  });

  test("reload asks for a fresh evaluation; a reload during a load runs once after it", async () => {
    const t = setUp();
    const first = t.owner.enter();
    void t.owner.reload();
    void t.owner.reload();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await settle();
    assert.equal(t.engine.loads.length, 2, "one queued load for two requests");
    assert.equal(t.engine.last().request.options.useCache, false);
    t.engine.last().finish({ environment: environmentOf(t.folder, "two") });
    await first;
    assert.equal(t.owner.snapshot.state, "ready");
    assert.equal(t.terminal.vars.get("FROM_NIX"), "two");
    t.owner.dispose();
  });

  test("cancel: no environment yet means idle again, and nothing is shown", async () => {
    const t = setUp();
    const entering = t.owner.enter();
    t.owner.cancel();
    await entering;
    assert.equal(t.owner.snapshot.state, "idle");
    assert.deepEqual(t.host.window.errors(), []);
    assert.deepEqual(t.python.ops(), []);
  });

  test("Cancel on the progress notification cancels the load; the previous environment stays, stale", async () => {
    const t = setUp({ progressMs: 0, quietMs: 0 });
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
    const reloading = t.owner.reload();
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(t.host.window.progress.map((p) => p.cancellable), [true], "a cancellable notification");
    t.host.window.cancelProgress();
    await reloading;
    assert.equal(t.owner.snapshot.state, "stale");
    assert.equal(t.terminal.vars.get("FROM_NIX"), "one");
    assert.deepEqual(t.host.window.errors(), []);
  });

  test("exit removes what was applied, the venv's Python layer included", async () => {
    const t = setUp();
    const venv = join(t.folder.uri.fsPath, ".venv");
    const site = join(venv, "lib", "python3.12", "site-packages");
    mkdirSync(join(venv, "hybrid-env"), { recursive: true });
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, PTH_NAME), "import _hybrid_env_layer\n");
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
    await t.owner.exit();
    assert.equal(t.owner.snapshot.state, "idle");
    assert.equal(t.owner.snapshot.environment, undefined);
    assert.equal(t.terminal.vars.size, 0);
    assert.deepEqual(t.python.ops(), ["select", "forget"]);
    assert.ok(!existsSync(join(site, PTH_NAME)) && !existsSync(join(venv, "hybrid-env")), "the layer is gone");
  });

  test("exit during a load that finishes anyway (past its last process): nothing is applied after the exit", async () => {
    const t = setUp();
    t.engine.honourSignal = false;
    const entering = t.owner.enter();
    const exiting = t.owner.exit();
    t.engine.last().finish({ environment: environmentOf(t.folder, "late") });
    await Promise.all([entering, exiting]);
    await settle();
    assert.equal(t.owner.snapshot.state, "idle");
    assert.equal(t.owner.snapshot.environment, undefined);
    assert.equal(t.terminal.vars.size, 0, "no variables in terminals");
    assert.ok(!t.python.ops().includes("select"), `the interpreter is not selected (${t.python.ops().join(", ")})`);
    assert.ok(!t.states.includes("ready"), `never ready (${t.states.join(" → ")})`);
  });

  test("exit while the interpreter is being selected: the selection is undone after it lands", async () => {
    const t = setUp();
    let release!: () => void;
    t.python.selectGate = new Promise<void>((r) => (release = r));
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await settle();
    assert.deepEqual(t.python.ops(), ["select"]);
    const exiting = t.owner.exit();
    release();
    await Promise.all([entering, exiting]);
    assert.equal(t.owner.snapshot.state, "idle");
    assert.equal(t.terminal.vars.size, 0);
    const ops = t.python.ops();
    assert.ok(ops.lastIndexOf("forget") > ops.lastIndexOf("select"), `forget after select (${ops.join(", ")})`);
    assert.ok(!t.states.slice(t.states.indexOf("loading")).includes("ready"), `never ready (${t.states.join(" → ")})`);
  });

  test("a changed project file makes a ready folder stale and offers Reload once", async () => {
    const t = setUp();
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
    t.engine.key = "key-2";
    assert.ok(t.host.workspace.fileChanged(t.folder, "flake.nix") > 0, "the folder watches flake.nix");
    t.host.workspace.fileChanged(t.folder, "uv.lock");
    assert.equal(t.owner.snapshot.state, "stale");
    const offers = t.host.window.shown.filter((s) => /project files changed/.test(s.message));
    assert.equal(offers.length, 1);
    assert.deepEqual(offers[0]!.actions, ["Reload"]);
    t.owner.dispose();
  });

  test("a save that changes nothing (same files key) keeps the folder ready", async () => {
    const t = setUp();
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
    t.host.workspace.fileChanged(t.folder, "uv.lock");
    assert.equal(t.owner.snapshot.state, "ready");
    t.owner.dispose();
  });

  test("autoReload: a change reloads by itself, without asking", async () => {
    const t = setUp();
    t.host.workspace.set("hybridEnv", "autoReload", true);
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
    t.engine.key = "key-2";
    t.host.workspace.fileChanged(t.folder, "pyproject.toml");
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(t.engine.loads.length, 2);
    assert.equal(t.owner.snapshot.state, "loading");
    t.owner.dispose();
  });

  test("a failed load keeps the last good environment applied and says so", async () => {
    const t = setUp();
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "good") });
    await entering;
    const reloading = t.owner.reload();
    const error = new NixEvalError("syntax error, unexpected '}'", { file: "flake.nix", line: 3, column: 1 }, "");
    t.engine.last().fail(error);
    await reloading;
    assert.equal(t.owner.snapshot.state, "failed");
    assert.equal(t.owner.snapshot.error, error);
    assert.equal(t.owner.snapshot.environment?.mutations[0]?.name, "FROM_NIX");
    assert.equal(t.terminal.vars.get("FROM_NIX"), "good");
    const [shown] = t.host.window.errors();
    assert.match(shown!.message, /The last good environment stays applied/);
    assert.ok(t.diagnostics.errors.has(`${t.folder.uri.fsPath}/flake.nix`), "a diagnostic at the error");
  });

  test("the engine's last-good result (failure beside an environment) is applied and reported", async () => {
    const t = setUp();
    const entering = t.owner.enter();
    const failure = new NixEvalError("boom", undefined, "");
    t.engine.last().finish({ environment: environmentOf(t.folder, "last-good"), failure });
    await entering;
    assert.equal(t.owner.snapshot.state, "failed");
    assert.equal(t.terminal.vars.get("FROM_NIX"), "last-good");
    assert.match(t.host.window.errors()[0]!.message, /boom.*The last good environment stays applied/);
  });
});
