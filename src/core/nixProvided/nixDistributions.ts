// The Python distributions the Nix side provides: every *.dist-info (or *.egg-info) in Nix's
// site-packages — the store entries of PYTHONPATH and the python.withPackages wrapper's own — and
// in the folders their .pth files add, because the venv's Python layer processes those .pth files
// (site.addsitedir) and Python then imports from them.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { distributionsIn } from "../provenance";

export interface NixDistribution {
  /** PEP 503 normalised. */
  readonly name: string;
  readonly version: string;
  /** The site-packages folder (or .pth-added folder) that holds it. */
  readonly location: string;
  /** The *.dist-info / *.egg-info path. */
  readonly metadataPath: string;
}

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
  // site.addsitedir reads the .pth files of a site folder, not of the folders they add.
  for (const dir of [...out]) for (const added of pthDirs(dir)) add(added);
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

/** The distributions in those folders by name; the first copy of a name is the one Python imports. */
export function nixDistributions(siteDirs: readonly string[]): Map<string, NixDistribution> {
  const out = new Map<string, NixDistribution>();
  for (const dir of siteDirs) {
    for (const d of distributionsIn(dir)) if (!out.has(d.name)) out.set(d.name, d);
  }
  return out;
}

/**
 * The Requires-Dist lines of a distribution's metadata (METADATA for a .dist-info, PKG-INFO for an
 * .egg-info), or [] when they cannot be read.
 */
export function readRequiresDist(metadataPath: string): string[] {
  const file = metadataPath.endsWith(".dist-info") ? join(metadataPath, "METADATA") : isDirectory(metadataPath) ? join(metadataPath, "PKG-INFO") : metadataPath;
  if (!existsSync(file)) return [];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  // The headers end at the first blank line (the description follows); a folded line continues
  // the header before it (RFC 822), which Requires-Dist values do not usually need.
  const header = text.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const out: string[] = [];
  let inRequiresDist = false;
  for (const line of header.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      if (inRequiresDist) out[out.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const m = /^Requires-Dist:\s*(.*)$/i.exec(line);
    inRequiresDist = m !== null;
    if (m) out.push(m[1]!.trim());
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
