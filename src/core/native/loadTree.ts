// What `import` does to an extension module, in the dynamic loader: map the module, then its
// DT_NEEDED libraries breadth first. A name is satisfied by anything already mapped under that
// name or soname (the interpreter's own libraries, or a sibling this same load mapped a moment
// earlier), else searched (loader.ts). Checking each file alone would be wrong: auditwheel's
// bundled libraries often have no path of their own and are found through the module's RPATH or
// because the module mapped them first.
import type { ElfInfo } from "./elf";
import { resolveNeeded, type ElfProbe, type LoadedObject, type LoaderSetup } from "./loader";

/** A load touching more objects than this is cut short (the report says the scan was incomplete). */
const MAX_OBJECTS_PER_LOAD = 2000;

export interface LoadOutcome {
  /** Needed name → the objects (paths) that needed it and found nothing. */
  readonly missing: ReadonlyMap<string, readonly string[]>;
  /** Every object the load mapped, the entry included. */
  readonly mapped: ReadonlySet<string>;
  readonly truncated: boolean;
}

export function simulateLoad(entry: { path: string; elf: ElfInfo }, setup: LoaderSetup, probe: ElfProbe): LoadOutcome {
  const names = new Set<string>(setup.preloaded);
  const mapped = new Set<string>([entry.path]);
  const missing = new Map<string, string[]>();
  const remember = (name: string, elf: ElfInfo) => {
    names.add(name);
    if (elf.soname) names.add(elf.soname);
  };
  remember(entry.path.split("/").pop()!, entry.elf);
  const queue: LoadedObject[] = [entry];
  let truncated = false;
  while (queue.length > 0) {
    const obj = queue.shift()!;
    for (const name of obj.elf.needed) {
      if (names.has(name)) continue;
      const r = resolveNeeded(name, obj, { ...setup, preloaded: names }, probe);
      const elf = r.found ? probe(r.path) : undefined;
      if (!r.found || !elf) {
        if (r.found) continue; // a path the search accepted without reading (a relative one)
        const users = missing.get(name) ?? [];
        users.push(obj.path);
        missing.set(name, users);
        continue;
      }
      remember(name, elf);
      if (mapped.has(r.path)) continue;
      if (mapped.size >= MAX_OBJECTS_PER_LOAD) {
        truncated = true;
        continue;
      }
      mapped.add(r.path);
      queue.push({ path: r.path, elf, loader: obj });
    }
  }
  return { missing, mapped, truncated };
}
