// classifyNixFailure on the texts recorded from each Nix version of the matrix (Debian's 2.8.0 and
// 2.30.5; test/fixtures/nix-messages/nix-<version>/, written by test/integration/nixMessages.test.ts
// from real runs, with the project folder as <dir> or <repo> and store hashes as <hash>).
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "../../helpers/nixMatrix";
import {
  DevShellNotFoundError,
  FlakeNotTrackedError,
  InvalidInputError,
  NixEvalError,
  NixFeatureDisabledError,
  ProcessFailedError,
  type HybridEnvError,
} from "../../../src/core/errors";
import { classifyNixFailure, dirtyTreeWarning } from "../../../src/core/nixErrors";
import { tempDir } from "../tmp";

const MESSAGES = join(repoRoot(), "test", "fixtures", "nix-messages");
const VERSIONS = ["2.8.0", "2.30.5"];

/** A git repository with flake.nix at its top (<dir>) or in its sub-folder "sub" (<repo>/sub). */
function checkout(): { repo: string; sub: string } {
  const repo = tempDir("nix-versions");
  mkdirSync(join(repo, ".git"));
  mkdirSync(join(repo, "sub"));
  writeFileSync(join(repo, "flake.nix"), "{}\n");
  writeFileSync(join(repo, "sub", "flake.nix"), "{}\n");
  return { repo, sub: join(repo, "sub") };
}

/** The recording with its placeholders pointing at a real checkout, classified as the engine does. */
function classify(version: string, name: string): HybridEnvError {
  const { repo, sub } = checkout();
  const stderr = readFileSync(join(MESSAGES, `nix-${version}`, `${name}.txt`), "utf8").replaceAll("<dir>", repo).replaceAll("<repo>", repo);
  return classifyNixFailure(stderr, "nix print-dev-env", 1, name === "untracked-subfolder" ? sub : repo);
}

test("every version of the matrix has its recordings", () => {
  assert.deepEqual(readdirSync(MESSAGES).filter((n) => n.startsWith("nix-")).sort(), VERSIONS.map((v) => `nix-${v}`).sort());
});

for (const version of VERSIONS) {
  describe(`Nix ${version}`, () => {
    for (const name of ["untracked", "untracked-subfolder"]) {
      test(`${name}: FlakeNotTrackedError for the project's flake.nix`, () => {
        const e = classify(version, name);
        assert.ok(e instanceof FlakeNotTrackedError, `${e.constructor.name}: ${e.message}`);
        assert.equal(e.file, "flake.nix");
      });
    }

    test("missing devShell: DevShellNotFoundError", () => {
      const e = classify(version, "missing-devshell");
      assert.ok(e instanceof DevShellNotFoundError, e.message);
      assert.equal(e.devShell, "nope");
    });

    for (const [name, summary, line, column] of [
      ["syntax-error", "syntax error, unexpected '=', expecting ';'", 8, 15],
      ["undefined-variable", "undefined variable 'undefinedThing'", 7, 13],
    ] as const) {
      test(`${name}: NixEvalError at flake.nix:${line}:${column}`, () => {
        const e = classify(version, name);
        assert.ok(e instanceof NixEvalError, e.message);
        assert.equal(e.summary, summary);
        assert.deepEqual(e.location, { file: "flake.nix", line, column });
      });
    }

    test("flakes disabled: NixFeatureDisabledError, not 'fix the flake'", () => {
      const e = classify(version, "flakes-disabled");
      assert.ok(e instanceof NixFeatureDisabledError, e.message);
      assert.equal(e.feature, "nix-command");
    });

    test("the dirty-tree warnings are recognised, and never the reason for a failure", () => {
      for (const name of ["dirty-added", "dirty-edited"]) {
        const text = readFileSync(join(MESSAGES, `nix-${version}`, `${name}.txt`), "utf8");
        const lines = text.split("\n").filter((l) => l.trim());
        assert.ok(lines.length > 0 && lines.every((l) => dirtyTreeWarning(l) === "<dir>"), text);
        const e = classifyNixFailure(`${text}\nKilled\n`, "nix print-dev-env", 137);
        assert.ok(e instanceof ProcessFailedError);
        assert.doesNotMatch(e.message, /dirty/);
        assert.doesNotMatch(e.detail, /dirty/);
      }
    });
  });
}

test("Nix 2.8.0, a folder path with a space: advice naming the version that reads it (2.30.5 reads it: no recording)", () => {
  const dir = join(tempDir("nix-versions"), "with space", "p");
  const stderr = readFileSync(join(MESSAGES, "nix-2.8.0", "space-in-path.txt"), "utf8").replaceAll("<dir>", dir);
  const e = classifyNixFailure(stderr, "nix print-dev-env", 1, dir);
  assert.ok(e instanceof InvalidInputError, e.message);
  assert.match(e.message, /\(before 2\.19\) cannot read a flake whose folder path contains a space/);
});

test("a location in the working tree (2.30) outside the project's repository is not the project's", () => {
  const { repo } = checkout();
  const e = classifyNixFailure("error: boom\n       at /somewhere/else/flake.nix:1:2:\n", "nix", 1, repo);
  assert.ok(e instanceof NixEvalError);
  assert.equal(e.location, undefined);
});

test("a store location whose file the project does not have (nixpkgs' copy) is skipped for the project's own", () => {
  const { repo } = checkout();
  const stderr =
    "error:\n       … while evaluating\n       error: undefined variable 'x'\n" +
    "       at /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source/pkgs/stdenv/generic/make-derivation.nix:3:5:\n" +
    "       at /nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-source/sub/flake.nix:4:6:\n";
  const e = classifyNixFailure(stderr, "nix", 1, join(repo, "sub"));
  assert.ok(e instanceof NixEvalError);
  assert.deepEqual(e.location, { file: "flake.nix", line: 4, column: 6 });
});
