// The Python distributions the Nix side provides: every *.dist-info (or *.egg-info) in Nix's
// site-packages — the store entries of PYTHONPATH and the python.withPackages wrapper's own — and
// in the folders their .pth files add, because the venv's Python layer processes those .pth files
// (site.addsitedir) and Python then imports from them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { distributionsIn } from "../provenance";
import { isDirectory } from "./sitePaths";

export { nixSiteDirs } from "./sitePaths";

export interface NixDistribution {
  /** PEP 503 normalised. */
  readonly name: string;
  readonly version: string;
  /** The site-packages folder (or .pth-added folder) that holds it. */
  readonly location: string;
  /** The *.dist-info / *.egg-info path. */
  readonly metadataPath: string;
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
