// The Packages view's model: groups, rows, shadowing, uv.lock drift, and the build time at 3,000
// packages (printed, so regressions show in the test output).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PackageCopy, PackageRecord, Provenance } from "../../../src/core/provenance";
import { buildPackagesTree, requirementOf } from "../../../src/views/packagesTree";

const NIX_SITE = "/nix/store/abc-python3-3.11.9-env/lib/python3.11/site-packages";
const VENV_SITE = "/work/proj/.venv/lib/python3.11/site-packages";

function nix(name: string, version: string, extra: Partial<PackageRecord> = {}): PackageRecord {
  return { name, version, source: "nix", location: NIX_SITE, metadataPath: `${NIX_SITE}/${name}-${version}.dist-info`, ...extra };
}

function uv(name: string, version: string, lockedVersion: string | undefined, extra: Partial<PackageRecord> = {}): PackageRecord {
  const metadataPath = `${VENV_SITE}/${name}-${version}.dist-info`;
  return { name, version, source: "uv", location: VENV_SITE, metadataPath, lockedVersion, ...extra };
}

const copyOf = (r: PackageRecord): PackageCopy => ({ source: r.source, version: r.version, location: r.location });

/** Records in import order, as scanProvenance returns them, with its counts. */
function provenanceOf(packages: PackageRecord[]): Provenance {
  const winners = packages.filter((p) => !p.shadowedBy);
  return {
    packages,
    nixSitePackages: [NIX_SITE],
    venvSitePackages: [VENV_SITE],
    counts: {
      nix: winners.filter((p) => p.source === "nix").length,
      uv: winners.filter((p) => p.source === "uv").length,
      shadowed: packages.length - winners.length,
    },
  };
}

function sample(): Provenance {
  const numpy = nix("numpy", "1.26.4");
  return provenanceOf([
    numpy,
    nix("scipy", "1.11.4"),
    nix("attrs", "23.1.0"),
    uv("requests", "2.31.0", "2.31.0"),
    uv("numpy", "2.0.1", "2.0.1", { shadowedBy: copyOf(numpy) }),
    uv("httpx", "0.27.0", "0.26.0"),
    uv("handmade", "1.0", undefined),
  ]);
}

describe("packages tree", () => {
  test("three groups with counts, rows sorted by name", () => {
    const tree = buildPackagesTree(sample());
    assert.deepEqual(
      tree.roots.map((g) => g.label),
      ["From Nix (3)", "From uv (3)", "Shadowed (1)"],
    );
    assert.deepEqual(
      tree.roots[0]!.children.map((r) => r.name),
      ["attrs", "numpy", "scipy"],
    );
    assert.deepEqual(
      tree.roots[1]!.children.map((r) => r.name),
      ["handmade", "httpx", "requests"],
    );
    assert.equal(tree.packageCount, 7);
  });

  test("a shadowed copy says which copy wins, with both versions", () => {
    const row = buildPackagesTree(sample()).roots[2]!.children[0]!;
    assert.equal(row.name, "numpy");
    assert.equal(row.description, "nix 1.26.4 wins over uv 2.0.1");
    assert.equal(row.record.source, "uv");
    assert.match(row.tooltip, /PYTHONPATH comes before the venv's site-packages/);
    assert.ok(row.tooltip.includes(NIX_SITE) && row.tooltip.includes(VENV_SITE), "both locations");
  });

  test("the winning copy's tooltip names the copy it hides", () => {
    const numpy = buildPackagesTree(sample()).rowFor("numpy")!;
    assert.equal(numpy.group, "nix");
    assert.equal(numpy.description, "1.26.4");
    assert.match(numpy.tooltip, /Hides uv 2\.0\.1/);
  });

  test("uv rows flag versions that differ from uv.lock or are not in it", () => {
    const tree = buildPackagesTree(sample());
    const row = (name: string) => tree.rowFor(name)!;
    assert.equal(row("requests").lockDrift, false);
    assert.match(row("requests").tooltip, /Matches uv\.lock \(2\.31\.0\)/);
    assert.equal(row("httpx").lockDrift, true);
    assert.equal(row("httpx").description, "0.27.0 · uv.lock 0.26.0");
    assert.equal(row("handmade").description, "1.0 · not in uv.lock");
    assert.match(row("handmade").tooltip, /Not in uv\.lock/);
  });

  test("without any locked package (no uv.lock) nothing is flagged", () => {
    const tree = buildPackagesTree(provenanceOf([uv("a", "1", undefined), uv("b", "2", undefined)]));
    assert.deepEqual(
      tree.roots[0]!.children.map((r) => [r.description, r.lockDrift]),
      [
        ["1", false],
        ["2", false],
      ],
    );
  });

  test("parents, unique ids, empty groups left out", () => {
    const tree = buildPackagesTree(sample());
    const ids = new Set<string>();
    for (const group of tree.roots) {
      ids.add(group.id);
      for (const row of group.children) {
        assert.equal(row.parent, group);
        ids.add(row.id);
      }
    }
    assert.equal(ids.size, tree.roots.length + tree.packageCount);
    assert.deepEqual(buildPackagesTree(provenanceOf([nix("a", "1")])).roots.map((g) => g.group), ["nix"]);
    assert.deepEqual(buildPackagesTree(undefined).roots, []);
  });

  test("a name with three copies gives two Shadowed rows with distinct ids", () => {
    const first = nix("six", "1.16.0");
    const tree = buildPackagesTree(
      provenanceOf([first, nix("six", "1.15.0", { shadowedBy: copyOf(first) }), uv("six", "1.17.0", "1.17.0", { shadowedBy: copyOf(first) })]),
    );
    const shadowed = tree.roots.find((g) => g.group === "shadowed")!;
    assert.deepEqual(
      shadowed.children.map((r) => r.description),
      ["nix 1.16.0 wins over nix 1.15.0", "nix 1.16.0 wins over uv 1.17.0"],
    );
    assert.notEqual(shadowed.children[0]!.id, shadowed.children[1]!.id);
    assert.equal(tree.rowFor("six")!.record.version, "1.16.0");
  });

  test("requirementOf", () => {
    assert.equal(requirementOf({ name: "torch", version: "2.1.0+cu121" }), "torch==2.1.0+cu121");
  });

  test("3,000 packages: build time", () => {
    const big = generated(3000);
    const cold = timed(() => buildPackagesTree(big));
    const warm = Array.from({ length: 9 }, () => timed(() => buildPackagesTree(big))).sort((a, b) => a - b);
    const tree = buildPackagesTree(big);
    console.log(
      `packagesTree: 3,000 packages (${tree.roots.map((g) => g.label).join(", ")}): ` +
        `first build ${cold.toFixed(1)} ms, median of 9 warm builds ${warm[4]!.toFixed(1)} ms`,
    );
    assert.equal(tree.packageCount, 3000);
    assert.ok(cold < 500, `built in ${cold} ms`);
  });
});

/** 2,000 Nix packages, then 1,000 uv ones of which every tenth also exists in Nix (shadowed). */
function generated(total: number): Provenance {
  const nixCount = Math.round((total * 2) / 3);
  const nixRecords = Array.from({ length: nixCount }, (_, i) => nix(`pkg-${(i * 7919) % nixCount}`, `1.${i}.0`));
  const byName = new Map(nixRecords.map((r) => [r.name, r]));
  const uvRecords = Array.from({ length: total - nixCount }, (_, i) => {
    const name = i % 10 === 0 ? `pkg-${i}` : `uvpkg-${i}`;
    const winner = byName.get(name);
    return uv(name, `2.${i}.0`, i % 17 === 0 ? undefined : `2.${i}.0`, winner ? { shadowedBy: copyOf(winner) } : {});
  });
  return provenanceOf([...nixRecords, ...uvRecords]);
}

function timed(run: () => unknown): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
