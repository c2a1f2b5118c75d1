// /etc/ld.so.cache parsing (against the real ldconfig -p where there is one, and synthetic files in
// both formats), and the ld.so.conf fallback.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ldSoConfDirs, parseLdCache } from "../../../src/core/native/ldCache";
import { write } from "../../helpers/fixtures";
import { hasCommand } from "../../helpers/tools";
import { tempDir } from "../tmp";

/** A cache in the new format, optionally behind an old-format table (as glibc < 2.32 wrote). */
function buildCache(entries: Array<[string, string]>, withOld = false): Buffer {
  const header = 48;
  const table = entries.length * 24;
  const strings: Buffer[] = [];
  let at = header + table;
  const offsets = entries.map(([k, v]) => {
    const ko = at;
    strings.push(Buffer.from(`${k}\0`));
    at += k.length + 1;
    const vo = at;
    strings.push(Buffer.from(`${v}\0`));
    at += v.length + 1;
    return [ko, vo] as const;
  });
  const head = Buffer.alloc(header + table);
  head.write("glibc-ld.so.cache1.1", 0, "latin1");
  head.writeUInt32LE(entries.length, 20);
  head[28] = 2; // little-endian
  offsets.forEach(([ko, vo], i) => {
    head.writeInt32LE(0x0303, header + i * 24);
    head.writeUInt32LE(ko, header + i * 24 + 4);
    head.writeUInt32LE(vo, header + i * 24 + 8);
  });
  const fresh = Buffer.concat([head, ...strings]);
  if (!withOld) return fresh;
  const old = Buffer.alloc(16 + 2 * 12 + 0); // 2 old entries (content unused), 40 bytes → aligned to 40
  old.write("ld.so-1.7.0", 0, "latin1");
  old.writeUInt32LE(2, 12);
  return Buffer.concat([old, fresh]);
}

describe("parseLdCache", () => {
  test("new format: soname → paths in order", () => {
    const cache = parseLdCache(buildCache([["libz.so.1", "/lib/a/libz.so.1"], ["libz.so.1", "/lib32/libz.so.1"], ["libm.so.6", "/lib/a/libm.so.6"]]));
    assert.deepEqual(cache.get("libz.so.1"), ["/lib/a/libz.so.1", "/lib32/libz.so.1"]);
    assert.deepEqual(cache.get("libm.so.6"), ["/lib/a/libm.so.6"]);
  });

  test("the new format behind the old one", () => {
    const cache = parseLdCache(buildCache([["libx.so.2", "/usr/lib/libx.so.2"]], true));
    assert.deepEqual(cache.get("libx.so.2"), ["/usr/lib/libx.so.2"]);
  });

  test("garbage and truncation give an empty or partial map, never a throw", () => {
    const good = buildCache([["liba.so.1", "/x/liba.so.1"], ["libb.so.1", "/x/libb.so.1"]]);
    for (let n = 0; n < good.length; n++) parseLdCache(good.subarray(0, n));
    assert.equal(parseLdCache(Buffer.from("not a cache")).size, 0);
    const huge = Buffer.from(good);
    huge.writeUInt32LE(0xffffffff, 20);
    assert.equal(parseLdCache(huge).size, 0);
  });

  test("the machine's /etc/ld.so.cache has what ldconfig -p lists", { skip: (!existsSync("/etc/ld.so.cache") || !hasCommand("ldconfig")) && "no ld.so.cache or ldconfig here" }, () => {
    const cache = parseLdCache(readFileSync("/etc/ld.so.cache"));
    const listed = execFileSync("ldconfig", ["-p"], { encoding: "utf8" })
      .split("\n")
      .map((l) => /^\s+(\S+) \(.*\) => (\S+)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    assert.ok(listed.length > 10);
    for (const [, name, path] of listed) assert.ok(cache.get(name!)?.includes(path!), `${name} → ${path}`);
  });
});

describe("ldSoConfDirs", () => {
  test("folders of ld.so.conf and of its include globs, in order, once each", () => {
    const etc = tempDir("ldconf");
    write(join(etc, "ld.so.conf"), "# comment\ninclude ld.so.conf.d/*.conf\n/opt/top\n");
    write(join(etc, "ld.so.conf.d", "b.conf"), "/usr/local/lib\n/opt/top\n");
    write(join(etc, "ld.so.conf.d", "a.conf"), "/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu # multiarch\n");
    write(join(etc, "ld.so.conf.d", "c.txt"), "/ignored\n");
    assert.deepEqual(ldSoConfDirs(join(etc, "ld.so.conf")), ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/local/lib", "/opt/top"]);
  });

  test("a missing file, or an include cycle, ends quietly", () => {
    const etc = tempDir("ldconf-loop");
    write(join(etc, "ld.so.conf"), `include ${join(etc, "ld.so.conf")}\n/a\n`);
    assert.deepEqual(ldSoConfDirs(join(etc, "ld.so.conf")), ["/a"]);
    assert.deepEqual(ldSoConfDirs(join(etc, "missing.conf")), []);
  });
});
