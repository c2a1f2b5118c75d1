// flake.nix editing against real Nix: every corpus shape parses before and after add/remove, and
// editFlakeFile / the CLI commands never leave a file that Nix rejects, nor touch one they refuse.
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runNixPackageCommand } from "../../src/cli/nixPackageCommands";
import { checkNixParses, editFlakeFile, findNixInstantiate } from "../../src/core/flake/check";
import { addPackage, removePackage } from "../../src/core/flake/edit";
import { AmbiguousPackageListError, FlakeParseError } from "../../src/core/flake/errors";
import { elementIsPackage, findPackageLists } from "../../src/core/flake/packageLists";
import { silentLogger } from "../../src/core/logger";
import { ProcessRunner } from "../../src/core/process";
import { tempDir } from "../helpers/fixtures";
import { testEnv } from "../helpers/tools";

const CORPUS_DIR = join(__dirname, "..", "..", "..", "test", "fixtures", "flakes");
const env = testEnv();
const runner = new ProcessRunner(silentLogger);
const opts = { runner, env };

/** A temp folder holding the corpus file as flake.nix. */
function project(corpusFile: string): { dir: string; file: string } {
  const dir = tempDir("flake-edit");
  const file = join(dir, "flake.nix");
  copyFileSync(join(CORPUS_DIR, corpusFile), file);
  return { dir, file };
}

async function assertParses(text: string, what: string): Promise<void> {
  const check = await checkNixParses(text, opts);
  assert.ok(check.ok, `${what}: ${check.ok ? "" : check.error}`);
}

test("nix-instantiate is found (beside nix or on PATH)", () => {
  assert.match(findNixInstantiate(env), /nix-instantiate$/);
});

describe("every corpus shape parses with real Nix before and after add and remove", () => {
  for (const file of readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".nix"))) {
    test(file, async () => {
      const original = readFileSync(join(CORPUS_DIR, file), "utf8");
      await assertParses(original, "original");
      for (const list of findPackageLists(original)) {
        const added = addPackage(original, list, "rich");
        await assertParses(added.text, `list ${list.number} after add`);
        const first = list.elements.find((e) => elementIsPackage(list, e, e.key.split(".").at(-1)!));
        if (first) {
          const name = first.key.split(".").at(-1)!;
          const removed = removePackage(original, list, name);
          assert.equal(removed.changed, true, `${name} removed`);
          await assertParses(removed.text, `list ${list.number} after removing ${name}`);
        }
      }
    });
  }
});

describe("checkNixParses", () => {
  test("reports Nix's error with line and column", async () => {
    const check = await checkNixParses("{\n  a = [ x ;\n}\n", opts);
    assert.equal(check.ok, false);
    assert.match(check.ok ? "" : check.error, /syntax error.*\(line 2, column \d+\)/);
  });
});

describe("editFlakeFile", () => {
  test("add writes a parsed file, keeps its mode; add again and remove are exact", async () => {
    const { file } = project("seed.nix");
    chmodSync(file, 0o640);
    const original = readFileSync(file);
    const added = await editFlakeFile(file, "add", "numpy", opts);
    assert.equal(added.changed, true);
    assert.match(readFileSync(file, "utf8"), /myPkgs = p: with p; \[torch quimb jax numpy\];/);
    assert.equal(statSync(file).mode & 0o777, 0o640);

    const mtime = statSync(file).mtimeMs;
    const again = await editFlakeFile(file, "add", "numpy", opts);
    assert.equal(again.changed, false);
    assert.match(again.message, /already/);
    assert.equal(statSync(file).mtimeMs, mtime, "no write when nothing changes");

    assert.equal((await editFlakeFile(file, "remove", "numpy", opts)).changed, true);
    assert.ok(readFileSync(file).equals(original));
    assert.deepEqual(readdirSync(join(file, "..")), ["flake.nix"], "no temp file left");
  });

  test("a flake that does not parse is left byte for byte, with the reason", async () => {
    const { file } = project("seed.nix");
    // A missing ";" outside the list: our tokenizer still finds the list; Nix rejects the file.
    writeFileSync(file, readFileSync(file, "utf8").replace('nixos-unstable";', 'nixos-unstable"'));
    const before = readFileSync(file);
    await assert.rejects(
      editFlakeFile(file, "add", "numpy", opts),
      (err: unknown) => err instanceof FlakeParseError && /does not parse even before the edit.*left as it was/s.test(err.message),
    );
    assert.ok(readFileSync(file).equals(before));
    assert.deepEqual(readdirSync(join(file, "..")), ["flake.nix"]);
  });

  test("an edit Nix would reject is not written (nix-instantiate that rejects the new name)", async () => {
    const { dir, file } = project("crlf.nix");
    const real = findNixInstantiate(env);
    const strict = join(tempDir("strict-nix"), "nix-instantiate");
    writeFileSync(strict, `#!/bin/bash\ninput=$(cat)\nif [[ $input == *rich* ]]; then echo "error: syntax error, unexpected ID" >&2; echo "       at «stdin»:9:9:" >&2; exit 1; fi\nprintf '%s' "$input" | exec ${real} "$@"\n`);
    chmodSync(strict, 0o755);
    const before = readFileSync(file);
    await assert.rejects(
      editFlakeFile(file, "add", "rich", { ...opts, nixInstantiate: strict }),
      (err: unknown) => err instanceof FlakeParseError && /would make flake.nix unparsable \(syntax error, unexpected ID \(line 9, column 9\)\)/.test(err.message),
    );
    assert.ok(readFileSync(file).equals(before));
    assert.deepEqual(readdirSync(dir), ["flake.nix"]);
  });

  test("several lists: without a choice an error lists them; with one the right list changes", async () => {
    const { file } = project("several-shells.nix");
    const before = readFileSync(file);
    await assert.rejects(editFlakeFile(file, "add", "rich", opts), (err: unknown) => err instanceof AmbiguousPackageListError && /2: devShells.x86_64-linux.docs/.test(err.message));
    assert.ok(readFileSync(file).equals(before));
    await editFlakeFile(file, "add", "rich", { ...opts, list: 2 });
    assert.match(readFileSync(file, "utf8"), /\[ sphinx furo rich \]/);
    assert.match(readFileSync(file, "utf8"), /\[ requests \]/);
  });

  test("CRLF stays CRLF; a symlinked flake.nix edits its target and stays a link", async () => {
    const { dir, file } = project("crlf.nix");
    const link = join(tempDir("link"), "flake.nix");
    symlinkSync(file, link);
    await editFlakeFile(link, "add", "rich", opts);
    const text = readFileSync(file, "utf8");
    assert.match(text, /\r\n {8}pandas\r\n {8}rich\r\n {6}\];/);
    assert.doesNotMatch(text, /[^\r]\n/);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.deepEqual(readdirSync(dir), ["flake.nix"]);
  });
});

describe("add-nix-package / remove-nix-package (CLI module)", () => {
  const run = async (argv: string[], reload?: (dir: string, args: readonly string[]) => Promise<number>) => {
    let stderr = "";
    const result = await runNixPackageCommand(argv, { env, writeStderr: (t) => (stderr += t), reload });
    return { ...result, stderr };
  };

  test("add, add again (no change, exit 0), remove", async () => {
    const { dir, file } = project("inline-with.nix");
    const original = readFileSync(file);
    const first = await run(["add-nix-package", "scipy", dir]);
    assert.deepEqual([first.exitCode, first.changed, first.reload], [0, true, false], first.stderr);
    assert.match(readFileSync(file, "utf8"), /\[ numpy pandas requests scipy \]/);
    const second = await run(["add-nix-package", "scipy", dir]);
    assert.deepEqual([second.exitCode, second.changed], [0, false]);
    assert.match(second.stderr, /no change/);
    assert.equal((await run(["remove-nix-package", "scipy", dir])).exitCode, 0);
    assert.ok(readFileSync(file).equals(original));
    const absent = await run(["remove-nix-package", "scipy", dir]);
    assert.deepEqual([absent.exitCode, absent.changed], [0, false]);
    assert.match(absent.stderr, /no change: scipy is not in/);
  });

  test("failures exit 1 with a reason and leave the file untouched", async () => {
    const { dir, file } = project("several-shells.nix");
    const before = readFileSync(file);
    for (const [argv, reason] of [
      [["add-nix-package", "torch]; x = builtins.readFile /etc/passwd; [", dir], /not a Nix attribute path/],
      [["add-nix-package", "rich", dir, "--dev-shell", "nosuch"], /choose one with --list N/],
      [["add-nix-package", "rich", dir, "--list", "3"], /no package list "3"/],
      [["add-nix-package", "rich", dir, "--bogus"], /Unknown option/],
      [["add-nix-package"], /usage/],
      [["add-nix-package", "rich", tempDir("empty")], /has no flake.nix, shell.nix or default.nix/],
    ] as const) {
      const r = await run([...argv]);
      assert.equal(r.exitCode, 1, argv.join(" "));
      assert.match(r.stderr, reason);
    }
    assert.ok(readFileSync(file).equals(before));
  });

  test("--reload hands the folder and the load options to the caller", async () => {
    const { dir } = project("seed.nix");
    const calls: [string, readonly string[]][] = [];
    const r = await run(["add-nix-package", "numpy", dir, "--reload", "--dev-shell", "default", "--no-cache"], async (d, a) => {
      calls.push([d, a]);
      return 7;
    });
    assert.deepEqual([r.exitCode, r.reload, r.changed], [7, true, true]);
    assert.deepEqual(calls, [[dir, ["--no-cache", "--dev-shell", "default"]]]);
  });
});
