// `nix print-dev-env --json --profile` as hybrid-env uses it, on the real Nix of this stage of the
// version matrix: the JSON is what test/fixtures/print-dev-env/ recorded from that version, the
// builder's own variables never reach the environment, and the GC root keeps the closure alive.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { BUILD_ONLY_VARIABLES, exportedVariables, parseDevEnv } from "../../src/core/devEnv";
import { loadEnvironment } from "../../src/core/engine";
import { MemoryLogger } from "../../src/core/logger";
import { resolve } from "../../src/core/mutations";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { makeHybridProject, tempDir, writeNixPythonEnv } from "../helpers/fixtures";
import { machinePython, testEnv } from "../helpers/tools";
import { matchesRecording, normalizeNixText, nixUnderTest } from "../helpers/nixMatrix";

/**
 * The flakes of the recordings in test/fixtures/print-dev-env: a devShell with a shellHook and the
 * Python folder on PATH, and one whose `stdenv` setup script defines a function and two arrays.
 */
const RECORDED_FLAKES = {
  shellhook: (py: string) => `{
  outputs = { self }: {
    devShells.x86_64-linux.default = derivation {
      name = "shell";
      system = "x86_64-linux";
      builder = "/bin/bash";
      outputs = [ "out" ];
      args = [ "-c" "echo > $out" ];
      PATH = "\${./nixpy}/bin";
      MY_VAR = "hello";
      shellHook = "export NIX_PYTHON_SITE_PACKAGES=\${./nixpy}/lib/python${py}/site-packages\\nexport PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES\\\${PYTHONPATH:+:$PYTHONPATH}\\n";
    };
  };
}
`,
  "stdenv-functions": () => `{
  outputs = { self }: {
    devShells.x86_64-linux.default = derivation {
      name = "s";
      system = "x86_64-linux";
      builder = "/bin/bash";
      outputs = [ "out" ];
      args = [ "-c" "echo > $out" ];
      stdenv = ./st;
    };
  };
}
`,
};
const STDENV_SETUP = `export FROM_SETUP=1\nmyArr=(a "b c")\ndeclare -A myAssoc=([k]=v)\nmyFunc() {\n    echo "hi $1"\n}\n`;

/** The recording's file name: Debian's 2.8.0 ones predate the matrix and are named "nix-2.8-…". */
function printDevEnvFixture(kind: string): string {
  const version = nixUnderTest().version;
  return `print-dev-env/nix-${version === "2.8.0" ? "2.8" : version}-${kind}.json`;
}

/** Values that differ between runs of the same Nix: the clock and the machine's core count. */
function normalizeDevEnvJson(text: string): string {
  const json = JSON.parse(text) as { variables: Record<string, { value: unknown }> };
  for (const name of ["EPOCHREALTIME", "EPOCHSECONDS", "NIX_BUILD_CORES"]) {
    if (json.variables[name]) json.variables[name]!.value = `<${name}>`;
  }
  return normalizeNixText(JSON.stringify(json, null, 4));
}

function printDevEnvJson(dir: string): string {
  return execFileSync("nix", ["print-dev-env", "--json", `${dir}#default`], { env: testEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("print-dev-env --json: the recordings of this version", () => {
  for (const kind of Object.keys(RECORDED_FLAKES) as (keyof typeof RECORDED_FLAKES)[]) {
    test(`${kind}: the live JSON is the recording, and the builder's own variables are dropped`, () => {
      const dir = tempDir(`pde-${kind}`);
      writeFileSync(join(dir, "flake.nix"), RECORDED_FLAKES[kind](machinePython().version));
      if (kind === "shellhook") writeNixPythonEnv(join(dir, "nixpy"), []);
      else {
        mkdirSync(join(dir, "st"));
        writeFileSync(join(dir, "st", "setup"), STDENV_SETUP);
      }
      const live = printDevEnvJson(dir);
      matchesRecording(printDevEnvFixture(kind), `${JSON.stringify(JSON.parse(live), null, 4)}\n`, normalizeDevEnvJson);

      const raw = parseDevEnv(live);
      const buildTop = raw.variables.get("NIX_BUILD_TOP");
      // 2.8 builds in /tmp/nix-build-…; 2.30 without a sandbox in /nix/var/nix/builds/nix-<pid>-<n>.
      assert.match(buildTop?.type === "exported" ? buildTop.value : "", /^(\/tmp\/nix-build-|\/nix\/var\/nix\/builds\/nix-\d+-\d+$)/);
      const exported = exportedVariables(raw);
      for (const [name, v] of raw.variables) {
        if (v.type === "exported" && BUILD_ONLY_VARIABLES.has(name)) assert.equal(exported.has(name), false, name);
      }
      for (const [name, value] of exported) {
        assert.doesNotMatch(value, /homeless-shelter|\/nix\/var\/nix\/builds|\/tmp\/nix-build-/, `${name}=${value} is the builder's`);
      }
    });
  }
});

function gc(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync("nix-store", args, { env: testEnv(), encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

// What `nix-collect-garbage` would delete (--print-dead), and a collection of exactly the test's own
// paths (--delete): a whole collection would also take the unrooted paths of other test runs that
// share this store (other stages, other checkouts on the machine) in the middle of their builds.
/** Store paths `nix-collect-garbage` would delete now. */
const dead = () => new Set(gc("--gc", "--print-dead").out.split("\n").filter((l) => l.startsWith("/nix/store/")));

test("the --profile GC root keeps the environment's closure alive; without it the garbage collector takes it", async () => {
  // Unique packages and value: store paths of their own, which no other test's root keeps alive.
  const unique = `gc${process.pid}x${Date.now() % 100000}`;
  const dir = makeHybridProject({ nixPackages: [{ name: unique, version: "1.0" }], fromNix: unique });
  const cacheDir = join(tempDir("cache"), "c");
  const log = new MemoryLogger();
  const req = { dir, options: defaultOptions({ cacheDir, useCache: false }), baseEnv: testEnv(), runner: new ProcessRunner(log), log };
  await loadEnvironment(req);
  // An edited devShell: the second --profile run makes a second generation, and the first is pruned.
  const flake = join(dir, "flake.nix");
  writeFileSync(flake, readFileSync(flake, "utf8").replace(`FROM_NIX = "${unique}"`, `FROM_NIX = "${unique}-2"`));
  const { environment } = await loadEnvironment(req);
  const gcRootDir = join(environment.gcRoot!, "..");
  assert.deepEqual(readdirSync(gcRootDir).sort(), ["profile", "profile-2-link"], "older generations are pruned");
  const envOut = realpathSync(environment.gcRoot!);
  const nixpy = /^(\/nix\/store\/[^/]+-nixpy)\//.exec(resolve(req.baseEnv, environment.mutations).PYTHONPATH ?? "")?.[1];
  assert.ok(nixpy && existsSync(nixpy), `the Nix Python folder is in the store: ${nixpy}`);

  assert.ok(gc("--query", "--requisites", envOut).out.split("\n").includes(nixpy), "the Python folder is in the environment's closure");
  const whileRooted = dead();
  assert.equal(whileRooted.has(envOut) || whileRooted.has(nixpy), false, "nothing of the environment is garbage");
  const refused = gc("--delete", envOut);
  assert.notEqual(refused.status, 0);
  assert.ok(refused.out.includes(envOut) && /still alive/.test(refused.out), refused.out);
  assert.ok(existsSync(envOut) && existsSync(nixpy));

  rmSync(gcRootDir, { recursive: true });
  // Everything that refers to the Python folder (the environments, their derivations) is garbage now.
  const referrers = gc("--query", "--referrers-closure", nixpy).out.split("\n").filter((l) => l.startsWith("/nix/store/"));
  const unrooted = dead();
  assert.ok(referrers.includes(envOut), referrers.join("\n"));
  assert.deepEqual(referrers.filter((p) => !unrooted.has(p)), [], "without the root all of it is garbage");
  const deleted = gc("--delete", ...referrers);
  assert.equal(deleted.status, 0, deleted.out);
  assert.equal(existsSync(envOut) || existsSync(nixpy), false);
});
