// Update Nix Inputs without a VS Code: which inputs are offered, the progress with Cancel, the
// message of what moved with Undo, the undo itself and the reloads. Nix here is a stand-in script
// (a unit test of our logic, not of Nix) that answers `--version` as Nix 2.8 does and, for
// `flake update` / `flake lock --update-input`, writes the lock file the test prepared; the real
// Nix is run by test/integration/flakeUpdate.test.ts and the VS Code suite nix-inputs.
import assert from "node:assert/strict";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, test } from "node:test";
import { UNDO, updateNixInputs } from "../../../src/commands/updateInputs";
import { WorkspaceEnvironments } from "../../../src/folders/workspaceEnvironments";
import { write } from "../../helpers/fixtures";
import { fakeFolder, FakeState, settle } from "../fakes";
import { harness, instantEngine } from "../folders/harness";
import { tempDir } from "../tmp";

const registries: WorkspaceEnvironments[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.dispose()));

function lock(nixpkgsRev: string, lastModified: number): string {
  const node = (repo: string, rev: string, modified: number) => ({
    locked: { lastModified: modified, narHash: `sha256-${Buffer.from(rev.padEnd(32, "0")).toString("base64").slice(0, 43)}=`, owner: "NixOS", repo, rev, type: "github" },
    original: { owner: "NixOS", repo, type: "github" },
  });
  return `${JSON.stringify(
    {
      nodes: { nixpkgs: node("nixpkgs", nixpkgsRev, lastModified), utils: node("flake-utils", "c".repeat(40), 1700000000), root: { inputs: { nixpkgs: "nixpkgs", utils: "utils" } } },
      root: "root",
      version: 7,
    },
    null,
    2,
  )}\n`;
}

const BEFORE = lock("a".repeat(40), 1714521600); // 2024-05-01
const AFTER = lock("b".repeat(40), 1717286400); // 2024-06-02

/** Nix 2.8 as far as the update needs: `--version`, and writing flake.lock.next over flake.lock. */
function fakeNix(script = 'cp flake.lock.next flake.lock'): string {
  const path = join(tempDir("nix"), "nix");
  writeFileSync(path, `#!/bin/bash\necho "$*" >> "$(dirname "$0")/calls"\nif [ "$1" = --version ]; then echo "nix (Nix) 2.8.0"; exit 0; fi\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}
const callsOf = (nix: string) => (existsSync(join(nix, "..", "calls")) ? readFileSync(join(nix, "..", "calls"), "utf8").trim().split("\n").filter((l) => l !== "--version") : []);

async function setUp(nix: string, next = AFTER) {
  const dir = join(tempDir("upd"), "proj");
  write(join(dir, "flake.nix"), "{ inputs.nixpkgs.url = \"github:NixOS/nixpkgs\"; outputs = _: { }; }\n");
  write(join(dir, "pyproject.toml"), '[project]\nname = "p"\nversion = "0"\n');
  write(join(dir, "flake.lock"), BEFORE);
  write(join(dir, "flake.lock.next"), next);
  const folder = fakeFolder(dir);
  const h = harness();
  h.host.workspace.workspaceFolders = [folder];
  h.host.workspace.set("hybridEnv", "nixPath", nix);
  const { engine, loads } = instantEngine(folder);
  const envs = new WorkspaceEnvironments({ ...h.services, engine, workspaceState: new FakeState() });
  envs.start();
  registries.push(envs);
  await envs.owners()[0]!.enter();
  loads.length = 0;
  const ctx = { envs, apis: h.host, log: h.log, hostEnv: { PATH: process.env.PATH, HOME: tempDir("home") } };
  const cacheDir = tempDir("cache");
  return { ...h, ctx, cacheDir, dir, folder, loads, run: (...args: unknown[]) => updateNixInputs(ctx, args, { cacheDir }) };
}

describe("Update Nix Inputs", () => {
  test("one input from the pick: a cancellable notification, what moved with Undo, a reload; Undo puts flake.lock back and reloads", async () => {
    const nix = fakeNix();
    const t = await setUp(nix);
    let offered: Array<{ label: string; description?: string; detail?: string }> = [];
    t.host.window.quickPickAnswer = (items) => ((offered = items as unknown as typeof offered), items.find((i) => i.label === "nixpkgs"));
    t.host.window.answers.push({ match: /moved/, answer: UNDO });
    const { result, followUp } = await t.run(t.folder.uri);
    assert.deepEqual(offered.map((i) => i.label), ["All inputs", "nixpkgs", "utils"]);
    assert.equal(offered[1]!.detail, "locked at aaaaaaa, 2024-05-01");
    assert.deepEqual(callsOf(nix), ["flake lock --extra-experimental-features nix-command flakes --update-input nixpkgs"]);
    assert.deepEqual(t.host.window.progress.find((p) => p.where === "notification"), { where: "notification", title: "Hybrid Env: updating nixpkgs of proj", cancellable: true });
    assert.deepEqual(result.changes, ["nixpkgs: aaaaaaa (2024-05-01) → bbbbbbb (2024-06-02)"]);
    const moved = t.host.window.shown.find((s) => /moved/.test(s.message))!;
    assert.equal(moved.message, "Hybrid Env: 1 Nix input of proj moved: nixpkgs: aaaaaaa (2024-05-01) → bbbbbbb (2024-06-02).");
    assert.deepEqual(moved.actions, [UNDO]);
    await followUp;
    assert.equal(readFileSync(join(t.dir, "flake.lock"), "utf8"), BEFORE, "byte for byte");
    assert.match(t.host.window.shown.at(-1)!.message, /Restored flake\.lock from before the update: 1 input moved back\. nixpkgs: bbbbbbb \(2024-06-02\) → aaaaaaa \(2024-05-01\)\./);
    assert.deepEqual(t.loads, [t.dir, t.dir], "reloaded after the update and after the undo");
  });

  test('"*" updates every input without asking', async () => {
    const nix = fakeNix();
    const t = await setUp(nix);
    t.host.window.quickPickAnswer = () => assert.fail("no question");
    const { result } = await t.run(t.folder.uri, "*");
    assert.equal(result.changed, true);
    assert.deepEqual(callsOf(nix), ["flake update --extra-experimental-features nix-command flakes"]);
  });

  test("nothing moved: said, flake.lock unchanged, no reload", async () => {
    const t = await setUp(fakeNix(), BEFORE);
    const { result } = await t.run(t.folder.uri, "nixpkgs");
    assert.equal(result.changed, false);
    assert.equal(result.message, "nixpkgs of proj is already up to date; flake.lock was not changed.");
    assert.deepEqual(t.loads, []);
  });

  test("the pick dismissed: Nix does not run", async () => {
    const nix = fakeNix();
    const t = await setUp(nix);
    const { result } = await t.run(t.folder.uri);
    assert.equal(result.message, "cancelled");
    assert.deepEqual(callsOf(nix), []);
  });

  test("Cancel after Nix wrote the new lock: the cancel is quiet, and Undo is offered", async () => {
    const nix = fakeNix("cp flake.lock.next flake.lock\nsleep 30");
    const t = await setUp(nix);
    t.host.window.answers.push({ match: /cancelled after flake\.lock had changed/, answer: UNDO });
    const running = t.run(t.folder.uri, "nixpkgs");
    for (let i = 0; i < 100 && readFileSync(join(t.dir, "flake.lock"), "utf8") === BEFORE; i++) await new Promise((r) => setTimeout(r, 50));
    t.host.window.cancelProgress();
    await assert.rejects(running, /Cancelled/);
    await settle();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(readFileSync(join(t.dir, "flake.lock"), "utf8"), BEFORE, "the undo put it back");
  });

  test("a flake.lock changed since the update: Undo asks before restoring over it", async () => {
    const t = await setUp(fakeNix());
    // The user clicks Undo only after editing flake.lock.
    let click: (answer: string) => void = () => undefined;
    const info = t.host.window.showInformationMessage;
    t.host.window.showInformationMessage = (message, ...actions) => (/moved/.test(message) ? (info(message, ...actions), new Promise<string | undefined>((r) => (click = r))) : info(message, ...actions));
    const { followUp } = await t.run(t.folder.uri, "nixpkgs");
    const edited = `${AFTER.trimEnd()}\n\n`;
    writeFileSync(join(t.dir, "flake.lock"), edited);
    click(UNDO);
    await followUp;
    assert.equal(readFileSync(join(t.dir, "flake.lock"), "utf8"), edited, "kept: the user said no");
    assert.match(t.host.window.shown.at(-1)!.message, /flake\.lock changed after the update .*"Restore Anyway"/);
  });
});
