// Which installed distribution a file of site-packages belongs to, read from the dist-info
// RECORD files (the installer's own list of what it wrote): "hybglu/_greet.cpython-311-….so" →
// hybglu 1.0. So a missing library can be blamed on the dependency that brought the module.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeName } from "../packageName";

export interface Distribution {
  /** PEP 503 normalised. */
  readonly name: string;
  readonly version: string;
}

/** `files` are relative to a site-packages folder of the venv; the answer has an entry for each one found. */
export function distributionsOwning(venvDir: string, files: readonly string[]): Map<string, Distribution> {
  const wanted = new Set(files);
  const owners = new Map<string, Distribution>();
  for (const site of sitePackages(venvDir)) {
    for (const entry of list(site)) {
      if (wanted.size === owners.size) return owners;
      const m = /^(.+?)-([^-]+)\.dist-info$/.exec(entry);
      if (!m) continue;
      let record: string;
      try {
        record = readFileSync(join(site, entry, "RECORD"), "utf8");
      } catch {
        continue;
      }
      for (const line of record.split("\n")) {
        const path = line.slice(0, line.indexOf(","));
        if (wanted.has(path) && !owners.has(path)) owners.set(path, { name: normalizeName(m[1]!), version: m[2]! });
      }
    }
  }
  return owners;
}

function sitePackages(venvDir: string): string[] {
  return list(join(venvDir, "lib"))
    .filter((n) => /^(python|pypy)\d/.test(n))
    .map((n) => join(venvDir, "lib", n, "site-packages"));
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
