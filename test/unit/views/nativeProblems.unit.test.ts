// Where and how the editor reports a missing native library: on flake.nix at the devShell's
// library path when nixpkgs provides it (the Quick Fix's line), else on pyproject.toml at the
// dependency that installed the module; the Packages view's group; and who owns a module.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { distributionsOwning } from "../../../src/core/native/owners";
import { nixpkgsProviderOf } from "../../../src/core/native/nixpkgsLibraries";
import type { NativeLibraryReport } from "../../../src/core/native/scan";
import { buildNativeGroup } from "../../../src/views/nativeLibrariesTree";
import { dependencySpan, nativeProblems } from "../../../src/views/nativeProblems";
import { tempDir } from "../tmp";

const FLAKE = `{
  outputs = { self }: let
    pkgs = { };
  in {
    devShells.x86_64-linux.default = pkgs.mkShell {
      FROM_NIX = "x";
    };
  };
}
`;
const PYPROJECT = `[project]
name = "app"
dependencies = ["uvonly==3.1", "Hyb_GLU>=1.0"]
`;
const MODULE = "hybglu/_greet.cpython-311-x86_64-linux-gnu.so";

function reportOf(...sonames: string[]): NativeLibraryReport {
  return { venvDir: "/p/.venv", loader: "system", searched: [], checked: 4, incomplete: false, missing: sonames.map((soname) => ({ soname, neededBy: [MODULE], provider: nixpkgsProviderOf(soname) })) };
}

const texts: Record<string, string> = { "/p/flake.nix": FLAKE, "/p/pyproject.toml": PYPROJECT };
const input = (report: NativeLibraryReport, flakeText = FLAKE) => ({
  report,
  project: { flakePath: "/p/flake.nix", pyprojectPath: "/p/pyproject.toml", devShell: "default" },
  readText: (f: string) => (f === "/p/flake.nix" ? flakeText : texts[f]),
  owners: new Map([[MODULE, { name: "hyb-glu", version: "1.0" }]]),
});

describe("nativeProblems", () => {
  test("a library nixpkgs provides: on flake.nix, at the devShell's first line, with the attribute for the Quick Fix", () => {
    const [p] = nativeProblems(input(reportOf("libgfortran.so.5")));
    assert.equal(p!.where, "flake.nix");
    assert.equal(p!.attribute, "gfortran.cc.lib");
    assert.deepEqual([p!.start, p!.end], [{ line: 4, character: 4 }, { line: 4, character: 51 }]);
    assert.equal(FLAKE.split("\n")[4]!.slice(4, 51), "devShells.x86_64-linux.default = pkgs.mkShell {");
    assert.match(p!.message, /^libgfortran\.so\.5 is not found: hybglu\/_greet\.cpython-311-x86_64-linux-gnu\.so \(from hyb-glu 1\.0\) cannot be imported \(ImportError\)\. nixpkgs' gfortran\.cc\.lib provides it; the Quick Fix adds it to the library path of the devShell "default" — shown here because that is where it belongs\.$/);
  });

  test("with a library path already: the diagnostic is on that binding", () => {
    const flake = FLAKE.replace('FROM_NIX = "x";', 'LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ];');
    const [p] = nativeProblems(input(reportOf("libgfortran.so.5"), flake));
    const line = flake.split("\n")[p!.start.line]!;
    assert.equal(line.slice(p!.start.character, p!.end.character), "LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ];");
  });

  test("a library nobody curated: on pyproject.toml at the requirement of the distribution that installed it", () => {
    const [p] = nativeProblems(input(reportOf("libhybridgreet.so.1")));
    assert.equal(p!.where, "pyproject.toml");
    assert.equal(p!.attribute, undefined);
    const line = PYPROJECT.split("\n")[p!.start.line]!;
    assert.equal(line.slice(p!.start.character, p!.end.character), '"Hyb_GLU>=1.0"', "any spelling PEP 503 equates");
    assert.match(p!.message, /No curated nixpkgs attribute provides it: find the package with `nix-locate -w lib\/libhybridgreet\.so\.1`.*\(shown here because the dependency hyb-glu installed it\)\.$/);
  });

  test("a GPU driver's library is a warning on pyproject.toml with no flake edit", () => {
    const [p] = nativeProblems(input(reportOf("libcuda.so.1")));
    assert.deepEqual([p!.where, p!.severity, p!.attribute], ["pyproject.toml", "warning", undefined]);
    assert.match(p!.message, /NVIDIA driver provides it.*nothing to add to flake\.nix/);
  });

  test("dependencySpan falls back to the dependencies key, then the start", () => {
    assert.deepEqual(dependencySpan(PYPROJECT, "other"), [PYPROJECT.indexOf("dependencies"), PYPROJECT.indexOf("dependencies") + 12]);
    assert.deepEqual(dependencySpan("[project]\n", undefined), [0, 0]);
    assert.equal(PYPROJECT.slice(...dependencySpan(PYPROJECT, "uvonly")), '"uvonly==3.1"');
  });

  test("the Packages view group: a row per library, fixable when it has an attribute", () => {
    const group = buildNativeGroup(nativeProblems(input(reportOf("libgfortran.so.5", "libhybridgreet.so.1"))))!;
    assert.equal(group.label, "Native libraries (2 missing)");
    assert.deepEqual(
      group.children.map((r) => [r.label, r.description, r.fixable]),
      [
        ["libgfortran.so.5", "needed by hyb-glu 1.0 · fix: gfortran.cc.lib", true],
        ["libhybridgreet.so.1", "needed by hyb-glu 1.0", false],
      ],
    );
    assert.equal(buildNativeGroup([]), undefined, "no group when nothing is missing");
  });
});

describe("distributionsOwning", () => {
  test("reads the dist-info RECORDs of the venv's site-packages", () => {
    const venv = tempDir("owners");
    const site = join(venv, "lib", "python3.11", "site-packages");
    mkdirSync(join(site, "hyb_glu-1.0.dist-info"), { recursive: true });
    writeFileSync(join(site, "hyb_glu-1.0.dist-info", "RECORD"), `${MODULE},sha256=x,10\nhybglu/__init__.py,,\n`);
    mkdirSync(join(site, "other-2.0.dist-info"), { recursive: true });
    writeFileSync(join(site, "other-2.0.dist-info", "RECORD"), "other/x.so,,\n");
    assert.deepEqual([...distributionsOwning(venv, [MODULE, "nobody/y.so"])], [[MODULE, { name: "hyb-glu", version: "1.0" }]]);
  });
});
