// Where Python finds Nix's packages: the store entries of PYTHONPATH, the python.withPackages
// wrapper's site-packages, and the folders their .pth files add. PYTHONPATH never reads .pth
// files, but the venv's Python layer processes them (site.addsitedir, pythonLayerScript.ts), so
// what they name is importable from the venv's interpreter, right after Nix's entries.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

/** The store folders Python reaches Nix's packages through: PYTHONPATH's and the wrapper's, in that order. */
export function nixSiteDirs(pythonPath: string | undefined, wrapperSitePackages: readonly string[], storeDir = "/nix/store"): string[] {
  const store = storeDir.replace(/\/$/, "") + "/";
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (dir: string) => {
    if (!dir.startsWith(store) || seen.has(dir)) return;
    seen.add(dir);
    out.push(dir);
  };
  for (const dir of [...(pythonPath ?? "").split(delimiter), ...wrapperSitePackages]) add(dir);
  // The Python layer runs site.addsitedir on Nix's site-packages folders (the .pth files of the
  // folders they add are not read, as site.py does not read them either).
  for (const dir of [...out]) if (/\/(site|dist)-packages$/.test(dir)) for (const added of pthDirs(dir)) add(added);
  return out;
}

/**
 * The folders a site folder's .pth files add, as site.addsitedir does: files in name order, one
 * path per line relative to the folder, comments and `import` lines skipped, only existing folders.
 */
export function pthDirs(siteDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(siteDir).filter((n) => n.endsWith(".pth") && !n.startsWith(".")).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(join(siteDir, name), "utf8");
    } catch {
      continue;
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trimEnd();
      if (line === "" || line.startsWith("#") || /^import[ \t]/.test(line)) continue;
      const dir = resolve(siteDir, line);
      if (isDirectory(dir)) out.push(dir);
    }
  }
  return out;
}

/** False for a missing path, as for a file: callers only want folders they can read. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
