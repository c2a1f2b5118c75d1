// The semantic check and the package listing against a real Nix evaluation. There is no real
// nixpkgs here, so the flake's nixpkgs input is the stub of test/helpers/stubNixpkgs.ts (a
// nixpkgs-shaped git repository whose Python packages are derivations with pname, version and
// meta.description), locked by real `nix flake lock` and so copied into the store as a real
// input would be. The figures printed are measured on that stub, not on nixpkgs.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runNixPackageCommand } from "../../src/cli/nixPackageCommands";
import { UnknownPackageError } from "../../src/core/flake/errors";
import { locateLockedNixpkgs } from "../../src/core/flake/nixpkgsSource";
import { listPackageChoices } from "../../src/core/flake/packageCheck";
import { editProjectPackage } from "../../src/core/flake/projectEdit";
import { findProjectPackageLists } from "../../src/core/flake/projectLists";
import { currentKey } from "../../src/core/engine";
import { sourceStorePath } from "../../src/core/flakeLock";
import { defaultOptions } from "../../src/core/options";
import { silentLogger } from "../../src/core/logger";
import { ProcessRunner, spawnCounter } from "../../src/core/process";
import { tempDir } from "../helpers/fixtures";
import { makeFlakeWithStubNixpkgs, makeStubNixpkgs } from "../helpers/stubNixpkgs";
import { testEnv } from "../helpers/tools";

const env = testEnv();
const runner = new ProcessRunner(silentLogger);
const stub = makeStubNixpkgs();
const SHELL = "pkgs.python311.withPackages (ps: with ps; [ numpy ])";

function flake(body = SHELL): { dir: string; cacheDir: string } {
  return { dir: makeFlakeWithStubNixpkgs(stub, body, env), cacheDir: tempDir("set-cache") };
}

async function cli(argv: string[], cacheDir: string) {
  let stderr = "";
  const r = await runNixPackageCommand(argv, { env, cacheDir, writeStderr: (t) => (stderr += t) });
  return { ...r, stderr };
}

test("the locked input's store path, computed from flake.lock, is where Nix put it", () => {
  const { dir } = flake();
  const lock = JSON.parse(readFileSync(join(dir, "flake.lock"), "utf8")) as { nodes: { nixpkgs: { locked: { narHash: string } } } };
  const source = locateLockedNixpkgs(dir);
  assert.equal(source.available, true, source.available ? "" : source.reason);
  assert.equal(source.available && source.path, sourceStorePath(lock.nodes.nixpkgs.locked.narHash));
  assert.match(readFileSync(join(source.available ? source.path : "", "default.nix"), "utf8"), /test stub of nixpkgs/);
});

describe("add checks the name in the list's package set before writing", () => {
  test("a name the set has is added; one it lacks is refused with did-you-mean and the file keeps every byte", async () => {
    const { dir, cacheDir } = flake();
    const file = join(dir, "flake.nix");
    const before = readFileSync(file);
    await assert.rejects(
      editProjectPackage(dir, "add", "richh", { runner, env, cacheDir }),
      (e: unknown) => e instanceof UnknownPackageError && /richh is not in python311\.pkgs of the locked input nixpkgs .*Did you mean rich\?/.test((e as Error).message),
    );
    assert.ok(readFileSync(file).equals(before));
    const ok = await editProjectPackage(dir, "add", "python3Packages.rich", { runner, env, cacheDir });
    assert.equal(ok.check?.status, "found");
    assert.match(readFileSync(file, "utf8"), /\[ numpy rich \]/);
  });

  test("the CLI: refused names exit 1 and say why; --no-check adds anyway", async () => {
    const { dir, cacheDir } = flake();
    const file = join(dir, "flake.nix");
    const before = readFileSync(file);
    const typo = await cli(["add-nix-package", "scikit_learn", dir], cacheDir);
    assert.equal(typo.exitCode, 1);
    assert.match(typo.stderr, /Did you mean scikit-learn\?.*--no-check/);
    const foreign = await cli(["add-nix-package", "python310Packages.rich", dir], cacheDir);
    assert.equal(foreign.exitCode, 1);
    assert.match(foreign.stderr, /Python 3\.10's package set/);
    assert.ok(readFileSync(file).equals(before));
    const forced = await cli(["add-nix-package", "notinset", dir, "--no-check"], cacheDir);
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.match(readFileSync(file, "utf8"), /\[ numpy notinset \]/);
  });

  test("nixpkgs not in the store: the check is skipped, and the note says why", async () => {
    const { dir, cacheDir } = flake();
    const lockPath = join(dir, "flake.lock");
    // Another (valid) hash: the source it names is not in this store.
    writeFileSync(lockPath, readFileSync(lockPath, "utf8").replace(/"narHash": "sha256-[^"]+"/, '"narHash": "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="'));
    const r = await cli(["add-nix-package", "rich", dir], cacheDir);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /note: rich was not checked against the package set: the locked input nixpkgs .* is not in the Nix store on this machine/);
  });

  test("an overlay may add names: a missing one is added with a warning, not refused", async () => {
    const { dir, cacheDir } = flake(`${SHELL};\n      overlays.default = final: prev: { }`);
    const r = await cli(["add-nix-package", "mylocal", dir], cacheDir);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /mylocal is not in python311\.pkgs .*added anyway, since overlays or overrides/);
  });

  test("a set hybrid-env cannot name in nixpkgs (a function argument): skipped, saying so", async () => {
    const { dir, cacheDir } = flake("let mk = dist: dist.withPackages (p: with p; [ numpy ]); in mk pkgs.python311");
    const r = await cli(["add-nix-package", "rich", dir], cacheDir);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /not checked against the package set: the list's package set is `dist`/);
  });
});

test("a list in nix/devshell.nix: the edit lands there, flake.nix keeps its bytes, and the environment cache's key moves with it", async () => {
  const dir = makeFlakeWithStubNixpkgs(stub, "import ./nix/devshell.nix { inherit pkgs; }", env);
  mkdirSync(join(dir, "nix"));
  writeFileSync(join(dir, "nix", "devshell.nix"), "{ pkgs }:\npkgs.mkShell {\n  packages = [ (pkgs.python311.withPackages (ps: [ ps.numpy ])) ];\n}\n");
  const flakeBefore = readFileSync(join(dir, "flake.nix"));
  const keyRequest = { dir, options: defaultOptions(), baseEnv: env };
  const keyBefore = currentKey(keyRequest);
  const calls: Array<readonly string[]> = [];
  let stderr = "";
  const r = await runNixPackageCommand(["add-nix-package", "rich", dir, "--reload"], {
    env,
    cacheDir: tempDir("c"),
    writeStderr: (t) => (stderr += t),
    reload: async (_d, args) => (calls.push(args), 0),
  });
  assert.equal(r.exitCode, 0, stderr);
  assert.match(stderr, /Added ps\.rich to .*\(nix\/devshell\.nix:3\)/);
  assert.match(readFileSync(join(dir, "nix", "devshell.nix"), "utf8"), /\[ ps\.numpy ps\.rich \]/);
  assert.ok(readFileSync(join(dir, "flake.nix")).equals(flakeBefore));
  assert.deepEqual(calls, [[]], "no --no-cache needed");
  assert.notEqual(currentKey(keyRequest), keyBefore, "a cached environment of the old nix/devshell.nix is not served");
});

describe("the package listing for a quick pick", () => {
  test("names, versions and descriptions from the locked nixpkgs, cached per lock hash", async () => {
    const { dir, cacheDir } = flake();
    const project = findProjectPackageLists(dir);
    const first = await listPackageChoices(project, project.lists[0]!, { runner, env, cacheDir });
    assert.equal(first.source, "nixpkgs");
    if (first.source !== "nixpkgs") return;
    assert.equal(first.fromCache, false);
    assert.deepEqual(first.entries.find((e) => e.name === "rich"), { name: "rich", version: "13.7.1", description: STUB_RICH });
    assert.equal(first.entries.some((e) => e.name === "buildPythonPackage"), true, "non-derivations are listed, without a version");
    const spawned = spawnCounter.count;
    const second = await listPackageChoices(project, project.lists[0]!, { runner, env, cacheDir });
    assert.equal(second.source === "nixpkgs" && second.fromCache, true);
    assert.equal(spawnCounter.count, spawned, "the cached listing starts no process");
  });

  test("a set written in the project is offered as it is (the offline fallback)", async () => {
    const dir = tempDir("local-set");
    writeFileSync(join(dir, "flake.nix"), "{ outputs = { self }: let set = { a = 1; b = 2; c = 3; }; myPkgs = p: with p; [ a ]; in { x = myPkgs set; }; }\n");
    const project = findProjectPackageLists(dir);
    const choices = await listPackageChoices(project, project.lists[0]!, { runner, env, cacheDir: tempDir("c") });
    assert.deepEqual(choices.source === "local" && [choices.label, choices.entries.map((e) => e.name)], ["set (flake.nix:1)", ["a", "b", "c"]]);
  });

  test("measured: listing a nixpkgs-sized stub (9,000 packages per set)", async () => {
    const big = makeStubNixpkgs({ filler: 9000 });
    const dir = makeFlakeWithStubNixpkgs(big, SHELL, env);
    const cacheDir = tempDir("big-cache");
    const project = findProjectPackageLists(dir);
    const list = project.lists[0]!;
    const started = performance.now();
    const detailed = await listPackageChoices(project, list, { runner, env, cacheDir });
    const detailedMs = performance.now() - started;
    const cachedStart = performance.now();
    await listPackageChoices(project, list, { runner, env, cacheDir });
    const cachedMs = performance.now() - cachedStart;
    const namesStart = performance.now();
    await editProjectPackage(dir, "add", "rich", { runner, env, cacheDir: tempDir("names-cache") });
    const checkMs = performance.now() - namesStart;
    assert.equal(detailed.source === "nixpkgs" && detailed.entries.length > 9000, true);
    console.log(
      `measured on the stub (${detailed.source === "nixpkgs" ? detailed.entries.length : 0} entries, not real nixpkgs): ` +
        `listing with versions and descriptions ${Math.round(detailedMs)} ms, from the cache ${Math.round(cachedMs)} ms, ` +
        `add with the check (names only, uncached) ${Math.round(checkMs)} ms`,
    );
  });
});

const STUB_RICH = "Render rich text, tables, progress bars, syntax highlighting, markdown and more to the terminal";
