// The ELF reader on synthetic files of every class and byte order, on the machine's real
// libraries (compared with binutils' readelf), and on truncated and corrupted input.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { bufferSource, parseElf, readElfFile, type ElfInfo } from "../../../src/core/native/elf";
import { buildElf } from "../../helpers/elfBuilder";
import { hasCommand } from "../../helpers/tools";
import { tempDir } from "../tmp";

function parsed(buf: Buffer): ElfInfo {
  const r = parseElf(bufferSource(buf));
  assert.ok(r.ok, r.ok ? "" : r.problem);
  return r.elf;
}

describe("parseElf", () => {
  test("ELF64 little-endian: needed, soname, runpath, interpreter, machine", () => {
    const elf = parsed(buildElf({ needed: ["libz.so.1", "libc.so.6"], soname: "libfoo.so.1", runpath: "$ORIGIN/../lib:/opt/x", interpreter: "/lib64/ld-linux-x86-64.so.2" }));
    assert.equal(elf.bits, 64);
    assert.equal(elf.endian, "little");
    assert.equal(elf.machine, 62);
    assert.deepEqual(elf.needed, ["libz.so.1", "libc.so.6"]);
    assert.equal(elf.soname, "libfoo.so.1");
    assert.deepEqual(elf.runpath, ["$ORIGIN/../lib", "/opt/x"]);
    assert.equal(elf.rpath, undefined);
    assert.equal(elf.interpreter, "/lib64/ld-linux-x86-64.so.2");
  });

  for (const [bits, endian, machine] of [
    [32, "big", 20],
    [32, "little", 3],
    [64, "big", 22],
  ] as const) {
    test(`ELF${bits} ${endian}-endian`, () => {
      const elf = parsed(buildElf({ bits, endian, machine, needed: ["libm.so.6"], rpath: "/r1:/r2" }));
      assert.deepEqual([elf.bits, elf.endian, elf.machine], [bits, endian, machine]);
      assert.deepEqual(elf.needed, ["libm.so.6"]);
      assert.deepEqual(elf.rpath, ["/r1", "/r2"]);
      assert.equal(elf.runpath, undefined, "no DT_RUNPATH tag");
    });
  }

  test("an empty DT_RUNPATH is present (it still turns DT_RPATH off)", () => {
    assert.deepEqual(parsed(buildElf({ runpath: "", rpath: "/r" })).runpath, []);
  });

  test("a static executable needs nothing", () => {
    assert.deepEqual(parsed(buildElf({ noDynamic: true, type: 2 })).needed, []);
  });

  test("not an ELF file, too short, unknown class: a problem, not an exception", () => {
    for (const buf of [Buffer.from("INPUT(-lfoo)\n".repeat(10)), Buffer.from("\x7fELF"), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 9, 1]), Buffer.alloc(60)])]) {
      const r = parseElf(bufferSource(buf));
      assert.equal(r.ok, false);
    }
  });

  test("every truncation of a valid file is a problem or a result, never a throw", () => {
    const full = buildElf({ needed: ["liba.so.1", "libb.so.2"], soname: "x.so", runpath: "$ORIGIN", interpreter: "/lib/ld.so" });
    for (let n = 0; n < full.length; n++) {
      const r = parseElf(bufferSource(full.subarray(0, n)));
      assert.equal(r.ok, false, `a prefix of ${n} of ${full.length} bytes is not a whole file`);
    }
  });

  test("random corruption never throws and never allocates wildly", () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const valid = [buildElf({ needed: ["liba.so"], runpath: "/x" }), buildElf({ bits: 32, endian: "big", needed: ["libb.so"] })];
    for (let round = 0; round < 3000; round++) {
      const buf = Buffer.from(valid[round % 2]!);
      for (let k = 0; k < 1 + (rand() % 8); k++) buf[rand() % buf.length] = rand() & 0xff;
      const r = parseElf(bufferSource(buf));
      if (r.ok) assert.ok(Array.isArray(r.elf.needed));
    }
    for (let round = 0; round < 500; round++) {
      const buf = Buffer.alloc(64 + (rand() % 512));
      for (let k = 0; k < buf.length; k++) buf[k] = rand() & 0xff;
      buf.writeUInt32BE(0x7f454c46, 0);
      parseElf(bufferSource(buf));
    }
  });

  test("a program header count far beyond any real file is refused", () => {
    const buf = buildElf({ needed: ["a.so"] });
    buf.writeUInt16LE(60000, 56);
    const r = parseElf(bufferSource(buf));
    assert.equal(r.ok, false);
  });
});

describe("readElfFile on the machine's real files", { skip: !hasCommand("readelf") && "binutils' readelf is not installed" }, () => {
  const candidates = ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/bin/ls", process.execPath, realpathSync("/proc/self/exe")];
  for (const file of candidates.filter((f) => existsSync(f))) {
    test(`${file} reads as readelf -d says`, () => {
      const text = execFileSync("readelf", ["-dlW", file], { encoding: "utf8" });
      const tagged = (tag: string) => [...text.matchAll(new RegExp(`\\(${tag}\\)\\s+[^\\[]*\\[([^\\]]*)\\]`, "g"))].map((m) => m[1]!);
      const r = readElfFile(file);
      assert.ok(r.ok, r.ok ? "" : r.problem);
      assert.deepEqual(r.elf.needed, tagged("NEEDED"));
      assert.equal(r.elf.soname, tagged("SONAME")[0]);
      assert.deepEqual(r.elf.runpath, tagged("RUNPATH")[0]?.split(":").filter(Boolean));
      const interp = /Requesting program interpreter: ([^\]]+)\]/.exec(text)?.[1];
      assert.equal(r.elf.interpreter, interp);
    });
  }

  test("a file cut in the middle of its dynamic section is a problem", () => {
    const src = candidates.find((f) => existsSync(f))!;
    const cut = join(tempDir("elf"), "cut.so");
    writeFileSync(cut, readFileSync(src).subarray(0, 300));
    const r = readElfFile(cut);
    assert.equal(r.ok, false);
  });
});
