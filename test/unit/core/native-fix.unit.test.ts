// From a missing library to its fix: the curated nixpkgs map, the doctor findings, and the
// flake edit that puts the attributes on the devShell's LD_LIBRARY_PATH.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nativeLibraryFindings } from "../../../src/core/native/findings";
import { findLibraryPathList, libraryPathEdit, planLibraryPath, sameLibraryEntry } from "../../../src/core/native/libraryPathEdit";
import { nixpkgsProviderOf } from "../../../src/core/native/nixpkgsLibraries";
import type { MissingLibrary, NativeLibraryReport } from "../../../src/core/native/scan";

const missing = (soname: string, ...neededBy: string[]): MissingLibrary => ({ soname, neededBy, provider: nixpkgsProviderOf(soname) });
const report = (m: MissingLibrary[]): NativeLibraryReport => ({ venvDir: "/p/.venv", loader: "nix", searched: ["the Nix loader's own folder"], checked: 12, missing: m, incomplete: false });

describe("nixpkgsProviderOf", () => {
  test("the libraries wheels most often miss", () => {
    const cases: Array<[string, string]> = [
      ["libz.so.1", "zlib"],
      ["libstdc++.so.6", "stdenv.cc.cc.lib"],
      ["libstdc++.so.6.0.30", "stdenv.cc.cc.lib"],
      ["libgcc_s.so.1", "stdenv.cc.cc.lib"],
      ["libgomp.so.1", "stdenv.cc.cc.lib"],
      ["libGL.so.1", "libGL"],
      ["libglib-2.0.so.0", "glib"],
      ["libgthread-2.0.so.0", "glib"],
      ["libX11.so.6", "xorg.libX11"],
      ["libgfortran.so.5", "gfortran.cc.lib"],
    ];
    for (const [soname, attribute] of cases) assert.equal(nixpkgsProviderOf(soname)?.attribute, attribute, soname);
    assert.equal(nixpkgsProviderOf("libcuda.so.1")?.fromDriver, true);
    assert.equal(nixpkgsProviderOf("libhybridgreet.so.1"), undefined);
    assert.equal(nixpkgsProviderOf("libz.so.1.debug"), undefined);
  });
});

describe("nativeLibraryFindings", () => {
  test("nothing missing: one ok line with the count", () => {
    const f = nativeLibraryFindings(report([]));
    assert.deepEqual(f.map((x) => [x.level, x.check]), [["ok", "native libraries"]]);
    assert.match(f[0]!.message, /12 extension modules and libraries checked/);
  });

  test("one error per missing library: who needs it, the attribute, the fix; then the combined edit", () => {
    const f = nativeLibraryFindings(report([missing("libz.so.1", "a/_x.so", "b/_y.so", "c/_z.so", "d/_w.so"), missing("libstdc++.so.6", "e/_v.so"), missing("libfoo.so.2", "f/_u.so")]));
    assert.equal(f.length, 4);
    assert.equal(f[0]!.level, "error");
    assert.match(f[0]!.message, /^libz\.so\.1, needed by a\/_x\.so, b\/_y\.so, c\/_z\.so and 1 more, is not found/);
    assert.match(f[0]!.fix!, /pkgs\.zlib/);
    assert.match(f[1]!.fix!, /stdenv\.cc\.cc\.lib/);
    assert.match(f[2]!.fix!, /nix-locate -w lib\/libfoo\.so\.2/);
    assert.equal(f[3]!.fix, "LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath (with pkgs; [ stdenv.cc.cc.lib zlib ]);");
  });

  test("a driver library is a warning with no flake edit", () => {
    const f = nativeLibraryFindings(report([missing("libcuda.so.1", "jax_plugins/x.so")]));
    assert.equal(f[0]!.level, "warn");
    assert.match(f[0]!.fix!, /NVIDIA driver/);
  });
});

describe("planLibraryPath and libraryPathEdit", () => {
  test("the plan: sorted unique attributes, unknown and driver sonames apart, two snippets", () => {
    const plan = planLibraryPath([missing("libz.so.1"), missing("libgomp.so.1"), missing("libstdc++.so.6"), missing("libnope.so"), missing("libcuda.so.1")]);
    assert.deepEqual(plan.attributes, ["stdenv.cc.cc.lib", "zlib"]);
    assert.deepEqual(plan.unknown, ["libnope.so"]);
    assert.deepEqual(plan.fromDriver, ["libcuda.so.1"]);
    assert.equal(plan.shellHookSnippet, "export LD_LIBRARY_PATH=${pkgs.lib.makeLibraryPath (with pkgs; [ stdenv.cc.cc.lib zlib ])}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}");
  });

  const apply = (source: string, attrs: string[]) => {
    const e = libraryPathEdit(source, attrs);
    assert.equal(e.kind, "extend-list");
    return e.kind === "extend-list" ? source.slice(0, e.offset) + e.text + source.slice(e.offset) : source;
  };

  test("extends an inline list, keeping its style", () => {
    assert.equal(apply("{ LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib ]; }", ["zlib", "glib"]), "{ LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.zlib pkgs.glib ]; }");
    assert.equal(apply("{ LD_LIBRARY_PATH = lib.makeLibraryPath []; }", ["zlib"]), "{ LD_LIBRARY_PATH = lib.makeLibraryPath [ pkgs.zlib ]; }");
    assert.equal(apply("{ LD_LIBRARY_PATH = lib.makeLibraryPath [ zlib ]; }", ["glib"]), "{ LD_LIBRARY_PATH = lib.makeLibraryPath [ zlib glib ]; }");
    assert.equal(apply("{ LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath (with pkgs; [ ]); }", ["glib"]), "{ LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath (with pkgs; [ glib ]); }");
  });

  test("extends a list with one element per line, at the last element's indentation", () => {
    const src = "{\n  LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath (with pkgs; [\n    zlib # for numpy\n    glib\n  ]);\n}\n";
    assert.equal(apply(src, ["stdenv.cc.cc.lib"]), "{\n  LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath (with pkgs; [\n    zlib # for numpy\n    glib\n    stdenv.cc.cc.lib\n  ]);\n}\n");
  });

  test("nothing to add when makeLibraryPath already has the entry (stdenv.cc.cc is stdenv.cc.cc.lib)", () => {
    assert.deepEqual(libraryPathEdit("{ LD_LIBRARY_PATH = lib.makeLibraryPath [ pkgs.stdenv.cc.cc pkgs.zlib ]; }", ["stdenv.cc.cc.lib", "zlib"]), { kind: "unchanged" });
    assert.ok(sameLibraryEntry("pkgs.zlib.out", "zlib"));
  });

  test("no list (or one only in a comment or a string): a new attribute to add", () => {
    for (const src of ["{ buildInputs = [ zlib ]; }", "{ # LD_LIBRARY_PATH = lib.makeLibraryPath [ zlib ];\n}", `{ shellHook = "LD_LIBRARY_PATH = lib.makeLibraryPath [ zlib ]"; }`, "{ x = ''\n LD_LIBRARY_PATH = lib.makeLibraryPath [ ]\n''; }"]) {
      assert.equal(findLibraryPathList(src), undefined, src);
      assert.deepEqual(libraryPathEdit(src, ["zlib"]), { kind: "add-attribute", snippet: "LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath (with pkgs; [ zlib ]);", added: ["zlib"] });
    }
  });

  test("brackets inside comments or strings of the list do not end it", () => {
    const src = '{ LD_LIBRARY_PATH = lib.makeLibraryPath [ zlib /* ] */ (x "]") ]; }';
    const span = findLibraryPathList(src)!;
    assert.equal(src[span.close], "]");
    assert.equal(src.slice(span.close), "]; }");
  });
});
