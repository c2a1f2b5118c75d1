// The engine writes the Python layer into the venv on every load, and it holds through what users
// do to a venv: uv sync, uv sync --reinstall, uv add, a venv recreated by hand, Reset venv, a flake
// change. Checked with the real interpreter started from an empty environment.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import { kernelName } from "../../src/core/jupyterKernel";
import { MemoryLogger } from "../../src/core/logger";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner, spawnCounter } from "../../src/core/process";
import { LAYER_DIR } from "../../src/core/pythonLayer";
import { cli } from "../helpers/cli";
import { gitTrackAll, makeHybridProject, tempDir, write } from "../helpers/fixtures";
import { machinePython, testEnv } from "../helpers/tools";

const UV = execFileSync("bash", ["-c", "command -v uv"], { encoding: "utf8" }).trim();
const IMPORTS = "import nixonly, uvonly, shared_pkg; print(nixonly.SOURCE, uvonly.SOURCE, shared_pkg.SOURCE)";

describe("the engine's Python layer", () => {
  let dir: string;
  let req: LoadRequest;
  const python = () => spawnSync(join(dir, ".venv", "bin", "python"), ["-c", IMPORTS], { env: {}, encoding: "utf8" });
  const sees = () => {
    const r = python();
    assert.equal(r.stdout.trim(), "nix uv nix", r.stderr);
  };
  const uv = (...args: string[]) => execFileSync(UV, args, { cwd: dir, env: { ...testEnv(), UV_PYTHON_DOWNLOADS: "never" }, stdio: "pipe" });
  const layerCfg = () => readFileSync(join(dir, ".venv", LAYER_DIR, "layer.cfg"), "utf8");

  before(async () => {
    dir = makeHybridProject({
      nixPackages: [
        { name: "nixonly", version: "1.0" },
        { name: "shared-pkg", version: "1.0" },
      ],
      uvPackages: [
        { name: "uvonly", version: "3.1" },
        { name: "shared-pkg", version: "2.0" },
      ],
      extraWheels: [{ name: "addedlater", version: "1.0" }],
    });
    const log = new MemoryLogger();
    req = { dir, options: defaultOptions({ cacheDir: join(tempDir("layer-cache"), "c") }), baseEnv: testEnv(), runner: new ProcessRunner(log), log };
    await loadEnvironment(req);
  });

  test("a load writes it: the venv's python from an empty environment sees Nix first", () => sees());

  test("it survives uv sync, uv sync --reinstall and uv add", () => {
    uv("sync", "-q");
    sees();
    uv("sync", "-q", "--reinstall");
    sees();
    uv("add", "-q", "addedlater==1.0");
    sees();
  });

  test("a venv recreated by hand gets it back on the next load, a cache hit that starts no process", async () => {
    await loadEnvironment(req); // caches the project as `uv add` left it
    rmSync(join(dir, ".venv"), { recursive: true, force: true });
    uv("sync", "-q", "--python", machinePython().executable);
    assert.notEqual(python().status, 0, "a fresh venv has no layer");
    const started = spawnCounter.count;
    const result = await loadEnvironment(req);
    assert.equal(result.fromCache, true);
    assert.equal(spawnCounter.count, started);
    sees();
  });

  test("a flake change rewrites it: the new store path in, the old one out", async () => {
    const old = /^pythonPath (\S+)$/m.exec(layerCfg())![1]!;
    write(join(dir, "nixpy", "lib", `python${machinePython().version}`, "site-packages", "newnix", "__init__.py"), "SOURCE = 'nix'\n");
    gitTrackAll(dir);
    await loadEnvironment({ ...req, options: { ...req.options, useCache: false } });
    assert.ok(!layerCfg().includes(old), "no stale store path");
    const r = spawnSync(join(dir, ".venv", "bin", "python"), ["-c", "import newnix; print(newnix.SOURCE)"], { env: {}, encoding: "utf8" });
    assert.equal(r.stdout.trim(), "nix", r.stderr);
  });

  test("turned off, the load takes it out", async () => {
    await loadEnvironment({ ...req, options: { ...req.options, pythonLayer: false } });
    assert.equal(existsSync(join(dir, ".venv", LAYER_DIR)), false);
    assert.notEqual(python().status, 0);
    await loadEnvironment(req);
    sees();
  });
});

describe("the CLI", () => {
  test("reset-venv brings the layer back; --no-python-layer takes it out", async () => {
    const dir = makeHybridProject();
    const env = testEnv({ XDG_CACHE_HOME: tempDir("cli-layer-xdg") });
    const imports = () => spawnSync(join(dir, ".venv", "bin", "python"), ["-c", "import nixonly, uvonly"], { env: {} }).status;
    assert.equal((await cli(["env", dir], env)).code, 0);
    assert.equal(imports(), 0);
    assert.match((await cli(["doctor", dir], env)).stdout, /✓ python layer: .*1 Nix path entries/);
    rmSync(join(dir, ".venv", LAYER_DIR), { recursive: true }); // doctor's own load writes it back
    assert.match((await cli(["doctor", dir], env)).stdout, /✓ python layer: /);
    assert.equal((await cli(["reset-venv", "--yes", dir], env)).code, 0);
    assert.equal(imports(), 0);
    assert.equal((await cli(["env", "--no-python-layer", dir], env)).code, 0);
    assert.notEqual(imports(), 0);
  });

  test("jupyter-kernel registers the folder's kernel (warning while ipykernel is missing); --remove removes it", async () => {
    const dir = makeHybridProject();
    const data = tempDir("cli-jupyter");
    const env = testEnv({ XDG_CACHE_HOME: tempDir("cli-kernel-xdg"), JUPYTER_DATA_DIR: data });
    const added = await cli(["jupyter-kernel", dir], env);
    assert.equal(added.code, 0, added.stderr);
    const file = join(data, "kernels", kernelName(dir), "kernel.json");
    assert.equal(added.stdout.trim(), file);
    assert.equal(JSON.parse(readFileSync(file, "utf8")).argv[0], join(dir, ".venv", "bin", "python"));
    assert.match(added.stderr, /ipykernel is not importable/);
    const removed = await cli(["jupyter-kernel", "--remove", dir], env);
    assert.equal(removed.code, 0);
    assert.equal(existsSync(file), false);
  });
});
