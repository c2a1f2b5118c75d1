// Lists across a project's files and the choice among them: imports from flake.nix, flake-parts
// modules, shell.nix / default.nix without a flake, the devShell preference, and the question
// (with where each list is used) when the preference still leaves several.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { AmbiguousPackageListError, NoPackageListError } from "../../../../src/core/flake/errors";
import { planPackageEdit } from "../../../../src/core/flake/projectEdit";
import { chooseProjectList, findProjectPackageLists } from "../../../../src/core/flake/projectLists";
import { tempDir } from "../../tmp";

function project(files: Record<string, string>): string {
  const dir = tempDir("project-lists");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const FLAKE_HEAD = `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";\n  outputs = { self, nixpkgs }: let pkgs = nixpkgs.legacyPackages.x86_64-linux; in {\n`;

describe("lists in other files", () => {
  test("import ./nix/devshell.nix: the list is found there, used by devShells.default, and the edit lands there", () => {
    const dir = project({
      "flake.nix": `${FLAKE_HEAD}    devShells.x86_64-linux.default = import ./nix/devshell.nix { inherit pkgs; };\n  };\n}\n`,
      "nix/devshell.nix": "{ pkgs }:\npkgs.mkShell {\n  packages = [ (pkgs.python3.withPackages (ps: with ps; [ numpy ])) ];\n}\n",
    });
    const found = findProjectPackageLists(dir);
    assert.equal(found.lists.length, 1);
    const [list] = found.lists;
    assert.equal(list!.relPath, "nix/devshell.nix");
    assert.deepEqual(list!.usedBy, ["devShells.default"]);
    assert.match(list!.label, /\(nix\/devshell\.nix:3\)$/);
    const plan = planPackageEdit(found, "add", "rich");
    assert.equal(plan.list.file, join(found.dir, "nix", "devshell.nix"));
    assert.match(plan.after, /\[ numpy rich \]/);
  });

  test("callPackage ./develop.nix { } and a folder with default.nix", () => {
    const dir = project({
      "flake.nix": `${FLAKE_HEAD}    devShells.x86_64-linux.default = pkgs.callPackage ./develop.nix { };\n    packages.x86_64-linux.default = pkgs.callPackage ./pkg { };\n  };\n}\n`,
      "develop.nix": "{ mkShell, python3 }: mkShell { packages = [ (python3.withPackages (p: [ p.pytest ])) ]; }\n",
      "pkg/default.nix": "{ python3Packages }: python3Packages.buildPythonPackage { pname = \"x\"; version = \"1\"; propagatedBuildInputs = with python3Packages; [ requests ]; }\n",
    });
    const found = findProjectPackageLists(dir);
    assert.deepEqual(found.lists.map((l) => [l.relPath, l.usedBy.join(",")]), [["develop.nix", "devShells.default"], ["pkg/default.nix", "packages.default"]]);
    assert.equal(chooseProjectList(found).relPath, "develop.nix", "the devShell's list wins over the package's");
  });

  test("a flake-parts module declares the devShell in its own file", () => {
    const dir = project({
      "flake.nix": "{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./nix/python.nix ]; systems = [ ]; }; }\n",
      "nix/python.nix": "{ ... }: {\n  perSystem = { pkgs, ... }: let env = pkgs.python3.withPackages (ps: [ ps.flask ]); in {\n    devShells.default = pkgs.mkShell { packages = [ env ]; };\n  };\n}\n",
    });
    const [list] = findProjectPackageLists(dir).lists;
    assert.deepEqual(list!.usedBy, ["devShells.default"]);
    assert.equal(list!.inDevShell, true);
  });

  test("without a flake: shell.nix, else default.nix", () => {
    const shell = project({ "shell.nix": "{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { packages = [ (pkgs.python3.withPackages (ps: [ ps.a ])) ]; }\n", "default.nix": "{ }: 1\n" });
    const found = findProjectPackageLists(shell);
    assert.equal(found.kind, "shell.nix");
    assert.deepEqual(found.lists[0]!.usedBy, ["shell.nix"]);
    const dflt = project({ "default.nix": "with import <nixpkgs> {}; (python3.buildEnv.override { extraLibs = with python3Packages; [ a ]; }).env\n" });
    assert.equal(findProjectPackageLists(dflt).kind, "default.nix");
    assert.equal(findProjectPackageLists(dflt).lists.length, 1);
  });

  test("no list anywhere: NoPackageListError names the files searched and the shapes", () => {
    const dir = project({ "flake.nix": `${FLAKE_HEAD}    devShells.x86_64-linux.default = import ./shell.nix { inherit pkgs; };\n  };\n}\n`, "shell.nix": "{ pkgs }: pkgs.mkShell { packages = [ pkgs.python3 ]; }\n" });
    assert.throws(() => chooseProjectList(findProjectPackageLists(dir)), (e: unknown) => e instanceof NoPackageListError && /flake\.nix, shell\.nix.*withPackages/.test((e as Error).message));
  });

  test("a path out of the project folder is not read", () => {
    const outside = project({ "evil.nix": "python3.withPackages (ps: [ ps.a ])\n" });
    const dir = project({ "flake.nix": `{ outputs = _: { devShells.x86_64-linux.default = import ${join(outside, "evil.nix").replace(/^\//, "../".repeat(8))}; }; }\n` });
    assert.deepEqual(findProjectPackageLists(dir).files.map((f) => f.relPath), ["flake.nix"]);
  });
});

describe("several lists", () => {
  const twoShells = `${FLAKE_HEAD}    devShells.x86_64-linux.default = pkgs.mkShell { packages = [ (pkgs.python3.withPackages (ps: [ ps.requests ])) ]; };\n    devShells.x86_64-linux.docs = pkgs.mkShell { packages = [ (pkgs.python3.withPackages (ps: [ ps.sphinx ])) ]; };\n  };\n}\n`;
  test("the configured devShell's list is chosen (hybridEnv.devShell / --dev-shell)", () => {
    const dir = project({ "flake.nix": twoShells });
    assert.match(chooseProjectList(findProjectPackageLists(dir)).candidate.elements[0]!.key, /requests/);
    assert.match(chooseProjectList(findProjectPackageLists(dir, { devShell: "docs" })).candidate.elements[0]!.key, /sphinx/);
  });

  test("the main list reached only as (pythonPackages p) and a one-element list beside it: asked, with where each is used", () => {
    const dir = project({
      "flake.nix": `${FLAKE_HEAD}    devShells.x86_64-linux.default = let\n      pythonPackages = (p: with p; [ a b c d e f g h i j k l m n o p q r s t ]);\n      py = pkgs.blender.python.withPackages (p: [ p.bpy ] ++ (pythonPackages p));\n    in pkgs.mkShell { packages = [ py ]; };\n  };\n}\n`,
    });
    const found = findProjectPackageLists(dir);
    assert.deepEqual(found.lists.map((l) => l.candidate.elements.length), [20, 1]);
    assert.throws(
      () => chooseProjectList(found),
      (e: unknown) =>
        e instanceof AmbiguousPackageListError &&
        e.candidates.length === 2 &&
        /that devShells\.default uses.*\n {2}1: .*pythonPackages = p: with p; \[ … \] \(flake\.nix:4\) — used by devShells\.default\n {2}2: .*blender\.python\.withPackages.*\(flake\.nix:5\) — used by devShells\.default/s.test((e as Error).message),
    );
    assert.equal(chooseProjectList(found, "flake.nix:5").number, 2);
    assert.equal(chooseProjectList(found, 1).number, 1);
    assert.throws(() => chooseProjectList(found, 3), /There is no package list "3"/);
  });

  test("remove without --list takes the one list that has the name", () => {
    const dir = project({ "flake.nix": twoShells });
    const found = findProjectPackageLists(dir);
    assert.match(planPackageEdit(found, "remove", "sphinx").list.label, /docs/);
    assert.match(planPackageEdit(found, "remove", "requests").list.label, /default/);
  });
});
