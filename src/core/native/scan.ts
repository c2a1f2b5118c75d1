// The native-library doctor's scan: every extension module in the venv's site-packages is loaded
// the way `import` would load it (loadTree.ts: breadth first, through RUNPATH/RPATH, the
// environment's LD_LIBRARY_PATH and the loader's cache and folders), then every bundled library
// (`*.so.N`, the `*.libs/` folders auditwheel writes) that no module maps, as its own load. No
// process is started; the walk yields to the event loop every few milliseconds and honours a signal and a
// deadline, so a torch-sized venv neither blocks an editor nor runs forever.
import { readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { CancelledError } from "../errors";
import { readElfFile, sameAbi, type ElfInfo } from "./elf";
import { cachedProbe, loaderSetupFor, type LoaderKind } from "./loader";
import { simulateLoad } from "./loadTree";
import { nixpkgsProviderOf, type NixpkgsProvider } from "./nixpkgsLibraries";

export interface NativeScanRequest {
  readonly venvDir: string;
  /** <venv>/bin/python: its loader and its own libraries decide what resolves. */
  readonly interpreter: string;
  /** LD_LIBRARY_PATH of the environment the modules run in (the devShell's, merged). */
  readonly ldLibraryPath?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** For tests: where /etc lives. */
  readonly etcDir?: string;
}

export interface MissingLibrary {
  readonly soname: string;
  /** Files that need it, relative to their site-packages folder, sorted. */
  readonly neededBy: readonly string[];
  readonly provider?: NixpkgsProvider;
}

export interface NativeLibraryReport {
  readonly venvDir: string;
  readonly loader: LoaderKind;
  /** What was searched besides each file's RUNPATH/RPATH and LD_LIBRARY_PATH. */
  readonly searched: readonly string[];
  /** ELF files checked. */
  readonly checked: number;
  readonly missing: readonly MissingLibrary[];
  /** The file limit or the deadline stopped the scan before the end. */
  readonly incomplete: boolean;
}

const MAX_FILES = 20_000;
/** Milliseconds of work between yields to the event loop (an editor's extension host shares it). */
const SLICE_MS = 8;

/** Resolves at once while the current slice lasts, else after the event loop has run. */
function slicer(): () => Promise<void> | undefined {
  let start = performance.now();
  return () => {
    if (performance.now() - start < SLICE_MS) return undefined;
    return new Promise<void>((done) =>
      setImmediate(() => {
        start = performance.now();
        done();
      }),
    );
  };
}

export async function scanNativeLibraries(req: NativeScanRequest): Promise<NativeLibraryReport> {
  const probe = cachedProbe();
  const setup = loaderSetupFor(req.interpreter, { ldLibraryPath: req.ldLibraryPath, etcDir: req.etcDir }, probe);
  const interpreterElf = readInterpreter(req.interpreter);
  const deadline = Date.now() + (req.timeoutMs ?? 60_000);
  const pause = slicer();
  let incomplete = false;

  // First every loadable ELF file of the venv, then the loads: modules first, then the libraries
  // no module maps (loaded with dlopen by code, e.g. plugins), each as its own load.
  const objects: Array<{ path: string; root: string; elf: ElfInfo }> = [];
  for await (const { file, root } of sharedObjects(req.venvDir)) {
    if (req.signal?.aborted) throw new CancelledError("checking native libraries");
    if (objects.length >= MAX_FILES || Date.now() > deadline) {
      incomplete = true;
      break;
    }
    const r = readElfFile(file);
    // Not ELF (a linker script, a file named .so by accident) or another machine's: it cannot be loaded anyway.
    if (r.ok && (!interpreterElf || sameAbi(r.elf, interpreterElf))) objects.push({ path: file, root, elf: r.elf });
    await pause();
  }
  const rootOf = new Map(objects.map((o) => [o.path, o.root]));
  const missing = new Map<string, Set<string>>();
  const reached = new Set<string>();
  const entries = [...objects.filter((o) => isExtensionModuleName(basename(o.path))), ...objects.filter((o) => !isExtensionModuleName(basename(o.path)))];
  for (const entry of entries) {
    if (reached.has(entry.path)) continue;
    if (req.signal?.aborted) throw new CancelledError("checking native libraries");
    if (Date.now() > deadline) {
      incomplete = true;
      break;
    }
    await pause();
    const outcome = simulateLoad(entry, setup, probe);
    incomplete ||= outcome.truncated;
    for (const p of outcome.mapped) reached.add(p);
    for (const [name, users] of outcome.missing) {
      const set = missing.get(name) ?? new Set<string>();
      for (const u of users) set.add(relative(rootOf.get(u) ?? req.venvDir, u));
      missing.set(name, set);
    }
  }
  return {
    venvDir: req.venvDir,
    loader: setup.kind,
    searched: setup.described,
    checked: objects.length,
    missing: [...missing.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([soname, users]) => ({ soname, neededBy: [...users].sort(), provider: nixpkgsProviderOf(soname) })),
    incomplete,
  };
}

function readInterpreter(path: string) {
  const r = readElfFile(path);
  return r.ok ? r.elf : undefined;
}

/** What `import` can load: mod.so, mod.cpython-311-x86_64-linux-gnu.so, mod.abi3.so (not libfoo.so, not versioned). */
export function isExtensionModuleName(name: string): boolean {
  return /^(?!lib)[A-Za-z_]\w*(\.[\w-]+)?\.so$/.test(name);
}

/** Matches foo.so, foo.cpython-311-x86_64-linux-gnu.so, libfoo-1a2b.so.1.0.0. */
export function isSharedObjectName(name: string): boolean {
  return /\.so(\.\d+)*$/.test(name);
}

/**
 * Regular files with shared-object names under lib/python*\/site-packages. Symlinks are not
 * followed (lib64 is one to lib in a venv; a symlinked library is scanned where it really is).
 */
async function* sharedObjects(venvDir: string): AsyncGenerator<{ file: string; root: string }> {
  for (const py of entries(join(venvDir, "lib"))) {
    if (!py.isDirectory() || !/^(python|pypy)\d/.test(py.name)) continue;
    const root = join(venvDir, "lib", py.name, "site-packages");
    yield* walk(root, root, 0);
  }
}

async function* walk(dir: string, root: string, depth: number): AsyncGenerator<{ file: string; root: string }> {
  if (depth > 32) return;
  for (const e of entries(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p, root, depth + 1);
    else if (e.isFile() && isSharedObjectName(e.name)) yield { file: p, root };
  }
}

/** Sorted, so reports are stable. Synchronous on purpose: one readdir is microseconds, a thread-pool round trip per folder is not (the scan yields every few files anyway). */
function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}
