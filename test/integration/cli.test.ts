// The `hybrid-env` CLI (the built bundle) against real nix and uv.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { makeHybridProject, tempDir } from "../helpers/fixtures";
import { cli } from "../helpers/cli";
import { testEnv } from "../helpers/tools";

/** `nix` and `uv` wrappers that log each call, then run the real tool. */
function countingWrappers(): { binDir: string; logFile: string; calls: () => string[] } {
  const binDir = tempDir("wrappers");
  const logFile = join(binDir, "calls.log");
  for (const tool of ["nix", "uv"]) {
    const real = execSyncWhich(tool);
    const script = join(binDir, tool);
    writeFileSync(script, `#!/bin/bash\necho "${tool} $*" >> ${logFile}\nexec ${real} "$@"\n`);
    chmodSync(script, 0o755);
  }
  const calls = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean) : []);
  return { binDir, logFile, calls };
}

function execSyncWhich(tool: string): string {
  const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
  return execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
}

describe("hybrid-env CLI", () => {
  test("env --json: the resolved environment; the second call runs no nix and no uv", async () => {
    const dir = makeHybridProject();
    const w = countingWrappers();
    const env = testEnv({ PATH: `${w.binDir}:${process.env.PATH}`, XDG_CACHE_HOME: tempDir("xdg") });

    const first = await cli(["env", "--json", dir], env);
    assert.equal(first.code, 0, first.stderr);
    const vars = JSON.parse(first.stdout) as Record<string, string>;
    assert.equal(vars.FROM_NIX, "nix-value");
    assert.equal(vars.VIRTUAL_ENV, join(dir, ".venv"));
    assert.match(first.stderr, /Evaluating flake…/, "progress goes to stderr");
    const cold = w.calls();
    assert.ok(cold.some((c) => c.startsWith("nix print-dev-env")), cold.join("\n"));
    assert.ok(cold.some((c) => c.startsWith("uv sync")), cold.join("\n"));

    const second = await cli(["env", "--json", dir], env);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout), vars);
    assert.deepEqual(w.calls(), cold, "the warm call started no nix or uv process");
  });

  test("env without --json prints export lines that bash can eval", async () => {
    const dir = makeHybridProject();
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const r = await cli(["env", dir], env);
    assert.equal(r.code, 0, r.stderr);
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync("bash", ["-c", `${r.stdout}\npython -c 'import nixonly, uvonly; print(nixonly.SOURCE + uvonly.SOURCE)'`], {
      env,
      encoding: "utf8",
    });
    assert.equal(out.trim(), "nixuv");
  });

  test("packages --json and the table (uv installing its own copy of everything: --no-skip-nix-provided)", async () => {
    const dir = makeHybridProject({
      nixPackages: [{ name: "both", version: "1.0" }],
      uvPackages: [{ name: "both", version: "2.0" }],
    });
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const r = await cli(["packages", "--json", "--no-skip-nix-provided", dir], env);
    assert.equal(r.code, 0, r.stderr);
    const pkgs = JSON.parse(r.stdout) as Array<{ name: string; source: string; shadowedBy?: { source: string } }>;
    assert.equal(pkgs.find((p) => p.name === "both" && p.source === "uv")?.shadowedBy?.source, "nix");
    const table = await cli(["packages", "--no-skip-nix-provided", dir], env);
    assert.match(table.stdout, /^both\s+2\.0\s+uv \(shadowed by nix 1\.0\)/m);
  });

  test("packages: uv leaves Nix's copy alone, shows the pair, warns of the mismatch; --uv-installs hands it back", async () => {
    const dir = makeHybridProject({
      nixPackages: [{ name: "both", version: "1.0" }, { name: "fits", version: "1.4" }],
      uvPackages: [{ name: "both", version: "2.0" }, { name: "fits", version: "1.4" }],
    });
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const r = await cli(["packages", "--json", dir], env);
    assert.equal(r.code, 0, r.stderr);
    type Row = { name: string; source: string; shadowedBy?: unknown; nixProvided?: { lockedVersion: string; satisfied: boolean; uvInstalls: boolean } };
    const pkgs = JSON.parse(r.stdout) as Row[];
    assert.deepEqual(pkgs.filter((p) => p.name === "both").map((p) => p.source), ["nix"], "no uv copy of both");
    const fits = pkgs.find((p) => p.name === "fits")?.nixProvided;
    assert.deepEqual([fits?.lockedVersion, fits?.satisfied, fits?.uvInstalls], ["1.4", true, false]);
    assert.equal(pkgs.find((p) => p.name === "both")?.nixProvided?.satisfied, false);
    assert.match(r.stderr, /warning: Nix's both 1\.0 does not satisfy what the project needs \(the project asks ==2\.0\); uv does not install its own copy\. To let it: --uv-installs both/);
    assert.doesNotMatch(r.stderr, /fits/, "no warning for a version that satisfies");

    const table = await cli(["packages", dir], env);
    assert.match(table.stdout, /^fits\s+1\.4\s+nix · uv\.lock wants 1\.4 · not installed by uv\s/m);
    assert.match(table.stderr, /2 not installed by uv \(Nix provides them\)/);

    const handedBack = await cli(["packages", "--json", "--uv-installs", "both", dir], env);
    assert.equal(handedBack.code, 0, handedBack.stderr);
    const after = JSON.parse(handedBack.stdout) as Row[];
    assert.deepEqual(after.filter((p) => p.name === "both").map((p) => p.source), ["nix", "uv"], "uv installed its own copy, shadowed");
    assert.equal(after.find((p) => p.name === "both")?.nixProvided?.uvInstalls, true);
    assert.match(handedBack.stderr, /note: .*uv installs its own 2\.0 as asked/);

    const bad = await cli(["packages", "--uv-installs", "no such", dir], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--uv-installs takes package names/);
  });

  test("a failing flake exits 1 with a one-line reason and still prints the last good env", async () => {
    const dir = makeHybridProject();
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    assert.equal((await cli(["env", "--json", dir], env)).code, 0);
    const flake = join(dir, "flake.nix");
    writeFileSync(flake, readFileSync(flake, "utf8").replace("FROM_NIX", "FROM_NIX = undefinedThing; X"));
    const r = await cli(["env", "--json", dir], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /undefined variable 'undefinedThing' \(flake\.nix:\d+:\d+\).*last good environment/);
    assert.equal(JSON.parse(r.stdout).FROM_NIX, "nix-value", "stdout stays JSON only");
  });

  test("doctor: all green on a good project, a blocking finding and exit 1 on an untracked flake", async () => {
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const good = await cli(["doctor", makeHybridProject()], env);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /✓ git: flake.nix is tracked/);
    assert.match(good.stdout, /✓ venv: /);

    const untracked = makeHybridProject({ git: false });
    const { execFileSync } = await import("node:child_process");
    execFileSync("git", ["init", "-q"], { cwd: untracked });
    const bad = await cli(["doctor", untracked], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /✗ git: flake.nix is not tracked[^\n]*\n\s+fix: git add -N flake.nix/);
  });

  test("reset-venv needs --yes, refuses a symlinked venv, and rebuilds a real one", async () => {
    const dir = makeHybridProject();
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const noYes = await cli(["reset-venv", dir], env);
    assert.equal(noYes.code, 1);
    assert.match(noYes.stderr, /--yes/);

    assert.equal((await cli(["env", dir], env)).code, 0);
    const marker = join(dir, ".venv", "marker");
    writeFileSync(marker, "x");
    const ok = await cli(["reset-venv", "--yes", dir], env);
    assert.equal(ok.code, 0, ok.stderr);
    // What is deleted is said before it is deleted: the path and its size.
    const deleting = ok.stderr.indexOf(`hybrid-env: deleting ${join(dir, ".venv")} (`);
    assert.ok(deleting >= 0, ok.stderr);
    assert.match(ok.stderr.slice(deleting), /^hybrid-env: deleting \S+ \(\d+\.\d MB\)\n/);
    assert.ok(deleting < ok.stderr.indexOf("venv ready"), ok.stderr);
    assert.equal(existsSync(marker), false, "the old venv is gone");
    assert.ok(existsSync(join(dir, ".venv", "bin", "python")), "a new venv exists");

    const outside = tempDir("outside");
    mkdirSync(join(outside, "keep"));
    rmSync(join(dir, ".venv"), { recursive: true });
    symlinkSync(outside, join(dir, ".venv"));
    const refused = await cli(["reset-venv", "--yes", dir], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /symbolic link/);
    assert.ok(existsSync(join(outside, "keep")), "nothing behind the link was touched");
  });

  test("reset-venv --yes refuses a .venv that is not a venv (no pyvenv.cfg) and touches nothing", async () => {
    const dir = makeHybridProject();
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const data = join(dir, ".venv", "results.csv");
    mkdirSync(join(dir, ".venv"));
    writeFileSync(data, "precious");
    const r = await cli(["reset-venv", "--yes", dir], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no pyvenv\.cfg/);
    assert.doesNotMatch(r.stderr, /deleting/);
    assert.equal(readFileSync(data, "utf8"), "precious");
  });

  test("usage errors exit 1 with a reason", async () => {
    const r = await cli(["frobnicate"], testEnv());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown command: frobnicate/);
  });
});
