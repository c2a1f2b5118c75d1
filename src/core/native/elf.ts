// A small ELF reader for the native-library doctor: the dynamic section (DT_NEEDED, DT_SONAME,
// DT_RUNPATH, DT_RPATH), PT_INTERP and the machine. It reads untrusted files from a venv, so it
// never runs them (no ldd), reads only the few ranges it needs (torch's libraries are gigabytes),
// checks every offset against the file size, and caps every count: a truncated or garbage file is
// a typed problem, never an exception or a huge allocation.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Random access to the bytes of a file; read() may return fewer bytes at the end. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Buffer;
}

export interface ElfInfo {
  readonly bits: 32 | 64;
  readonly endian: "little" | "big";
  /** e_type: 2 executable, 3 shared object (or PIE). */
  readonly type: number;
  /** e_machine (62 x86-64, 183 AArch64, …); a library of another machine cannot be loaded. */
  readonly machine: number;
  /** PT_INTERP: the dynamic loader an executable asks for. */
  readonly interpreter?: string;
  readonly soname?: string;
  readonly needed: readonly string[];
  /** Undefined when the tag is absent: a DT_RUNPATH, even empty, turns DT_RPATH off. */
  readonly runpath?: readonly string[];
  readonly rpath?: readonly string[];
}

export type ElfResult = { readonly ok: true; readonly elf: ElfInfo } | { readonly ok: false; readonly problem: string };

const MAX_PROGRAM_HEADERS = 512;
const MAX_DYNAMIC_ENTRIES = 8192;
// Nix RUNPATHs list many store paths; 64 KiB is far above any real one.
const MAX_STRING = 64 * 1024;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT = { NULL: 0, NEEDED: 1, STRTAB: 5, STRSZ: 10, SONAME: 14, RPATH: 15, RUNPATH: 29 } as const;

class Problem extends Error {}

/** Reads integers of the file's width and byte order, failing (not wrapping) on short reads. */
class Reader {
  constructor(
    readonly src: ByteSource,
    readonly bits: 32 | 64,
    readonly little: boolean,
  ) {}

  bytes(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.src.size) throw new Problem(`truncated at offset ${offset}`);
    const b = this.src.read(offset, length);
    if (b.length < length) throw new Problem(`truncated at offset ${offset}`);
    return b;
  }

  u16(b: Buffer, at: number): number {
    return this.little ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  u32(b: Buffer, at: number): number {
    return this.little ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  /** A word (32 or 64 bits) as a safe integer; larger values are garbage for a file offset. */
  word(b: Buffer, at: number): number {
    if (this.bits === 32) return this.u32(b, at);
    const v = this.little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Problem("value out of range");
    return Number(v);
  }
}

interface Segment {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

export function parseElf(src: ByteSource): ElfResult {
  try {
    return { ok: true, elf: parse(src) };
  } catch (e) {
    if (e instanceof Problem || e instanceof RangeError) return { ok: false, problem: e.message };
    throw e;
  }
}

function parse(src: ByteSource): ElfInfo {
  if (src.size < 52) throw new Problem("too short for an ELF header");
  const ident = src.read(0, 16);
  if (ident.length < 16 || ident.readUInt32BE(0) !== 0x7f454c46) throw new Problem("not an ELF file");
  const bits = ident[4] === 1 ? 32 : ident[4] === 2 ? 64 : undefined;
  const little = ident[5] === 1 ? true : ident[5] === 2 ? false : undefined;
  if (bits === undefined || little === undefined) throw new Problem("unknown ELF class or byte order");
  const r = new Reader(src, bits, little);
  const h = r.bytes(0, bits === 64 ? 64 : 52);
  const type = r.u16(h, 16);
  const machine = r.u16(h, 18);
  const phoff = r.word(h, bits === 64 ? 32 : 28);
  const phentsize = r.u16(h, bits === 64 ? 54 : 42);
  const phnum = r.u16(h, bits === 64 ? 56 : 44);
  const segments = programHeaders(r, phoff, phentsize, phnum);

  const interp = segments.find((s) => s.type === PT_INTERP);
  const interpreter = interp ? cString(r.bytes(interp.offset, Math.min(interp.filesz, MAX_STRING)), 0) : undefined;
  const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
  const base = { bits, endian: little ? "little" : "big", type, machine, interpreter } as const;
  if (!dynamic) return { ...base, needed: [] }; // statically linked: needs nothing
  return { ...base, ...dynamicSection(r, dynamic, segments.filter((s) => s.type === PT_LOAD)) };
}

function programHeaders(r: Reader, phoff: number, phentsize: number, phnum: number): Segment[] {
  const minSize = r.bits === 64 ? 56 : 32;
  if (phnum === 0) return [];
  if (phnum > MAX_PROGRAM_HEADERS) throw new Problem(`${phnum} program headers`);
  if (phentsize < minSize) throw new Problem("program header entries too small");
  const table = r.bytes(phoff, phentsize * phnum);
  const out: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = i * phentsize;
    out.push(
      r.bits === 64
        ? { type: r.u32(table, at), offset: r.word(table, at + 8), vaddr: r.word(table, at + 16), filesz: r.word(table, at + 32) }
        : { type: r.u32(table, at), offset: r.word(table, at + 4), vaddr: r.word(table, at + 8), filesz: r.word(table, at + 16) },
    );
  }
  return out;
}

function dynamicSection(r: Reader, dynamic: Segment, loads: readonly Segment[]) {
  const entSize = r.bits === 64 ? 16 : 8;
  const count = Math.min(Math.floor(dynamic.filesz / entSize), MAX_DYNAMIC_ENTRIES);
  const table = r.bytes(dynamic.offset, count * entSize);
  const entries: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    // A tag above 2^53 is none we read; keep it out of the way rather than failing the file.
    const tag = safeWord(r, table, i * entSize);
    if (tag === DT.NULL) break;
    entries.push([tag, safeWord(r, table, i * entSize + entSize / 2)]);
  }
  const value = (tag: number) => entries.find(([t]) => t === tag)?.[1];
  const strtabAddr = value(DT.STRTAB);
  if (strtabAddr === undefined) throw new Problem("dynamic section without a string table");
  const strtab = fileOffset(strtabAddr, loads);
  const strsz = Math.min(value(DT.STRSZ) ?? MAX_STRING, r.src.size - strtab);
  if (strsz <= 0) throw new Problem("string table outside the file");
  const str = (offset: number) => {
    if (offset >= strsz) throw new Problem("string offset outside the string table");
    // Most names are short: try a small read first, the long limit only for long RUNPATHs.
    const short = r.bytes(strtab + offset, Math.min(256, strsz - offset));
    return short.includes(0) ? cString(short, 0) : cString(r.bytes(strtab + offset, Math.min(MAX_STRING, strsz - offset)), 0);
  };
  const paths = (tag: number) => {
    const v = value(tag);
    return v === undefined ? undefined : str(v).split(":").filter((p) => p.length > 0);
  };
  const soname = value(DT.SONAME);
  return {
    soname: soname === undefined ? undefined : str(soname),
    needed: entries.filter(([t]) => t === DT.NEEDED).map(([, v]) => str(v)),
    runpath: paths(DT.RUNPATH),
    rpath: paths(DT.RPATH),
  };
}

function safeWord(r: Reader, b: Buffer, at: number): number {
  try {
    return r.word(b, at);
  } catch {
    return -1;
  }
}

/** DT_STRTAB holds a virtual address: the PT_LOAD segment that maps it gives the file offset. */
function fileOffset(vaddr: number, loads: readonly Segment[]): number {
  const seg = loads.find((s) => vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz);
  if (!seg) throw new Problem("string table not in a loaded segment");
  return seg.offset + (vaddr - seg.vaddr);
}

function cString(b: Buffer, at: number): string {
  const end = b.indexOf(0, at);
  if (end < 0) throw new Problem("unterminated string");
  return b.toString("utf8", at, end);
}

export function bufferSource(buf: Buffer): ByteSource {
  return { size: buf.length, read: (offset, length) => buf.subarray(offset, offset + length) };
}

/** Reads the ELF facts of a file; unreadable files are problems like any other. */
export function readElfFile(path: string): ElfResult {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    return { ok: false, problem: (e as NodeJS.ErrnoException).code ?? "cannot open" };
  }
  try {
    const size = fstatSync(fd).size;
    return parseElf({
      size,
      read(offset, length) {
        // allocUnsafe: only the bytes read are returned.
        const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
        const n = buf.length > 0 ? readSync(fd, buf, 0, buf.length, offset) : 0;
        return buf.subarray(0, n);
      },
    });
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** Two objects can be loaded into one process only with the same class, byte order and machine. */
export function sameAbi(a: ElfInfo, b: ElfInfo): boolean {
  return a.bits === b.bits && a.endian === b.endian && a.machine === b.machine;
}
