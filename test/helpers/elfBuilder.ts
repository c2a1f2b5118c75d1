// Writes minimal ELF shared objects (headers, PT_LOAD, PT_DYNAMIC, PT_INTERP, a string table) in
// any class and byte order, so the ELF reader's tests can cover 32/64-bit and big-endian files
// that no compiler on this machine produces. Layout: header, program headers, dynamic table,
// strings; one PT_LOAD maps the whole file at vaddr BASE.

export interface ElfSpec {
  readonly bits?: 32 | 64;
  readonly endian?: "little" | "big";
  readonly machine?: number;
  readonly type?: number;
  readonly needed?: readonly string[];
  readonly soname?: string;
  readonly runpath?: string;
  readonly rpath?: string;
  readonly interpreter?: string;
  /** Leave out PT_DYNAMIC (a static executable). */
  readonly noDynamic?: boolean;
}

const BASE = 0x400000;

export function buildElf(spec: ElfSpec): Buffer {
  const bits = spec.bits ?? 64;
  const little = (spec.endian ?? "little") === "little";
  const ehsize = bits === 64 ? 64 : 52;
  const phentsize = bits === 64 ? 56 : 32;
  const dynEnt = bits === 64 ? 16 : 8;

  const strings: string[] = [""];
  const offsetOf = (s: string) => {
    let at = 0;
    for (const x of strings) {
      if (x === s) return at;
      at += Buffer.byteLength(x) + 1;
    }
    strings.push(s);
    return at;
  };
  const dyn: Array<[number, number]> = [];
  for (const n of spec.needed ?? []) dyn.push([1, offsetOf(n)]);
  if (spec.soname) dyn.push([14, offsetOf(spec.soname)]);
  if (spec.rpath !== undefined) dyn.push([15, offsetOf(spec.rpath)]);
  if (spec.runpath !== undefined) dyn.push([29, offsetOf(spec.runpath)]);
  const strtab = Buffer.concat(strings.map((s) => Buffer.from(`${s}\0`)));

  const phnum = 1 + (spec.noDynamic ? 0 : 1) + (spec.interpreter ? 1 : 0);
  const phoff = ehsize;
  const dynOff = phoff + phnum * phentsize;
  const dynCount = dyn.length + 3; // + STRTAB, STRSZ, NULL
  const strOff = dynOff + dynCount * dynEnt;
  const interpOff = strOff + strtab.length;
  const interp = spec.interpreter ? Buffer.from(`${spec.interpreter}\0`) : Buffer.alloc(0);
  const size = interpOff + interp.length;
  const buf = Buffer.alloc(size);

  const u16 = (v: number, at: number) => (little ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at));
  const word = (v: number, at: number) =>
    bits === 32 ? u32(v, at) : little ? buf.writeBigUInt64LE(BigInt(v), at) : buf.writeBigUInt64BE(BigInt(v), at);

  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = bits === 64 ? 2 : 1;
  buf[5] = little ? 1 : 2;
  buf[6] = 1;
  u16(spec.type ?? 3, 16);
  u16(spec.machine ?? 62, 18);
  u32(1, 20);
  word(phoff, bits === 64 ? 32 : 28);
  u16(ehsize, bits === 64 ? 52 : 40);
  u16(phentsize, bits === 64 ? 54 : 42);
  u16(phnum, bits === 64 ? 56 : 44);

  const phdr = (i: number, type: number, offset: number, filesz: number) => {
    const at = phoff + i * phentsize;
    u32(type, at);
    if (bits === 64) {
      word(offset, at + 8);
      word(BASE + offset, at + 16);
      word(BASE + offset, at + 24);
      word(filesz, at + 32);
      word(filesz, at + 40);
    } else {
      word(offset, at + 4);
      word(BASE + offset, at + 8);
      word(BASE + offset, at + 12);
      word(filesz, at + 16);
      word(filesz, at + 20);
    }
  };
  let i = 0;
  phdr(i++, 1, 0, size);
  if (!spec.noDynamic) phdr(i++, 2, dynOff, dynCount * dynEnt);
  if (spec.interpreter) phdr(i++, 3, interpOff, interp.length);

  const entries: Array<[number, number]> = [...dyn, [5, BASE + strOff], [10, strtab.length], [0, 0]];
  entries.forEach(([tag, val], k) => {
    word(tag, dynOff + k * dynEnt);
    word(val, dynOff + k * dynEnt + dynEnt / 2);
  });
  strtab.copy(buf, strOff);
  interp.copy(buf, interpOff);
  return buf;
}
