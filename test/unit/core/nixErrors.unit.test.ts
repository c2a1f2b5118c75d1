// classifyNixFailure on what Nix 2.8 and newer versions print.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DevShellNotFoundError, FlakeNotTrackedError, InvalidInputError, NixEvalError, ProcessFailedError } from "../../../src/core/errors";
import { classifyNixFailure, errorSummary, sourceLocation } from "../../../src/core/nixErrors";

const CMD = "nix print-dev-env --json path:/tmp/exp/p#devShells.x86_64-linux.default";

function asEval(stderr: string): NixEvalError {
  const err = classifyNixFailure(stderr, CMD, 1);
  assert.ok(err instanceof NixEvalError, `got ${err.constructor.name}: ${err.message}`);
  assert.equal(err.code, "nix-eval");
  assert.equal(err.detail, `${CMD}\n${stderr}`);
  assert.deepEqual(err.actions.map((a) => a.kind), ["open-log"]);
  return err;
}

describe("untracked files", () => {
  test("Nix 2.8: getting status of …-source/flake.nix → FlakeNotTrackedError(flake.nix)", () => {
    const stderr =
      "warning: Git tree '/tmp/exp/p' is dirty\n" +
      "error: getting status of '/nix/store/0ccnxa25whszw7mgbgyzdm4nqc0zwnm8-source/flake.nix': No such file or directory\n";
    const err = classifyNixFailure(stderr, CMD, 1);
    assert.ok(err instanceof FlakeNotTrackedError);
    assert.equal(err.file, "flake.nix");
    assert.equal(err.code, "flake-not-tracked");
    assert.equal(err.message, "flake.nix is not tracked by git, so Nix cannot see it. Run `git add -N flake.nix` (intent to add).");
    assert.deepEqual(err.actions[0], { kind: "git-add", label: "Track it (git add -N)", target: "flake.nix" });
    assert.equal(err.detail, `${CMD}\n${stderr}`);
  });

  test("Nix 2.8: a file in a subfolder keeps its relative path", () => {
    const err = classifyNixFailure(
      "error: getting status of '/nix/store/0ccnxa25whszw7mgbgyzdm4nqc0zwnm8-source/nix/python.nix': No such file or directory",
      CMD,
      1,
    );
    assert.ok(err instanceof FlakeNotTrackedError);
    assert.equal(err.file, "nix/python.nix");
  });

  test("newer Nix: Path 'flake.nix' in the repository … is not tracked by Git", () => {
    const err = classifyNixFailure(`error: Path 'flake.nix' in the repository "/home/u/p" is not tracked by Git.`, CMD, 1);
    assert.ok(err instanceof FlakeNotTrackedError);
    assert.equal(err.file, "flake.nix");
    assert.match(err.message, /git add -N flake\.nix/);
  });
});

describe("evaluation errors", () => {
  test("syntax error with location flake.nix:7:12", () => {
    const err = asEval(
      "error: syntax error, unexpected '=', expecting ';'\n\n" +
        "       at /nix/store/n0ypj7q53vs9xhxyhihh2ni1syn1ilsy-source/flake.nix:7:12:\n\n" +
        '            6|       MY_VAR = "hello"\n' +
        "            7|       PATH = ...\n",
    );
    assert.equal(err.summary, "syntax error, unexpected '=', expecting ';'");
    assert.deepEqual(err.location, { file: "flake.nix", line: 7, column: 12 });
    assert.equal(
      err.message,
      "Nix could not evaluate the devShell: syntax error, unexpected '=', expecting ';' (flake.nix:7:12). Fix the flake, then reload.",
    );
  });

  test("undefined variable with location flake.nix:6:16", () => {
    const err = asEval(
      "error: undefined variable 'undefinedThing'\n\n" +
        "       at /nix/store/z04pq1vbcdfr3rsmmh9hxxqqpb1s0xcx-source/flake.nix:6:16:\n\n" +
        "            5|     devShells.x86_64-linux.default = derivation {\n" +
        "            6|       name = undefinedThing;\n" +
        "             |                ^\n",
    );
    assert.equal(err.summary, "undefined variable 'undefinedThing'");
    assert.deepEqual(err.location, { file: "flake.nix", line: 6, column: 16 });
  });

  test("missing devShell attribute: DevShellNotFoundError naming the setting", () => {
    const stderr =
      "error: flake 'git+file:///tmp/exp/p' does not provide attribute 'devShells.x86_64-linux.nope', 'packages.x86_64-linux.nope', 'legacyPackages.x86_64-linux.nope' or 'nope'\n";
    const err = classifyNixFailure(stderr, CMD, 1);
    assert.ok(err instanceof DevShellNotFoundError, String(err));
    assert.equal(err.devShell, "nope");
    assert.equal(err.message, 'The flake has no devShell "nope" (devShells.x86_64-linux.nope). Set hybridEnv.devShell (CLI: --dev-shell) to one it defines, or add it.');
    assert.deepEqual(err.actions[0], { kind: "configure", label: "Configure", target: "hybridEnv.devShell" });
  });

  test("a bare error with the --show-trace hint", () => {
    const err = asEval("error: boom\n(use '--show-trace' to show detailed location information)\n");
    assert.equal(err.summary, "boom");
    assert.equal(err.location, undefined);
  });

  test("newer Nix trace: the innermost error and its location", () => {
    const err = asEval(
      "error:\n" +
        "       … while calling the 'derivationStrict' builtin\n\n" +
        "       error: undefined variable 'foo'\n" +
        "       at /nix/store/abc-source/nix/shell.nix:3:5:\n",
    );
    assert.equal(err.summary, "undefined variable 'foo'");
    assert.deepEqual(err.location, { file: "nix/shell.nix", line: 3, column: 5 });
    assert.match(err.message, /undefined variable 'foo' \(nix\/shell\.nix:3:5\)\. Fix the flake/);
  });

  test("an 'error:' block whose message is on the next line", () => {
    assert.equal(errorSummary("error:\n\n       … while evaluating x\n\n       attribute 'y' missing\n"), "attribute 'y' missing");
  });

  // Regression (fixed; was at nixErrors.ts:9 + 37): sourceLocation takes the FIRST "at /nix/store/…-source/…" in stderr.
  // Real Nix ≥ 2.19 traces list outer frames first (nixpkgs' make-derivation.nix, the flake's own
  // devShells attribute), so the location is an outer frame, not the innermost error's position.
  test("location of a real Nix 2.2x trace is the innermost error's", () => {
    const stderr =
      "error:\n" +
      "       … while calling the 'derivationStrict' builtin\n" +
      "         at /builtin/derivation.nix:9:12: (source not available)\n\n" +
      "       … while evaluating derivation 'nix-shell'\n" +
      "         whose name attribute is located at /nix/store/jr0k1yq2v0dd6pmmkhmjl8i6vkaj5wsd-source/pkgs/stdenv/generic/make-derivation.nix:336:7\n\n" +
      "       … while evaluating attribute 'buildInputs' of derivation 'nix-shell'\n" +
      "         at /nix/store/abc-source/flake.nix:8:9:\n\n" +
      "       error: undefined variable 'foo'\n" +
      "       at /nix/store/abc-source/nix/shell.nix:3:5:\n";
    assert.equal(errorSummary(stderr), "undefined variable 'foo'");
    assert.deepEqual(sourceLocation(stderr), { file: "nix/shell.nix", line: 3, column: 5 });
  });
});

describe("everything else", () => {
  test("unknown output → ProcessFailedError with the exit code and last line", () => {
    const stderr = "warning: something odd\nSegmentation fault (core dumped)\n";
    const err = classifyNixFailure(stderr, CMD, 139);
    assert.ok(err instanceof ProcessFailedError);
    assert.equal(err.exitCode, 139);
    assert.equal(err.commandLine, CMD);
    assert.equal(err.message, `\`${CMD}\` failed (exit 139): Segmentation fault (core dumped)`);
  });

  test("empty stderr → ProcessFailedError saying there was no output", () => {
    const err = classifyNixFailure("", CMD, 1);
    assert.ok(err instanceof ProcessFailedError);
    assert.equal(err.message, `\`${CMD}\` failed (exit 1): no output`);
  });

  test("a location outside the store copy is not reported", () => {
    assert.equal(sourceLocation("error: x\n       at /home/u/p/flake.nix:1:1:\n"), undefined);
    assert.equal(sourceLocation("error: x\n       at «string»:1:1:\n"), undefined);
  });
});

test("a folder path with a space: Nix 2.8's URL error becomes advice naming the version that reads it", () => {
  const e = classifyNixFailure("error: '/tmp/exp/sp ace#default' is not a valid URL\n", "nix print-dev-env", 1);
  assert.ok(e instanceof InvalidInputError);
  assert.match(e.message, /before 2\.19\) cannot read a flake whose folder path contains a space.*Upgrade Nix \(2\.19 and later.*or move the project/);
});
