// Which lists count as Python package lists, read top down as Nix reads them, and how each is
// edited: the shapes of issue 10 (the offline example's unpassed myPkgs, `dist.withPackages`, a
// let-rebound set, a named function reached through an application) and the rules around them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { addPackage, removePackage } from "../../../../src/core/flake/edit";
import { PackageNameScopeError } from "../../../../src/core/flake/errors";
import { findPackageLists, readPackageLists } from "../../../../src/core/flake/packageLists";

const ROOT = join(__dirname, "..", "..", "..", "..", "..");
const only = (text: string) => {
  const lists = findPackageLists(text);
  assert.equal(lists.length, 1, lists.map((l) => l.label).join("\n"));
  return lists[0]!;
};
const added = (text: string, name: string, n = 0) => addPackage(text, findPackageLists(text)[n]!, name).text;

describe("the bundled example (examples/offline-hybrid)", () => {
  const text = readFileSync(join(ROOT, "examples", "offline-hybrid", "flake.nix"), "utf8");
  test("myPkgs is found although nothing passes it to withPackages (it is applied to a Python set)", () => {
    const list = only(text);
    assert.equal(list.functionName, "myPkgs");
    assert.equal(list.pythonSet?.local?.name, "pythonPackages");
    assert.match(added(text, "nixtips"), /myPkgs = p: with p; \[ nixgreet iniconfig nixtips \];/);
  });
});

describe("receivers", () => {
  test("any receiver but another language's: dist, python, blender.python", () => {
    assert.equal(findPackageLists("{ pkgs }: let dist = pkgs.python311; in dist.withPackages (p: with p; [ numpy ])").length, 1);
    assert.equal(findPackageLists("mk = dist: dist.withPackages (p: with p; [ numpy ]);").length, 1);
    assert.equal(findPackageLists("{ pkgs }: pkgs.blender.python.withPackages (p: [ p.x ])").length, 1);
    for (const other of ["perl", "pkgs.lua", "emacs.pkgs", "ghc", "pkgs.texlive", "julia"]) {
      assert.equal(findPackageLists(`{ pkgs }: ${other}.withPackages (p: with p; [ a ])`).length, 0, other);
    }
  });
  test("a let-bound receiver is followed to its interpreter", () => {
    const list = only("{ pkgs }: let python = pkgs.python311.override { x = 1; }; dist = python; in dist.withPackages (p: [ p.a ])");
    assert.equal(list.pythonSet?.interpreter, "python311");
  });
});

describe("named functions", () => {
  test("passed directly, applied inside another withPackages, or applied with ++", () => {
    const blender = "{ pkgs }: let pythonPackages = (p: with p; [ a b c ]); in { x = pkgs.blender.python.withPackages (p: [ p.x ] ++ (pythonPackages p)); }";
    const lists = findPackageLists(blender);
    assert.deepEqual(lists.map((l) => l.elements.length), [3, 1]);
    assert.equal(lists[0]!.functionName, "pythonPackages");
    assert.equal(lists[0]!.pythonSet?.text, "pkgs.blender.python");
  });
  test("a name given to a non-Python withPackages or never used is left alone (unless named like Python or the seed's)", () => {
    assert.equal(findPackageLists("let f = p: with p; [ lens ]; in pkgs.haskellPackages.ghcWithPackages f").length, 0);
    assert.equal(findPackageLists("let tools = p: with p; [ git ]; in tools").length, 0);
    assert.equal(findPackageLists("let myPkgs = p: with p; [ a ]; in 1").length, 1);
    assert.equal(findPackageLists("let pyDeps = p: with p; [ a ]; in 1").length, 1);
  });
  test("a list bound to a name in the function is one of its lists, labelled by its name", () => {
    const lists = findPackageLists("python3.withPackages (ps: let extra = [ ps.b ]; in [ ps.a ] ++ extra)");
    assert.deepEqual(lists.map((l) => l.label.replace(/ \(line.*/, "")), ["extra = [ … ]", "(top level) = … python3.withPackages (ps: let …; in … [ … ])"]);
    assert.equal(added("python3.withPackages (ps: let extra = [ ps.b ]; in [ ps.a ] ++ extra)", "c"), "python3.withPackages (ps: let extra = [ ps.b ps.c ]; in [ ps.a ] ++ extra)");
  });
});

describe("let-rebound sets: the prefix the list already uses", () => {
  const text = "{ pkgs }: pkgs.python3.withPackages (ps: let ps_ = ps.override { x = 1; }; in [ ps_.numpy ps_.toml ])";
  test("add rich gives ps_.rich, also when typed ps_.rich or python3Packages.rich", () => {
    for (const typed of ["rich", "ps_.rich", "ps.rich", "python3Packages.rich"]) assert.match(added(text, typed), /\[ ps_\.numpy ps_\.toml ps_\.rich \]/, typed);
  });
  test("remove toml finds ps_.toml", () => {
    assert.equal(removePackage(text, only(text), "toml").text, text.replace(" ps_.toml", ""));
  });
});

describe("typed names against the list's scope", () => {
  test("python3Packages.rich and ps.rich become p.rich, or rich under `with p;`", () => {
    assert.equal(added("python3.withPackages (p: [ p.a ])", "python3Packages.rich"), "python3.withPackages (p: [ p.a p.rich ])");
    assert.equal(added("python3.withPackages (p: [ p.a ])", "ps.rich"), "python3.withPackages (p: [ p.a p.rich ])");
    assert.equal(added("python311.withPackages (p: with p; [ a ])", "python3Packages.rich"), "python311.withPackages (p: with p; [ a rich ])");
    assert.equal(added("python311.withPackages (p: with p; [ a ])", "pkgs.python311Packages.rich"), "python311.withPackages (p: with p; [ a rich ])");
  });
  test("a name from another Python's set is refused, saying why", () => {
    assert.throws(
      () => added("python311.withPackages (p: with p; [ a ])", "python310Packages.rich"),
      (e: unknown) => e instanceof PackageNameScopeError && /Python 3\.10's package set.*Python 3\.11/.test((e as Error).message),
    );
    assert.throws(() => added("python3.withPackages (p: with p; [ a ])", "pypy3Packages.rich"), PackageNameScopeError);
    assert.throws(() => added("python3.withPackages (p: with p; [ a ])", "pkgs.rich"), /top-level nixpkgs package/);
    assert.throws(() => added("python3.withPackages (p: with p; [ a ])", "foo.rich"), /foo is not the package set/);
  });
  test("a mixed list keeps its qualifier", () => {
    const mixed = "{ pkgs }: { a = with pkgs; [ git python311Packages.numpy ]; }";
    assert.equal(added(mixed, "rich"), mixed.replace("numpy ]", "numpy python311Packages.rich ]"));
    assert.throws(() => added(mixed, "python310Packages.rich"), PackageNameScopeError);
  });
});

describe("other list shapes", () => {
  test("if/else and optionals branches are lists of the function", () => {
    const text = "python3.withPackages (ps: with ps; [ a ] ++ (if x then [ b ] else [ c ]) ++ lib.optionals y [ d ])";
    assert.equal(findPackageLists(text).length, 4);
  });
  test("buildEnv extraLibs, inside a with over a Python set", () => {
    const text = "with python3Packages; python.buildEnv.override { extraLibs = [ pip requests ]; }";
    const list = only(text);
    assert.equal(list.pythonSet?.interpreter, "python3");
    assert.equal(added(text, "rich"), text.replace("requests ]", "requests rich ]"));
  });
  test("a file used as a package function: `python3.withPackages (import ./reqs.nix pkgs)`", () => {
    const caller = readPackageLists("{ pkgs }: pkgs.python3.withPackages (import ./reqs.nix pkgs)");
    assert.deepEqual(caller.functionImports.map((i) => [i.path, i.use.args, i.use.yields]), [["./reqs.nix", 1, "function"]]);
    const reqs = readPackageLists("pkgs: pypkgs: with pypkgs;\n[\n  setuptools\n]\n", { asPythonFunction: caller.functionImports[0]!.use });
    assert.equal(reqs.lists.length, 1);
    assert.equal(reqs.lists[0]!.withTarget, "pypkgs");
  });
  test("strings and comments that look like lists are not lists", () => {
    assert.equal(findPackageLists('{ a = "python3.withPackages (ps: [ ps.x ])"; } # python3.withPackages (ps: [ ps.y ])\n').length, 0);
  });
});
