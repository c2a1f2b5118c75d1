// Which Python packages come from Nix and which from uv, and which copy Python imports when both
// have one. Import order is PYTHONPATH (Nix store entries, then the folders their .pth files add),
// then the venv's site-packages.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeName } from "./packageName";
import { readUvLock } from "./uvLock";
import { nixSiteDirs } from "./nixProvided/sitePaths";
import type { NixProvidedPackage, NixProvidedReport } from "./nixProvided/report";

export type PackageSource = "nix" | "uv";

export interface PackageCopy {
  readonly source: PackageSource;
  readonly version: string;
  /** The site-packages folder that holds it. */
  readonly location: string;
}

export interface PackageRecord extends PackageCopy {
  /** PEP 503 normalised. */
  readonly name: string;
  /** The *.dist-info / *.egg-info path. */
  readonly metadataPath: string;
  /** The copy Python imports instead of this one. */
  readonly shadowedBy?: PackageCopy;
  /** uv only: the version uv.lock asks for; undefined when the package is not in the lock. */
  readonly lockedVersion?: string;
  /** Nix only: uv.lock wants this package too and uv left it to Nix (or installs its own copy by choice). */
  readonly nixProvided?: NixProvidedPackage;
}

export interface Provenance {
  readonly packages: readonly PackageRecord[];
  readonly nixSitePackages: readonly string[];
  readonly venvSitePackages: readonly string[];
  readonly counts: { readonly nix: number; readonly uv: number; readonly shadowed: number };
}

export interface ProvenanceInput {
  /** The resolved PYTHONPATH of the environment. */
  readonly pythonPath: string | undefined;
  readonly venvDir: string | undefined;
  readonly uvLockPath: string | undefined;
  /** Store prefix; entries of PYTHONPATH under it count as Nix. */
  readonly storeDir?: string;
  /** The load's report of what uv left to Nix (HybridEnvironment.nixProvided), attached to Nix's records. */
  readonly nixProvided?: NixProvidedReport;
}

export function scanProvenance(input: ProvenanceInput): Provenance {
  const store = (input.storeDir ?? "/nix/store").replace(/\/$/, "") + "/";
  // PYTHONPATH's store entries, then what their .pth files add (the Python layer reads those).
  const nixSitePackages = nixSiteDirs(input.pythonPath, [], store);
  const venvSitePackages = input.venvDir ? venvSitePackagesOf(input.venvDir) : [];
  const locked = readUvLock(input.uvLockPath);

  // In import order: the first copy of a name wins.
  const found: Array<Omit<PackageRecord, "shadowedBy">> = [];
  const leftToNix = new Map((input.nixProvided?.packages ?? []).map((p) => [p.name, p]));
  for (const dir of nixSitePackages) {
    for (const d of distributionsIn(dir)) {
      const note = leftToNix.get(d.name);
      found.push({ ...d, source: "nix", ...(note && note.nixLocation === d.location ? { nixProvided: note } : {}) });
    }
  }
  for (const dir of venvSitePackages) {
    for (const d of distributionsIn(dir)) found.push({ ...d, source: "uv", lockedVersion: locked.get(d.name)?.version });
  }

  const winner = new Map<string, PackageCopy>();
  const packages: PackageRecord[] = [];
  let shadowed = 0;
  for (const p of found) {
    const first = winner.get(p.name);
    if (!first) {
      winner.set(p.name, { source: p.source, version: p.version, location: p.location });
      packages.push(p);
    } else {
      shadowed++;
      packages.push({ ...p, shadowedBy: first });
    }
  }
  const count = (s: PackageSource) => packages.filter((p) => p.source === s && !p.shadowedBy).length;
  return { packages, nixSitePackages, venvSitePackages, counts: { nix: count("nix"), uv: count("uv"), shadowed } };
}

/** <venv>/lib/python3.X/site-packages (there is one, but a venv rebuilt on a new Python may hold two). */
export function venvSitePackagesOf(venvDir: string): string[] {
  return safeReaddir(join(venvDir, "lib"))
    .filter((n) => n.startsWith("python"))
    .sort()
    .map((n) => join(venvDir, "lib", n, "site-packages"));
}

interface Distribution {
  readonly name: string;
  readonly version: string;
  readonly location: string;
  readonly metadataPath: string;
}

/**
 * Distributions in one site-packages folder. The name and version come from the metadata folder's
 * name when it follows the wheel spec (one readdir for the whole folder, fast at thousands of
 * packages); otherwise from the METADATA / PKG-INFO headers.
 */
export function distributionsIn(dir: string): Distribution[] {
  const out: Distribution[] = [];
  for (const entry of safeReaddir(dir)) {
    const isDist = entry.endsWith(".dist-info");
    if (!isDist && !entry.endsWith(".egg-info")) continue;
    const metadataPath = join(dir, entry);
    const parsed = parseMetadataDirName(entry) ?? readMetadataHeaders(metadataPath, isDist);
    if (parsed) out.push({ name: normalizeName(parsed.name), version: parsed.version, location: dir, metadataPath });
  }
  return out;
}

export function parseMetadataDirName(entry: string): { name: string; version: string } | undefined {
  const stem = entry.replace(/\.(dist|egg)-info$/, "");
  const dash = stem.indexOf("-");
  if (dash <= 0) return undefined;
  // Eggs carry a Python tag: foo-1.0-py3.11.egg-info
  const version = stem.slice(dash + 1).replace(/-py\d+(\.\d+)*$/, "");
  if (!/^\d/.test(version) || version.includes("-")) return undefined;
  return { name: stem.slice(0, dash), version };
}

function readMetadataHeaders(path: string, isDist: boolean): { name: string; version: string } | undefined {
  let text: string;
  try {
    text = readFileSync(isDist ? join(path, "METADATA") : path.endsWith(".egg-info") ? join(path, "PKG-INFO") : path, "utf8");
  } catch {
    try {
      text = readFileSync(path, "utf8"); // a single-file .egg-info
    } catch {
      return undefined;
    }
  }
  const header = text.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const name = /^Name:\s*(.+)$/m.exec(header)?.[1]?.trim();
  const version = /^Version:\s*(.+)$/m.exec(header)?.[1]?.trim();
  return name && version ? { name, version } : undefined;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
