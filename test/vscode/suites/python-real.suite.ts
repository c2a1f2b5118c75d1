// Issue 9 item 8: hybrid-env against the real Python extensions (ms-python.python,
// ms-python.vscode-python-envs, ms-python.debugpy; launcher/python-extensions.mjs), in the mode
// the run set (python.useEnvironmentsExtension on or off) and with hybrid-env in development or
// installed from its .vsix. Only public APIs are asked, as a user's tools would: the Python
// extension's active interpreter, Python Environments' environment and packages for the folder,
// a debugpy launch through ms-python.debugpy (Nix-only, uv-only and shadowed packages, a
// devShell-only variable, a native module whose library is only in the store), the folder's
// Jupyter kernel started by the real jupyter_client, what ended up in the folder's committed
// .vscode/settings.json, and what Exit leaves behind.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PythonExtension } from "@vscode/python-extension";
import type { PythonEnvironment, PythonEnvironmentApi } from "@vscode/python-environments";
import * as vscode from "vscode";
import { runMochaSuite, waitFor } from "../suite-runner";
import { EXTENSION_ID } from "./constants";
import { folders, hybridApi, waitForState } from "./hybridApi";
import { kernelName, kernelSpecLocation } from "../../../src/core/jupyterKernel";
import { debugpyOutput } from "./debugpy";
import { executeInKernel } from "./jupyterClient";

/** Prints where each package came from, the devShell-only variable and the native module's answer. */
const PROBE = [
  "import os, sys",
  "print('executable', sys.executable)",
  "for name in ('nixonly', 'uvonly', 'shared_pkg'):",
  "    try:",
  "        m = __import__(name)",
  "        print(name, m.VERSION, m.SOURCE)",
  "    except ImportError as e:",
  "        print(name, 'ImportError', e)",
  "print('FROM_NIX', os.environ.get('FROM_NIX', '-'))",
  "try:",
  "    import hybnative",
  "    print('hybnative', hybnative.answer())",
  "except ImportError as e:",
  "    print('hybnative ImportError', e)",
  "",
].join("\n");

function assertBothWorlds(output: string): void {
  assert.match(output, /^nixonly 1\.0 nix$/m, "the Nix-only package");
  assert.match(output, /^uvonly 3\.1 uv$/m, "the uv-only package");
  assert.match(output, /^shared_pkg 1\.0 nix$/m, "the Nix copy of the shadowed package");
  assert.match(output, /^hybnative 42$/m, "the native module, whose library is only in the store");
}

const ENVS_ID = "ms-python.vscode-python-envs";
const HYBRID_MANAGER_ID = `${EXTENSION_ID}:hybrid`;
/** Set by the project suite: "on" or "off" (python.useEnvironmentsExtension in Machine settings). */
const envsMode = process.env.HYBRID_ENV_BENCH_PYTHON_ENVS;
/** Written by Python Environments' own setEnvironment (documented in the README), not by us. */
const PYTHON_ENVS_WRITES = ["python-envs.defaultEnvManager", "python-envs.defaultPackageManager"];

const describeEnv = (env: PythonEnvironment | undefined) =>
  env ? `${env.displayName} (manager ${env.envId.managerId}, ${env.execInfo?.run.executable ?? env.environmentPath.fsPath})` : "nothing";

export const run = () =>
  runMochaSuite(
    `the real Python extensions (python.useEnvironmentsExtension ${envsMode})`,
    () => {
      const folder = () => folders()[0]!;
      const venvPython = () => join(folder().uri.fsPath, ".venv", "bin", "python");
      const settingsFile = () => join(folder().uri.fsPath, ".vscode", "settings.json");
      const settingsKeys = () => (existsSync(settingsFile()) ? Object.keys(JSON.parse(readFileSync(settingsFile(), "utf8"))) : []);
      // The generated folder is a git repository with every file staged: the index holds the
      // settings as generated, before hybrid-env (autoEnter: always) entered at start-up.
      const generatedSettingsKeys = () =>
        Object.keys(JSON.parse(execFileSync("git", ["show", ":.vscode/settings.json"], { cwd: folder().uri.fsPath, encoding: "utf8" })));
      let envs: PythonEnvironmentApi | undefined;

      suiteSetup(async function () {
        const python = vscode.extensions.getExtension("ms-python.python");
        if (!python || /fake/.test(python.packageJSON.version)) this.skip(); // the minimum-version server has only the fakes
      });

      test("the real extensions are installed, in the mode the run asked for", () => {
        const installedAt = (process.env.HYBRID_ENV_BENCH_PYTHON_EXTENSIONS ?? "").split(":").map((e) => e.split("=")) as [string, string][];
        assert.equal(installedAt.length, 3, "the launcher says where it linked them from");
        for (const [id, path] of installedAt) {
          const ext = vscode.extensions.getExtension(id);
          assert.ok(ext, `${id} is installed`);
          assert.doesNotMatch(ext.packageJSON.version, /fake/);
          assert.equal(ext.packageJSON.publisher, "ms-python");
          assert.ok(existsSync(join(path, "package.json")), path);
        }
        const setting = vscode.workspace.getConfiguration("python").inspect<boolean>("useEnvironmentsExtension");
        assert.equal(setting?.globalValue, envsMode === "on", JSON.stringify(setting));
        const hybridEnv = vscode.extensions.getExtension(EXTENSION_ID)!;
        const vsixDir = process.env.HYBRID_ENV_BENCH_EXTENSIONS_DIR;
        console.log(`      hybrid-env at ${hybridEnv.extensionPath} (${vsixDir ? "installed from its .vsix" : "in development"})`);
        if (vsixDir) assert.ok(hybridEnv.extensionPath.startsWith(vsixDir), `${hybridEnv.extensionPath} is in ${vsixDir}`);
      });

      test("Enter (autoEnter: always) leads to the ready state", async () => {
        const api = await hybridApi();
        await waitForState(api, folder(), "ready", 150_000);
      });

      test("the Python extension's active interpreter for the folder is .venv/bin/python", async () => {
        const python = await PythonExtension.api();
        await python.ready;
        let active = "";
        await waitFor(() => (active = python.environments.getActiveEnvironmentPath(folder().uri).path) === venvPython() || undefined, "the venv to be active", 30_000).catch(() => undefined);
        assert.equal(active, venvPython());
      });

      test("Python Environments reports the Hybrid (Nix + uv) environment for the folder", async function () {
        const ext = vscode.extensions.getExtension<PythonEnvironmentApi>(ENVS_ID)!;
        envs = ext.isActive ? ext.exports : await ext.activate();
        if (envsMode === "off") {
          // python.useEnvironmentsExtension: false makes Python Environments deactivate itself.
          assert.equal(envs, undefined, "Python Environments gives no API when turned off");
          return this.skip();
        }
        assert.ok(envs, "Python Environments is active");
        let reported: PythonEnvironment | undefined;
        await waitFor(async () => ((reported = await envs!.getEnvironment(folder().uri))?.envId.managerId === HYBRID_MANAGER_ID) || undefined, "Hybrid for the folder", 30_000).catch(() => undefined);
        assert.equal(reported?.envId.managerId, HYBRID_MANAGER_ID, `reports ${describeEnv(reported)}`);
        assert.equal(reported?.execInfo.run.executable, venvPython());
        assert.match(reported?.displayName ?? "", /^Hybrid \(Nix \+ uv\)/);
      });

      test("the Hybrid environment is listed under hybrid-env's own manager id, with packages from Nix and uv", async function () {
        if (!envs) return this.skip();
        // "all" asks every manager (the folder's scope would ask only the one Python Environments
        // routes the folder to).
        const listed = (await envs.getEnvironments("all")).filter((e) => /^Hybrid \(Nix \+ uv\)/.test(e.displayName));
        assert.deepEqual(listed.map((e) => e.envId.managerId), [HYBRID_MANAGER_ID], listed.map(describeEnv).join("; "));
        const packages = (await envs.getPackages(listed[0]!)) ?? [];
        const rows = packages.map((p) => `${p.name} ${p.version} ${p.description}`).sort();
        const fixture = rows.filter((r) => /^(nixonly|shared-pkg|uvonly|hybnative|ipykernel) /.test(r));
        assert.deepEqual(fixture, ["hybnative 1.0 uv", "ipykernel 7.4.0 uv", "nixonly 1.0 nix", "shared-pkg 1.0 nix", "shared-pkg 2.0 uv (shadowed by nix 1.0)", "uvonly 3.1 uv"], rows.join("\n"));
      });

      test("a debugpy launch sees the Nix-only, uv-only and shadowed packages, the devShell's variable and the native library", async () => {
        const program = join(folder().uri.fsPath, "probe_imports.py");
        writeFileSync(program, PROBE);
        const output = await debugpyOutput(folder(), { type: "debugpy", request: "launch", name: "probe imports", program, console: "internalConsole" });
        console.log(output.replace(/^/gm, "        | "));
        assertBothWorlds(output);
        assert.match(output, /^FROM_NIX nix-value$/m, "the devShell-only variable (hybrid-env's debug configuration provider)");
        assert.match(output, new RegExp(`^executable ${venvPython().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"), "the selected interpreter");
      });

      test("the folder's Jupyter kernel, started by jupyter_client from a plain environment, sees both worlds and the native library", () => {
        const spec = kernelSpecLocation(folder().uri.fsPath);
        assert.ok(existsSync(spec.file), `hybrid-env registered ${spec.file}`);
        const reply = executeInKernel(kernelName(folder().uri.fsPath), PROBE, folder().uri.fsPath);
        console.log(`      kernel "${reply.display_name}": ${reply.status}\n${reply.output.replace(/^/gm, "        | ")}`);
        assert.equal(reply.status, "ok", reply.output);
        assert.equal(reply.display_name, `Hybrid (Nix + uv) · ${folder().name}`);
        assertBothWorlds(reply.output);
        assert.match(reply.output, new RegExp(`^executable ${venvPython().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
      });

      test("Enter wrote no setting of its own into the committed .vscode/settings.json (Python Environments' own save aside)", () => {
        const before = generatedSettingsKeys();
        const added = settingsKeys().filter((k) => !before.includes(k) && !PYTHON_ENVS_WRITES.includes(k));
        assert.deepEqual(added, [], `settings.json now has:\n${existsSync(settingsFile()) ? readFileSync(settingsFile(), "utf8") : ""}`);
        if (envsMode === "off") assert.deepEqual(settingsKeys().filter((k) => PYTHON_ENVS_WRITES.includes(k)), [], "nothing calls Python Environments when it is off");
      });

      test("Exit: a plain venv again, no kernel, no Hybrid environment, and settings.json as it was", async () => {
        await vscode.commands.executeCommand("hybridEnv.exit", folder().uri);
        const api = await hybridApi();
        assert.equal(api.getState(folder().uri), "idle");
        const plain = spawnSync(venvPython(), ["-c", "import nixonly"], { env: {}, encoding: "utf8" });
        assert.notEqual(plain.status, 0, "the Python layer is gone: the venv's python no longer sees Nix's packages");
        assert.match(plain.stderr, /No module named 'nixonly'/);
        assert.ok(!existsSync(kernelSpecLocation(folder().uri.fsPath).file), "the kernelspec is gone");
        assert.deepEqual(settingsKeys().sort(), generatedSettingsKeys().sort(), readFileSync(settingsFile(), "utf8"));
        const python = await PythonExtension.api();
        console.log(`      the Python extension's interpreter after Exit: ${python.environments.getActiveEnvironmentPath(folder().uri).path}`);
        if (envs) {
          const listed = (await envs.getEnvironments("all")).filter((e) => /^Hybrid \(Nix \+ uv\)/.test(e.displayName));
          assert.deepEqual(listed.map(describeEnv), [], "no Hybrid environment is listed");
          let now: PythonEnvironment | undefined;
          await waitFor(async () => ((now = await envs!.getEnvironment(folder().uri))?.envId.managerId !== HYBRID_MANAGER_ID) || undefined, "another environment for the folder", 30_000).catch(() => undefined);
          console.log(`      Python Environments after Exit: ${describeEnv(now)}`);
          assert.notEqual(now?.envId.managerId, HYBRID_MANAGER_ID);
        }
      });
    },
    { timeoutMs: 180_000 },
  );
