// A generated package tree for the provenance benchmark: Nix store-like entries on PYTHONPATH and
// a venv, laid out as pip and Nix lay them out (dist-info folders with METADATA).
import { mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { ProvenanceInput } from "../../src/core/provenance";

export interface TreeSpec {
  readonly nixPackages: number;
  readonly nixStoreEntries: number;
  readonly uvPackages: number;
  /** How many uv packages also exist in Nix. */
  readonly shadowed: number;
}

function distInfo(site: string, name: string, version: string): void {
  const dir = join(site, `${name}-${version}.dist-info`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "METADATA"), `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  mkdirSync(join(site, name), { recursive: true });
}

export function generateProvenanceTree(root: string, spec: TreeSpec): ProvenanceInput {
  const store = join(root, "store");
  const sites: string[] = [];
  for (let e = 0; e < spec.nixStoreEntries; e++) {
    const site = join(store, `${String(e).padStart(32, "0")}-python3.11-env-${e}`, "lib", "python3.11", "site-packages");
    mkdirSync(site, { recursive: true });
    sites.push(site);
  }
  for (let i = 0; i < spec.nixPackages; i++) distInfo(sites[i % sites.length]!, `nixpkg_${i}`, `1.${i}`);
  const venv = join(root, "venv");
  const venvSite = join(venv, "lib", "python3.11", "site-packages");
  for (let i = 0; i < spec.uvPackages; i++) {
    const name = i < spec.shadowed ? `nixpkg_${i}` : `uvpkg_${i}`;
    distInfo(venvSite, name, `2.${i}`);
  }
  return { pythonPath: sites.join(delimiter), venvDir: venv, uvLockPath: undefined, storeDir: store };
}
