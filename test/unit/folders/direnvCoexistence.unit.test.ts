// direnv coexistence without a VS Code: when .envrc loads the same flake and direnv is active
// (its extension installed, or the .envrc allowed as direnv records it), the question is asked
// once per folder; "Use direnv" leaves the folder's terminals empty, "Use hybrid-env" reapplies
// and suggests `use hybrid`; nothing is asked without a conflict or without direnv.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { WorkspaceFolder } from "vscode";
import { direnvAllowDir, isEnvrcAllowed } from "../../../src/core/direnvAllow";
import { ASK_LATER, DirenvCoexistence, USE_DIRENV, USE_HYBRID } from "../../../src/folders/direnvCoexistence";
import { fakeFolder, FakeLog, FakeState, FakeTerminal, FakeWindow } from "../fakes";
import { tempDir } from "../tmp";

function folderWith(envrc: string | undefined): WorkspaceFolder {
  const dir = join(tempDir("direnv"), "proj");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
  if (envrc !== undefined) writeFileSync(join(dir, ".envrc"), envrc);
  return fakeFolder(dir);
}

function setUp(opts: { extension?: boolean; env?: Record<string, string> } = {}) {
  const window = new FakeWindow();
  const state = new FakeState();
  const reapplied: string[] = [];
  const opened: string[] = [];
  const coexistence = new DirenvCoexistence({
    state,
    window,
    openFile: (p) => void opened.push(p),
    log: new FakeLog(),
    hostEnv: opts.env ?? { HOME: tempDir("home") },
    direnvExtension: () => opts.extension ?? true,
    reapply: (f) => void reapplied.push(f.name),
  });
  return { window, state, coexistence, reapplied, opened };
}

describe("isEnvrcAllowed", () => {
  test("reads direnv's allow file: sha256 of the path, a newline and the content", () => {
    const folder = folderWith("use flake\n");
    const env = { XDG_DATA_HOME: tempDir("data") };
    assert.equal(isEnvrcAllowed(folder.uri.fsPath, env), false);
    const envrc = join(folder.uri.fsPath, ".envrc");
    mkdirSync(direnvAllowDir(env), { recursive: true });
    writeFileSync(join(direnvAllowDir(env), createHash("sha256").update(`${envrc}\nuse flake\n`).digest("hex")), envrc);
    assert.equal(isEnvrcAllowed(folder.uri.fsPath, env), true);
    writeFileSync(envrc, "use flake .#docs\n");
    assert.equal(isEnvrcAllowed(folder.uri.fsPath, env), false, "an edited .envrc is blocked again");
    assert.equal(direnvAllowDir({ HOME: "/home/u" }), "/home/u/.local/share/direnv/allow");
  });
});

describe("DirenvCoexistence", () => {
  test("`use flake` with the direnv extension: asked once; Use direnv empties the folder's terminals", async () => {
    const t = setUp();
    const folder = folderWith("source_env_if_exists .envrc.local\nuse flake\n");
    const inner = new FakeTerminal();
    const terminal = t.coexistence.terminalFor(folder, inner);
    terminal.replace("FROM_NIX", "x");
    t.window.answers.push({ match: /loads this folder's Nix environment too/, answer: USE_DIRENV });
    await t.coexistence.consider(folder);
    const [question] = t.window.shown;
    assert.match(question!.message, /^Hybrid Env \(proj\): \.envrc line 2 loads this folder's Nix environment too \(`use flake`\), and direnv applies it here \(the direnv extension is installed\)\./);
    assert.deepEqual(question!.actions, [USE_HYBRID, USE_DIRENV, ASK_LATER]);
    assert.equal(inner.vars.size, 0, "what hybrid-env had applied is taken back");
    terminal.replace("FROM_NIX", "y");
    assert.equal(inner.vars.size, 0, "and nothing more is applied");
    assert.equal(t.coexistence.owner(folder), "direnv");
    await t.coexistence.consider(folder);
    assert.equal(t.window.shown.filter((s) => /loads this folder's/.test(s.message)).length, 1, "asked once");
  });

  test("Use hybrid-env: reapplied, and `use hybrid` suggested with the line to replace", async () => {
    const t = setUp();
    const folder = folderWith("use flake .#default\n");
    t.window.answers.push({ match: /loads this folder's/, answer: USE_HYBRID }, { match: /use hybrid/, answer: "Open .envrc" });
    await t.coexistence.consider(folder);
    assert.deepEqual(t.reapplied, ["proj"]);
    assert.match(t.window.shown[1]!.message, /replace line 1 of \.envrc with `use hybrid` \(install it once: hybrid-env direnvrc > ~\/\.config\/direnv\/lib\/hybrid-env\.sh\)/);
    assert.deepEqual(t.opened, [join(folder.uri.fsPath, ".envrc")]);
    const inner = new FakeTerminal();
    t.coexistence.terminalFor(folder, inner).replace("A", "1");
    assert.equal(inner.vars.get("A"), "1");
  });

  test("Ask later stores nothing: the next window asks again", async () => {
    const t = setUp();
    const folder = folderWith("use flake\n");
    t.window.answers.push({ match: /loads this folder's/, answer: ASK_LATER });
    await t.coexistence.consider(folder);
    assert.equal(t.state.values.size, 0);
    const next = new DirenvCoexistence({ state: t.state, window: t.window, openFile: () => undefined, log: new FakeLog(), hostEnv: {}, direnvExtension: () => true, reapply: () => undefined });
    await next.consider(folder);
    assert.equal(t.window.shown.length, 2);
  });

  test("no question: no .envrc, another flake, `use hybrid`, or direnv not active here", async () => {
    for (const envrc of [undefined, "use flake github:someone/else\n", "use hybrid\n", "export FOO=1\n"]) {
      const t = setUp();
      await t.coexistence.consider(folderWith(envrc));
      assert.equal(t.window.shown.length, 0, String(envrc));
    }
    const t = setUp({ extension: false });
    await t.coexistence.consider(folderWith("use flake\n"));
    assert.equal(t.window.shown.length, 0, "neither the extension nor an allowed .envrc");
  });

  test("an allowed .envrc without the extension asks too, and says why", async () => {
    const env = { XDG_DATA_HOME: tempDir("data") };
    const t = setUp({ extension: false, env });
    const folder = folderWith("use nix\n");
    const envrc = join(folder.uri.fsPath, ".envrc");
    mkdirSync(direnvAllowDir(env), { recursive: true });
    writeFileSync(join(direnvAllowDir(env), createHash("sha256").update(`${envrc}\nuse nix\n`).digest("hex")), envrc);
    await t.coexistence.consider(folder);
    assert.match(t.window.shown[0]!.message, /\(`use nix`\), and direnv applies it here \(the \.envrc is allowed\)/);
  });
});
