// The command registry and the handlers on folders, without a VS Code: every failure reaches
// ErrorPresenter with its buttons, a cancellation is quiet, a command picks only a folder it can
// act on, and "Track it" fails loudly when git does. uv and git are real processes here: a stand-in
// uv script (a unit test of our logic, not of uv), and Debian's git.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, test } from "node:test";
import type { CommandContext } from "../../../src/commands/context";
import { environmentCommands, trackFileAndReload } from "../../../src/commands/environment";
import { pickFolder } from "../../../src/commands/folderPick";
import { COMMAND_IDS, registerCommands, type CommandTable } from "../../../src/commands/registry";
import { CancelledError } from "../../../src/core/errors";
import { WorkspaceEnvironments } from "../../../src/folders/workspaceEnvironments";
import { uvCommands } from "../../../src/commands/uv";
import { fakeFolder, FakeState, settle } from "../fakes";
import { environmentOf, harness, hybridFolder } from "../folders/harness";
import { tempDir } from "../tmp";

/** Disposed after each test: a load left running would keep its progress timer (and the process) alive. */
const registries: WorkspaceEnvironments[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.dispose()));

function setUp(folders = [hybridFolder()]) {
  const h = harness();
  h.host.workspace.workspaceFolders = folders;
  const envs = new WorkspaceEnvironments({ ...h.services, workspaceState: new FakeState() });
  envs.start();
  registries.push(envs);
  const ctx: CommandContext = { envs, apis: h.host, log: h.log, hostEnv: { PATH: process.env.PATH, HOME: tempDir("home") } };
  // The handlers that need no editor APIs, the real ones; the rest are not under test here.
  const unused = { run: () => assert.fail("not under test") };
  const table: CommandTable = {
    ...(Object.fromEntries(Object.keys(COMMAND_IDS).map((k) => [k, unused])) as unknown as CommandTable),
    ...environmentCommands(ctx, () => h.log.show()),
    ...uvCommands(ctx),
  };
  const registration = registerCommands(h.host.commands, h.errors, table);
  const run = (name: keyof typeof COMMAND_IDS, ...args: unknown[]) => h.host.commands.executeCommand(COMMAND_IDS[name], ...args);
  return { ...h, envs, ctx, run, registration };
}

/** A uv stand-in: prints `stderr` and exits with `code`, or sleeps until killed. */
function fakeUv(script: string): string {
  const dir = tempDir("uv");
  const path = join(dir, "uv");
  writeFileSync(path, `#!/bin/bash\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function ready(t: ReturnType<typeof setUp>) {
  const owner = t.envs.owners()[0]!;
  const entering = owner.enter();
  t.engine.last().finish({ environment: environmentOf(owner.folder, "x") });
  await entering;
  return owner;
}

describe("command registry", () => {
  test("every id is registered once, through the guard: a failure is shown with its buttons and its result returned", async () => {
    const h = harness();
    const failing = { run: () => Promise.reject(new Error("broken")), onFailure: () => "failed-result" };
    const table = Object.fromEntries(Object.keys(COMMAND_IDS).map((k) => [k, failing])) as unknown as CommandTable;
    registerCommands(h.host.commands, h.errors, table);
    assert.deepEqual([...h.host.commands.registered.keys()].sort(), Object.values(COMMAND_IDS).sort());
    assert.equal(await h.host.commands.executeCommand(COMMAND_IDS.enter), "failed-result");
    assert.deepEqual(h.host.window.errors(), [{ kind: "error", message: "Hybrid Env: broken", actions: ["Open log"] }]);
    assert.ok(h.log.lines.some((l) => l.startsWith("error hybridEnv.enter: broken")));
  });

  test("a cancelled command shows nothing", async () => {
    const h = harness();
    const table = Object.fromEntries(Object.keys(COMMAND_IDS).map((k) => [k, { run: () => Promise.reject(new CancelledError("uv add")) }])) as unknown as CommandTable;
    registerCommands(h.host.commands, h.errors, table);
    await h.host.commands.executeCommand(COMMAND_IDS.addUvPackage);
    assert.deepEqual(h.host.window.errors(), []);
  });
});

describe("Add uv Package", () => {
  test("uv missing: the error keeps its Install and Configure buttons", async () => {
    const t = setUp();
    t.host.workspace.set("hybridEnv", "uvPath", "/nonexistent/uv");
    await ready(t);
    await t.run("addUvPackage", "requests");
    const [shown] = t.host.window.errors();
    assert.match(shown!.message, /uv was not found/);
    assert.deepEqual(shown!.actions, ["Install", "Configure"]);
  });

  test("Cancel on its progress stops uv quietly: no error", async () => {
    const t = setUp();
    t.host.workspace.set("hybridEnv", "uvPath", fakeUv("sleep 30"));
    await ready(t);
    const adding = t.run("addUvPackage", "requests");
    await new Promise((r) => setTimeout(r, 300));
    t.host.window.cancelProgress();
    await adding;
    assert.deepEqual(t.host.window.errors(), []);
    assert.ok(t.log.lines.some((l) => /Cancelled: uv add/.test(l)), "logged");
  });

  test("a failed uv add says so, with the requirement and uv's reason (not uv sync's advice)", async () => {
    const t = setUp();
    t.host.workspace.set("hybridEnv", "uvPath", fakeUv('echo "  × No solution found when resolving dependencies:" >&2\necho "  ╰─▶ Because nosuchpkg was not found in the package registry, requirements are unsatisfiable." >&2\nexit 1'));
    await ready(t);
    await t.run("addUvPackage", "nosuchpkg");
    const [shown] = t.host.window.errors();
    assert.match(shown!.message, /^Hybrid Env: uv add nosuchpkg failed: .*nosuchpkg was not found in the package registry/);
    assert.doesNotMatch(shown!.message, /uv sync|pyproject\.toml, then reload/);
  });
});

describe("pickFolder", () => {
  test("a folder that fails the filter is never chosen, even when it is the active editor's", async () => {
    const uvOnly = fakeFolder(tempDir("uvonly"), 0);
    writeFileSync(join(uvOnly.uri.fsPath, "pyproject.toml"), '[project]\nname = "u"\n');
    const flake = hybridFolder("withflake", 1);
    const t = setUp([uvOnly, flake]);
    t.host.window.activeEditor = t.host.workspace.fileUri(join(uvOnly.uri.fsPath, "pyproject.toml"));
    assert.equal(t.envs.activeFolder()?.folder, uvOnly);
    const picked = await pickFolder(t.envs, t.host.window, undefined, { which: (s) => s.project.flakePath !== undefined });
    assert.equal(picked?.folder, flake);
  });

  test("no folder passes the filter: the command's own message", async () => {
    const nixOnly = fakeFolder(tempDir("nixonly"), 0);
    writeFileSync(join(nixOnly.uri.fsPath, "flake.nix"), "{ outputs = _: { }; }\n");
    const t = setUp([nixOnly]);
    await t.run("addUvPackage", "requests");
    assert.match(t.host.window.errors()[0]!.message, /No folder of this workspace has a pyproject\.toml/);
  });

  test("several candidates and no editor in one of them: the user picks", async () => {
    const t = setUp([hybridFolder("a", 0), hybridFolder("b", 1)]);
    t.host.window.quickPickAnswer = (items) => items.find((i) => i.label === "b");
    const picked = await pickFolder(t.envs, t.host.window, undefined);
    assert.equal(picked?.folder.name, "b");
  });
});

describe("Track it (git add -N)", () => {
  const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: "pipe" });

  test("tracks the file with real git and reloads", async () => {
    const folder = hybridFolder("tracked");
    git(folder.uri.fsPath, "init", "-q");
    const t = setUp([folder]);
    await trackFileAndReload(t.ctx, folder, "flake.nix");
    assert.match(git(folder.uri.fsPath, "ls-files", "flake.nix").toString(), /flake\.nix/);
    assert.equal(t.engine.loads.length, 1, "a reload started");
  });

  test("git failing is an error, not a silent reload", async () => {
    const folder = hybridFolder("ignored");
    git(folder.uri.fsPath, "init", "-q");
    writeFileSync(join(folder.uri.fsPath, ".gitignore"), "flake.nix\n");
    const t = setUp([folder]);
    await assert.rejects(trackFileAndReload(t.ctx, folder, "flake.nix"), /git add -N flake\.nix failed: .*ignored/);
    assert.equal(t.engine.loads.length, 0);
  });

  test("not a git repository: an error", async () => {
    const folder = hybridFolder("nogit");
    const t = setUp([folder]);
    await assert.rejects(trackFileAndReload(t.ctx, folder, "flake.nix"), /not in a git repository/);
  });
});

describe("Enter, Reload, Exit", () => {
  test("Enter remembers the choice and loads; Exit forgets and removes it", async () => {
    const t = setUp();
    const folder = t.envs.owners()[0]!.folder;
    const entering = t.run("enter", folder.uri);
    await settle();
    t.engine.last().finish({ environment: environmentOf(folder, "x") });
    await entering;
    assert.equal(t.envs.choices.get(folder), "enter");
    assert.equal(t.envs.get(folder.uri)?.state, "ready");
    await t.run("exit", folder.uri);
    assert.equal(t.envs.choices.get(folder), undefined);
    assert.equal(t.envs.get(folder.uri)?.state, "idle");
  });

  test("a folder Uri that is no project folder is an error, not a no-op", async () => {
    const t = setUp();
    await t.run("reload", t.host.workspace.fileUri("/elsewhere"));
    assert.match(t.host.window.errors()[0]!.message, /\/elsewhere is not a Hybrid Env project folder/);
  });
});
