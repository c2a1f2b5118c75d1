// The "Create Hybrid Project" template: valid project names from folder names, the texts (the
// seed's shape, a package list Add Nix Package finds, valid TOML), and writeTemplate's rule that an
// existing file is never overwritten (.gitignore only gets .venv/ appended when it lacks it).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { findPackageLists } from "../../../src/core/flake/packageLists";
import {
  describeOutcome,
  flakeText,
  gitignoreAddition,
  gitignoreText,
  isValidProjectName,
  projectNameFor,
  pyprojectText,
  writeTemplate,
} from "../../../src/core/template";
import { tempDir } from "../tmp";

describe("projectNameFor: a valid, normalised [project] name from a folder name", () => {
  for (const [folder, expected] of [
    ["demo", "demo"],
    ["My Project", "my-project"],
    ["My Project (2)", "my-project-2"],
    ["bayesian_mpo", "bayesian-mpo"],
    ["Foo.Bar__baz", "foo-bar-baz"],
    ["-leading-and-trailing-", "leading-and-trailing"],
    ["Über Tool", "uber-tool"],
    ["naïve café", "naive-cafe"],
    ["2024 runs", "2024-runs"],
    [".hidden", "hidden"],
    ["日本語", "hybrid-project"],
    ["", "hybrid-project"],
    ["---", "hybrid-project"],
  ] as const) {
    test(`${JSON.stringify(folder)} → ${expected}`, () => {
      const name = projectNameFor(folder);
      assert.equal(name, expected);
      assert.ok(isValidProjectName(name));
    });
  }

  test("isValidProjectName follows PEP 508", () => {
    for (const ok of ["a", "A1", "foo-bar", "foo.bar_baz", "x9"]) assert.ok(isValidProjectName(ok), ok);
    for (const bad of ["", "-a", "a-", "a b", "a/b", '"a"', "ä"]) assert.ok(!isValidProjectName(bad), bad);
  });
});

describe("the texts", () => {
  test("flake.nix: nixpkgs input, myPkgs with numpy, python3.withPackages, uv, the seed's shellHook, no flake-utils", () => {
    const text = flakeText({ name: "demo" });
    assert.match(text, /inputs\.nixpkgs\.url = "github:NixOS\/nixpkgs\/[^"]+";/);
    assert.match(text, /^ {6}myPkgs = p: with p; \[ numpy \];$/m);
    assert.match(text, /# +myPkgs = p: with p; \[ numpy torch quimb jax jaxlib \];/, "a comment shows how to add more");
    assert.match(text, /python = pkgs\.python3\.withPackages myPkgs;/);
    assert.match(text, /packages = \[ python pkgs\.uv \];/);
    assert.match(text, /export NIX_PYTHON_SITE_PACKAGES=\$\{python\}\/\$\{python\.sitePackages\}/);
    assert.match(text, /export PYTHONPATH=\$NIX_PYTHON_SITE_PACKAGES''\$\{PYTHONPATH:\+:\$PYTHONPATH\}/);
    assert.match(text, /systems = \[ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" \];/);
    assert.doesNotMatch(text, /flake-utils/);
  });

  test("flake.nix: Add Nix Package finds exactly one list, the myPkgs one", () => {
    const lists = findPackageLists(flakeText({ name: "demo" }));
    assert.equal(lists.length, 1);
    assert.equal(lists[0]!.form, "named");
    assert.deepEqual(lists[0]!.elements.map((e) => e.key), ["numpy"]);
    assert.match(lists[0]!.label, /^myPkgs = p: with p; \[ … \]/);
  });

  test("flake.nix: other packages, and a bad name refused before anything is written", () => {
    assert.match(flakeText({ name: "demo", nixPackages: ["scipy", "python3Packages.rich"] }), /\[ scipy python3Packages\.rich \]/);
    assert.throws(() => flakeText({ name: "demo", nixPackages: ["x ]; evil = ["] }), /not a Nix attribute path/);
    const dir = tempDir("template-bad");
    assert.throws(() => writeTemplate(dir, { nixPackages: ["in"] }), /keyword/);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("pyproject.toml is valid TOML: name, requires-python, no dependencies, package = false", () => {
    const doc = parseToml(pyprojectText({ name: "my-project" })) as {
      project: { name: string; version: string; "requires-python": string; dependencies: unknown[] };
      tool: { uv: { package: boolean } };
    };
    assert.equal(doc.project.name, "my-project");
    assert.match(doc.project["requires-python"], /^>=3\.\d+$/);
    assert.deepEqual(doc.project.dependencies, []);
    assert.equal(doc.tool.uv.package, false);
    assert.throws(() => pyprojectText({ name: "bad name" }), /not a valid project name/);
  });

  test(".gitignore ignores .venv/", () => {
    assert.equal(gitignoreAddition(gitignoreText()), undefined);
    assert.match(gitignoreText(), /^\.venv\/$/m);
  });
});

describe("gitignoreAddition", () => {
  for (const already of [".venv/\n", ".venv\n", "/.venv/\n", "**/.venv\n", "node_modules/\n  .venv/  \nresult\n", "x\r\n.venv\r\n"]) {
    test(`${JSON.stringify(already)} already ignores the venv`, () => assert.equal(gitignoreAddition(already), undefined));
  }
  test("appends on a new line when the file lacks the final newline", () => {
    assert.equal(gitignoreAddition("node_modules/"), "\n.venv/\n");
    assert.equal(gitignoreAddition("node_modules/\n"), ".venv/\n");
    assert.equal(gitignoreAddition(""), ".venv/\n");
  });
  test("keeps the file's CRLF line endings", () => assert.equal(gitignoreAddition("dist\r\n"), ".venv/\r\n"));
  test("not fooled by similar names, comments or a later negation", () => {
    for (const text of ["venv/\n", ".venv2/\n", "# .venv/\n", "src/.venv/\n", ".venv/\n!.venv/\n"]) {
      assert.equal(gitignoreAddition(text), text.endsWith("\n") ? ".venv/\n" : "\n.venv/\n", text);
    }
  });
});

describe("writeTemplate never overwrites", () => {
  const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

  test("an empty folder gets all three files, named after the folder", () => {
    const parent = tempDir("template-empty");
    const dir = join(parent, "My Project");
    mkdirSync(dir);
    const outcome = writeTemplate(dir);
    assert.deepEqual(outcome.created, ["flake.nix", "pyproject.toml", ".gitignore"]);
    assert.deepEqual(outcome.appended, []);
    assert.deepEqual(outcome.skipped, []);
    assert.equal(outcome.name, "my-project");
    assert.equal(read(dir, "flake.nix"), flakeText({ name: "my-project" }));
    assert.equal(read(dir, "pyproject.toml"), pyprojectText({ name: "my-project" }));
    assert.equal(read(dir, ".gitignore"), gitignoreText());
    assert.equal(describeOutcome(outcome), "Created flake.nix, pyproject.toml and .gitignore in My Project.");
  });

  test("a missing folder is created", () => {
    const dir = join(tempDir("template-missing"), "a", "b");
    assert.deepEqual(writeTemplate(dir).created, ["flake.nix", "pyproject.toml", ".gitignore"]);
  });

  test("existing flake.nix and pyproject.toml are kept byte for byte and reported", () => {
    const dir = tempDir("template-existing");
    writeFileSync(join(dir, "flake.nix"), "# mine\n");
    writeFileSync(join(dir, "pyproject.toml"), "[project]\nname = 'mine'\n");
    const outcome = writeTemplate(dir);
    assert.deepEqual(outcome.created, [".gitignore"]);
    assert.deepEqual(outcome.skipped.map((s) => s.file), ["flake.nix", "pyproject.toml"]);
    assert.match(outcome.skipped[0]!.reason, /already exists/);
    assert.equal(read(dir, "flake.nix"), "# mine\n");
    assert.equal(read(dir, "pyproject.toml"), "[project]\nname = 'mine'\n");
    assert.equal(describeOutcome(outcome), `Created .gitignore in ${outcome.dir.split("/").at(-1)}. Kept the existing flake.nix and pyproject.toml (not overwritten).`);
  });

  test("only pyproject.toml existing: flake.nix is created, pyproject.toml kept", () => {
    const dir = tempDir("template-uv-only");
    writeFileSync(join(dir, "pyproject.toml"), "x");
    const outcome = writeTemplate(dir);
    assert.deepEqual(outcome.created, ["flake.nix", ".gitignore"]);
    assert.equal(read(dir, "pyproject.toml"), "x");
  });

  test("a symlink (even dangling) or a folder by that name is never written through", () => {
    const dir = tempDir("template-links");
    const outside = join(tempDir("template-outside"), "target.nix");
    symlinkSync(outside, join(dir, "flake.nix"));
    mkdirSync(join(dir, "pyproject.toml"));
    symlinkSync(outside, join(dir, ".gitignore"));
    const outcome = writeTemplate(dir);
    assert.deepEqual(outcome.created, []);
    assert.deepEqual(outcome.skipped.map((s) => s.file), ["flake.nix", "pyproject.toml", ".gitignore"]);
    assert.match(outcome.skipped[2]!.reason, /not a regular file/);
    assert.throws(() => readFileSync(outside), /ENOENT/, "nothing was written through the link");
  });

  test(".gitignore without .venv/ gets the line appended; everything before stays", () => {
    const dir = tempDir("template-gitignore");
    writeFileSync(join(dir, ".gitignore"), "__pycache__/\nresult");
    const outcome = writeTemplate(dir);
    assert.deepEqual(outcome.appended, [".gitignore"]);
    assert.equal(read(dir, ".gitignore"), "__pycache__/\nresult\n.venv/\n");
    assert.match(describeOutcome(outcome), /added \.venv\/ to \.gitignore/);
  });

  test("running it twice changes nothing the second time", () => {
    const dir = tempDir("template-twice");
    writeFileSync(join(dir, ".gitignore"), "dist/\n");
    writeTemplate(dir);
    const before = readdirSync(dir).map((f) => [f, read(dir, f)]);
    const again = writeTemplate(dir);
    assert.deepEqual(again.created, []);
    assert.deepEqual(again.appended, []);
    assert.deepEqual(again.skipped.map((s) => s.file), ["flake.nix", "pyproject.toml", ".gitignore"]);
    assert.match(again.skipped[2]!.reason, /already ignores/);
    assert.deepEqual(readdirSync(dir).map((f) => [f, read(dir, f)]), before);
    assert.match(describeOutcome(again), /^Nothing to create in .*\. Kept the existing flake\.nix and pyproject\.toml/);
  });

  test("an explicit name is normalised too", () => {
    assert.equal(writeTemplate(tempDir("template-named"), { name: "Bayesian MPO" }).name, "bayesian-mpo");
  });
});
