// What glibc's loader finds "on the system": /etc/ld.so.cache, parsed here because it is what the
// loader really consults (the folders of /etc/ld.so.conf only matter through `ldconfig`, and the
// cache may be older than they are). Where there is no cache, the folders of ld.so.conf{,.d} are
// the fallback. Both readers are defensive: the files are plain data but may be anything.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";

const NEW_MAGIC = "glibc-ld.so.cache1.1";
const OLD_MAGIC = "ld.so-1.7.0";
const NEW_HEADER = 48; // magic+version 20, nlibs 4, len_strings 4, flags 1 + 3, extension 4, unused 12
const NEW_ENTRY = 24; // flags 4, key 4, value 4, osversion 4, hwcap 8
const OLD_ENTRY = 12;
const MAX_ENTRIES = 200_000;

/** soname → paths, in the cache's order (the loader takes the first that fits). */
export type LdCache = ReadonlyMap<string, readonly string[]>;

/** Parses the new format, alone or behind the old format's table (glibc < 2.32 wrote both). */
export function parseLdCache(buf: Buffer): LdCache {
  const out = new Map<string, string[]>();
  let start = 0;
  if (buf.toString("latin1", 0, OLD_MAGIC.length) === OLD_MAGIC && buf.length >= 16) {
    const oldCount = buf.readUInt32LE(OLD_MAGIC.length + 1);
    if (oldCount > MAX_ENTRIES) return out;
    // The new header follows the old table, aligned to 8 bytes.
    start = align8(OLD_MAGIC.length + 1 + 4 + oldCount * OLD_ENTRY);
  }
  if (buf.length < start + NEW_HEADER || buf.toString("latin1", start, start + NEW_MAGIC.length) !== NEW_MAGIC) return out;
  // flags: 2 little-endian, 3 big-endian, 0 unknown (then the writer's, i.e. this machine's).
  const order = buf[start + 28];
  const little = order === 3 ? false : order === 2 ? true : isLittleEndianHost();
  const u32 = (at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const count = u32(start + 20);
  if (count > MAX_ENTRIES || start + NEW_HEADER + count * NEW_ENTRY > buf.length) return out;
  for (let i = 0; i < count; i++) {
    const at = start + NEW_HEADER + i * NEW_ENTRY;
    // String offsets count from the new header (the file's start when it stands alone).
    const key = cStringAt(buf, start + u32(at + 4));
    const value = cStringAt(buf, start + u32(at + 8));
    if (!key || !value) continue;
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function cStringAt(buf: Buffer, offset: number): string | undefined {
  if (offset >= buf.length) return undefined;
  const end = buf.indexOf(0, offset);
  return end < 0 ? undefined : buf.toString("utf8", offset, end);
}

export function readLdCache(path: string): LdCache | undefined {
  try {
    const cache = parseLdCache(readFileSync(path));
    return cache.size > 0 ? cache : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The folders named in ld.so.conf and the files it includes (globs of the form dir/*.conf, the
 * only form distributions use), in order, without duplicates.
 */
export function ldSoConfDirs(confPath = "/etc/ld.so.conf", read: (p: string) => string | undefined = safeRead, depth = 0): string[] {
  const text = read(confPath);
  if (text === undefined || depth > 8) return [];
  const dirs: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const include = /^include\s+(.+)$/.exec(line);
    if (include) {
      for (const file of expandInclude(include[1]!.trim(), dirname(confPath))) dirs.push(...ldSoConfDirs(file, read, depth + 1));
    } else if (!line.startsWith("hwcap")) {
      // A line may hold several folders separated by spaces, commas or colons.
      dirs.push(...line.split(/[\s,:]+/).filter((d) => isAbsolute(d)));
    }
  }
  return [...new Set(dirs)];
}

function expandInclude(pattern: string, base: string): string[] {
  const abs = isAbsolute(pattern) ? pattern : join(base, pattern);
  const star = /^(.*)\/([^/]*)\*([^/]*)$/.exec(abs);
  if (!star) return [abs];
  const [, dir, prefix, suffix] = star as unknown as [string, string, string, string];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && n.endsWith(suffix))
    .sort()
    .map((n) => join(dir, n));
}

function safeRead(p: string): string | undefined {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
}
