// scanProvenance on generated site-packages trees; a temp folder stands in for /nix/store.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { distributionsIn, parseMetadataDirName, scanProvenance, venvSitePackagesOf } from "../../../src/core/provenance";
import { readUvLock } from "../../../src/core/uvLock";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

const SITE = join("lib", "python3.11", "site-packages");

function distInfo(site: string, dirName: string, metadata?: string): void {
  write(join(site, dirName, "METADATA"), metadata ?? "Metadata-Version: 2.1\nName: ignored\nVersion: 0\n");
}

const UV_LOCK = `version = 1
requires-python = ">=3.11"

[[package]]
name = "Requests"
version = "2.31.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/requests-2.31.0.tar.gz", hash = "sha256:00" }

[[package]]
name = "shared_pkg"
version = "2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
`;

describe("metadata folder names", () => {
  test("parseMetadataDirName follows the wheel spec and strips egg python tags", () => {
    assert.deepEqual(parseMetadataDirName("Foo_Bar-1.2.3.dist-info"), { name: "Foo_Bar", version: "1.2.3" });
    assert.deepEqual(parseMetadataDirName("foo-1.0-py3.11.egg-info"), { name: "foo", version: "1.0" });
    assert.deepEqual(parseMetadataDirName("foo-2.0rc1.egg-info"), { name: "foo", version: "2.0rc1" });
    assert.equal(parseMetadataDirName("foo.dist-info"), undefined);
    assert.equal(parseMetadataDirName("my-pkg.dist-info"), undefined);
    assert.equal(parseMetadataDirName("foo-1.0-linux-x86_64.egg-info"), undefined);
  });

  test("distributionsIn: dist-info, egg-info dir, single-file egg-info, headers when the name lacks a version", () => {
    const site = join(tempDir("prov"), SITE);
    distInfo(site, "Foo_Bar-1.2.3.dist-info");
    write(join(site, "legacy-0.9-py3.11.egg-info", "PKG-INFO"), "Name: legacy\nVersion: 0.9\n");
    write(join(site, "single.egg-info"), "Metadata-Version: 1.1\nName: Single.File\nVersion: 4.5\n\nName: body-not-header\n");
    distInfo(site, "noversion.dist-info", "Metadata-Version: 2.1\nName: Real_Name\nVersion: 7.0.1\n\nVersion: 9 in the body\n");
    write(join(site, "oldegg.egg-info", "PKG-INFO"), "Name: OldEgg\r\nVersion: 0.1\r\n");
    distInfo(site, "broken.dist-info", "Metadata-Version: 2.1\nName: broken\n"); // no version: skipped
    write(join(site, "requests", "__init__.py"), "");
    write(join(site, "README.txt"), "");
    const found = distributionsIn(site)
      .map((d) => ({ name: d.name, version: d.version, location: d.location, meta: d.metadataPath.slice(site.length + 1) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(found, [
      { name: "foo-bar", version: "1.2.3", location: site, meta: "Foo_Bar-1.2.3.dist-info" },
      { name: "legacy", version: "0.9", location: site, meta: "legacy-0.9-py3.11.egg-info" },
      { name: "oldegg", version: "0.1", location: site, meta: "oldegg.egg-info" },
      { name: "real-name", version: "7.0.1", location: site, meta: "noversion.dist-info" },
      { name: "single-file", version: "4.5", location: site, meta: "single.egg-info" },
    ]);
  });

  test("a missing folder has no distributions", () => {
    assert.deepEqual(distributionsIn("/nonexistent/site-packages"), []);
    assert.deepEqual(venvSitePackagesOf("/nonexistent/venv"), []);
  });

  test("venvSitePackagesOf lists every lib/python* folder, sorted", () => {
    const venv = tempDir("venv");
    mkdirSync(join(venv, "lib", "python3.12"), { recursive: true });
    mkdirSync(join(venv, "lib", "python3.11"), { recursive: true });
    mkdirSync(join(venv, "lib", "other"), { recursive: true });
    assert.deepEqual(venvSitePackagesOf(venv), [join(venv, "lib/python3.11/site-packages"), join(venv, "lib/python3.12/site-packages")]);
  });
});

describe("readUvLock", () => {
  test("reads names (PEP 503), versions and source kinds", () => {
    const path = join(tempDir("lock"), "uv.lock");
    write(path, UV_LOCK);
    assert.deepEqual([...readUvLock(path)], [
      ["requests", { name: "requests", version: "2.31.0", sourceKind: "registry" }],
      ["shared-pkg", { name: "shared-pkg", version: "2.0", sourceKind: "registry" }],
      ["app", { name: "app", version: "0.1.0", sourceKind: "editable" }],
    ]);
  });

  test("missing, absent or invalid lock gives an empty map", () => {
    const bad = join(tempDir("lock"), "uv.lock");
    write(bad, "[[package]\nname = ");
    assert.equal(readUvLock(undefined).size, 0);
    assert.equal(readUvLock("/nonexistent/uv.lock").size, 0);
    assert.equal(readUvLock(bad).size, 0);
  });
});

describe("scanProvenance", () => {
  function layout() {
    const root = tempDir("prov");
    const store = join(root, "store");
    const nixA = join(store, "aaaa-python3-env", SITE);
    const nixB = join(store, "bbbb-python3-extra", SITE);
    const outside = join(root, "home", "src", SITE);
    const venv = join(root, "project", ".venv");
    const venvSite = join(venv, SITE);
    distInfo(nixA, "numpy-1.26.4.dist-info");
    distInfo(nixA, "Shared_Pkg-1.0.dist-info");
    distInfo(nixB, "numpy-1.24.0.dist-info");
    distInfo(nixB, "scipy-1.11.0.dist-info");
    distInfo(outside, "numpy-0.1.dist-info");
    distInfo(outside, "outsider-1.0.dist-info");
    distInfo(venvSite, "requests-2.31.0.dist-info");
    distInfo(venvSite, "shared_pkg-2.0.dist-info");
    distInfo(venvSite, "unlocked-0.3.dist-info");
    const uvLockPath = join(root, "project", "uv.lock");
    write(uvLockPath, UV_LOCK);
    return { store, nixA, nixB, outside, venv, venvSite, uvLockPath };
  }

  test("Nix first on PYTHONPATH wins; later store copies and venv copies are shadowed; outside entries ignored", () => {
    const l = layout();
    const p = scanProvenance({ pythonPath: [l.nixA, l.outside, l.nixB].join(":"), venvDir: l.venv, uvLockPath: l.uvLockPath, storeDir: `${l.store}/` });
    assert.deepEqual(p.nixSitePackages, [l.nixA, l.nixB]);
    assert.deepEqual(p.venvSitePackages, [l.venvSite]);
    const byKey = new Map(p.packages.map((r) => [`${r.source}:${r.name}:${r.version}`, r]));
    assert.deepEqual([...byKey.keys()].sort(), [
      "nix:numpy:1.24.0", "nix:numpy:1.26.4", "nix:scipy:1.11.0", "nix:shared-pkg:1.0",
      "uv:requests:2.31.0", "uv:shared-pkg:2.0", "uv:unlocked:0.3",
    ]);
    assert.equal(byKey.get("nix:numpy:1.26.4")!.shadowedBy, undefined);
    assert.deepEqual(byKey.get("nix:numpy:1.24.0")!.shadowedBy, { source: "nix", version: "1.26.4", location: l.nixA });
    assert.deepEqual(byKey.get("uv:shared-pkg:2.0")!.shadowedBy, { source: "nix", version: "1.0", location: l.nixA });
    assert.equal(byKey.get("uv:requests:2.31.0")!.shadowedBy, undefined);
    assert.deepEqual(p.counts, { nix: 3, uv: 2, shadowed: 2 });
  });

  test("uv packages carry the uv.lock version; Nix packages and unlocked ones do not", () => {
    const l = layout();
    const p = scanProvenance({ pythonPath: l.nixA, venvDir: l.venv, uvLockPath: l.uvLockPath, storeDir: l.store });
    const get = (source: string, name: string) => p.packages.find((r) => r.source === source && r.name === name)!;
    assert.equal(get("uv", "requests").lockedVersion, "2.31.0");
    assert.equal(get("uv", "shared-pkg").lockedVersion, "2.0");
    assert.equal(get("uv", "unlocked").lockedVersion, undefined);
    assert.equal(get("nix", "shared-pkg").lockedVersion, undefined);
    assert.equal(get("uv", "requests").metadataPath, join(l.venvSite, "requests-2.31.0.dist-info"));
  });

  test("order of PYTHONPATH decides: nixB first makes its numpy the winner", () => {
    const l = layout();
    const p = scanProvenance({ pythonPath: `${l.nixB}:${l.nixA}`, venvDir: undefined, uvLockPath: undefined, storeDir: l.store });
    const numpy = p.packages.filter((r) => r.name === "numpy");
    assert.deepEqual(numpy.map((r) => [r.version, r.shadowedBy?.version]), [["1.24.0", undefined], ["1.26.4", "1.24.0"]]);
    assert.deepEqual(p.counts, { nix: 3, uv: 0, shadowed: 1 });
  });

  test("PEP 503: Foo_Bar in Nix shadows foo-bar in the venv", () => {
    const root = tempDir("prov");
    const nix = join(root, "store", "cccc-env", SITE);
    const venv = join(root, ".venv");
    distInfo(nix, "Foo_Bar-1.0.dist-info");
    distInfo(join(venv, SITE), "foo.bar-2.0.dist-info");
    const p = scanProvenance({ pythonPath: nix, venvDir: venv, uvLockPath: undefined, storeDir: join(root, "store") });
    assert.deepEqual(p.packages.map((r) => [r.source, r.name, r.shadowedBy?.source]), [["nix", "foo-bar", undefined], ["uv", "foo-bar", "nix"]]);
    assert.deepEqual(p.counts, { nix: 1, uv: 0, shadowed: 1 });
  });

  test("no PYTHONPATH, no venv: empty", () => {
    const p = scanProvenance({ pythonPath: undefined, venvDir: undefined, uvLockPath: undefined });
    assert.deepEqual(p, { packages: [], nixSitePackages: [], venvSitePackages: [], counts: { nix: 0, uv: 0, shadowed: 0 } });
  });

  test("a store-like prefix is not the store: /x/store2 is outside /x/store", () => {
    const l = layout();
    const p = scanProvenance({ pythonPath: l.nixA, venvDir: undefined, uvLockPath: undefined, storeDir: `${l.store}2` });
    assert.deepEqual(p.nixSitePackages, []);
  });
});
