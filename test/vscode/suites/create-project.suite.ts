// "Create Hybrid Project" on an empty git folder (fixtures/empty-git; the suite runs `git init`
// itself, since the bench does not copy .git): the command activates hybrid-env, writes the
// template, appends .venv/ to the existing .gitignore, leaves the new files intent-to-add, never
// overwrites a file, registers the new project so that Enter finds it, and offers to enter.
// `{ enter: false }` keeps the command from asking anything afterwards.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { CreateProjectResult } from "../../../src/commands/createProject";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { EXTENSION_ID } from "./constants";
import { folders, hybridApi, waitForState } from "./hybridApi";

const CREATE = "hybridEnv.createProject";

export const run = () =>
  runMochaSuite("Create Hybrid Project on an empty git folder", () => {
    const folder = () => folders()[0]!;
    const file = (...parts: string[]) => join(folder().uri.fsPath, ...parts);
    const read = (...parts: string[]) => readFileSync(file(...parts), "utf8");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: folder().uri.fsPath, encoding: "utf8" });
    /** path → porcelain status: " A" intent-to-add, "??" untracked. */
    const gitStatus = () =>
      Object.fromEntries(
        git("status", "--porcelain", "--untracked-files=all")
          .split("\n")
          .filter(Boolean)
          .map((l) => [l.slice(3).replace(/^"|"$/g, ""), l.slice(0, 2)]),
      );
    let created: CreateProjectResult;

    suiteSetup(() => {
      git("init", "-q");
    });

    test("hybrid-env is not active before the command (nothing here is a project)", () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension);
      assert.equal(extension.isActive, false);
    });

    test("the command activates hybrid-env, writes flake.nix and pyproject.toml, and appends .venv/ to .gitignore", async () => {
      const result = await vscode.commands.executeCommand<CreateProjectResult>(CREATE, folder().uri, { enter: false });
      assert.ok(result, "the command returns what it did");
      created = result;
      assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
      assert.deepEqual(result.created, ["flake.nix", "pyproject.toml"]);
      assert.deepEqual(result.appended, [".gitignore"]);
      assert.equal(result.inWorkspace, true);
      assert.equal(result.name, "empty-git");
      assert.match(read("flake.nix"), /myPkgs = p: with p; \[ numpy \];/);
      assert.match(read("flake.nix"), /python = pkgs\.python3\.withPackages myPkgs;/);
      assert.match(read("pyproject.toml"), /^name = "empty-git"$/m);
      assert.match(read("pyproject.toml"), /^\[tool\.uv\]\n(#.*\n)*package = false$/m);
      assert.equal(read(".gitignore"), "__pycache__/\n.venv/\n");
    });

    test("git shows the new files as intent-to-add; the existing .gitignore is left untracked", () => {
      assert.deepEqual(created.git, { repo: true, tracked: ["flake.nix", "pyproject.toml"] });
      assert.deepEqual(git("ls-files").trim().split("\n").sort(), ["flake.nix", "pyproject.toml"]);
      assert.deepEqual(gitStatus(), { "flake.nix": " A", "pyproject.toml": " A", ".gitignore": "??", "README.md": "??" });
    });

    test("without { enter: false } it offers to enter, and Not now enters nothing", async function () {
      if (!ui.available) return this.skip();
      const api = await hybridApi();
      const result = await vscode.commands.executeCommand<CreateProjectResult>(CREATE, folder().uri);
      assert.deepEqual(result.created, [], "resolves before the question is answered");
      const states: string[] = [];
      const sub = api.onDidChangeState((e) => states.push(e.state));
      try {
        // Resolves once the notification took the answer and closed.
        await ui.clickNotificationButton("Not now", "Enter the hybrid environment now?");
        // The workbench sent the answer before it answers any later request: after one more round
        // trip, hybrid-env has seen "Not now" (as it would have seen "Enter", which starts a load).
        await vscode.env.clipboard.readText();
        assert.equal(api.getState(folder().uri), "idle");
        // The registry may announce the folder again (its files changed), but never a load.
        assert.deepEqual(states.filter((state) => state !== "idle"), [], `states after Not now: ${states.join(", ")}`);
      } finally {
        sub.dispose();
      }
    });

    test("the new project is registered: Enter starts loading it (Exit cancels: nixpkgs is not fetched here)", async () => {
      const api = await hybridApi();
      void vscode.commands.executeCommand("hybridEnv.enter", folder().uri);
      await waitFor(() => api.getState(folder().uri) !== "idle", "the folder to leave idle after Enter", 10_000);
      await vscode.commands.executeCommand("hybridEnv.exit", folder().uri);
      await waitForState(api, folder(), "idle", 15_000);
    });

    test("running it again overwrites nothing, even a file edited since", async () => {
      writeFileSync(file("flake.nix"), `# edited by hand\n${read("flake.nix")}`);
      const before = { flake: read("flake.nix"), pyproject: read("pyproject.toml"), gitignore: read(".gitignore") };
      const again = await vscode.commands.executeCommand<CreateProjectResult>(CREATE, folder().uri, { enter: false });
      assert.deepEqual(again.created, []);
      assert.deepEqual(again.appended, []);
      assert.deepEqual(again.skipped.map((s) => s.file), ["flake.nix", "pyproject.toml", ".gitignore"]);
      assert.match(again.message, /Kept the existing flake\.nix and pyproject\.toml \(not overwritten\)/);
      assert.deepEqual({ flake: read("flake.nix"), pyproject: read("pyproject.toml"), gitignore: read(".gitignore") }, before);
    });

    test("a sub-folder with its own pyproject.toml: only the missing files, named after the folder, tracked in the repository", async () => {
      mkdirSync(file("nested", "My Tool"), { recursive: true });
      writeFileSync(file("nested", "My Tool", "pyproject.toml"), "[project]\nname = \"mine\"\n");
      const uri = vscode.Uri.file(file("nested", "My Tool"));
      const result = await vscode.commands.executeCommand<CreateProjectResult>(CREATE, uri, { enter: false });
      assert.deepEqual(result.created, ["flake.nix", ".gitignore"]);
      assert.deepEqual(result.skipped.map((s) => s.file), ["pyproject.toml"]);
      assert.equal(result.name, "my-tool");
      assert.equal(result.inWorkspace, false, "a sub-folder is not a workspace folder");
      assert.equal(read("nested", "My Tool", "pyproject.toml"), "[project]\nname = \"mine\"\n");
      assert.match(read("nested", "My Tool", "flake.nix"), /description = "my-tool: /);
      const status = gitStatus();
      assert.equal(status["nested/My Tool/flake.nix"], " A");
      assert.equal(status["nested/My Tool/.gitignore"], " A");
      assert.equal(status["nested/My Tool/pyproject.toml"], "??");
    });
  });
