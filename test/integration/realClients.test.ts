// Real clients of the venv's interpreter, each run as the real program on a real nix + uv project,
// none of them given PYTHONPATH or LD_LIBRARY_PATH: what reaches them is the Python layer only.
// Every check runs once with the layer and once without it, and must fail without it.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadEnvironment } from "../../src/core/engine";
import type { HybridEnvironment } from "../../src/core/environment";
import { kernelName, writeKernelSpec } from "../../src/core/jupyterKernel";
import { MemoryLogger } from "../../src/core/logger";
import { resolve } from "../../src/core/mutations";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { pythonLayerConfig, removePythonLayer, venvSitePackages, writePythonLayer, type PythonLayerConfig } from "../../src/core/pythonLayer";
import { KERNEL_CLIENT_PY } from "../helpers/kernelClient";
import { clientPyproject, EXPECTED_REPORT, JUPYTER_CLIENT, MAIN_PY, makeClientProject, REPORT_MARK, type ClientProject } from "../helpers/clientFixture";
import { DapClient } from "../helpers/dap";
import { tempDir } from "../helpers/fixtures";
import { machinePython, testEnv } from "../helpers/tools";

/** What a program started from a desktop launcher has: no devShell, no venv, no PYTHONPATH. */
const PLAIN_ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: process.env.HOME ?? "/root" };
const NODE_MODULES = join(__dirname, "../../../node_modules");
const UV = execFileSync("bash", ["-c", "command -v uv"], { encoding: "utf8" }).trim();

let project: ClientProject;
let venvPython: string;
let layer: PythonLayerConfig;
let environment: HybridEnvironment;

function withoutLayer<T>(f: () => T): T {
  removePythonLayer(layer.venv);
  try {
    return f();
  } finally {
    writePythonLayer(layer);
  }
}

function reportIn(text: string): unknown {
  const line = text.split(/\r?\n/).find((l) => l.startsWith(REPORT_MARK));
  return line ? JSON.parse(line.slice(REPORT_MARK.length)) : undefined;
}

function run(file: string, args: string[], env: Record<string, string>, cwd = project.dir) {
  const r = spawnSync(file, args, { cwd, env, encoding: "utf8", timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

before(async () => {
  project = makeClientProject();
  const log = new MemoryLogger();
  const result = await loadEnvironment({
    dir: project.dir,
    options: defaultOptions({ cacheDir: join(tempDir("clients-cache"), "c") }),
    baseEnv: testEnv(),
    runner: new ProcessRunner(log),
    log,
  });
  environment = result.environment;
  venvPython = environment.python.venvPython!;
  layer = pythonLayerConfig(result.environment)!;
  assert.ok(layer && layer.libraryPath.length === 1 && layer.pythonPath.length === 1, JSON.stringify(layer));
});

describe("the interpreter itself", () => {
  test("a plain .venv/bin/python from an empty environment sees both worlds, the Nix copy first", () => {
    assert.deepEqual(reportIn(run(venvPython, ["main.py"], {}).stdout), EXPECTED_REPORT);
    const off = withoutLayer(() => run(venvPython, ["main.py"], {}));
    assert.match(off.stderr, /No module named 'hybnixonly'/);
    // A hybrid terminal (PYTHONPATH and LD_LIBRARY_PATH set) gets the same sys.path, nothing twice.
    const sysPath = "import sys, json; print(json.dumps(sys.path))";
    const terminal = run(venvPython, ["-c", sysPath], resolve(testEnv(), environment.mutations)).stdout;
    assert.equal(terminal, run(venvPython, ["-c", sysPath], {}).stdout);
    assert.equal(new Set(JSON.parse(terminal) as string[]).size, (JSON.parse(terminal) as string[]).length);
  });

  test("the native wheel loads only with the layer's library path (no RPATH, the library is only in the store)", () => {
    const code = "import hybnative; print(hybnative.answer())";
    assert.equal(run(venvPython, ["-c", code], {}).stdout.trim(), "42");
    writePythonLayer({ ...layer, libraryPath: [] });
    try {
      assert.match(run(venvPython, ["-c", code], {}).stderr, /libhybridtest\.so\.1: cannot open shared object file/);
    } finally {
      writePythonLayer(layer);
    }
  });

  test("uv run agrees with the plain interpreter", () => {
    const r = run(UV, ["run", "--frozen", "python", "main.py"], { ...PLAIN_ENV, UV_PYTHON_DOWNLOADS: "never" });
    assert.deepEqual(reportIn(r.stdout), EXPECTED_REPORT, r.stderr);
    assert.match(withoutLayer(() => run(UV, ["run", "--frozen", "python", "main.py"], PLAIN_ENV)).stderr, /No module named 'hybnixonly'/);
  });
});

describe("pyright and basedpyright, given only the interpreter", () => {
  const checkers = [
    { name: "pyright", script: join(NODE_MODULES, "pyright", "index.js") },
    { name: "basedpyright", script: join(NODE_MODULES, "basedpyright", "index.js") },
  ];
  /** The diagnostics that mean "the checker does not see this environment". */
  function blindSpots(script: string): string[] {
    const r = run(process.execPath, [script, "--outputjson", "--pythonpath", venvPython, "main.py"], PLAIN_ENV);
    const out = JSON.parse(r.stdout) as { generalDiagnostics: Array<{ message: string; rule?: string }> };
    return out.generalDiagnostics
      .filter((d) => /could not be resolved|NIX_ONLY_ATTRIBUTE/.test(d.message))
      .map((d) => d.message);
  }
  for (const checker of checkers) {
    for (const section of [false, true]) {
      test(`${checker.name}${section ? " with [tool.pyright] in pyproject.toml" : ""}: every import resolves, to the Nix copy`, () => {
        const pyproject = join(project.dir, "pyproject.toml");
        const original = readFileSync(pyproject, "utf8");
        writeFileSync(pyproject, clientPyproject(project.wheels, section));
        try {
          assert.deepEqual(blindSpots(checker.script), []);
          const off = withoutLayer(() => blindSpots(checker.script));
          assert.ok(off.some((m) => /"hybnixonly" could not be resolved/.test(m)), off.join("\n"));
          assert.ok(off.some((m) => /"hybpthonly" could not be resolved/.test(m)), off.join("\n"));
          assert.ok(off.some((m) => /NIX_ONLY_ATTRIBUTE/.test(m)), `the uv copy of hybshared would be seen: ${off.join("\n")}`);
        } finally {
          writeFileSync(pyproject, original);
        }
      });
    }
  }
});

describe("pytest through the interpreter", () => {
  test("collection and a run from an empty environment", () => {
    const collect = run(venvPython, ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "test_hybrid.py"], {});
    assert.equal(collect.status, 0, collect.all);
    assert.match(collect.stdout, /test_hybrid\.py::test_native_library/);
    const tests = run(venvPython, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hybrid.py"], {});
    assert.match(tests.stdout, /3 passed/, tests.all);
    const off = withoutLayer(() => run(venvPython, ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "test_hybrid.py"], {}));
    assert.notEqual(off.status, 0);
    assert.match(off.all, /No module named 'hybnixonly'/);
  });
});

describe("a Jupyter kernel on the registered kernelspec", () => {
  // The client is jupyter_client in a venv of its own (as JupyterLab or nbclient would be), so
  // nothing of it reaches the kernel but the kernelspec and a plain environment.
  let clientPython: string;
  let jupyterEnv: Record<string, string>;
  before(() => {
    const tools = join(tempDir("jupyter-client"), "venv");
    const uvEnv = { ...process.env, UV_PYTHON_DOWNLOADS: "never" };
    execFileSync(UV, ["venv", "-q", "--python", machinePython().executable, tools], { env: uvEnv });
    execFileSync(UV, ["pip", "install", "-q", "--python", join(tools, "bin", "python"), JUPYTER_CLIENT], { env: uvEnv });
    clientPython = join(tools, "bin", "python");
    const data = tempDir("jupyter-data");
    jupyterEnv = { ...PLAIN_ENV, JUPYTER_DATA_DIR: data, JUPYTER_RUNTIME_DIR: join(data, "runtime"), JUPYTER_PLATFORM_DIRS: "1" };
    writeKernelSpec(project.dir, venvPython, jupyterEnv);
  });

  function execute(code: string): { status: string; output: string } {
    const r = spawnSync(clientPython, ["-c", KERNEL_CLIENT_PY, kernelName(project.dir)], { cwd: project.dir, env: jupyterEnv, input: code, encoding: "utf8", timeout: 180_000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { status: string; output: string };
  }

  test("executes code that sees both worlds and the native library", () => {
    const reply = execute(MAIN_PY);
    assert.equal(reply.status, "ok", reply.output);
    assert.deepEqual(reportIn(reply.output), EXPECTED_REPORT);
    const off = withoutLayer(() => execute(MAIN_PY));
    assert.equal(off.status, "error");
    assert.match(off.output, /No module named 'hybnixonly'/);
  });
});

describe("a program launched through debugpy as VS Code launches it", () => {
  // ms-python.debugpy spawns `<selected python> <debugpy>/adapter` with the extension host's
  // environment and sends a launch with python: [interpreter], console: internalConsole,
  // redirectOutput and the env it merged (no PYTHONPATH here: the layer is all there is).
  async function debug(): Promise<string> {
    const adapter = join(venvSitePackages(layer.venv)[0]!, "debugpy", "adapter");
    const dap = new DapClient(venvPython, [adapter], PLAIN_ENV);
    try {
      const init = await dap.request("initialize", { clientID: "vscode", adapterID: "debugpy", pathFormat: "path", linesStartAt1: true, columnsStartAt1: true, supportsRunInTerminalRequest: false });
      assert.equal(init.success, true, init.message);
      const launched = dap.request("launch", {
        name: "Python Debugger: Current File",
        type: "debugpy",
        request: "launch",
        program: join(project.dir, "main.py"),
        console: "internalConsole",
        python: [venvPython],
        debugAdapterPython: venvPython,
        debugLauncherPython: venvPython,
        cwd: project.dir,
        env: PLAIN_ENV,
        stopOnEntry: false,
        showReturnValue: true,
        justMyCode: true,
        redirectOutput: true,
        debugOptions: ["RedirectOutput", "ShowReturnValue"],
        clientOS: "unix",
        workspaceFolder: project.dir,
      });
      await dap.waitForEvent("initialized", 60_000);
      await dap.request("configurationDone");
      assert.equal((await launched).success, true);
      await dap.waitForEvent("terminated", 90_000);
      return dap.output();
    } finally {
      dap.kill();
    }
  }

  test("the debuggee sees both worlds and the native library", async () => {
    const output = await debug();
    assert.deepEqual(reportIn(output), EXPECTED_REPORT, output);
    removePythonLayer(layer.venv);
    try {
      assert.match(await debug(), /No module named 'hybnixonly'/);
    } finally {
      writePythonLayer(layer);
    }
  });
});
