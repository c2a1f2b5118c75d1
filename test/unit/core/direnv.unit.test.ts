// Detecting an .envrc that loads the folder's own Nix environment, the doctor's words for it, and
// the direnv library's text (its behaviour under the real direnv: test/integration/direnv.test.ts).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { commands, detectEnvrc, envrcFindings } from "../../../src/core/direnv";
import { direnvLibrary } from "../../../src/core/direnvrc";

const conflict = (text: string, dir?: string) => detectEnvrc(text, dir).conflict;

describe("detectEnvrc", () => {
  test("use flake in its usual spellings loads this folder's flake", () => {
    const cases: Array<[string, string]> = [
      ["use flake", "default"],
      ["use flake .", "default"],
      ["use flake .#docs", "docs"],
      ['use flake ".#docs" --impure', "docs"],
      ["use flake path:.#ci", "ci"],
      ["use flake $PWD#x", "x"],
      ['use flake "$(pwd)#y"', "y"],
      ["use_flake", "default"],
      ["use flake .#devShells.x86_64-linux.gpu", "gpu"],
      ["  use flake . # nix-direnv caches it", "default"],
    ];
    for (const [line, devShell] of cases) {
      const c = conflict(line);
      assert.ok(c, line);
      assert.deepEqual([c.kind, c.devShell, c.line], ["flake", devShell, 1], line);
    }
    assert.equal(conflict("use flake /home/me/p#a", "/home/me/p")?.devShell, "a", "the folder's absolute path");
  });

  test("another flake, a comment, or use nix -p is not this folder's environment", () => {
    for (const line of ["use flake github:owner/repo", "use flake ../other", "# use flake .", "echo use flake", "use nix -p hello", "use nix other.nix"]) {
      assert.equal(conflict(line, "/p"), undefined, line);
    }
    assert.equal(detectEnvrc("use flake github:owner/repo").uses.length, 1, "still listed");
  });

  test("use nix loads shell.nix or default.nix of the folder; use hybrid is ours; nix-direnv is noticed", () => {
    assert.equal(conflict("use nix")?.kind, "nix");
    assert.equal(conflict("use nix shell.nix")?.kind, "nix");
    const d = detectEnvrc('source_url "https://raw.githubusercontent.com/nix-community/nix-direnv/3.0.4/direnvrc" "sha256-x"\nexport A=1; use hybrid --dev-shell docs\n');
    assert.equal(d.nixDirenv, true);
    assert.deepEqual(d.conflict, { kind: "hybrid", line: 2, devShell: "docs", sameEnvironment: true });
  });

  test("the word splitter: quotes, escapes, comments, ; && ||", () => {
    assert.deepEqual(commands(`a 'b c' "d#e" f\\ g # h`), [["a", "b c", "d#e", "f g"]]);
    assert.deepEqual(commands("x && use flake .; y || z"), [["x"], ["use", "flake", "."], ["y"], ["z"]]);
  });
});

describe("envrcFindings", () => {
  test("a warning naming the line, the way and the devShell, with the choice", () => {
    const [f] = envrcFindings(detectEnvrc("watch_file x\nuse flake .#docs\n"), "default");
    assert.equal(f!.level, "warn");
    assert.match(f!.message, /^\.envrc line 2 loads this folder's Nix environment with `use flake \.#docs` — its devShell "docs", not "default"/);
    assert.match(f!.fix!, /use hybrid/);
    assert.equal(envrcFindings(detectEnvrc("use hybrid"), "default")[0]!.level, "ok");
    assert.deepEqual(envrcFindings(undefined, "default"), []);
    assert.deepEqual(envrcFindings(detectEnvrc("export X=1"), "default"), []);
  });
});

describe("direnvLibrary", () => {
  test("bash parses it; it runs the given command with `env ARGS -- $PWD` and watches the key files", () => {
    const text = direnvLibrary(["/opt/node js/bin/node", "/x/cli.js"]);
    execFileSync("bash", ["-n"], { input: text });
    assert.match(text, /local cli=\('\/opt\/node js\/bin\/node' \/x\/cli\.js\)/);
    assert.match(text, /out=\$\("\$\{cli\[@\]\}" env "\$@" -- "\$PWD"\)/);
    assert.match(text, /watch_file "\$f"/);
    assert.match(text, /"\$\{cli\[@\]\}" watch-files -- "\$PWD"/, "the watch list comes from hybrid-env itself (the cache key files)");
  });
});
