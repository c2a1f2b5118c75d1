// "Create Hybrid Project" against real git and real Nix: the template written into a temp git
// repository parses with `nix-instantiate --parse`, its new files are intent-to-add (`git add -N`,
// through ProcessRunner), and existing files are neither overwritten nor added to the index.
//
// The template's flake (and examples/bayesian-mpo's) takes nixpkgs from GitHub, which these
// offline tests cannot fetch: they are not evaluated against the real nixpkgs. Instead they are
// evaluated with `--override-input nixpkgs` pointing at a small stub flake that has the few
// attributes they use (lib.genAttrs, legacyPackages.<system>.python3.withPackages, uv, mkShell…),
// which checks their structure: one devShell per system, the myPkgs list reaching withPackages,
// and the shellHook's text.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { checkNixParses } from "../../src/core/flake/check";
import { findPackageLists } from "../../src/core/flake/packageLists";
import { MemoryLogger } from "../../src/core/logger";
import { ProcessRunner } from "../../src/core/process";
import { TEMPLATE_SYSTEMS, trackNewFiles, writeTemplate } from "../../src/core/template";
import { tempDir } from "../helpers/fixtures";
import { machinePython, testEnv } from "../helpers/tools";

const env = testEnv();
const log = new MemoryLogger();
const runner = new ProcessRunner(log);
const EXAMPLE_DIR = join(__dirname, "..", "..", "..", "examples", "bayesian-mpo");

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function gitRepo(prefix: string): string {
  const dir = tempDir(prefix);
  git(dir, "init", "-q");
  return dir;
}

/** `git status --porcelain` as path → two-letter status (" A" is intent-to-add, "??" untracked). */
function status(dir: string): Record<string, string> {
  const out = git(dir, "status", "--porcelain", "--untracked-files=all");
  return Object.fromEntries(out.split("\n").filter(Boolean).map((l) => [l.slice(3), l.slice(0, 2)]));
}

async function assertParses(file: string): Promise<void> {
  const check = await checkNixParses(readFileSync(file, "utf8"), { runner, env });
  assert.ok(check.ok, `${file}: ${check.ok ? "" : check.error}`);
}

/** A stand-in for nixpkgs with only what the template and the example use; strings for packages. */
const STUB_NIXPKGS = `{
  outputs = { self }:
    let
      genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
      lib = {
        inherit genAttrs;
        makeLibraryPath = ps: builtins.concatStringsSep ":" (map (p: "\${p}/lib") ps);
      };
      pythonFor = version: {
        withPackages = f: {
          outPath = "/nix/store/stub-python\${version}-env";
          sitePackages = "lib/python\${version}/site-packages";
          chosen = f (genAttrs [ "numpy" "torch" "quimb" "jax" "jaxlib" ] (n: "stub-\${n}"));
        };
      };
      pkgsFor = system: {
        inherit lib;
        python3 = pythonFor "3.13";
        python312 = pythonFor "3.12";
        uv = "/nix/store/stub-uv";
        zlib = "/nix/store/stub-zlib";
        stdenv.cc.cc.lib = "/nix/store/stub-gcc-lib";
        mkShell = attrs: attrs // { inherit system; };
      };
    in
    {
      inherit lib;
      legacyPackages = genAttrs [ ${TEMPLATE_SYSTEMS.map((s) => `"${s}"`).join(" ")} ] pkgsFor;
    };
}
`;

interface StubShell {
  system: string;
  shellHook: string;
  python: string;
  chosen: string[];
  others: string[];
}

/** Evaluates the flake in `dir` (a git repo) with nixpkgs replaced by the stub: system → default devShell. */
async function evalWithStub(dir: string): Promise<Record<string, StubShell>> {
  const stub = tempDir("stub-nixpkgs");
  writeFileSync(join(stub, "flake.nix"), STUB_NIXPKGS);
  const apply =
    "ds: builtins.mapAttrs (s: d: let sh = d.default; py = builtins.head sh.packages; in " +
    "{ inherit (sh) system shellHook; python = toString py; chosen = py.chosen; others = map toString (builtins.tail sh.packages); }) ds";
  const result = await runner.run(
    "nix",
    ["eval", "--json", "--no-write-lock-file", "--override-input", "nixpkgs", `path:${stub}`, ".#devShells", "--apply", apply],
    { what: "nix eval", cwd: dir, env, timeoutMs: 120_000, timeoutRaisedBy: { fixed: "a test" } },
  );
  assert.equal(result.exitCode, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, StubShell>;
}

/** The shellHook run in bash: what it leaves in PYTHONPATH (and LD_LIBRARY_PATH). */
function runHook(hook: string): { PYTHONPATH: string; LD_LIBRARY_PATH: string } {
  const out = execFileSync("bash", ["-c", `${hook}\nprintf '%s\\n%s' "$PYTHONPATH" "$LD_LIBRARY_PATH"`], {
    env: { PATH: process.env.PATH, PYTHONPATH: "/user/path", LD_LIBRARY_PATH: "" },
    encoding: "utf8",
  });
  const [PYTHONPATH = "", LD_LIBRARY_PATH = ""] = out.split("\n");
  return { PYTHONPATH, LD_LIBRARY_PATH };
}

describe("the template in a git repository", () => {
  test("writes three files, git add -N tracks them, and nix-instantiate --parse accepts flake.nix", async () => {
    const repo = gitRepo("create-project");
    const outcome = writeTemplate(repo);
    assert.deepEqual(outcome.created, ["flake.nix", "pyproject.toml", ".gitignore"]);
    const tracked = await trackNewFiles(repo, outcome.created, { runner, env });
    assert.deepEqual(tracked, { repo: true, tracked: ["flake.nix", "pyproject.toml", ".gitignore"] });
    assert.deepEqual(git(repo, "ls-files").trim().split("\n").sort(), [".gitignore", "flake.nix", "pyproject.toml"]);
    assert.deepEqual(status(repo), { ".gitignore": " A", "flake.nix": " A", "pyproject.toml": " A" }, "intent-to-add, nothing staged");
    assert.ok(log.lines.some((l) => /\$ git add --intent-to-add -- flake\.nix pyproject\.toml \.gitignore/.test(l)), "run through ProcessRunner");
    await assertParses(join(repo, "flake.nix"));
    assert.equal((parseToml(readFileSync(join(repo, "pyproject.toml"), "utf8")) as { project: { name: string } }).project.name, outcome.name);
  });

  test("Nix sees the intent-to-add flake: it evaluates against a stub nixpkgs (the real one needs the network)", async () => {
    const repo = gitRepo("create-project-eval");
    await trackNewFiles(repo, writeTemplate(repo).created, { runner, env });
    const shells = await evalWithStub(repo);
    assert.deepEqual(Object.keys(shells).sort(), [...TEMPLATE_SYSTEMS].sort());
    const shell = shells["x86_64-linux"]!;
    assert.equal(shell.system, "x86_64-linux");
    assert.equal(shell.python, "/nix/store/stub-python3.13-env");
    assert.deepEqual(shell.chosen, ["stub-numpy"], "myPkgs reaches python3.withPackages");
    assert.deepEqual(shell.others, ["/nix/store/stub-uv"]);
    const site = "/nix/store/stub-python3.13-env/lib/python3.13/site-packages";
    assert.equal(runHook(shell.shellHook).PYTHONPATH, `${site}:/user/path`, "Nix's site-packages in front");
    assert.match(shell.shellHook, new RegExp(`NIX_PYTHON_SITE_PACKAGES=${site}`));
  });

  test("existing files: a tracked flake.nix is kept, an untracked .gitignore gets .venv/ but is not added", async () => {
    const repo = gitRepo("create-project-existing");
    writeFileSync(join(repo, "flake.nix"), "{ outputs = _: { }; }\n");
    git(repo, "add", "flake.nix");
    writeFileSync(join(repo, ".gitignore"), "__pycache__/\n");
    const outcome = writeTemplate(repo);
    assert.deepEqual(outcome.created, ["pyproject.toml"]);
    assert.deepEqual(outcome.appended, [".gitignore"]);
    assert.deepEqual(outcome.skipped.map((s) => s.file), ["flake.nix"]);
    assert.deepEqual((await trackNewFiles(repo, outcome.created, { runner, env })).tracked, ["pyproject.toml"]);
    assert.equal(readFileSync(join(repo, "flake.nix"), "utf8"), "{ outputs = _: { }; }\n");
    assert.equal(readFileSync(join(repo, ".gitignore"), "utf8"), "__pycache__/\n.venv/\n");
    assert.deepEqual(status(repo), { "flake.nix": "A ", "pyproject.toml": " A", ".gitignore": "??" });
  });

  test("a folder inside a repository: the files are tracked under their path in the repository", async () => {
    const repo = gitRepo("create-project-sub");
    const sub = join(repo, "projects", "bayes");
    const outcome = writeTemplate(sub);
    const tracked = await trackNewFiles(sub, outcome.created, { runner, env });
    assert.equal(tracked.repo, true);
    assert.deepEqual(git(repo, "ls-files").trim().split("\n").sort(), ["projects/bayes/.gitignore", "projects/bayes/flake.nix", "projects/bayes/pyproject.toml"]);
  });

  test("not a repository: nothing runs but rev-parse, no error, no .git appears", async () => {
    const dir = tempDir("create-project-plain");
    const outcome = writeTemplate(dir);
    // GIT_CEILING_DIRECTORIES: do not find a repository above the temp folder.
    const tracked = await trackNewFiles(dir, outcome.created, { runner, env: { ...env, GIT_CEILING_DIRECTORIES: join(dir, "..") } });
    assert.deepEqual(tracked, { repo: false, tracked: [] });
    assert.equal(existsSync(join(dir, ".git")), false);
  });

  test("git refusing a path (ignored) and git missing are reported, not thrown", async () => {
    const repo = gitRepo("create-project-ignored");
    writeFileSync(join(repo, ".gitignore"), "flake.nix\n.venv/\n");
    const outcome = writeTemplate(repo);
    assert.deepEqual(outcome.created, ["flake.nix", "pyproject.toml"]);
    const refused = await trackNewFiles(repo, outcome.created, { runner, env });
    assert.equal(refused.repo, true);
    assert.deepEqual(refused.tracked, ["pyproject.toml"], "git adds what it can: the index says which");
    assert.match(refused.error ?? "", /^The following paths are ignored by one of your \.gitignore files: flake\.nix$/);
    const missing = await trackNewFiles(repo, ["pyproject.toml"], { runner, env, git: "/nonexistent/git" });
    assert.deepEqual(missing, { repo: false, tracked: [], error: "git was not found" });
  });
});

describe("examples/bayesian-mpo (documented, not run: it needs nixpkgs and the binary cache)", () => {
  test("flake.nix parses with nix-instantiate --parse, and its list is the seed's", async () => {
    await assertParses(join(EXAMPLE_DIR, "flake.nix"));
    const text = readFileSync(join(EXAMPLE_DIR, "flake.nix"), "utf8");
    assert.match(text, /inputs\.nixpkgs\.url = "github:NixOS\/nixpkgs\/nixos-[0-9.]+";/);
    const lists = findPackageLists(text);
    assert.equal(lists.length, 1);
    assert.deepEqual(lists[0]!.elements.map((e) => e.key), ["torch", "quimb", "jax", "jaxlib"]);
  });

  test("pyproject.toml is valid TOML: aim through uv, Python 3.12, package = false", () => {
    const doc = parseToml(readFileSync(join(EXAMPLE_DIR, "pyproject.toml"), "utf8")) as {
      project: { name: string; "requires-python": string; dependencies: string[] };
      tool: { uv: { package: boolean } };
    };
    assert.equal(doc.project.name, "bayesian-mpo");
    assert.ok(doc.project.dependencies.some((d) => /^aim\b/.test(d)), "aim from PyPI");
    assert.equal(doc.project["requires-python"], "==3.12.*");
    assert.equal(doc.tool.uv.package, false);
  });

  test("it evaluates against the stub nixpkgs: python312 with the four packages, PYTHONPATH and LD_LIBRARY_PATH glue", async () => {
    const repo = gitRepo("bayesian-mpo");
    const copy = join(repo, "bayesian-mpo");
    mkdirSync(copy);
    cpSync(EXAMPLE_DIR, copy, { recursive: true });
    git(repo, "add", "-N", ".");
    const shells = await evalWithStub(copy);
    const shell = shells["x86_64-linux"]!;
    assert.equal(shell.python, "/nix/store/stub-python3.12-env");
    assert.deepEqual(shell.chosen, ["stub-torch", "stub-quimb", "stub-jax", "stub-jaxlib"]);
    assert.deepEqual(shell.others, ["/nix/store/stub-uv"]);
    const hook = runHook(shell.shellHook);
    assert.equal(hook.PYTHONPATH, "/nix/store/stub-python3.12-env/lib/python3.12/site-packages:/user/path");
    assert.equal(hook.LD_LIBRARY_PATH, "/nix/store/stub-gcc-lib/lib:/nix/store/stub-zlib/lib");
  });

  test("main.py is Python that imports torch, quimb, jax and aim", () => {
    const source = readFileSync(join(EXAMPLE_DIR, "main.py"), "utf8");
    execFileSync(machinePython().executable, ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: source });
    for (const m of ["torch", "quimb", "jax", "aim"]) assert.match(source, new RegExp(`^import ${m}$`, "m"));
  });
});
