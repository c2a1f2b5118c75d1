// The Python layer: what it carries, how it is written and removed, and what the real
// interpreter does with it (a venv uv makes on the machine's python3, started with an empty env).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { HybridEnvironment } from "../../../src/core/environment";
import type { Mutation } from "../../../src/core/mutations";
import { pythonLayerConfig, PTH_NAME, removePythonLayer, syncPythonLayer, writePythonLayer } from "../../../src/core/pythonLayer";
import { pyString } from "../../../src/core/pythonLayerScript";
import { write } from "../../helpers/fixtures";
import { machinePython } from "../../helpers/tools";
import { tempDir } from "../tmp";

function environmentWith(venvDir: string, mutations: Mutation[], withVenv = true): HybridEnvironment {
  return {
    project: { dir: venvDir, kind: "hybrid", venvDir, devShell: "default" },
    mutations,
    python: withVenv ? { venvPython: join(venvDir, "bin", "python") } : {},
    createdAt: "2026-12-01T00:00:00.000Z",
    timings: {},
  };
}

describe("pythonLayerConfig", () => {
  test("carries the environment's own PYTHONPATH and LD_LIBRARY_PATH entries, in order, not the user's", () => {
    const env = environmentWith("/p/.venv", [
      { name: "PYTHONPATH", op: "prepend", value: "/nix/store/a/site-packages:/nix/store/b/site-packages", separator: ":" },
      { name: "LD_LIBRARY_PATH", op: "replace", value: "/nix/store/z/lib:relative/lib:/nix/store/z/lib" },
      { name: "PATH", op: "prepend", value: "/p/.venv/bin", separator: ":" },
    ]);
    assert.deepEqual(pythonLayerConfig(env), {
      venv: "/p/.venv",
      pythonPath: ["/nix/store/a/site-packages", "/nix/store/b/site-packages"],
      libraryPath: ["/nix/store/z/lib"],
    });
  });

  test("nothing to carry, or no venv: no layer", () => {
    assert.equal(pythonLayerConfig(environmentWith("/p/.venv", [{ name: "FOO", op: "replace", value: "1" }])), undefined);
    const noVenv = environmentWith("/p/.venv", [{ name: "PYTHONPATH", op: "replace", value: "/nix/x" }], false);
    assert.equal(pythonLayerConfig(noVenv), undefined);
  });
});

test("pyString gives pure-ASCII Python literals", () => {
  assert.equal(pyString('/a "b"\\c'), '"/a \\"b\\"\\\\c"');
  assert.equal(pyString("/é/😀"), '"/\\u00e9/\\U0001f600"');
});

/** A real venv plus Nix-like site dirs: `nix` (with a .pth to `extra`), `lib` for libraries. */
function realVenv(): { root: string; venv: string; python: string; nixSite: string; extra: string; libDir: string } {
  const root = tempDir("layer");
  const venv = join(root, ".venv");
  // uv, not `python3 -m venv`: Debian's python3 has no venv module without python3-venv.
  const made = spawnSync("uv", ["venv", "-q", "--python", machinePython().executable, venv], { encoding: "utf8", env: { ...process.env, UV_PYTHON_DOWNLOADS: "never" } });
  assert.equal(made.status, 0, made.stderr);
  const nixSite = join(root, "nix", "lib", "site-packages");
  const extra = join(root, "nix", "extra");
  write(join(nixSite, "nixonly", "__init__.py"), "SOURCE = 'nix'\n");
  write(join(nixSite, "shared", "__init__.py"), "SOURCE = 'nix'\n");
  write(join(nixSite, "extra.pth"), "../../extra\n"); // relative to the site dir, as site.py reads it
  write(join(extra, "pthonly", "__init__.py"), "SOURCE = 'pth'\n");
  const venvSite = join(venv, "lib", `python${machinePython().version}`, "site-packages");
  write(join(venvSite, "shared", "__init__.py"), "SOURCE = 'uv'\n");
  const libDir = join(root, "nix", "lib", "native");
  mkdirSync(libDir, { recursive: true });
  return { root, venv, python: join(venv, "bin", "python"), nixSite, extra, libDir };
}

function run(python: string, code: string, env: Record<string, string> = {}, args: string[] = []) {
  const r = spawnSync(python, [...args, "-c", code], { env, encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr, pid: r.pid };
}

const SYS_PATH = "import sys, json; print(json.dumps(sys.path))";

describe("the layer in a real interpreter", () => {
  test("an empty environment gets Nix first, its .pth entries next, the Nix copy of a shadowed package", () => {
    const v = realVenv();
    assert.notEqual(run(v.python, "import nixonly").status, 0, "without the layer the Nix package is not importable");
    assert.equal(writePythonLayer({ venv: v.venv, pythonPath: [v.nixSite], libraryPath: [] }), true);
    const out = run(v.python, "import nixonly, pthonly, shared; print(nixonly.SOURCE, pthonly.SOURCE, shared.SOURCE)");
    assert.equal(out.stdout, "nix pth nix", out.stderr);
    const path = JSON.parse(run(v.python, SYS_PATH).stdout) as string[];
    assert.deepEqual(path.slice(0, 3), ["", v.nixSite, v.extra]);
    assert.equal(path.at(-1), join(v.venv, "lib", `python${machinePython().version}`, "site-packages"));
  });

  test("with PYTHONPATH already carrying Nix's site-packages (a hybrid terminal): the same sys.path, no duplicates", () => {
    const v = realVenv();
    writePythonLayer({ venv: v.venv, pythonPath: [v.nixSite], libraryPath: [] });
    const empty = JSON.parse(run(v.python, SYS_PATH).stdout) as string[];
    const terminal = JSON.parse(run(v.python, SYS_PATH, { PYTHONPATH: v.nixSite }).stdout) as string[];
    assert.deepEqual(terminal, empty);
    assert.equal(new Set(terminal).size, terminal.length);
    // -I (what pyright uses to ask for sys.path) keeps site, so the layer applies there too.
    assert.deepEqual((JSON.parse(run(v.python, SYS_PATH, {}, ["-I"]).stdout) as string[]).slice(0, 2), [v.nixSite, v.extra]);
  });

  test("the library path: set and the interpreter started again in the same process, once", () => {
    const v = realVenv();
    writePythonLayer({ venv: v.venv, pythonPath: [], libraryPath: [v.libDir] });
    const code = "import os, json, _hybrid_env_layer as l; print(json.dumps([os.getpid(), os.environ.get('LD_LIBRARY_PATH'), l.report['reexec']]))";
    const fresh = run(v.python, code, { LD_LIBRARY_PATH: "/usr/lib/user-own" });
    const [pid, ld, reexec] = JSON.parse(fresh.stdout) as [number, string, boolean];
    assert.equal(pid, fresh.pid, "execv keeps the pid");
    assert.equal(ld, `${v.libDir}:/usr/lib/user-own`);
    assert.equal(reexec, true);
    const already = JSON.parse(run(v.python, code, { LD_LIBRARY_PATH: v.libDir }).stdout) as [number, string, boolean];
    assert.deepEqual(already.slice(1), [v.libDir, false], "no re-exec where the dirs are already there");
  });

  test("a re-exec that cannot help is not repeated", () => {
    const v = realVenv();
    const colon = join(v.root, "odd:dir"); // a ':' splits it in LD_LIBRARY_PATH: still missing after the re-exec
    mkdirSync(colon);
    writePythonLayer({ venv: v.venv, pythonPath: [], libraryPath: [colon] });
    const out = run(v.python, "print('ran')", { HYBRID_ENV_DEBUG: "1" });
    assert.equal(out.stdout, "ran");
    assert.match(out.stderr, /not trying again/);
  });

  test("a broken or foreign layer degrades to a plain venv, silently unless HYBRID_ENV_DEBUG is set", () => {
    const v = realVenv();
    writePythonLayer({ venv: v.venv, pythonPath: [v.nixSite], libraryPath: [] });
    writeFileSync(join(v.venv, "hybrid-env", "layer.cfg"), "garbage\n");
    const quiet = run(v.python, "import shared; print(shared.SOURCE)");
    assert.deepEqual([quiet.status, quiet.stdout, quiet.stderr], [0, "uv", ""]);
    assert.match(run(v.python, "pass", { HYBRID_ENV_DEBUG: "1" }).stderr, /failed, the venv runs without the layer/);
    writePythonLayer({ venv: join(v.root, "elsewhere"), pythonPath: [v.nixSite], libraryPath: [] }); // no such venv: nothing written
    writeFileSync(join(v.venv, "hybrid-env", "layer.cfg"), `venv /some/other/venv\npythonPath ${v.nixSite}\n`);
    assert.equal(run(v.python, "import shared; print(shared.SOURCE)").stdout, "uv", "a layer for another venv is skipped");
    rmSync(join(v.venv, "hybrid-env"), { recursive: true });
    assert.deepEqual([run(v.python, "print(1)").stderr, run(v.python, "print(1)").stdout], ["", "1"], "a .pth whose layer is gone is harmless");
  });

  test("writing is idempotent; removing takes every file out; sync removes a layer with nothing to carry", () => {
    const v = realVenv();
    const config = { venv: v.venv, pythonPath: [v.nixSite], libraryPath: [] };
    assert.equal(writePythonLayer(config), true);
    assert.equal(writePythonLayer(config), false, "nothing rewritten the second time");
    const pth = join(v.venv, "lib", `python${machinePython().version}`, "site-packages", PTH_NAME);
    assert.match(readFileSync(pth, "utf8"), /^import os, sys; /);
    syncPythonLayer(environmentWith(v.venv, [{ name: "FOO", op: "replace", value: "x" }]));
    assert.equal(existsSync(pth), false);
    assert.equal(existsSync(join(v.venv, "hybrid-env")), false);
    writePythonLayer(config);
    assert.equal(removePythonLayer(v.venv), true);
    assert.equal(removePythonLayer(v.venv), false);
    assert.notEqual(run(v.python, "import nixonly").status, 0);
  });
});
