// Real nix and real uv: uv does not install what Nix provides. The fixture's project depends on
// `heavy` (which Nix provides, and which needs `heavy-dep`, also from Nix), on `pth-pkg` (in Nix,
// reached only through a .pth file), on `app-dep` (from uv; it asks for heavy<3) and `uvonly`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import type { EngineOptions } from "../../src/core/options";
import { MemoryLogger } from "../../src/core/logger";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { gitTrackAll, makeHybridProject, tempDir, write } from "../helpers/fixtures";
import { machinePython, testEnv } from "../helpers/tools";
import { makeWheel } from "../helpers/wheel";

const NIX = [
  { name: "heavy", version: "2.0", requires: ["heavy-dep>=1"] },
  { name: "heavy-dep", version: "1.5" },
  { name: "nixonly", version: "1.0" },
];

function pyproject(deps: readonly string[]): string {
  return `[project]
name = "nix-provided-fixture"
version = "0.1.0"
requires-python = ">=3.8"
dependencies = [${deps.map((d) => JSON.stringify(d)).join(", ")}]

[tool.uv]
package = false
no-index = true
find-links = ["wheels"]
`;
}

const DEPS = ["heavy>=1.5", "app-dep==1.0", "uvonly==3.1", "pth-pkg"];

function makeProject(): string {
  const dir = makeHybridProject({ nixPackages: NIX, uvPackages: [{ name: "uvonly", version: "3.1" }], git: false });
  const wheels = join(dir, "wheels");
  makeWheel(wheels, "heavy", "2.0", "uv", ["heavy-dep>=1"]);
  makeWheel(wheels, "heavy", "2.6", "uv", ["heavy-dep>=1"]);
  makeWheel(wheels, "heavy-dep", "1.5");
  makeWheel(wheels, "app-dep", "1.0", "uv", ["heavy<3"]);
  makeWheel(wheels, "pth-pkg", "0.3");
  // pth-pkg is in Nix only behind a .pth file, as some nixpkgs packages are.
  const site = join(dir, "nixpy", "lib", `python${machinePython().version}`, "site-packages");
  write(join(dir, "nixpy", "lib", "extra-site", "pth_pkg", "__init__.py"), 'SOURCE = "nix"\n');
  write(join(dir, "nixpy", "lib", "extra-site", "pth_pkg-0.3.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: pth-pkg\nVersion: 0.3\n");
  write(join(site, "pth_pkg.pth"), "../../extra-site\n");
  write(join(dir, "pyproject.toml"), pyproject(DEPS));
  gitTrackAll(dir);
  return dir;
}

function request(dir: string, cacheDir: string, options: Partial<EngineOptions> = {}): LoadRequest & { log: MemoryLogger } {
  const log = new MemoryLogger();
  return { dir, options: defaultOptions({ cacheDir, useCache: false, ...options }), baseEnv: testEnv(), runner: new ProcessRunner(log), log };
}

function venvPackages(dir: string): string[] {
  const site = join(dir, ".venv", "lib", `python${machinePython().version}`, "site-packages");
  return readdirSync(site)
    .filter((n) => n.endsWith(".dist-info"))
    .map((n) => n.replace(/-[^-]+\.dist-info$/, "").replace(/_/g, "-"))
    .sort();
}

/** From an empty environment, as any program that starts .venv/bin/python does (the Python layer). */
function importFrom(dir: string, module: string): string {
  return execFileSync(join(dir, ".venv", "bin", "python"), ["-c", `import ${module} as m; print(m.SOURCE, getattr(m, "VERSION", ""), m.__file__)`], { env: {}, encoding: "utf8" }).trim();
}

/** What uv did in the last sync, from its own output in the debug log. */
function uvChanges(log: MemoryLogger): string[] {
  return log.lines.filter((l) => /^debug uv: (Installed|Uninstalled) \d+ package/.test(l) || /^debug uv:  [-+] /.test(l));
}

describe("uv does not install what Nix provides", () => {
  let dir: string;
  let cacheDir: string;
  before(() => {
    dir = makeProject();
    cacheDir = join(tempDir("nixprov-cache"), "c");
  });

  test("the venv has no copy of heavy, heavy-dep nor the .pth package; uv.lock still lists them", async () => {
    const req = request(dir, cacheDir);
    const { environment } = await loadEnvironment(req);
    assert.deepEqual(venvPackages(dir), ["app-dep", "uvonly"]);
    const lock = readFileSync(join(dir, "uv.lock"), "utf8");
    for (const name of ["heavy", "heavy-dep", "pth-pkg"]) assert.match(lock, new RegExp(`name = "${name}"`), `uv.lock lists ${name}`);
    const report = environment.nixProvided;
    assert.deepEqual(report?.packages.map((p) => [p.name, p.nixVersion, p.lockedVersion, p.uvInstalls]), [
      // uv.lock resolved the newest heavy the project and app-dep admit; Nix's 2.0 satisfies both
      ["heavy", "2.0", "2.6", false],
      ["heavy-dep", "1.5", "1.5", false],
      ["pth-pkg", "0.3", "0.3", false],
    ]);
    const line = req.log.lines.find((l) => l.startsWith("info $ ") && l.includes(" sync "));
    // Every name Nix provides (uv ignores those its lock does not install): one sync, no uv lock before it.
    assert.match(line ?? "", /--no-install-package heavy --no-install-package heavy-dep --no-install-package nixonly --no-install-package pth-pkg/, String(line));
    assert.equal(req.log.lines.filter((l) => l.startsWith("info $ ") && / (lock|sync) /.test(l)).length, 1, "one uv process");
  });

  test("from an empty environment, the imports resolve to Nix's copies", () => {
    assert.match(importFrom(dir, "heavy"), /^nix 2\.0 \/nix\/store\//);
    assert.match(importFrom(dir, "heavy_dep"), /^nix 1\.5 \/nix\/store\//);
    assert.match(importFrom(dir, "pth_pkg"), /^nix\s+\/nix\/store\/.*extra-site/);
    assert.match(importFrom(dir, "uvonly"), new RegExp(`^uv 3\\.1 ${dir}/\\.venv/`));
  });

  test("the versions are checked against the project and the dependents' Requires-Dist", async () => {
    const { environment } = await loadEnvironment(request(dir, cacheDir));
    const by = (name: string) => environment.nixProvided?.packages.find((p) => p.name === name);
    assert.deepEqual(by("heavy")?.requirements, [
      { by: "the project", specifier: ">=1.5", satisfied: true },
      { by: "app-dep 1.0", specifier: "<3", satisfied: true },
    ]);
    // heavy-dep is asked for by Nix's heavy (its METADATA in the store)
    assert.deepEqual(by("heavy-dep")?.requirements, [{ by: "heavy 2.0", specifier: ">=1", satisfied: true }]);
    assert.equal(by("heavy")?.satisfied, true);
  });

  test("a second sync changes nothing: no uninstall and reinstall in a loop", async () => {
    const req = request(dir, cacheDir);
    await loadEnvironment(req);
    assert.deepEqual(uvChanges(req.log), []);
    assert.deepEqual(venvPackages(dir), ["app-dep", "uvonly"]);
  });

  test("with the setting off, uv installs its own copies; on again, exact sync takes them out", async () => {
    const off = request(dir, cacheDir, { skipNixProvided: false });
    const { environment } = await loadEnvironment(off);
    assert.equal(environment.nixProvided, undefined);
    assert.deepEqual(venvPackages(dir), ["app-dep", "heavy", "heavy-dep", "pth-pkg", "uvonly"]);
    // Nix's copy still comes first: the venv's copy is shadowed.
    assert.match(importFrom(dir, "heavy"), /^nix 2\.0/);
    const on = request(dir, cacheDir);
    await loadEnvironment(on);
    assert.deepEqual(venvPackages(dir), ["app-dep", "uvonly"]);
    assert.ok(uvChanges(on.log).some((l) => /Uninstalled 3 packages/.test(l)), uvChanges(on.log).join("\n"));
  });

  test("the setting and the user's exceptions are part of the cache key", async () => {
    const ownCache = join(tempDir("nixprov-key"), "c");
    const cached = (options: Partial<EngineOptions>) => loadEnvironment(request(dir, ownCache, { useCache: true, ...options }));
    await cached({});
    assert.equal((await cached({})).fromCache, true);
    assert.equal((await cached({ skipNixProvided: false })).fromCache, false);
    assert.equal((await cached({ uvInstalls: ["heavy"] })).fromCache, false);
    await cached({}); // back to the plain venv for the tests after this one
  });
});

describe("a Nix version that does not satisfy the project", () => {
  test("warns, skips by default; the user's exception lets uv install its own copy", async () => {
    const dir = makeProject();
    write(join(dir, "pyproject.toml"), pyproject(["heavy>=2.5,<3", "app-dep==1.0", "uvonly==3.1"]));
    const cacheDir = join(tempDir("nixprov-mismatch"), "c");
    const { environment } = await loadEnvironment(request(dir, cacheDir));
    const heavy = environment.nixProvided?.packages.find((p) => p.name === "heavy");
    assert.equal(heavy?.lockedVersion, "2.6");
    assert.equal(heavy?.nixVersion, "2.0");
    assert.equal(heavy?.satisfied, false);
    assert.deepEqual(heavy?.requirements.filter((r) => !r.satisfied), [{ by: "the project", specifier: ">=2.5,<3", satisfied: false }]);
    assert.equal(venvPackages(dir).includes("heavy"), false, "skipped by default");

    const chosen = await loadEnvironment(request(dir, cacheDir, { uvInstalls: ["Heavy"] }));
    assert.equal(chosen.environment.nixProvided?.packages.find((p) => p.name === "heavy")?.uvInstalls, true);
    assert.ok(venvPackages(dir).includes("heavy"), "uv installed its own heavy");
    assert.equal(venvPackages(dir).includes("heavy-dep"), false, "the rest stays with Nix");
    const version = readdirSync(join(dir, ".venv", "lib", `python${machinePython().version}`, "site-packages")).find((n) => n.startsWith("heavy-2"));
    assert.equal(version, "heavy-2.6.dist-info");
  });
});

describe("a package Nix stops providing", () => {
  test("is installed by the next sync", async () => {
    const dir = makeProject();
    const cacheDir = join(tempDir("nixprov-gone"), "c");
    await loadEnvironment(request(dir, cacheDir));
    assert.equal(venvPackages(dir).includes("heavy-dep"), false);
    // Nix's environment loses heavy-dep (a flake update, a package removed from the list).
    const site = join(dir, "nixpy", "lib", `python${machinePython().version}`, "site-packages");
    rmSync(join(site, "heavy_dep"), { recursive: true });
    rmSync(join(site, "heavy_dep-1.5.dist-info"), { recursive: true });
    execFileSync("git", ["add", "-A"], { cwd: dir });
    const req = request(dir, cacheDir);
    const { environment } = await loadEnvironment(req);
    assert.ok(venvPackages(dir).includes("heavy-dep"), venvPackages(dir).join(", "));
    assert.deepEqual(environment.nixProvided?.packages.map((p) => p.name), ["heavy", "pth-pkg"]);
    assert.match(importFrom(dir, "heavy_dep"), new RegExp(`^uv 1\\.5 ${dir}/\\.venv/`));
    assert.ok(existsSync(join(dir, "uv.lock")));
  });
});
