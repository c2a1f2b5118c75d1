// Add Nix Package and Update Nix Inputs on a flake as people write them, with real nix and uv:
// its nixpkgs is the stub of test/helpers/stubNixpkgs.ts (no real nixpkgs here), a locked
// git+file input in the store; the default devShell and its Python list live in nix/devshell.nix,
// imported by flake.nix; a second devShell `docs` has its list in flake.nix
// (test/helpers/stubNixpkgsProject.ts). Each devShell exports NIX_PY_NAMES, the names of its
// list's packages, so an edit shows in the environment after the reload.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as vscode from "vscode";
import type { NixPackageCommandResult } from "../../../src/commands/nixPackages/args";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";

const ADD = "hybridEnv.addNixPackage";

export const run = () =>
  runMochaSuite(
    "Nix packages on a flake over a (stub) nixpkgs: imports, devShells, the check, the pick, inputs",
    () => {
      const folder = () => folders()[0]!;
      const path = (rel: string) => vscode.Uri.joinPath(folder().uri, rel).fsPath;
      const read = (rel: string) => readFileSync(path(rel), "utf8");
      const names = async () => (await hybridApi()).getEnvironment(folder().uri)?.NIX_PY_NAMES;
      const namesBecome = async (expected: string) => {
        await waitFor(async () => (await names()) === expected || undefined, `NIX_PY_NAMES to be "${expected}" (is "${await names()}")`, 90_000);
      };
      let flakeNix = "";

      test("the folder enters by itself; its devShell (nix/devshell.nix) has numpy", async () => {
        await waitForState(await hybridApi(), folder(), "ready", 120_000);
        assert.equal(await names(), "numpy");
        flakeNix = read("flake.nix");
      });

      test("python3Packages.rich: looked up in the locked nixpkgs, written `rich` in nix/devshell.nix, flake.nix untouched, the env reloads", async () => {
        const r = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "python3Packages.rich", folder().uri);
        assert.equal(r.error, undefined, r.message);
        assert.deepEqual([r.changed, r.file, r.check], [true, "nix/devshell.nix", "found"]);
        assert.ok(r.notes?.some((n) => /python3Packages\.rich is written rich in this list/.test(n)), String(r.notes));
        assert.match(read("nix/devshell.nix"), /\[ numpy rich \]/);
        assert.equal(read("flake.nix"), flakeNix);
        await namesBecome("numpy rich");
      });

      test("another Python's name is refused with the reason; no file changes", async () => {
        const before = read("nix/devshell.nix");
        const r = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "python310Packages.scipy", folder().uri);
        assert.equal(r.changed, false);
        assert.match(r.error ?? "", /Python 3\.10's package set .* a list for Python 3\.11/);
        assert.equal(read("nix/devshell.nix"), before);
      });

      test("a misspelt name: refused with did-you-mean buttons; clicking pandas adds pandas", async function () {
        if (!ui.available) this.skip();
        const before = read("nix/devshell.nix");
        const pending = vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "pandsa", folder().uri);
        await ui.clickNotificationButton("pandas", "pandsa is not in python311.pkgs of the locked input nixpkgs");
        const r = await pending;
        assert.notEqual(read("nix/devshell.nix"), before);
        assert.equal(r.changed, true, r.message);
        assert.match(read("nix/devshell.nix"), /\[ numpy rich pandas \]/);
        await namesBecome("numpy rich pandas");
      });

      test("from the palette: the pick lists the locked nixpkgs' packages with versions and descriptions and says so; picking flask adds it", async function () {
        if (!ui.available) this.skip();
        await ui.runInPalette("Hybrid Env: Add Nix Package");
        const pick = await waitFor(
          async () => {
            const p = await ui.quickPickRows();
            return p.rows.some((r) => r.label === "flask") ? p : undefined;
          },
          "the package rows in the quick pick",
          60_000,
        );
        assert.match(pick.title, /^Add a Nix package to pythonEnv \(nix\/devshell\.nix:3\) — \d+ packages of python311\.pkgs of the locked input nixpkgs \(git\+file:/);
        const flask = pick.rows.find((r) => r.label === "flask")!;
        assert.equal(flask.description, "3.0.3");
        assert.match(flask.text, /The Python micro framework for building web applications/);
        assert.ok(!pick.rows.some((r) => r.label === "numpy"), "numpy is in the list already");
        await ui.pickQuickItem("flask");
        await waitFor(() => /\[ numpy rich pandas flask \]/.test(read("nix/devshell.nix")) || undefined, "flask in nix/devshell.nix", 30_000);
        await namesBecome("numpy rich pandas flask");
      });

      test("nix/devshell.nix edited by hand: the folder turns stale, and entering again is not served the cached environment of the old file", async () => {
        const api = await hybridApi();
        writeFileSync(path("nix/devshell.nix"), read("nix/devshell.nix").replace("[ numpy rich pandas flask ]", "[ numpy rich /* edited by hand */ ]"));
        await waitForState(api, folder(), "stale", 30_000);
        await vscode.commands.executeCommand("hybridEnv.exit", folder().uri);
        await waitForState(api, folder(), "idle");
        await vscode.commands.executeCommand("hybridEnv.enter", folder().uri);
        await waitForState(api, folder(), "ready", 120_000);
        assert.equal(await names(), "numpy rich");
      });

      test("hybridEnv.devShell = docs: the docs devShell's list, in flake.nix, gets the package", async () => {
        const config = vscode.workspace.getConfiguration("hybridEnv", folder().uri);
        await config.update("devShell", "docs", vscode.ConfigurationTarget.WorkspaceFolder);
        const devShellNix = read("nix/devshell.nix");
        try {
          await namesBecome("pyyaml");
          await waitForState(await hybridApi(), folder(), "ready");
          const r = await vscode.commands.executeCommand<NixPackageCommandResult>(ADD, "toml", folder().uri);
          assert.deepEqual([r.changed, r.file], [true, "flake.nix"], r.message);
          assert.match(read("flake.nix"), /docsPython = pkgs\.python311\.withPackages \(ps: with ps; \[ pyyaml toml \]\);/);
          assert.equal(read("nix/devshell.nix"), devShellNix);
          await namesBecome("pyyaml toml");
        } finally {
          await config.update("devShell", undefined, vscode.ConfigurationTarget.WorkspaceFolder);
        }
        await namesBecome("numpy rich");
      });

      test("Update Nix Inputs: a new revision of the input; the message lists nixpkgs old → new; Undo puts flake.lock back byte for byte", async function () {
        if (!ui.available) this.skip();
        await waitForState(await hybridApi(), folder(), "ready");
        const stub = /git\+file:\/\/([^"]+)"/.exec(read("flake.nix"))![1]!;
        const git = (...args: string[]) => execFileSync("git", args, { cwd: stub, encoding: "utf8" }).trim();
        writeFileSync(`${stub}/NEWS`, "a new revision of the stub\n");
        git("add", "-A");
        git("-c", "user.name=hybrid-env tests", "-c", "user.email=tests@hybrid-env.invalid", "commit", "-q", "-m", "new revision");
        const newRev = git("rev-parse", "HEAD");
        const lockBefore = read("flake.lock");
        const oldRev = (JSON.parse(lockBefore) as { nodes: { nixpkgs: { locked: { rev: string } } } }).nodes.nixpkgs.locked.rev;

        // The notification center is still open from the did-you-mean click: a notification that
        // arrives meanwhile goes above its scrolled list, out of view. Start from a closed, empty one.
        await vscode.commands.executeCommand("notifications.clearAll");
        await vscode.commands.executeCommand("notifications.hideList");
        await ui.runInPalette("Hybrid Env: Update Nix Inputs");
        await ui.pickQuickItem("nixpkgs");
        await waitFor(() => read("flake.lock") !== lockBefore || undefined, "flake.lock to change", 60_000);
        assert.match(read("flake.lock"), new RegExp(`"rev": "${newRev}"`));
        await ui.clickNotificationButton("Undo", `nixpkgs: ${oldRev.slice(0, 7)} (`);
        await waitFor(() => read("flake.lock") === lockBefore || undefined, "flake.lock restored", 30_000);
        await waitForState(await hybridApi(), folder(), "ready", 120_000);
      });
    },
    { timeoutMs: 150_000 },
  );
