// Reads uv.lock (TOML) for the versions uv meant to install.
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { normalizeName } from "./packageName";

export interface LockedPackage {
  readonly name: string;
  readonly version: string;
  /** registry, editable, virtual, git, url, path or directory. */
  readonly sourceKind: string;
}

export function readUvLock(path: string | undefined): Map<string, LockedPackage> {
  const out = new Map<string, LockedPackage>();
  if (!path) return out;
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch {
    return out; // an unreadable lock only loses the cross-check
  }
  const packages = Array.isArray(doc.package) ? doc.package : [];
  for (const p of packages as Array<Record<string, unknown>>) {
    if (typeof p.name !== "string") continue;
    const source = (p.source ?? {}) as Record<string, unknown>;
    out.set(normalizeName(p.name), {
      name: normalizeName(p.name),
      version: typeof p.version === "string" ? p.version : "",
      sourceKind: Object.keys(source)[0] ?? "unknown",
    });
  }
  return out;
}
