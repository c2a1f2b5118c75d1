// The Packages view's rows and the status bar's tooltip for packages uv left to Nix: the pair and
// its versions, the warning mark, what the row's menu offers, and the count in the tooltip.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { NixProvidedPackage } from "../../../src/core/nixProvided/report";
import type { PackageRecord, Provenance } from "../../../src/core/provenance";
import { buildPackagesTree } from "../../../src/views/packagesTree";
import { presentStatus, type StatusFacts } from "../../../src/views/statusText";

const NIX_SITE = "/nix/store/abc-python3-3.11.9-env/lib/python3.11/site-packages";
const VENV_SITE = "/work/proj/.venv/lib/python3.11/site-packages";

function left(name: string, nixVersion: string, lockedVersion: string, extra: Partial<NixProvidedPackage> = {}): NixProvidedPackage {
  return { name, nixVersion, nixLocation: NIX_SITE, lockedVersion, uvInstalls: false, requirements: [{ by: "the project", specifier: ">=2.5", satisfied: true }], satisfied: true, ...extra };
}

function nix(name: string, version: string, nixProvided?: NixProvidedPackage): PackageRecord {
  return { name, version, source: "nix", location: NIX_SITE, metadataPath: `${NIX_SITE}/${name}-${version}.dist-info`, ...(nixProvided ? { nixProvided } : {}) };
}

function provenanceOf(packages: PackageRecord[]): Provenance {
  return { packages, nixSitePackages: [NIX_SITE], venvSitePackages: [VENV_SITE], counts: { nix: packages.length, uv: 0, shadowed: 0 } };
}

const mismatch = left("numpy", "2.0.0", "1.26.4", { requirements: [{ by: "aim 3.17.5", specifier: "<2", satisfied: false }], satisfied: false });

describe("Packages view rows of packages uv left to Nix", () => {
  const tree = buildPackagesTree(
    provenanceOf([
      nix("torch", "2.5.1", left("torch", "2.5.1", "2.5.1")),
      nix("numpy", "2.0.0", mismatch),
      nix("jax", "0.4.30", left("jax", "0.4.30", "0.4.31", { uvInstalls: true })),
      nix("scipy", "1.14.0"),
    ]),
  );

  test("the pair and its versions", () => {
    assert.equal(tree.rowFor("torch")?.description, "2.5.1 · uv.lock wants 2.5.1 · not installed by uv");
    assert.equal(tree.rowFor("numpy")?.description, "2.0.0 · uv.lock wants 1.26.4 · aim 3.17.5 asks <2 · not installed by uv");
    assert.equal(tree.rowFor("jax")?.description, "0.4.30 · uv.lock wants 0.4.31 · uv installs its own copy (your choice)");
    assert.equal(tree.rowFor("scipy")?.description, "1.14.0");
  });

  test("a mismatch is marked; the menu's choice follows the state", () => {
    assert.equal(tree.rowFor("numpy")?.nixMismatch, true);
    assert.equal(tree.rowFor("torch")?.nixMismatch, false);
    assert.equal(tree.rowFor("torch")?.leftToNix, "leftToNix");
    assert.equal(tree.rowFor("jax")?.leftToNix, "uvInstalls");
    assert.equal(tree.rowFor("scipy")?.leftToNix, undefined);
  });

  test("the tooltip says why and what is asked", () => {
    assert.match(tree.rowFor("torch")!.tooltip, /uv\.lock wants 2\.5\.1 too; uv does not install it, because Nix provides it\./);
    assert.match(tree.rowFor("torch")!.tooltip, /Satisfies: the project asks >=2\.5\./);
    assert.match(tree.rowFor("numpy")!.tooltip, /\$\(warning\) 2\.0\.0 does not satisfy what asks for it: aim 3\.17\.5 asks <2\./);
    assert.match(tree.rowFor("jax")!.tooltip, /uv installs its own copy as you chose \(Python still imports this one first\)/);
  });
});

describe("status bar tooltip", () => {
  const facts = (nixProvided?: { packages: NixProvidedPackage[] }): StatusFacts => ({
    folderName: "proj",
    state: "ready",
    project: { kind: "hybrid", devShell: "default", venvDir: "/work/proj/.venv" },
    environment: { python: {}, createdAt: new Date(0).toISOString(), ...(nixProvided ? { nixProvided } : {}) },
    provenance: { counts: { nix: 3, uv: 1, shadowed: 0 } },
  });

  test("counts the packages uv did not install, and the mismatches", () => {
    const tooltip = presentStatus(facts({ packages: [left("torch", "2.5.1", "2.5.1"), mismatch, left("jax", "0.4.30", "0.4.31", { uvInstalls: true })] })).tooltip;
    assert.match(tooltip, /uv\.lock: 2 not installed by uv \(Nix provides them\) · 1 version mismatch \$\(warning\)/);
    assert.doesNotMatch(presentStatus(facts()).tooltip, /not installed by uv/);
    assert.match(presentStatus(facts({ packages: [left("torch", "2.5.1", "2.5.1")] })).tooltip, /uv\.lock: 1 not installed by uv \(Nix provides it\)  \n/);
  });
});
