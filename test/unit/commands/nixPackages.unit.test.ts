// Add / Remove Nix Package without a VS Code: the command logic on real project folders (files on
// disk, the core's list finding and planning, real `nix-instantiate --parse`), with the editor,
// the quick picks and the messages faked (../fakes.ts), and an engine that loads at once. Which
// list is chosen and asked about, how typed names are written, refusals and "did you mean", the
// note when the check was skipped, unsaved editors, typing during the edit, removal from a row.
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, test } from "node:test";
import type { WorkspaceFolder } from "vscode";
import type { NixPackageCommandResult } from "../../../src/commands/nixPackages/args";
import { nixPackageCommands, type PackageRevealer } from "../../../src/commands/nixPackages/command";
import { ADD_ANYWAY } from "../../../src/commands/nixPackages/existence";
import { pickPackageToAdd } from "../../../src/commands/nixPackages/packagePicker";
import { findProjectPackageLists, type PackageChoices } from "../../../src/core/flake";
import { COMMAND_IDS, registerCommands, type CommandTable } from "../../../src/commands/registry";
import { WorkspaceEnvironments } from "../../../src/folders/workspaceEnvironments";
import { write } from "../../helpers/fixtures";
import { hasCommand } from "../../helpers/tools";
import { fakeFolder, FakeEditor, FakeState } from "../fakes";
import { harness, instantEngine } from "../folders/harness";
import { REPO_ROOT } from "../repo";
import { tempDir } from "../tmp";

const registries: WorkspaceEnvironments[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.dispose()));

/** A flake whose default devShell is in nix/devshell.nix and whose docs devShell has a list in flake.nix (no lock: the check is skipped). */
const IMPORTING_FLAKE = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      docsPython = pkgs.python311.withPackages (ps: with ps; [ sphinx ]);
    in {
      devShells.x86_64-linux.default = import ./nix/devshell.nix { inherit pkgs; };
      devShells.x86_64-linux.docs = pkgs.mkShell { packages = [ docsPython ]; };
    };
}
`;
const DEVSHELL = `{ pkgs }:
let
  pythonEnv = pkgs.python311.withPackages (ps: with ps; [ numpy ]);
in
pkgs.mkShell { packages = [ pythonEnv ]; }
`;
/** Two lists in the one devShell: the user is asked. */
const TWO_IN_ONE_SHELL = `{
  outputs = { self, nixpkgs }:
    let pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in {
      devShells.x86_64-linux.default = pkgs.mkShell {
        packages = [
          (pkgs.python311.withPackages (ps: [ ps.numpy ]))
          (pkgs.python312.withPackages (ps: [ ps.rich ]))
        ];
      };
      packages.x86_64-linux.tool = pkgs.python311.withPackages (ps: [ ps.click ]);
    };
}
`;

function projectFolder(files: Record<string, string>, name = "proj"): WorkspaceFolder {
  const dir = join(tempDir(name), name);
  for (const [path, text] of Object.entries(files)) write(join(dir, path), text);
  write(join(dir, "pyproject.toml"), '[project]\nname = "p"\nversion = "0"\n');
  return fakeFolder(dir);
}

/** The bundled example (its list draws from a package set written in flake.nix). */
function exampleFolder(): WorkspaceFolder {
  const dir = join(tempDir("example"), "offline-hybrid");
  cpSync(join(REPO_ROOT, "examples", "offline-hybrid"), dir, { recursive: true });
  return fakeFolder(dir);
}

function setUp(folder: WorkspaceFolder, settings: Record<string, unknown> = {}) {
  const h = harness();
  h.host.workspace.workspaceFolders = [folder];
  for (const [key, value] of Object.entries(settings)) h.host.workspace.set("hybridEnv", key, value);
  const { engine, loads } = instantEngine(folder);
  const envs = new WorkspaceEnvironments({ ...h.services, engine, workspaceState: new FakeState() });
  envs.start();
  registries.push(envs);
  const editor = new FakeEditor();
  const revealed: string[] = [];
  const view: PackageRevealer = { revealPackage: async (name) => (revealed.push(name), true) };
  const deps = { envs, apis: h.host, log: h.log, hostEnv: { PATH: process.env.PATH, HOME: tempDir("home") }, editor, view, cacheDir: tempDir("cache") };
  const unused = { run: () => assert.fail("not under test") };
  const table = { ...(Object.fromEntries(Object.keys(COMMAND_IDS).map((k) => [k, unused])) as unknown as CommandTable), ...nixPackageCommands(deps) };
  registerCommands(h.host.commands, h.errors, table);
  const run = (name: "addNixPackage" | "removeNixPackage", ...args: unknown[]) => h.host.commands.executeCommand<NixPackageCommandResult>(COMMAND_IDS[name], ...args);
  const file = (rel: string) => join(folder.uri.fsPath, rel);
  const disk = (rel: string) => readFileSync(file(rel), "utf8");
  return { ...h, envs, editor, run, loads, revealed, file, disk, folder };
}

describe("Add Nix Package: which list", { skip: !hasCommand("nix-instantiate") ? "needs nix-instantiate" : false }, () => {
  test("the list of the folder's devShell, in the file it imports: the edit lands in nix/devshell.nix, flake.nix keeps its bytes", async () => {
    const t = setUp(projectFolder({ "flake.nix": IMPORTING_FLAKE, "nix/devshell.nix": DEVSHELL }));
    const flakeBefore = t.disk("flake.nix");
    const r = await t.run("addNixPackage", "rich", t.folder.uri);
    assert.equal(r.error, undefined, r.message);
    assert.equal(r.changed, true);
    assert.equal(r.file, "nix/devshell.nix");
    assert.match(t.disk("nix/devshell.nix"), /\[ numpy rich \]/);
    assert.equal(t.disk("flake.nix"), flakeBefore);
    assert.equal(t.host.window.shown.filter((s) => s.kind === "info" && /quick/.test(s.message)).length, 0);
    assert.deepEqual(t.loads, [t.folder.uri.fsPath], "the folder loads once after the edit");
    assert.deepEqual(t.revealed, ["rich"]);
  });

  test("with hybridEnv.devShell = docs, the docs devShell's list in flake.nix is edited", async () => {
    const t = setUp(projectFolder({ "flake.nix": IMPORTING_FLAKE, "nix/devshell.nix": DEVSHELL }), { devShell: "docs" });
    const r = await t.run("addNixPackage", "rich", t.folder.uri);
    assert.equal(r.file, "flake.nix", r.message);
    assert.match(t.disk("flake.nix"), /\[ sphinx rich \]/);
    assert.match(t.disk("nix/devshell.nix"), /\[ numpy \]/);
  });

  test("two lists in the devShell: the question says where each is and what uses it; the answer is edited", async () => {
    const t = setUp(projectFolder({ "flake.nix": TWO_IN_ONE_SHELL }));
    let asked: Array<{ label: string; description?: string; detail?: string }> = [];
    t.host.window.quickPickAnswer = (items) => ((asked = items as typeof asked), items[1]);
    const r = await t.run("addNixPackage", "requests", t.folder.uri);
    assert.equal(r.changed, true, r.message);
    assert.equal(asked.length, 2, "the list of packages.tool is not offered");
    assert.deepEqual(asked.map((i) => i.description), ["flake.nix:7", "flake.nix:8"]);
    assert.ok(asked.every((i) => /used by devShells\.default \(the folder's devShell\)/.test(i.detail ?? "")), JSON.stringify(asked));
    assert.match(t.disk("flake.nix"), /\[ ps\.rich ps\.requests \]/);
    assert.match(t.disk("flake.nix"), /\[ ps\.numpy \]/);
  });

  test("the question dismissed: nothing changes", async () => {
    const t = setUp(projectFolder({ "flake.nix": TWO_IN_ONE_SHELL }));
    const before = t.disk("flake.nix");
    const r = await t.run("addNixPackage", "requests", t.folder.uri);
    assert.equal(r.error, "cancelled");
    assert.equal(t.disk("flake.nix"), before);
  });
});

describe("Add Nix Package: names", { skip: !hasCommand("nix-instantiate") ? "needs nix-instantiate" : false }, () => {
  test("a typed python3Packages.rich is written as the list writes its names, and the skipped check is a warning that says why", async () => {
    const t = setUp(projectFolder({ "flake.nix": IMPORTING_FLAKE, "nix/devshell.nix": DEVSHELL }));
    const r = await t.run("addNixPackage", "python3Packages.rich", t.folder.uri);
    assert.equal(r.changed, true, r.message);
    assert.match(t.disk("nix/devshell.nix"), /\[ numpy rich \]/);
    assert.equal(r.check, "skipped");
    assert.ok(r.notes?.some((n) => /python3Packages\.rich is written rich in this list/.test(n)), String(r.notes));
    assert.ok(r.notes?.some((n) => /rich was not checked against the package set: the flake has no flake\.lock yet/.test(n)), String(r.notes));
    const [shown] = t.host.window.shown.filter((s) => s.kind === "warning");
    assert.match(shown!.message, /^Hybrid Env: Added rich to .*nix\/devshell\.nix:3.*not checked/);
    assert.deepEqual(shown!.actions, ["Show devshell.nix"]);
  });

  test("another Python's name is refused with the reason, and no file changes", async () => {
    const t = setUp(projectFolder({ "flake.nix": IMPORTING_FLAKE, "nix/devshell.nix": DEVSHELL }));
    const before = t.disk("nix/devshell.nix");
    const r = await t.run("addNixPackage", "python310Packages.rich", t.folder.uri);
    assert.equal(r.changed, false);
    assert.match(r.error ?? "", /Python 3\.10's package set .* a list for Python 3\.11/);
    assert.match(t.host.window.errors()[0]!.message, /Python 3\.10's package set/);
    assert.equal(t.disk("nix/devshell.nix"), before);
    assert.deepEqual(t.loads, []);
  });

  test("a name the project's own set lacks: did you mean, and the suggestion is added", async () => {
    const t = setUp(exampleFolder());
    t.host.window.answers.push({ match: /nixtip is not in pythonPackages/, answer: "nixtips" });
    const r = await t.run("addNixPackage", "nixtip", t.folder.uri);
    const [asked] = t.host.window.shown.filter((s) => s.kind === "warning");
    assert.match(asked!.message, /^Hybrid Env: nixtip is not in pythonPackages \(flake\.nix:10\)\. Did you mean nixtips\? Nothing was changed\.$/);
    assert.deepEqual(asked!.actions, ["nixtips", ADD_ANYWAY]);
    assert.equal(r.changed, true, r.message);
    assert.match(t.disk("flake.nix"), /myPkgs = p: with p; \[ nixgreet iniconfig nixtips \];/);
  });

  test("did you mean dismissed: refused, the file keeps every byte; Add Anyway adds it with a note", async () => {
    const t = setUp(exampleFolder());
    const before = t.disk("flake.nix");
    const refused = await t.run("addNixPackage", "nixtip", t.folder.uri);
    assert.deepEqual([refused.changed, refused.check, refused.suggestions], [false, "missing", ["nixtips"]]);
    assert.match(refused.error ?? "", /nixtip is not in pythonPackages/);
    assert.equal(t.disk("flake.nix"), before);
    t.host.window.answers.push({ match: /nixtip is not in/, answer: ADD_ANYWAY });
    const forced = await t.run("addNixPackage", "nixtip", t.folder.uri);
    assert.equal(forced.changed, true);
    assert.ok(forced.notes?.some((n) => /added as you asked/.test(n)));
  });

  test("a name already in the list changes nothing and says so", async () => {
    const t = setUp(exampleFolder());
    const r = await t.run("addNixPackage", "nixgreet", t.folder.uri);
    assert.deepEqual([r.changed, r.error], [false, undefined]);
    assert.match(r.message, /nixgreet is already in/);
    assert.equal(t.editor.documents.size, 0, "no document was opened for an edit");
  });
});

describe("Add Nix Package: the quick pick", { skip: !hasCommand("nix-instantiate") ? "needs nix-instantiate" : false }, () => {
  test("on the example: the set written in flake.nix is the source, said in the title; the names not in the list are the items", async () => {
    const t = setUp(exampleFolder());
    t.editor.onPick = (pick) => {
      assert.equal(pick.busy, false, "nothing to wait for");
      assert.deepEqual(pick.items.map((i) => i.label), ["nixtips"]);
      assert.match(pick.title ?? "", /^Add a Nix package to myPkgs \(flake\.nix:16\) — the 3 names of pythonPackages \(flake\.nix:10\), a package set written in the project$/);
      pick.accept("nixtips");
    };
    const r = await t.run("addNixPackage", t.folder.uri);
    assert.equal(r.changed, true, r.message);
    assert.equal(r.pick?.source, "local");
    assert.match(t.disk("flake.nix"), /\[ nixgreet iniconfig nixtips \]/);
  });

  test("a typed name that cannot go in keeps the pick open with the reason; dismissing it changes nothing", async () => {
    const t = setUp(exampleFolder());
    const before = t.disk("flake.nix");
    t.editor.onPick = (pick) => {
      pick.typeValue("pkgs.ripgrep");
      const row = pick.items.at(-1)!;
      assert.match(row.detail ?? "", /top-level nixpkgs package/);
      pick.accept(row.label);
      assert.equal(pick.shown, true, "still open");
      pick.hide();
    };
    const r = await t.run("addNixPackage", t.folder.uri);
    assert.equal(r.error, "cancelled");
    assert.equal(t.disk("flake.nix"), before);
  });
});

describe("the edit through the editor", { skip: !hasCommand("nix-instantiate") ? "needs nix-instantiate" : false }, () => {
  test("an unsaved edit elsewhere in the file is kept and saved with the addition", async () => {
    const t = setUp(exampleFolder());
    const doc = t.editor.documentAt(t.file("flake.nix"));
    doc.type(`# edited by hand\n${doc.text}`);
    const r = await t.run("addNixPackage", "nixtips", t.folder.uri);
    assert.equal(r.changed, true, r.message);
    assert.match(t.disk("flake.nix"), /^# edited by hand\n[\s\S]*\[ nixgreet iniconfig nixtips \]/);
  });

  test("typing while Nix parses the edit: it is computed again on the new text", async () => {
    const t = setUp(exampleFolder());
    const doc = t.editor.documentAt(t.file("flake.nix"));
    const withProgress = t.host.window.withProgress.bind(t.host.window);
    let typed = false;
    t.host.window.withProgress = (request, task) => {
      if (!typed && /nix-instantiate --parse/.test(request.title)) {
        typed = true;
        doc.type(doc.text.replace("[ nixgreet iniconfig ]", "[ nixgreet iniconfig nixgreet ]"));
      }
      return withProgress(request, task);
    };
    const r = await t.run("addNixPackage", "nixtips", t.folder.uri);
    assert.equal(r.changed, true, r.message);
    assert.match(t.disk("flake.nix"), /\[ nixgreet iniconfig nixgreet nixtips \]/);
  });

  test("an unsaved editor that does not parse: the error says so and the editor keeps its text", async () => {
    const t = setUp(exampleFolder());
    const doc = t.editor.documentAt(t.file("flake.nix"));
    const broken = doc.text.replace("in\n", "broken = ; in\n");
    doc.type(broken);
    const before = t.disk("flake.nix");
    const r = await t.run("addNixPackage", "nixtips", t.folder.uri);
    assert.equal(r.changed, false);
    assert.match(r.error ?? "", /flake\.nix does not parse even before the edit/);
    assert.equal(doc.text, broken);
    assert.equal(t.disk("flake.nix"), before);
  });

  test("a file the editor would change (CRLF) is written directly, and the message says there is no Undo", async () => {
    const folder = exampleFolder();
    const crlf = readFileSync(join(folder.uri.fsPath, "flake.nix"), "utf8").replace(/\n/g, "\r\n");
    writeFileSync(join(folder.uri.fsPath, "flake.nix"), crlf);
    const t = setUp(folder);
    t.editor.documentAt(t.file("flake.nix")).text = crlf.replace(/\r\n/g, "\n"); // as an editor set to LF shows it
    const r = await t.run("addNixPackage", "nixtips", t.folder.uri);
    assert.equal(r.changed, true, r.message);
    assert.match(r.message, /no Undo/);
    assert.equal(t.disk("flake.nix"), crlf.replace("[ nixgreet iniconfig ]", "[ nixgreet iniconfig nixtips ]"));
  });
});

describe("Remove Nix Package", { skip: !hasCommand("nix-instantiate") ? "needs nix-instantiate" : false }, () => {
  test("from a Packages view row: the distribution name is matched to the list's attribute", async () => {
    const t = setUp(projectFolder({ "flake.nix": IMPORTING_FLAKE, "nix/devshell.nix": DEVSHELL.replace("[ numpy ]", "[ numpy pyyaml ]") }));
    const r = await t.run("removeNixPackage", { kind: "package", record: { name: "PyYAML", metadataPath: "/nix/store/x/PyYAML.dist-info/METADATA" } });
    assert.equal(r.changed, true, r.message);
    assert.match(t.disk("nix/devshell.nix"), /\[ numpy \]/);
  });

  test("a typed name in two lists: the question offers those two; the answer loses it", async () => {
    const t = setUp(projectFolder({ "flake.nix": TWO_IN_ONE_SHELL.replace("[ ps.rich ]", "[ ps.rich ps.numpy ]") }));
    let asked: Array<{ description?: string }> = [];
    t.host.window.quickPickAnswer = (items) => ((asked = items as unknown as typeof asked), items[0]);
    const r = await t.run("removeNixPackage", "numpy", t.folder.uri);
    assert.equal(r.changed, true, r.message);
    assert.deepEqual(asked.map((i) => i.description), ["flake.nix:7", "flake.nix:8"]);
    assert.match(t.disk("flake.nix"), /withPackages \(ps: \[ \]\)/);
    assert.match(t.disk("flake.nix"), /\[ ps\.rich ps\.numpy \]/);
  });

  test("a name no list has: no change, said", async () => {
    const t = setUp(exampleFolder());
    const r = await t.run("removeNixPackage", "nixtips", t.folder.uri);
    assert.deepEqual([r.changed, r.error], [false, undefined]);
    assert.match(r.message, /nixtips is not in/);
  });
});

describe("the quick pick over the locked nixpkgs' listing (pickPackageToAdd)", () => {
  const folder = () => projectFolder({ "flake.nix": IMPORTING_FLAKE, "nix/devshell.nix": DEVSHELL });
  const listOf = (dir: string) => findProjectPackageLists(dir).lists.find((l) => l.relPath === "nix/devshell.nix")!;
  const ENTRIES = [
    { name: "numpy", version: "1.26.4", description: "Fundamental package for array computing in Python" },
    { name: "rich", version: "13.7.1", description: "Render rich text" },
    { name: "buildPythonPackage" },
  ];

  test("opens at once, busy, then shows names, versions and descriptions and says the source", async () => {
    const list = listOf(folder().uri.fsPath);
    const editor = new FakeEditor();
    let arrive: (c: PackageChoices) => void = () => undefined;
    const choices = new Promise<PackageChoices>((r) => (arrive = r));
    editor.onPick = (pick) => {
      assert.equal(pick.busy, true);
      assert.match(pick.title ?? "", /— reading the package set of the project's nixpkgs…$/);
      assert.deepEqual(pick.items, []);
      arrive({ source: "nixpkgs", label: "python311.pkgs of the locked input nixpkgs (github:NixOS/nixpkgs 1a2b3c4)", entries: ENTRIES, fromCache: true, durationMs: 0 });
      void choices.then(() =>
        setImmediate(() => {
          assert.equal(pick.busy, false);
          assert.match(pick.title ?? "", /^Add a Nix package to pythonEnv \(nix\/devshell\.nix:3\) — 2 packages of python311\.pkgs of the locked input nixpkgs/);
          assert.deepEqual(pick.items.map((i) => [i.label, i.description, i.detail]), [["rich", "13.7.1", "Render rich text"]], "numpy is in the list already; buildPythonPackage is no package");
          pick.typeValue("python3Packages.rich");
          assert.equal(pick.items.at(-1)!.description, "add as rich (in the listing)");
          pick.typeValue("python3Packages.richer");
          assert.equal(pick.items.at(-1)!.description, "add as richer (not in the listing: it is looked up before it is added)");
          pick.accept();
        }),
      );
    };
    const picked = await pickPackageToAdd(editor, list, readFileSync(list.file, "utf8"), () => choices, performance.now());
    assert.equal(picked.name, "python3Packages.richer");
    assert.deepEqual([picked.timings.source, picked.timings.entries, picked.timings.fromCache], ["nixpkgs", 2, true]);
    assert.ok(picked.timings.itemsMs >= picked.timings.shownMs);
  });

  test("no listing (nixpkgs not in the store): the title says why, a typed name is taken", async () => {
    const list = listOf(folder().uri.fsPath);
    const editor = new FakeEditor();
    editor.onPick = (pick) =>
      setImmediate(() => {
        assert.match(pick.title ?? "", /— no listing \(the locked input nixpkgs is not in the Nix store\): type a name$/);
        pick.typeValue("rich");
        pick.accept();
      });
    const picked = await pickPackageToAdd(editor, list, readFileSync(list.file, "utf8"), async () => ({ source: "none", reason: "the locked input nixpkgs is not in the Nix store" }), performance.now());
    assert.equal(picked.name, "rich");
  });

  test("the listing fails: the title says so, typing still works", async () => {
    const list = listOf(folder().uri.fsPath);
    const editor = new FakeEditor();
    editor.onPick = (pick) =>
      setImmediate(() => {
        assert.match(pick.title ?? "", /the package set could not be listed \(Listing failed\)/);
        assert.equal(pick.busy, false);
        pick.hide();
      });
    const picked = await pickPackageToAdd(editor, list, readFileSync(list.file, "utf8"), () => Promise.reject(new Error("Listing failed")), performance.now());
    assert.equal(picked.name, undefined);
  });
});
