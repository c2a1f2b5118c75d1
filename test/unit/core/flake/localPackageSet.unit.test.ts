// What "Add Nix Package…" offers and how it edits: the names of a package set written in
// flake.nix (localPackageSet), the smallest replacement for the WorkspaceEdit, and the bench's package-set fixture,
// which real nix and uv turn into an environment where an added name is an importable package.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadEnvironment } from "../../../../src/core/engine";
import { addPackage, editFlakeFile, findPackageLists, removePackage } from "../../../../src/core/flake";
import { MemoryLogger } from "../../../../src/core/logger";
import { resolve } from "../../../../src/core/mutations";
import { defaultOptions } from "../../../../src/core/options";
import { ProcessRunner } from "../../../../src/core/process";
import { scanProvenance } from "../../../../src/core/provenance";
import { applyReplacement, minimalReplacement } from "../../../../src/core/flake/listEdit";
import { elementAttribute } from "../../../../src/core/flake/packageLists";
import { localPackageSet } from "../../../../src/core/flake/localPackageSet";
import { makeNixPackageSetProject, nixPackageSetFlake } from "../../../helpers/nixPackageSetFixture";
import { hasCommand, testEnv } from "../../../helpers/tools";
import { tempDir } from "../../tmp";
import { REPO_ROOT } from "../../repo";

const CORPUS_DIR = join(REPO_ROOT, "test", "fixtures", "flakes");
const SET = [
  { name: "nixonly", version: "1.0" },
  { name: "extra", version: "2.5" },
  { name: "another", version: "0.3" },
];

describe("names offered from a package set in flake.nix (localPackageSet)", () => {
  const attributes = (list: ReturnType<typeof findPackageLists>[number]) => list.elements.map((e) => elementAttribute(list, e));

  test("the fixture's set: all its names, labelled with the set's binding and file line", () => {
    const text = nixPackageSetFlake(SET, ["nixonly"]);
    const [list] = findPackageLists(text);
    const set = localPackageSet(text, list!);
    assert.deepEqual(set?.names, ["another", "extra", "nixonly"]);
    assert.match(set!.label, /^pythonPackages \(flake\.nix:\d+\)$/);
  });

  test("the bundled example: myPkgs is applied to pythonPackages, so its names are certain", () => {
    const text = readFileSync(join(REPO_ROOT, "examples", "offline-hybrid", "flake.nix"), "utf8");
    const [list] = findPackageLists(text);
    assert.deepEqual(localPackageSet(text, list!), { names: ["iniconfig", "nixgreet", "nixtips"], label: "pythonPackages (flake.nix:10)", certain: true });
  });

  test("an interpreter stand-in (`python3 = { withPackages = f: f set; }`) is not the set: the set is found by the list's names", () => {
    const text = nixPackageSetFlake(SET, ["nixonly"]);
    const set = localPackageSet(text, findPackageLists(text)[0]!);
    assert.equal(set?.certain, false);
    assert.ok(!set?.names.includes("withPackages"));
  });

  test("a set holding only some of the list's names is not the list's set", () => {
    const text = nixPackageSetFlake(SET, ["nixonly", "numpy"]);
    const [list] = findPackageLists(text);
    assert.equal(localPackageSet(text, list!), undefined);
  });

  test("a full list still names its set; an empty list is not matched to a set by its names", () => {
    const full = nixPackageSetFlake(SET, ["nixonly", "extra", "another"]);
    assert.deepEqual(localPackageSet(full, findPackageLists(full)[0]!)?.names, ["another", "extra", "nixonly"]);
    const loose = `{ outputs = { self }: let local = { a = 1; }; env = python3.withPackages (ps: [ ]); in { }; }`;
    assert.equal(localPackageSet(loose, findPackageLists(loose)[0]!), undefined);
  });

  test("inherit and a.b = … count as names; the explicit ps.NAME form is read bare (elementAttribute)", () => {
    const text = `{ outputs = { self }: let
      local = { inherit (x) alpha beta; gamma.x = 1; delta = 2; };
      env = python3.withPackages (ps: [ ps.alpha ps.gamma ]);
    in { }; }`;
    const [list] = findPackageLists(text);
    assert.deepEqual(attributes(list!), ["alpha", "gamma"]);
    assert.deepEqual(localPackageSet(text, list!)?.names, ["alpha", "beta", "delta", "gamma"]);
    assert.equal(localPackageSet(text, list!)?.certain, false, "found by its names, not by how the list is applied");
  });

  test("flakes over nixpkgs (the corpus) offer nothing: their set is not in the file", () => {
    for (const file of ["seed.nix", "inline-with.nix", "explicit-ps.nix", "nested-let.nix"]) {
      const text = readFileSync(join(CORPUS_DIR, file), "utf8");
      for (const list of findPackageLists(text)) assert.equal(localPackageSet(text, list), undefined, file);
    }
  });
});

describe("the smallest replacement for the WorkspaceEdit", () => {
  for (const file of ["seed.nix", "crlf.nix", "tabs.nix", "comments-in-list.nix", "explicit-multiline.nix"]) {
    test(`${file}: add and remove touch only the list`, () => {
      const text = readFileSync(join(CORPUS_DIR, file), "utf8");
      const list = findPackageLists(text)[0]!;
      for (const edited of [addPackage(text, list, "hypothesis").text, list.elements[0] ? removePackage(text, list, elementAttribute(list, list.elements[0]) ?? list.elements[0].key).text : text]) {
        const r = minimalReplacement(text, edited);
        assert.equal(applyReplacement(text, r), edited);
        assert.ok(r.start > list.listStart && r.end < list.listEnd, `${r.start}..${r.end} inside ${list.listStart}..${list.listEnd}`);
        assert.ok(!(text[r.start - 1] === "\r" && text[r.start] === "\n"), "never between \\r and \\n");
      }
    });
  }

  test("an insertion is an empty range", () => {
    assert.deepEqual(minimalReplacement("[ a ]", "[ a b ]"), { start: 4, end: 4, text: "b " });
    assert.deepEqual(minimalReplacement("same", "same"), { start: 4, end: 4, text: "" });
  });

  test("CRLF pairs and surrogate pairs are never split", () => {
    const r = minimalReplacement("[\r\n a\r\n]", "[\r\n a\r\n b\r\n]");
    assert.equal(applyReplacement("[\r\n a\r\n]", r), "[\r\n a\r\n b\r\n]");
    assert.notEqual("[\r\n a\r\n]".charCodeAt(r.start - 1), 13);
    const emoji = minimalReplacement("x😀y", "x😃y");
    assert.equal(emoji.text, "😃");
  });
});

describe("the package-set fixture with real nix and uv", { skip: !hasCommand("nix") || !hasCommand("uv") ? "needs nix and uv" : false }, () => {
  test("adding extra to the list makes it an importable Nix package", async () => {
    const dir = makeNixPackageSetProject({}, join(tempDir("nix-package-set"), "project"));
    const load = async () => {
      const log = new MemoryLogger();
      const baseEnv = testEnv();
      const { environment, failure } = await loadEnvironment({
        dir,
        options: defaultOptions({ cacheDir: join(dir, ".cache-test") }),
        baseEnv,
        runner: new ProcessRunner(log),
        log,
      });
      assert.equal(failure, undefined);
      const env = resolve(baseEnv, environment.mutations);
      return scanProvenance({ pythonPath: env.PYTHONPATH, venvDir: join(dir, ".venv"), uvLockPath: join(dir, "uv.lock") }).packages;
    };
    const before = await load();
    assert.deepEqual(before.filter((p) => p.source === "nix").map((p) => p.name), ["nixonly"]);
    assert.ok(before.some((p) => p.name === "uvonly" && p.source === "uv"));

    const outcome = await editFlakeFile(join(dir, "flake.nix"), "add", "extra", { runner: new ProcessRunner(new MemoryLogger()), env: testEnv() });
    assert.equal(outcome.changed, true);
    assert.match(readFileSync(join(dir, "flake.nix"), "utf8"), /myPkgs = p: with p; \[ nixonly extra \];/);
    const after = await load();
    const extra = after.find((p) => p.name === "extra");
    assert.equal(extra?.source, "nix");
    assert.equal(extra?.version, "2.5");
    assert.match(extra!.location, /^\/nix\/store\/[a-z0-9]{32}-extra$/);
  });
});
