// The .vsix of `npm run package`, installed with the server's --install-extension (launcher:
// vsix.mjs, project suite "vsix-installed"), activates on a git-tracked copy of the bundled example
// (examples/offline-hybrid) and enters it: the copy a user installs works, not only the
// development folder. Needs the browser launcher, which does the install; skipped elsewhere.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as vscode from "vscode";
import manifest from "../../../package.json";
import type { HybridEnvApi } from "../../../src/folders/model";
import { runMochaSuite, waitFor } from "../suite-runner";
import { EXTENSION_ID } from "./constants";
import { folders, waitForState } from "./hybridApi";

/** Set by test/vscode/launcher/vsix.mjs (VSIX_EXTENSIONS_DIR_ENV): the server's --extensions-dir. */
const extensionsDir = process.env.HYBRID_ENV_BENCH_EXTENSIONS_DIR;

const hybridEnv = () => vscode.extensions.getExtension<HybridEnvApi>(EXTENSION_ID);

export const run = () =>
  runMochaSuite(
    "hybrid-env installed from its .vsix",
    () => {
      suiteSetup(function () {
        if (!extensionsDir) this.skip(); // not the browser launcher: nothing installed the .vsix
      });

      test("the workspace is a trusted, git-tracked copy of the example", () => {
        assert.equal(vscode.workspace.isTrusted, true);
        const folder = folders()[0];
        assert.ok(folder, "a workspace folder is open");
        assert.equal(basename(folder.uri.fsPath), "offline-hybrid");
        const tracked = execFileSync("git", ["ls-files", "flake.nix", "pyproject.toml"], { cwd: folder.uri.fsPath, encoding: "utf8" });
        assert.deepEqual(tracked.trim().split("\n").sort(), ["flake.nix", "pyproject.toml"]);
      });

      test("the extension is the copy --install-extension put in the server's extensions dir", async () => {
        const ext = await waitFor(hybridEnv, "hybrid-env to be installed");
        const dir = realpathSync(extensionsDir!);
        const installedAt = realpathSync(ext.extensionPath);
        assert.equal(dirname(installedAt), dir, `extensionPath ${ext.extensionPath} is not in ${dir}`);
        assert.ok(!lstatSync(ext.extensionPath).isSymbolicLink(), "a real folder, not a link to a development copy");
        assert.equal(ext.packageJSON.version, manifest.version);
        const registry = JSON.parse(readFileSync(join(dir, "extensions.json"), "utf8")) as Array<{
          identifier: { id: string };
          relativeLocation: string;
          metadata?: { source?: string };
        }>;
        const entry = registry.find((e) => e.identifier.id.toLowerCase() === EXTENSION_ID);
        assert.equal(entry?.relativeLocation, basename(installedAt), "extensions.json records this folder");
        assert.equal(entry?.metadata?.source, "vsix", "installed from a .vsix");
      });

      test("the installed copy holds only what runs", () => {
        const root = hybridEnv()!.extensionPath;
        assert.deepEqual(readdirSync(join(root, "dist")).sort(), ["cli.js", "extension.js", "languageClient.js"]);
        for (const absent of ["src", "node_modules", "test", "media/screenshots", "tsconfig.json", "examples"]) {
          assert.ok(!existsSync(join(root, absent)), `${absent} is not shipped`);
        }
        for (const present of ["package.json", "language-configuration.json", "syntaxes/nix.tmLanguage.json", "media/hybrid-env.svg"]) {
          assert.ok(existsSync(join(root, present)), `${present} is shipped`);
        }
      });

      test("hybrid-env activates on the example", async () => {
        const ext = hybridEnv()!;
        await waitFor(() => ext.isActive, "activation (workspaceContains:flake.nix)", 60_000);
        assert.equal(typeof ext.exports?.getState, "function", "activate() returns the API");
      });

      test("every contributed command is registered", async () => {
        const registered = new Set(await vscode.commands.getCommands(true));
        const contributed = manifest.contributes.commands.map((c) => c.command);
        assert.ok(contributed.length > 0);
        assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
      });

      test("Enter loads the example: ready, the devShell's variables, packages from Nix and uv", async () => {
        const api = hybridEnv()!.exports;
        const folder = folders()[0]!;
        await vscode.commands.executeCommand("hybridEnv.enter");
        await waitForState(api, folder, "ready", 240_000);
        const env = api.getEnvironment(folder.uri);
        assert.equal(env?.EXAMPLE_GREETING, "set by the Nix devShell");
        assert.match(env?.PATH ?? "", /\/offline-hybrid\/\.venv\/bin/, "the venv is on PATH");
        const packages = api.getPackages(folder.uri) ?? [];
        const from = (name: string) => packages.filter((p) => p.name === name).map((p) => p.source).sort();
        assert.deepEqual(from("nixgreet"), ["nix"]);
        assert.deepEqual(from("packaging"), ["uv"]);
        // iniconfig is in both lists: uv leaves it to Nix, whose 1.0.0 does not satisfy iniconfig>=2.
        assert.deepEqual(from("iniconfig"), ["nix"], "uv does not install Nix's iniconfig");
        const iniconfig = packages.find((p) => p.name === "iniconfig")?.nixProvided;
        assert.equal(iniconfig?.satisfied, false, "the mismatch is reported");
      });
    },
    { timeoutMs: 300_000 },
  );
