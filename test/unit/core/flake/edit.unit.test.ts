// Exact results of edits on small lists, name validation, and which lists count as Python package
// lists. The corpus test covers whole files; these pin the details.
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { InvalidInputError } from "../../../../src/core/errors";
import { chooseCandidate, editFlakeFile } from "../../../../src/core/flake/check";
import { addPackage, packageNameProblem, removePackage } from "../../../../src/core/flake/edit";
import { AmbiguousPackageListError } from "../../../../src/core/flake/errors";
import { findPackageLists } from "../../../../src/core/flake/packageLists";
import { silentLogger } from "../../../../src/core/logger";
import { ProcessRunner } from "../../../../src/core/process";
import { tempDir } from "../../tmp";
import { REPO_ROOT } from "../../repo";

const CORPUS_DIR = join(REPO_ROOT, "test", "fixtures", "flakes");

/** A one-list flake around `list` (given as the source after `myPkgs = `). */
const flake = (list: string) => `{ outputs = { self }: let myPkgs = ${list}; in { p = python3.withPackages myPkgs; }; }\n`;

function edit(op: "add" | "remove", source: string, name: string): string {
  const [list] = findPackageLists(source);
  assert.ok(list, "a list is found");
  return (op === "add" ? addPackage : removePackage)(source, list, name).text;
}

describe("add: exact layout", () => {
  for (const [before, name, after] of [
    ["p: with p; [torch quimb jax]", "numpy", "p: with p; [torch quimb jax numpy]"],
    ["p: with p; [ torch ]", "numpy", "p: with p; [ torch numpy ]"],
    ["p: with p; []", "numpy", "p: with p; [numpy]"],
    ["p: with p; [ ]", "numpy", "p: with p; [ numpy ]"],
    ["ps: [ ps.numpy ]", "torch", "ps: [ ps.numpy ps.torch ]"],
    ["python-pkgs: []", "torch", "python-pkgs: [python-pkgs.torch]"],
    ["p: with p; [ /* none yet */ ]", "numpy", "p: with p; [ /* none yet */ numpy ]"],
    ["p: with p; [\n    a # first\n  ]", "b", "p: with p; [\n    a # first\n    b\n  ]"],
    ["p: with p; [\n    a\n    /* last */\n  ]", "b", "p: with p; [\n    a\n    b\n    /* last */\n  ]"],
    ["p: with p; [\n    a /* spans\n    lines */\n  ]", "b", "p: with p; [\n    a b /* spans\n    lines */\n  ]"],
    ["p: with p; [\n  ]", "b", "p: with p; [\n    b\n  ]"],
    ["p: with p; [\r\n\ta\r\n]", "b", "p: with p; [\r\n\ta\r\n\tb\r\n]"],
    ["p: with p; [ a\n    b ]", "c", "p: with p; [ a\n    b c ]"],
    ["p: with p; [ python3Packages.a ]", "python3Packages.b", "p: with p; [ python3Packages.a python3Packages.b ]"],
  ] as const) {
    test(`${JSON.stringify(before)} + ${name}`, () => assert.equal(edit("add", flake(before), name), flake(after)));
  }
});

describe("remove: exact layout", () => {
  for (const [before, name, after] of [
    ["p: with p; [torch quimb jax]", "torch", "p: with p; [quimb jax]"],
    ["p: with p; [torch quimb jax]", "quimb", "p: with p; [torch jax]"],
    ["p: with p; [torch quimb jax]", "jax", "p: with p; [torch quimb]"],
    ["p: with p; [ torch ]", "torch", "p: with p; [ ]"],
    ["p: with p; [torch]", "torch", "p: with p; []"],
    ["ps: [ ps.numpy ps.torch ]", "numpy", "ps: [ ps.torch ]"],
    ["ps: with ps; [ ps.numpy torch ]", "numpy", "ps: with ps; [ torch ]"],
    ["p: with p; [ a a b a ]", "a", "p: with p; [ b ]"],
    ["p: with p; [\n    # keep me\n    a # goes with a\n    b\n  ]", "a", "p: with p; [\n    # keep me\n    b\n  ]"],
    ["p: with p; [ a\n    b ]", "a", "p: with p; [\n    b ]"],
    ["p: with p; [\n    a /* spans\n    lines */\n  ]", "a", "p: with p; [\n    /* spans\n    lines */\n  ]"],
    ["p: with p; [\r\n\ta\r\n\tb\r\n]", "a", "p: with p; [\r\n\tb\r\n]"],
  ] as const) {
    test(`${JSON.stringify(before)} - ${name}`, () => assert.equal(edit("remove", flake(before), name), flake(after)));
  }

  test("parenthesised and `or` elements stay intact", () => {
    const source = flake("ps: [ (ps.callPackage ./x.nix { }) ps.a or ps.b ps.c ]");
    assert.deepEqual(findPackageLists(source)[0]!.elements.map((e) => e.text), ["(ps.callPackage ./x.nix { })", "ps.a or ps.b", "ps.c"]);
    assert.equal(edit("remove", source, "c"), flake("ps: [ (ps.callPackage ./x.nix { }) ps.a or ps.b ]"));
  });
});

describe("already there / not there, in either form", () => {
  for (const [list, name] of [
    ["ps: [ ps.numpy ]", "numpy"],
    ["ps: with ps; [ ps.numpy ]", "numpy"],
    ["ps: with ps; [ numpy ]", "ps.numpy"],
    ["ps: with ps; [ /* c */ numpy ]", "numpy"],
  ] as const) {
    test(`${list} already has ${name}`, () => {
      const source = flake(list);
      const result = addPackage(source, findPackageLists(source)[0]!, name);
      assert.deepEqual([result.changed, result.text], [false, source]);
      assert.match(result.message, /already in .*no change/);
    });
  }
  test("a name only in a comment or string is not in the list", () => {
    const source = flake('ps: with ps; [ /* numpy */ "numpy" ]');
    assert.equal(addPackage(source, findPackageLists(source)[0]!, "numpy").changed, true);
    assert.equal(removePackage(source, findPackageLists(source)[0]!, "numpy").changed, false);
  });
});

const BAD_NAMES = [
  "torch]; x = builtins.readFile /etc/passwd; [",
  "",
  " ",
  "a b",
  " numpy",
  "numpy\n",
  '"numpy"',
  "'numpy",
  "${x}",
  "num#py",
  "numpy;",
  "numpy]",
  "ps..numpy",
  ".numpy",
  "numpy.",
  "1numpy",
  "-numpy",
  "a/b",
  "<nixpkgs>",
  "with",
  "ps.in",
  "x".repeat(201),
];

describe("names", () => {
  for (const good of ["numpy", "scikit-learn", "python3Packages.numpy", "foo'", "_private", "a1-b_c'd"]) {
    test(`accepts ${JSON.stringify(good)}`, () => assert.equal(packageNameProblem(good), undefined));
  }
  for (const bad of BAD_NAMES) {
    test(`rejects ${JSON.stringify(bad.slice(0, 50))}`, () => {
      assert.ok(packageNameProblem(bad));
      const source = flake("p: with p; [ a ]");
      const [list] = findPackageLists(source);
      assert.throws(() => addPackage(source, list!, bad), InvalidInputError);
      assert.throws(() => removePackage(source, list!, bad), InvalidInputError);
    });
  }
  test("bad names leave a flake.nix byte-identical (and untouched on disk)", async () => {
    const file = join(tempDir("badnames"), "flake.nix");
    copyFileSync(join(CORPUS_DIR, "seed.nix"), file);
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    const opts = { runner: new ProcessRunner(silentLogger), env: process.env };
    for (const bad of BAD_NAMES) {
      for (const op of ["add", "remove"] as const) await assert.rejects(editFlakeFile(file, op, bad, opts), InvalidInputError);
    }
    assert.ok(readFileSync(file).equals(before));
    assert.equal(statSync(file).mtimeMs, mtime);
  });
});

describe("which lists are Python package lists", () => {
  const count = (source: string) => findPackageLists(source).length;
  test("not: other languages' withPackages, plain lists, lists in strings and comments", () => {
    assert.equal(count("{ a = ghc.withPackages (hp: [ hp.lens ]); b = perl.withPackages (p: with p; [ JSON ]); }"), 0);
    assert.equal(count("{ pkgs }: { packages = with pkgs; [ git jq ]; x = [ 1 2 ]; }"), 0);
    assert.equal(count('{ a = "python3.withPackages (ps: [ ps.x ])"; b = \'\'myPkgs = p: with p; [ a ];\'\'; }'), 0);
    assert.equal(count("{ /* python3.withPackages (ps: [ ps.x ]) */ } # python3.withPackages (ps: [ ps.y ])\n"), 0);
  });
  test("a lambda bound to a name counts when a Python's withPackages gets it", () => {
    assert.equal(count("let f = p: with p; [ a ]; in { x = python311.withPackages f; }"), 1);
    assert.equal(count("let f = p: with p; [ a ]; in { x = ghc.withPackages f; }"), 0);
    assert.equal(count("let pythonPkgs = p: with p; [ a ]; in pythonPkgs"), 1);
  });
  test("with over a Python package set, with or without a lambda", () => {
    assert.equal(count("{ pkgs }: (with pkgs.python311Packages; [ a ]) ++ (with python3.pkgs; [ b ])"), 2);
  });
  test("a mixed list counts only when there is no Python list, and only its Python elements match", () => {
    const mixed = "{ pkgs }: { a = with pkgs; [ git python3Packages.numpy ]; }";
    const [list] = findPackageLists(mixed);
    assert.equal(list?.form, "qualified");
    assert.equal(addPackage(mixed, list!, "rich").text, "{ pkgs }: { a = with pkgs; [ git python3Packages.numpy python3Packages.rich ]; }");
    assert.equal(removePackage(mixed, list!, "git").changed, false);
    assert.equal(removePackage(mixed, list!, "numpy").text, "{ pkgs }: { a = with pkgs; [ git ]; }");
    assert.equal(addPackage(mixed, list!, "python3Packages.numpy").changed, false);
    assert.equal(count(`let f = p: with p; [ a ]; in ${mixed.replace("{ pkgs }: ", "")} // { x = python3.withPackages f; }`), 1);
  });
  test("labels name the binding and the line", () => {
    const text = readFileSync(join(CORPUS_DIR, "several-shells.nix"), "utf8");
    assert.deepEqual(
      findPackageLists(text).map((c) => c.label),
      [
        "devShells.x86_64-linux.default.packages = … pkgs.python3.withPackages (ps: with ps; [ … ]) (line 11)",
        "devShells.x86_64-linux.docs.packages = … pkgs.python3.withPackages (ps: with ps; [ … ]) (line 14)",
      ],
    );
    const seed = readFileSync(join(CORPUS_DIR, "seed.nix"), "utf8");
    assert.equal(findPackageLists(seed)[0]!.label, "myPkgs = p: with p; [ … ] (line 10)");
  });
});

describe("chooseCandidate", () => {
  const lists = findPackageLists(readFileSync(join(CORPUS_DIR, "several-shells.nix"), "utf8"));
  test("several and no choice: an error listing them", () => {
    assert.throws(
      () => chooseCandidate(lists),
      (err: unknown) => err instanceof AmbiguousPackageListError && err.candidates.length === 2 && /1: devShells.*\n {2}2: devShells/.test(err.message),
    );
  });
  test("by number (also as text) and by label", () => {
    assert.equal(chooseCandidate(lists, 2), lists[1]);
    assert.equal(chooseCandidate(lists, "1"), lists[0]);
    assert.equal(chooseCandidate(lists, lists[1]!.label), lists[1]);
  });
  test("an unknown choice or no list at all is an InvalidInputError", () => {
    assert.throws(() => chooseCandidate(lists, 3), InvalidInputError);
    assert.throws(() => chooseCandidate([]), /No Python package list/);
  });
});
