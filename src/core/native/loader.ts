// Where the dynamic loader would find a DT_NEEDED library, following glibc's order for an object
// loaded into the venv's Python: already loaded (by soname), DT_RPATH (when there is no
// DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH, the loader's cache, its default folders. Which cache
// and folders depends on the loader the interpreter asks for: the system's glibc reads
// /etc/ld.so.cache and /lib, /usr/lib; a Nix store glibc reads neither (nixpkgs patches it to use
// its own prefix), which is exactly why PyPI wheels miss libz.so.1 under a Nix Python.
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { readElfFile, sameAbi, type ElfInfo } from "./elf";
import { ldSoConfDirs, readLdCache, type LdCache } from "./ldCache";

export type LoaderKind = "system" | "nix";

export interface LoaderSetup {
  readonly kind: LoaderKind;
  /** PT_INTERP of the interpreter, when it is an ELF executable. */
  readonly interpreter?: string;
  readonly ldLibraryPath: readonly string[];
  readonly cache?: LdCache;
  /** Folders searched after the cache: the loader's built-in ones (and ld.so.conf's without a cache). */
  readonly defaultDirs: readonly string[];
  /** Sonames the interpreter process has loaded before any extension module. */
  readonly preloaded: ReadonlySet<string>;
  /** The interpreter's own DT_RPATH (when it has no DT_RUNPATH), searched for every object without a RUNPATH. */
  readonly executableRpath?: readonly string[];
  /** What the report says was searched, e.g. "/etc/ld.so.cache (567 libraries)". */
  readonly described: readonly string[];
}

export type Via = "loaded" | "rpath" | "LD_LIBRARY_PATH" | "runpath" | "cache" | "default";
export type Resolution = { readonly found: true; readonly path: string; readonly via: Via } | { readonly found: false };

/** ELF facts of a candidate path, or undefined when it is not a loadable ELF file. Cached per scan. */
export type ElfProbe = (path: string) => ElfInfo | undefined;

export function cachedProbe(): ElfProbe {
  const seen = new Map<string, ElfInfo | undefined>();
  return (path) => {
    if (!seen.has(path)) {
      const r = existsSync(path) ? readElfFile(path) : undefined;
      seen.set(path, r?.ok ? r.elf : undefined);
    }
    return seen.get(path);
  };
}

export interface LoadedObject {
  readonly path: string;
  readonly elf: ElfInfo;
  /** The object whose DT_NEEDED brought this one in: its DT_RPATH is searched too. */
  readonly loader?: LoadedObject;
}

export function resolveNeeded(name: string, object: LoadedObject, setup: LoaderSetup, probe: ElfProbe): Resolution {
  if (name.includes("/")) {
    // A path, not a name: relative ones depend on the process's working folder; give them the benefit of the doubt.
    if (!isAbsolute(name)) return { found: true, path: name, via: "default" };
    return probe(name) ? { found: true, path: name, via: "default" } : { found: false };
  }
  if (setup.preloaded.has(name)) return { found: true, path: name, via: "loaded" };
  const order: Array<[Via, readonly string[]]> = [
    ["rpath", object.elf.runpath === undefined ? rpathChain(object, setup) : []],
    ["LD_LIBRARY_PATH", setup.ldLibraryPath],
    ["runpath", expandOrigin(object.elf.runpath ?? [], dirname(object.path))],
  ];
  for (const [via, dirs] of order) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      const elf = probe(candidate);
      if (elf && sameAbi(elf, object.elf)) return { found: true, path: candidate, via };
    }
  }
  for (const candidate of setup.cache?.get(name) ?? []) {
    const elf = probe(candidate);
    if (elf && sameAbi(elf, object.elf)) return { found: true, path: candidate, via: "cache" };
  }
  for (const dir of setup.defaultDirs) {
    const candidate = join(dir, name);
    const elf = probe(candidate);
    if (elf && sameAbi(elf, object.elf)) return { found: true, path: candidate, via: "default" };
  }
  return { found: false };
}

/**
 * Without a DT_RUNPATH of its own, glibc searches the object's DT_RPATH, then that of the object
 * that loaded it, and so on up, then the executable's: how a bundled library in `foo.libs/` with no
 * path of its own finds its siblings through the extension module's RPATH.
 */
function rpathChain(object: LoadedObject, setup: LoaderSetup): string[] {
  const dirs: string[] = [];
  for (let l: LoadedObject | undefined = object; l; l = l.loader) dirs.push(...expandOrigin(l.elf.rpath ?? [], dirname(l.path)));
  return [...dirs, ...(setup.executableRpath ?? [])];
}

/** $ORIGIN (and ${ORIGIN}) is the object's folder; folders with other tokens ($LIB, $PLATFORM) are skipped. */
export function expandOrigin(dirs: readonly string[], origin: string): string[] {
  return dirs.map((d) => d.replace(/\$(ORIGIN\b|\{ORIGIN\})/g, origin)).filter((d) => !d.includes("$") && isAbsolute(d));
}

/** Multiarch folder names of Debian-style systems, by e_machine. */
const TRIPLETS: Readonly<Record<number, string>> = {
  62: "x86_64-linux-gnu",
  183: "aarch64-linux-gnu",
  3: "i386-linux-gnu",
  40: "arm-linux-gnueabihf",
  243: "riscv64-linux-gnu",
  21: "powerpc64le-linux-gnu",
  22: "s390x-linux-gnu",
};

export interface LoaderSetupOptions {
  readonly ldLibraryPath?: string;
  /** For tests: where /etc lives. */
  readonly etcDir?: string;
}

/**
 * The loader the venv's interpreter runs under, and what it has loaded before any import: the
 * interpreter's own libraries (libpython, libc, …) count as found for every extension module.
 */
export function loaderSetupFor(interpreterPath: string, opts: LoaderSetupOptions = {}, probe: ElfProbe = cachedProbe()): LoaderSetup {
  let real = interpreterPath;
  try {
    real = realpathSync(interpreterPath);
  } catch {
    // A dangling venv interpreter: the doctor's venv check reports that.
  }
  const exe = probe(real);
  const interpreter = exe?.interpreter;
  const ldLibraryPath = (opts.ldLibraryPath ?? "").split(":").filter((d) => isAbsolute(d));
  const base = interpreter?.startsWith("/nix/store/") ? nixLoader(interpreter, ldLibraryPath) : systemLoader(exe, interpreter, ldLibraryPath, opts.etcDir ?? "/etc");
  if (!exe) return base;
  const withExe = { ...base, executableRpath: exe.runpath === undefined ? expandOrigin(exe.rpath ?? [], dirname(real)) : [] };
  return { ...withExe, preloaded: closureSonames({ path: real, elf: exe }, withExe, probe) };
}

function nixLoader(interpreter: string, ldLibraryPath: string[]): LoaderSetup {
  const libDir = dirname(interpreter);
  const cachePath = join(dirname(libDir), "etc", "ld.so.cache");
  const cache = readLdCache(cachePath);
  return {
    kind: "nix",
    interpreter,
    ldLibraryPath,
    cache,
    defaultDirs: [libDir],
    preloaded: new Set(),
    described: [`the Nix loader's own folder ${libDir}${cache ? ` and ${cachePath}` : " (it reads neither /etc/ld.so.cache nor /usr/lib)"}`],
  };
}

function systemLoader(exe: ElfInfo | undefined, interpreter: string | undefined, ldLibraryPath: string[], etcDir: string): LoaderSetup {
  const triplet = TRIPLETS[exe?.machine ?? 62];
  const builtIn = [...(triplet ? [`/lib/${triplet}`, `/usr/lib/${triplet}`] : []), ...(exe?.bits === 32 ? [] : ["/lib64", "/usr/lib64"]), "/lib", "/usr/lib"];
  const cachePath = join(etcDir, "ld.so.cache");
  const cache = readLdCache(cachePath);
  const confDirs = cache ? [] : ldSoConfDirs(join(etcDir, "ld.so.conf"));
  return {
    kind: "system",
    interpreter,
    ldLibraryPath,
    cache,
    defaultDirs: [...new Set([...confDirs, ...builtIn])],
    preloaded: new Set(),
    described: [cache ? `${cachePath} (${cache.size} libraries)` : `the folders of ${join(etcDir, "ld.so.conf")} (no ${cachePath})`, builtIn.join(", ")],
  };
}

/** Sonames (and file names) of everything the executable loads, transitively, bounded. */
function closureSonames(root: LoadedObject, setup: LoaderSetup, probe: ElfProbe): Set<string> {
  const names = new Set<string>();
  const queue: LoadedObject[] = [root];
  const visited = new Set<string>([root.path]);
  while (queue.length > 0 && visited.size < 256) {
    const obj = queue.shift()!;
    for (const name of obj.elf.needed) {
      const r = resolveNeeded(name, obj, { ...setup, preloaded: names }, probe);
      if (!r.found || r.via === "loaded") continue;
      names.add(name);
      const elf = probe(r.path);
      if (elf?.soname) names.add(elf.soname);
      if (elf && !visited.has(r.path)) {
        visited.add(r.path);
        queue.push({ path: r.path, elf, loader: obj });
      }
    }
  }
  return names;
}
