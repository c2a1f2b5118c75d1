// The native-library doctor through the real CLI process: a wheel built here with gcc, whose C
// extension needs a library the environment lacks, installed by real uv into a real nix + uv
// fixture project. The real loader (importing the module) confirms each verdict.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gitTrackAll, makeHybridProject, pyprojectSource, tempDir } from "../helpers/fixtures";
import { buildNativeWheel, NATIVEGREET } from "../helpers/nativeWheel";
import { cli } from "../helpers/cli";
import { hasCommand, machinePython, testEnv } from "../helpers/tools";

/** A hybrid project whose uv dependencies include nativegreet; `libOnDevShellPath` puts its library on the devShell's LD_LIBRARY_PATH. */
function nativeProject(libOnDevShellPath: boolean): string {
  const uv = [{ name: "uvonly", version: "3.1" }];
  const dir = makeHybridProject({ uvPackages: uv, git: false, extraShellAttrs: libOnDevShellPath ? 'LD_LIBRARY_PATH = "${./native}";' : "" });
  const { libDir } = buildNativeWheel(join(dir, "wheels"), NATIVEGREET, { python: machinePython().executable });
  if (libOnDevShellPath) cpSync(libDir, join(dir, "native"), { recursive: true });
  writeFileSync(join(dir, "pyproject.toml"), pyprojectSource([...uv, { name: "nativegreet", version: "1.0" }]));
  gitTrackAll(dir);
  return dir;
}

/** Imports the module the way a terminal of the folder would, with the environment hybrid-env computed. */
function importGreet(dir: string, vars: Record<string, string>): { ok: boolean; output: string } {
  try {
    const out = execFileSync(join(dir, ".venv", "bin", "python"), ["-c", "import nativegreet; print(nativegreet.greet())"], { env: vars, encoding: "utf8", stdio: "pipe" });
    return { ok: true, output: out };
  } catch (e) {
    return { ok: false, output: String((e as { stderr: string }).stderr) };
  }
}

describe("hybrid-env doctor: native libraries", { skip: !hasCommand("gcc") && "gcc is not installed (scripts/setup.sh installs it)" }, () => {
  test("a C extension whose library nothing provides: one error naming the module, exit 1; the import really fails", async () => {
    const dir = nativeProject(false);
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const r = await cli(["doctor", dir], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.split("\n").filter((l) => l.includes("native libraries"));
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0]!, new RegExp(`✗ native libraries: ${NATIVEGREET.library.replace(/\./g, "\\.")}, needed by nativegreet/_greet\\.cpython-\\d+-x86_64-linux-gnu\\.so, is not found`));
    assert.match(r.stdout, /fix: no curated nixpkgs attribute provides libhybridgreet\.so\.1: find the package with `nix-locate -w lib\/libhybridgreet\.so\.1`/);
    assert.doesNotMatch(r.stdout, /libz\.so\.1|libc\.so\.6/, "the system's libz (in /etc/ld.so.cache) and libc resolve");

    const vars = JSON.parse((await cli(["env", "--json", dir], env)).stdout) as Record<string, string>;
    const imported = importGreet(dir, vars);
    assert.equal(imported.ok, false);
    assert.match(imported.output, /ImportError: libhybridgreet\.so\.1: cannot open shared object file/);
  });

  test("the same wheel with the library on the devShell's LD_LIBRARY_PATH: all found, and the import works", async () => {
    const dir = nativeProject(true);
    const env = testEnv({ XDG_CACHE_HOME: tempDir("xdg") });
    const r = await cli(["doctor", dir], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ native libraries: \d+ extension modules and libraries checked: every needed library is found/);

    const vars = JSON.parse((await cli(["env", "--json", dir], env)).stdout) as Record<string, string>;
    assert.match(vars.LD_LIBRARY_PATH ?? "", /^\/nix\/store\/[^/]+-native$/);
    assert.deepEqual(importGreet(dir, vars), { ok: true, output: "hello from libhybridgreet\n" });
  });
});
