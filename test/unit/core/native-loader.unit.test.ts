// glibc's search order on synthetic ELF files in temp folders, the loader a venv interpreter runs
// under, and the venv scan with its grouping by missing library.
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { cachedProbe, expandOrigin, loaderSetupFor, resolveNeeded, type LoaderSetup } from "../../../src/core/native/loader";
import { isExtensionModuleName, isSharedObjectName, scanNativeLibraries } from "../../../src/core/native/scan";
import { buildElf, type ElfSpec } from "../../helpers/elfBuilder";
import { tempDir } from "../tmp";

function put(path: string, spec: ElfSpec = {}): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, buildElf(spec));
  return path;
}

const NO_SYSTEM: LoaderSetup = { kind: "nix", ldLibraryPath: [], defaultDirs: [], preloaded: new Set(), described: [] };

describe("resolveNeeded", () => {
  test("order: RPATH, LD_LIBRARY_PATH, RUNPATH, cache, default folders", () => {
    const d = tempDir("order");
    for (const dir of ["rpath", "llp", "runpath", "cached", "default"]) put(join(d, dir, "libx.so.1"));
    const probe = cachedProbe();
    const setup: LoaderSetup = { ...NO_SYSTEM, ldLibraryPath: [join(d, "llp")], cache: new Map([["libx.so.1", [join(d, "cached", "libx.so.1")]]]), defaultDirs: [join(d, "default")] };
    const withRpath = { path: join(d, "m.so"), elf: { bits: 64, endian: "little", type: 3, machine: 62, needed: ["libx.so.1"], rpath: [join(d, "rpath")] } } as const;
    assert.deepEqual(resolveNeeded("libx.so.1", withRpath, setup, probe), { found: true, path: join(d, "rpath", "libx.so.1"), via: "rpath" });
    const withBoth = { ...withRpath, elf: { ...withRpath.elf, runpath: [join(d, "runpath")] } };
    assert.equal((resolveNeeded("libx.so.1", withBoth, setup, probe) as { via: string }).via, "LD_LIBRARY_PATH", "a RUNPATH turns RPATH off and comes after LD_LIBRARY_PATH");
    assert.equal((resolveNeeded("libx.so.1", withBoth, { ...setup, ldLibraryPath: [] }, probe) as { via: string }).via, "runpath");
    const plain = { ...withRpath, elf: { ...withRpath.elf, rpath: undefined } };
    assert.equal((resolveNeeded("libx.so.1", plain, { ...setup, ldLibraryPath: [] }, probe) as { via: string }).via, "cache");
    assert.equal((resolveNeeded("libx.so.1", plain, { ...setup, ldLibraryPath: [], cache: undefined }, probe) as { via: string }).via, "default");
    assert.deepEqual(resolveNeeded("libx.so.1", plain, NO_SYSTEM, probe), { found: false });
  });

  test("$ORIGIN is the object's folder; a library of another machine or class is skipped", () => {
    const d = tempDir("origin");
    put(join(d, "pkg", "lib", "liby.so.1"), { machine: 183 });
    put(join(d, "pkg", "lib32", "liby.so.1"), { bits: 32, machine: 62 });
    const obj = { path: join(d, "pkg", "ext.so"), elf: { bits: 64, endian: "little", type: 3, machine: 62, needed: [], runpath: ["$ORIGIN/lib", "${ORIGIN}/lib32"] } } as const;
    assert.deepEqual(resolveNeeded("liby.so.1", obj, NO_SYSTEM, cachedProbe()), { found: false });
    put(join(d, "pkg", "lib", "liby.so.1"));
    assert.deepEqual(resolveNeeded("liby.so.1", obj, NO_SYSTEM, cachedProbe()), { found: true, path: join(d, "pkg", "lib", "liby.so.1"), via: "runpath" });
    assert.deepEqual(expandOrigin(["$ORIGIN/../x", "$LIB/y", "relative"], "/o"), ["/o/../x"]);
  });

  test("a soname the process has loaded already needs no search", () => {
    const obj = { path: "/x/ext.so", elf: { bits: 64, endian: "little", type: 3, machine: 62, needed: [] } } as const;
    assert.equal(resolveNeeded("libpython3.11.so.1.0", obj, { ...NO_SYSTEM, preloaded: new Set(["libpython3.11.so.1.0"]) }, cachedProbe()).found, true);
  });
});

describe("loaderSetupFor", () => {
  test("a Nix store loader searches its own folder, never /etc/ld.so.cache", () => {
    const d = tempDir("nixloader");
    const py = put(join(d, "bin", "python3"), { type: 2, interpreter: "/nix/store/00000000000000000000000000000000-glibc-2.40/lib/ld-linux-x86-64.so.2" });
    const setup = loaderSetupFor(py, { ldLibraryPath: "/a::relative:/b" });
    assert.equal(setup.kind, "nix");
    assert.deepEqual(setup.defaultDirs, ["/nix/store/00000000000000000000000000000000-glibc-2.40/lib"]);
    assert.equal(setup.cache, undefined);
    assert.deepEqual(setup.ldLibraryPath, ["/a", "/b"]);
  });

  test("the system loader reads the cache of etcDir, or its ld.so.conf without one; the interpreter's libraries count as loaded", () => {
    const d = tempDir("sysloader");
    put(join(d, "lib", "libpyx.so.1.0"), { soname: "libpyx.so.1.0", needed: ["libdep.so.2"] });
    put(join(d, "conf-dir", "libdep.so.2"));
    writeFileSync(join(d, "ld.so.conf"), `${join(d, "conf-dir")}\n`);
    const py = put(join(d, "bin", "python3.11"), { type: 2, interpreter: "/lib64/ld-linux-x86-64.so.2", needed: ["libpyx.so.1.0"], runpath: "$ORIGIN/../lib" });
    symlinkSync(py, join(d, "bin", "python"));
    const setup = loaderSetupFor(join(d, "bin", "python"), { etcDir: d });
    assert.equal(setup.kind, "system");
    assert.equal(setup.cache, undefined);
    assert.ok(setup.defaultDirs.includes(join(d, "conf-dir")));
    assert.ok(setup.defaultDirs.includes("/usr/lib"));
    assert.ok(setup.preloaded.has("libpyx.so.1.0") && setup.preloaded.has("libdep.so.2"), [...setup.preloaded].join(","));
  });
});

describe("scanNativeLibraries", () => {
  test("groups missing libraries by soname with the files that need them; names the nixpkgs attribute", async () => {
    const venv = tempDir("venv");
    const site = join(venv, "lib", "python3.11", "site-packages");
    const py = put(join(venv, "bin", "python"), { type: 2, interpreter: "/nix/store/11111111111111111111111111111111-glibc/lib/ld-linux-x86-64.so.2", needed: ["libc.so.6"] });
    const llp = tempDir("llp");
    put(join(llp, "libfound.so.1"));
    put(join(site, "pkg", "_a.cpython-311-x86_64-linux-gnu.so"), { needed: ["libz.so.1", "libfound.so.1", "libc.so.6"] });
    put(join(site, "pkg", "_b.abi3.so"), { needed: ["libz.so.1", "libbundled-1a2b.so.3"], runpath: "$ORIGIN/../pkg.libs" });
    put(join(site, "pkg.libs", "libbundled-1a2b.so.3"), { needed: ["libgomp.so.1"] });
    put(join(site, "other", "_c.so"), { machine: 183, needed: ["libz.so.1"] }); // another machine: cannot load anyway
    writeFileSync(join(site, "other", "linker-script.so"), "INPUT(-lfoo)\n");
    symlinkSync(join(site, "pkg", "_b.abi3.so"), join(site, "pkg", "alias.so"));

    const report = await scanNativeLibraries({ venvDir: venv, interpreter: py, ldLibraryPath: llp });
    assert.equal(report.loader, "nix");
    assert.equal(report.checked, 3);
    assert.deepEqual(
      report.missing.map((m) => [m.soname, m.neededBy, m.provider?.attribute]),
      [
        ["libc.so.6", ["pkg/_a.cpython-311-x86_64-linux-gnu.so"], undefined],
        ["libgomp.so.1", ["pkg.libs/libbundled-1a2b.so.3"], "stdenv.cc.cc.lib"],
        ["libz.so.1", ["pkg/_a.cpython-311-x86_64-linux-gnu.so", "pkg/_b.abi3.so"], "zlib"],
      ],
    );
  });

  test("as the loader maps them: a bundled library with no path of its own finds its siblings through the module's RPATH or because the module mapped them", async () => {
    // The shape of opencv-python: cv2.abi3.so has RPATH $ORIGIN/../opencv.libs; libavcodec there
    // has none and needs libavutil, which cv2 also needs (mapped first) and libswresample (found
    // through cv2's RPATH only).
    const venv = tempDir("venv-tree");
    const site = join(venv, "lib", "python3.11", "site-packages");
    const py = put(join(venv, "bin", "python"), { type: 2, interpreter: "/nix/store/22222222222222222222222222222222-glibc/lib/ld-linux-x86-64.so.2" });
    put(join(site, "cv2", "cv2.abi3.so"), { needed: ["libavcodec-1.so.59", "libavutil-2.so.57"], rpath: "$ORIGIN/../opencv.libs" });
    put(join(site, "opencv.libs", "libavcodec-1.so.59"), { soname: "libavcodec-1.so.59", needed: ["libavutil-2.so.57", "libswresample-3.so.4"] });
    put(join(site, "opencv.libs", "libavutil-2.so.57"), { soname: "libavutil-2.so.57" });
    put(join(site, "opencv.libs", "libswresample-3.so.4"), { soname: "libswresample-3.so.4" });
    const ok = await scanNativeLibraries({ venvDir: venv, interpreter: py });
    assert.deepEqual(ok.missing, [], "nothing is missing when the module is loaded as a whole");
    assert.equal(ok.checked, 4);

    // A RUNPATH (not RPATH) on the module does not reach its dependencies' dependencies.
    put(join(site, "cv2", "cv2.abi3.so"), { needed: ["libavcodec-1.so.59"], runpath: "$ORIGIN/../opencv.libs" });
    const broken = await scanNativeLibraries({ venvDir: venv, interpreter: py });
    assert.deepEqual(
      broken.missing.map((m) => [m.soname, m.neededBy]),
      [
        ["libavutil-2.so.57", ["opencv.libs/libavcodec-1.so.59"]],
        ["libswresample-3.so.4", ["opencv.libs/libavcodec-1.so.59"]],
      ],
    );
  });

  test("a cancelled scan throws; names of shared objects", async () => {
    const venv = tempDir("venv-cancel");
    put(join(venv, "lib", "python3.11", "site-packages", "a.so"));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(scanNativeLibraries({ venvDir: venv, interpreter: join(venv, "none"), signal: ac.signal }), /Cancelled/);
    for (const n of ["a.so", "_x.cpython-311-x86_64-linux-gnu.so", "libgomp-a34b3233.so.1.0.0", "x.abi3.so"]) assert.ok(isSharedObjectName(n), n);
    for (const n of ["a.so.py", "libfoo.so.debug", "x.pyd", "so"]) assert.ok(!isSharedObjectName(n), n);
    for (const n of ["_x.cpython-311-x86_64-linux-gnu.so", "cv2.abi3.so", "_ext.so"]) assert.ok(isExtensionModuleName(n), n);
    for (const n of ["libtorch.so", "libgomp-a34b3233.so.1.0.0"]) assert.ok(!isExtensionModuleName(n), n);
  });
});
