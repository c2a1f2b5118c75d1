// evaluateShellHook with real bash: what the hook changes becomes mutations.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseDevEnv, type DevEnv, type DevEnvVariable } from "../../../src/core/devEnv";
import { ProcessFailedError } from "../../../src/core/errors";
import { MemoryLogger } from "../../../src/core/logger";
import type { Mutation } from "../../../src/core/mutations";
import { ProcessRunner } from "../../../src/core/process";
import { evaluateShellHook, parseEnvDump, shellHookScript } from "../../../src/core/shellHook";
import { tempDir } from "../tmp";
import { REPO_ROOT } from "../repo";

const BASE = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", HOME: "/home/u", TO_REMOVE: "bye" };

function devEnv(variables: Record<string, DevEnvVariable> = {}, bashFunctions: Record<string, string> = {}): DevEnv {
  return { variables: new Map(Object.entries(variables)), bashFunctions };
}

/** Mutations in name order (bash's `env` order is not meaningful). */
async function hook(source: string, env: DevEnv = devEnv(), timeoutMs = 10_000): Promise<Mutation[]> {
  return (await evaluateShellHook(new ProcessRunner(new MemoryLogger()), {
    bash: "/bin/bash",
    devEnv: env,
    env: { ...BASE, shellHook: source },
    cwd: tempDir("hook"),
    timeoutMs,
  })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

describe("evaluateShellHook", () => {
  test("export a new var, prepend to PATH, unset a var, print to stdout", async () => {
    const m = await hook(`echo "hello from the hook"; printf 'a=b\\0c=d\\0'\nexport NEW_VAR=nv\nexport PATH=/opt/x/bin:$PATH\nunset TO_REMOVE\nNOT_EXPORTED=1`);
    assert.deepEqual(m, [
      { name: "NEW_VAR", op: "replace", value: "nv" },
      { name: "PATH", op: "prepend", value: "/opt/x/bin", separator: ":" },
      { name: "TO_REMOVE", op: "unset" },
    ]);
  });

  test("an append to PATH and a changed value", async () => {
    const m = await hook(`export PATH=$PATH:/extra; export HOME=/elsewhere`);
    assert.deepEqual(m, [
      { name: "HOME", op: "replace", value: "/elsewhere" },
      { name: "PATH", op: "append", value: "/extra", separator: ":" },
    ]);
  });

  test("a hook that changes nothing gives no mutations (cd and SHLVL are ignored)", async () => {
    assert.deepEqual(await hook(`cd /; true`), []);
  });

  test("the devEnv's functions, arrays, associative arrays and vars are defined for the hook", async () => {
    const env = devEnv(
      {
        myArr: { type: "array", value: ["a", "b c"] },
        myAssoc: { type: "associative", value: { "the key": "v'1" } },
        builderVar: { type: "var", value: "from the builder" },
        BASHOPTS: { type: "var", value: "must be skipped" },
        "bad-name": { type: "var", value: "skipped" },
      },
      { myFunc: ' \n    echo "hi $1"\n' },
    );
    const m = await hook(
      `export FROM_FUNC="$(myFunc there)" ARR1="\${myArr[1]}" ARR_N=\${#myArr[@]} ASSOC="\${myAssoc[the key]}" VAR="$builderVar"`,
      env,
    );
    assert.deepEqual(m, [
      { name: "ARR1", op: "replace", value: "b c" },
      { name: "ARR_N", op: "replace", value: "2" },
      { name: "ASSOC", op: "replace", value: "v'1" },
      { name: "FROM_FUNC", op: "replace", value: "hi there" },
      { name: "VAR", op: "replace", value: "from the builder" },
    ]);
  });

  test("the recorded Nix 2.8 stdenv env (functions, arrays) works in real bash", async () => {
    const text = readFileSync(join(REPO_ROOT, "test/fixtures/print-dev-env/nix-2.8-stdenv-functions.json"), "utf8");
    const m = await hook(`export R="$(myFunc x)|\${myArr[*]}|\${myAssoc[k]}"`, parseDevEnv(text));
    assert.deepEqual(m, [{ name: "R", op: "replace", value: "hi x|a b c|v" }]);
  });

  test("quotes, newlines and unicode survive in both directions", async () => {
    const tricky = `it's "quoted" $HOME \`x\` \\ back\nsecond line\ttab ✓ héllo`;
    const env = devEnv({ tricky: { type: "var", value: tricky }, arr: { type: "array", value: [tricky, ""] } });
    const m = await hook(`export COPY="$tricky" ARR0="\${arr[0]}" ARR_LEN=\${#arr[@]} LIT=$'a\\nb=c\\u2713'`, env);
    const byName = Object.fromEntries(m.map((x) => [x.name, x.op === "unset" ? undefined : x.value]));
    assert.deepEqual(byName, { ARR0: tricky, ARR_LEN: "2", COPY: tricky, LIT: "a\nb=c✓" });
  });

  // Regression (fixed; was at shellHook.ts:76-80): the first dump ends in "\0" and the marker is printed as "SPLIT\0", so
  // after `exit 3` stdout is "…\0SPLIT\0" and split() still gives 2 parts (the second empty). The
  // "did not finish" check never fires, the exit code is not looked at, and the result is an
  // `unset` mutation for EVERY variable (PATH, HOME, …) instead of ProcessFailedError.
  test("a hook that calls `exit 3` → ProcessFailedError", async () => {
    await assert.rejects(hook(`echo about to fail >&2; exit 3`), (e: unknown) => {
      assert.ok(e instanceof ProcessFailedError);
      assert.equal(e.exitCode, 3);
      assert.match(e.output, /^shellHook did not finish:\nabout to fail/);
      return true;
    });
  });

  test("a failing command inside the hook does not stop it (set +e)", async () => {
    assert.deepEqual(await hook(`false; export AFTER=yes`), [{ name: "AFTER", op: "replace", value: "yes" }]);
  });

  // Regression (fixed; was at process.ts:173 shellQuote, used by shellHook.ts:34): an array element starting with "#"
  // is emitted bare, so `declare -a arr=(#x y)` comments out the rest of the line.
  test("an array element starting with # keeps the array intact", async () => {
    const m = await hook(`export N=\${#arr[@]} FIRST="\${arr[0]}"`, devEnv({ arr: { type: "array", value: ["#x", "y"] } }));
    assert.deepEqual(m, [{ name: "FIRST", op: "replace", value: "#x" }, { name: "N", op: "replace", value: "2" }]);
  });

  // Regression (fixed; was at shellHook.ts:47 + process.ts): the hook's output goes to stderr, a background process the
  // hook starts inherits that pipe, and the runner waits for the pipe to close — so a hook such as
  // `postgres &` makes the evaluation hang until the timeout (600 s by default) and then fail.
  test("a hook that starts a background process finishes promptly", async () => {
    const m = await hook(`sleep 30 & export STARTED=1`, devEnv(), 3000);
    assert.deepEqual(m, [{ name: "STARTED", op: "replace", value: "1" }]);
  });
});

describe("shellHookScript", () => {
  test("declares vars/arrays/functions, skips exported and bash-owned names, evals the hook last", () => {
    const script = shellHookScript(
      devEnv(
        { A: { type: "var", value: "a b" }, E: { type: "exported", value: "e" }, PPID: { type: "var", value: "1" }, L: { type: "array", value: ["x"] } },
        { f: "echo f\n", "bad name": "x" },
      ),
      "/tmp/hook log",
    );
    const lines = script.split("\n");
    assert.equal(lines[0], "set +e +u");
    assert.ok(lines.includes("A='a b'"));
    assert.ok(lines.includes("declare -a L=(x)"));
    assert.ok(script.includes("f ()\n{\necho f\n}"));
    assert.ok(!script.includes("E=") && !script.includes("PPID=") && !script.includes("bad name"));
    assert.equal(lines.at(-4), `{ eval "$shellHook"; } >'/tmp/hook log' 2>&1 </dev/null`);
  });
});

describe("parseEnvDump", () => {
  test("splits on NUL and the first =, keeps empty values and newlines", () => {
    assert.deepEqual(parseEnvDump("A=1\0B=x=y\0EMPTY=\0NL=a\nb\0\0=nokey\0junk\0"), { A: "1", B: "x=y", EMPTY: "", NL: "a\nb" });
  });

  test("empty input gives an empty object", () => {
    assert.deepEqual(parseEnvDump(""), {});
  });
});
