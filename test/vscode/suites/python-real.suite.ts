// Issue 9 item 8: hybrid-env against the real Python extensions (ms-python.python,
// ms-python.vscode-python-envs, ms-python.debugpy; launcher/python-extensions.mjs), in the mode
// the run set (python.useEnvironmentsExtension on or off) and with hybrid-env in development or
// installed from its .vsix. Only public APIs are asked, as a user's tools would: the Python
// extension's active interpreter, Python Environments' environment and packages for the folder,
// a debugpy launch, and what ended up in the folder's committed .vscode/settings.json.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PythonExtension } from "@vscode/python-extension";
import type { PythonEnvironment, PythonEnvironmentApi } from "@vscode/python-environments";
import * as vscode from "vscode";
import { runMochaSuite, waitFor } from "../suite-runner";
import { EXTENSION_ID } from "./constants";
import { folders, hybridApi, waitForState } from "./hybridApi";
import { debugpyOutput } from "./debugpy";

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
        assert.deepEqual(rows, ["nixonly 1.0 nix", "shared-pkg 1.0 nix", "shared-pkg 2.0 uv (shadowed by nix 1.0)", "uvonly 3.1 uv"]);
      });

      test("a debugpy launch sees a Nix-only package, a uv-only package and the Nix copy of the shadowed one", async () => {
        const program = join(folder().uri.fsPath, "probe_imports.py");
        writeFileSync(
          program,
          [
            "import sys",
            "print('executable', sys.executable)",
            "for name in ('nixonly', 'uvonly', 'shared_pkg'):",
            "    try:",
            "        m = __import__(name)",
            "        print(name, m.VERSION, m.SOURCE)",
            "    except ImportError as e:",
            "        print(name, 'ImportError', e)",
            "",
          ].join("\n"),
        );
        const output = await debugpyOutput(folder(), { type: "debugpy", request: "launch", name: "probe imports", program, console: "internalConsole" });
        console.log(output.replace(/^/gm, "        | "));
        assert.match(output, /^nixonly 1\.0 nix$/m, "the Nix-only package");
        assert.match(output, /^uvonly 3\.1 uv$/m, "the uv-only package");
        assert.match(output, /^shared_pkg 1\.0 nix$/m, "the Nix copy of the shadowed package");
        assert.match(output, new RegExp(`^executable ${venvPython().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"), "the selected interpreter");
      });

      test("Enter wrote no setting of its own into the committed .vscode/settings.json", () => {
        const before = generatedSettingsKeys();
        const added = settingsKeys().filter((k) => !before.includes(k) && !PYTHON_ENVS_WRITES.includes(k));
        assert.deepEqual(added, [], `settings.json now has:\n${existsSync(settingsFile()) ? readFileSync(settingsFile(), "utf8") : ""}`);
      });
    },
    { timeoutMs: 180_000 },
  );
