// What uv leaves to Nix: Nix's distributions (site-packages and their .pth folders), uv.lock's
// graph for one interpreter (markers, extras, groups, forks), the skip plan, the version check
// against the project and the dependents' Requires-Dist, the words, and the uv command line.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { cacheKey } from "../../../src/core/cache";
import { detectProject } from "../../../src/core/detect";
import { leftToNixLine, leftToNixSummary, nixProvidedFindings } from "../../../src/core/nixProvided/describe";
import { defaultGroups, lockGraphOf, reachablePackages, rootPackages, type LockGraph } from "../../../src/core/nixProvided/lockGraph";
import { nixDistributions, nixSiteDirs, readRequiresDist } from "../../../src/core/nixProvided/nixDistributions";
import { checkNixProvided, normalizeUvInstalls, planNixSkip, type NixProvidedReport } from "../../../src/core/nixProvided/report";
import { defaultOptions } from "../../../src/core/options";
import { uvSyncArgs } from "../../../src/core/uv";
import { parse } from "smol-toml";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";

const LINUX = { python_version: "3.11", python_full_version: "3.11.7", sys_platform: "linux", platform_machine: "x86_64", implementation_name: "cpython" };

/** The lock `uv lock` writes for: torch>=2.5 (linux only: triton), aim[extra], a dev group, a forked numpy. */
const LOCK = `
version = 1
requires-python = ">=3.10"

[[package]]
name = "proj"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "torch" },
    { name = "aim", extra = ["ui"] },
    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
    { name = "numpy", version = "2.1.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
    { name = "mylib" },
    { name = "winonly", marker = "sys_platform == 'win32'" },
]

[package.dev-dependencies]
dev = [{ name = "pytest" }]
docs = [{ name = "sphinx" }]

[package.metadata]
requires-dist = [
    { name = "aim", extras = ["ui"] },
    { name = "mylib", editable = "../mylib" },
    { name = "numpy", specifier = ">=1.26" },
    { name = "torch", specifier = ">=2.5,<2.6" },
    { name = "winonly", marker = "sys_platform == 'win32'", specifier = ">=9" },
    { name = "torch", marker = "sys_platform == 'darwin'", specifier = "==2.4.0" },
]

[package.metadata.requires-dev]
dev = [{ name = "pytest", specifier = ">=8" }]
docs = [{ name = "sphinx", specifier = ">=7" }]

[[package]]
name = "torch"
version = "2.5.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "filelock" },
    { name = "triton", marker = "platform_machine == 'x86_64' and sys_platform == 'linux'" },
]

[[package]]
name = "triton"
version = "3.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "filelock"
version = "3.16.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "aim"
version = "3.17.5"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "tqdm" }]

[package.optional-dependencies]
ui = [{ name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" } }]
never = [{ name = "neverpkg" }]

[[package]]
name = "tqdm"
version = "4.66.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "mylib"
version = "0.3.0"
source = { editable = "../mylib" }

[[package]]
name = "winonly"
version = "9.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "neverpkg"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sphinx"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
`;

const graph = (): LockGraph => lockGraphOf(parse(LOCK) as Record<string, unknown>);
const names = (m: Map<string, unknown>) => [...m.keys()].sort();

describe("reachablePackages: what uv sync installs from uv.lock here", () => {
  test("the project, its dependencies and extras, the dev group; markers evaluated; the fork's branch for this Python", () => {
    const reached = reachablePackages(graph(), LINUX);
    assert.deepEqual(names(reached), [
      "aim@3.17.5",
      "filelock@3.16.1",
      "mylib@0.3.0",
      "numpy@1.26.4",
      "proj@0.1.0",
      "pytest@8.3.0",
      "torch@2.5.1",
      "tqdm@4.66.0",
      "triton@3.1.0",
    ]);
    assert.deepEqual([...reached.get("aim@3.17.5")!.extras], ["ui"]);
    assert.deepEqual(reached.get("numpy@1.26.4")!.dependents.map((d) => d.pkg.name).sort(), ["aim", "proj"]);
  });

  test("another platform and Python take other branches", () => {
    const reached = reachablePackages(graph(), { ...LINUX, python_full_version: "3.12.1", sys_platform: "darwin", platform_machine: "arm64" });
    assert.ok(reached.has("numpy@2.1.0") && reached.has("numpy@1.26.4"), "2.1.0 for proj, 1.26.4 for aim[ui] (pinned by version)");
    assert.equal(reached.has("triton@3.1.0"), false);
  });

  test("groups: none, all, or the ones named", () => {
    assert.equal(reachablePackages(graph(), LINUX, []).has("pytest@8.3.0"), false);
    const all = reachablePackages(graph(), LINUX, "all");
    assert.ok(all.has("pytest@8.3.0") && all.has("sphinx@8.0.0"));
  });

  test("roots: the package at '.', else the workspace's members", () => {
    assert.deepEqual(rootPackages(graph()).map((p) => p.name), ["proj"]);
    const ws = lockGraphOf({ manifest: { members: ["a", "b"] }, package: [{ name: "a", version: "1", source: { editable: "a" } }, { name: "b", version: "1", source: { editable: "b" } }] });
    assert.deepEqual(rootPackages(ws).map((p) => p.name), ["a", "b"]);
  });

  test("default-groups from pyproject.toml", () => {
    const dir = tempDir("groups");
    write(join(dir, "a.toml"), '[tool.uv]\ndefault-groups = ["Dev", "lint"]\n');
    write(join(dir, "b.toml"), '[tool.uv]\ndefault-groups = "all"\n');
    write(join(dir, "c.toml"), "[project]\nname = 'x'\n");
    assert.deepEqual(defaultGroups(join(dir, "a.toml")), ["dev", "lint"]);
    assert.equal(defaultGroups(join(dir, "b.toml")), "all");
    assert.deepEqual(defaultGroups(join(dir, "c.toml")), ["dev"]);
    assert.deepEqual(defaultGroups(undefined), ["dev"]);
  });
});

/** A fake Nix site-packages with the given distributions (Requires-Dist lines optional). */
function nixSite(packages: Array<{ name: string; version: string; requires?: string[] }>): string {
  const site = join(tempDir("nixsite"), "nix", "store", "aaaa-python3-env", "lib", "python3.11", "site-packages");
  for (const p of packages) {
    const req = (p.requires ?? []).map((r) => `Requires-Dist: ${r}\n`).join("");
    write(join(site, `${p.name.replace(/-/g, "_")}-${p.version}.dist-info`, "METADATA"), `Metadata-Version: 2.1\nName: ${p.name}\nVersion: ${p.version}\n${req}\nDescription here.\nRequires-Dist: not-a-header\n`);
  }
  return site;
}

function storeOf(site: string): string {
  return site.slice(0, site.indexOf("/nix/store") + "/nix/store".length);
}

describe("Nix's distributions", () => {
  test("PYTHONPATH's store entries and the wrapper's, then the folders their .pth files add (store only)", () => {
    const site = nixSite([{ name: "torch", version: "2.5.1" }]);
    const store = storeOf(site);
    const extra = join(store, "bbbb-extra", "lib");
    write(join(extra, "pthonly-1.0.dist-info", "METADATA"), "Name: pthonly\nVersion: 1.0\n");
    write(join(site, "a.pth"), `# a comment\nimport os; print("never run")\n../../../../bbbb-extra/lib\n/does/not/exist\n`);
    write(join(site, ".hidden.pth"), "/tmp\n");
    const wrapper = join(store, "cccc-wrapper", "lib", "python3.11", "site-packages");
    write(join(wrapper, "scipy-1.14.0.dist-info", "METADATA"), "Name: scipy\nVersion: 1.14.0\n");
    const dirs = nixSiteDirs(`/home/u/own:${site}`, [wrapper, site], store);
    assert.deepEqual(dirs, [site, wrapper, extra]);
    const dists = nixDistributions(dirs);
    assert.deepEqual([...dists.keys()], ["torch", "scipy", "pthonly"]);
    assert.equal(dists.get("pthonly")?.location, extra);
  });

  test("the first copy of a name wins, in import order", () => {
    const a = nixSite([{ name: "numpy", version: "1.26.4" }]);
    const b = nixSite([{ name: "numpy", version: "2.0.0" }]);
    assert.equal(nixDistributions([a, b]).get("numpy")?.version, "1.26.4");
  });

  test("Requires-Dist: the headers only, folded lines joined", () => {
    const site = nixSite([{ name: "aim", version: "3.17.5", requires: ["numpy<2,>=1.20", 'tqdm; extra == "ui"'] }]);
    assert.deepEqual(readRequiresDist(join(site, "aim-3.17.5.dist-info")), ["numpy<2,>=1.20", 'tqdm; extra == "ui"']);
    write(join(site, "f-1.dist-info", "METADATA"), "Name: f\nVersion: 1\nRequires-Dist: numpy>=1,\n  <2\nSummary: x\n");
    assert.deepEqual(readRequiresDist(join(site, "f-1.dist-info")), ["numpy>=1, <2"]);
    assert.deepEqual(readRequiresDist(join(site, "missing-1.dist-info")), []);
  });
});

describe("planNixSkip and checkNixProvided", () => {
  function scenario(nixPackages: Array<{ name: string; version: string; requires?: string[] }>, venvPackages: Array<{ name: string; version: string; requires?: string[] }> = [], uvInstalls: string[] = []) {
    const nix = nixDistributions([nixSite(nixPackages)]);
    const venvSite = nixSite(venvPackages);
    const venv = new Map([...nixDistributions([venvSite])].map(([k, v]) => [k, v] as const));
    const g = graph();
    const reached = reachablePackages(g, LINUX);
    const installs = normalizeUvInstalls(uvInstalls);
    const plan = planNixSkip(reached, nix, installs);
    const report = checkNixProvided({ plan, reached, roots: rootPackages(g), groups: ["dev"], nix, venv, env: LINUX, uvInstalls: installs });
    return { plan, report, by: (n: string) => report.packages.find((p) => p.name === n) };
  }

  test("skips what the lock installs here and Nix provides; not the editable one, not what is unreachable", () => {
    const { plan } = scenario([
      { name: "torch", version: "2.5.1" },
      { name: "triton", version: "3.1.0" },
      { name: "mylib", version: "0.3.0" },
      { name: "winonly", version: "9.0" },
      { name: "sphinx", version: "8.0.0" },
      { name: "scipy", version: "1.14.0" },
    ]);
    assert.deepEqual(plan.candidates, ["torch", "triton"]);
    assert.deepEqual(plan.skip, ["torch", "triton"]);
  });

  test("the user's exceptions are candidates that uv installs", () => {
    const { plan, by } = scenario([{ name: "torch", version: "2.5.1" }, { name: "filelock", version: "3.16.1" }], [], ["Torch"]);
    assert.deepEqual(plan.candidates, ["filelock", "torch"]);
    assert.deepEqual(plan.skip, ["filelock"]);
    assert.equal(by("torch")?.uvInstalls, true);
  });

  test("the project's specifiers, markers evaluated: only those that apply here", () => {
    const { by } = scenario([{ name: "torch", version: "2.5.1+cu121" }]);
    assert.deepEqual(by("torch")?.requirements, [{ by: "the project", specifier: ">=2.5,<2.6", satisfied: true }]);
    assert.equal(by("torch")?.lockedVersion, "2.5.1");
    const old = scenario([{ name: "torch", version: "2.4.0" }]).by("torch");
    assert.equal(old?.satisfied, false);
    assert.deepEqual(old?.requirements.map((r) => r.satisfied), [false]);
  });

  test("dependents: Requires-Dist from Nix's copy of the dependent, else the venv's, with the extras it is installed with", () => {
    const { by } = scenario(
      [
        { name: "numpy", version: "2.0.0" },
        { name: "filelock", version: "3.16.1" },
        { name: "torch", version: "2.5.1", requires: ["filelock>=3.17", "numpy; extra == 'opt'"] },
      ],
      [{ name: "aim", version: "3.17.5", requires: ["numpy<2,>=1.20; extra == 'ui'", "numpy>=1.0", "numpy<1.0; python_version < '3'"] }],
    );
    const numpy = by("numpy");
    assert.deepEqual(numpy?.requirements, [
      { by: "the project", specifier: ">=1.26", satisfied: true },
      { by: "aim 3.17.5", specifier: "<2,>=1.20", satisfied: false },
      { by: "aim 3.17.5", specifier: ">=1.0", satisfied: true },
    ]);
    assert.equal(numpy?.satisfied, false);
    assert.deepEqual(by("filelock")?.requirements, [{ by: "torch 2.5.1", specifier: ">=3.17", satisfied: false }]);
  });

  test("a Nix version that is not PEP 440 fails a specifier, passes no specifier", () => {
    const { by } = scenario([
      { name: "torch", version: "unstable-2024-01-01" },
      { name: "tqdm", version: "unstable-2024-01-01" },
    ]);
    assert.equal(by("torch")?.satisfied, false);
    assert.equal(by("tqdm")?.satisfied, true);
  });

  test("normalizeUvInstalls keeps names only", () => {
    assert.deepEqual([...normalizeUvInstalls(["Torch", "py_torch", "no such", "../x", ""])], ["torch", "py-torch"]);
  });
});

describe("words and command lines", () => {
  const report: NixProvidedReport = {
    packages: [
      { name: "torch", nixVersion: "2.5.1", nixLocation: "/nix/store/x", lockedVersion: "2.5.1", uvInstalls: false, requirements: [{ by: "the project", specifier: ">=2.5", satisfied: true }], satisfied: true },
      { name: "numpy", nixVersion: "2.0.0", nixLocation: "/nix/store/x", lockedVersion: "1.26.4", uvInstalls: false, requirements: [{ by: "aim 3.17.5", specifier: "<2", satisfied: false }], satisfied: false },
      { name: "jax", nixVersion: "0.4.30", nixLocation: "/nix/store/x", lockedVersion: "0.4.31", uvInstalls: true, requirements: [], satisfied: true },
    ],
  };

  test("the pair and its versions", () => {
    assert.equal(leftToNixLine(report.packages[0]!), "torch 2.5.1 from Nix · uv.lock wants 2.5.1 · not installed by uv");
    assert.equal(leftToNixLine(report.packages[1]!), "numpy 2.0.0 from Nix · uv.lock wants 1.26.4 · aim 3.17.5 asks <2 · not installed by uv");
    assert.equal(leftToNixLine(report.packages[2]!), "jax 0.4.30 from Nix · uv.lock wants 0.4.31 · uv installs its own copy (your choice)");
  });

  test("the summary counts the skipped ones and the mismatches", () => {
    assert.equal(leftToNixSummary(report), "2 not installed by uv (Nix provides them) · 1 version mismatch");
    assert.equal(leftToNixSummary({ packages: [] }), undefined);
    assert.equal(leftToNixSummary(undefined), undefined);
  });

  test("doctor: what uv left to Nix, and a warning with the fix per mismatch", () => {
    assert.deepEqual(nixProvidedFindings(report), [
      { level: "ok", message: "uv leaves 2 package(s) of uv.lock to Nix: torch 2.5.1, numpy 2.0.0" },
      { level: "warn", message: "Nix's numpy 2.0.0 does not satisfy what the project needs (aim 3.17.5 asks <2)", fix: "--uv-installs numpy lets uv install its own copy (Python still imports Nix's first)" },
    ]);
    assert.deepEqual(nixProvidedFindings(undefined), []);
  });

  test("uv sync: --no-install-package once per name; names only", () => {
    assert.deepEqual(uvSyncArgs({ python: "/nix/store/p/bin/python3", noInstall: ["torch", "jax", "bad name", "-x"] }), [
      "sync",
      "--python",
      "/nix/store/p/bin/python3",
      "--no-install-package",
      "torch",
      "--no-install-package",
      "jax",
    ]);
    assert.deepEqual(uvSyncArgs({}), ["sync"]);
  });

  test("the cache key changes with the setting and with the exceptions (in any order)", () => {
    const project = detectProject(tempDir("key"), "default", {});
    const key = (o: Partial<ReturnType<typeof defaultOptions>>) => cacheKey({ project, options: defaultOptions(o), nixIdentity: "n", uvIdentity: "u" });
    assert.notEqual(key({}), key({ skipNixProvided: false }));
    assert.notEqual(key({}), key({ uvInstalls: ["torch"] }));
    assert.equal(key({ uvInstalls: ["a", "b"] }), key({ uvInstalls: ["b", "a"] }));
    assert.equal(key({}), key({ uvInstalls: [] }));
  });
});
