// ProcessRunner against real small bash scripts, and shell quoting.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CancelledError, TimedOutError, ToolNotFoundError } from "../../../src/core/errors";
import { MemoryLogger } from "../../../src/core/logger";
import { formatCommandLine, ProcessRunner, shellQuote, spawnCounter, type RunOptions } from "../../../src/core/process";
import { write } from "../../helpers/fixtures";
import { tempDir } from "../tmp";
import { alive, waitUntil } from "../../helpers/processes";

const ENV = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" };

function script(body: string): string {
  const path = join(tempDir("proc"), "s.sh");
  write(path, `#!/bin/bash\n${body}\n`);
  return path;
}

function opts(over: Partial<RunOptions> = {}): RunOptions {
  return { what: "the test script", env: ENV, timeoutMs: 10_000, timeoutRaisedBy: { setting: "test.timeout" }, ...over };
}

/** A script that leaves a `sleep` grandchild in the background, writes its pid, then waits. */
function treeScript(): { path: string; pidFile: string } {
  const dir = tempDir("proc");
  const pidFile = join(dir, "grandchild.pid");
  const path = join(dir, "tree.sh");
  write(path, `#!/bin/bash\nsleep 300 &\necho $! > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile}\necho started >&2\nwait\n`);
  return { path, pidFile };
}

describe("ProcessRunner.run", () => {
  test("captures stdout, exit 0, stderr streamed line by line and not a failure", async () => {
    const log = new MemoryLogger();
    const lines: string[] = [];
    const path = script(`echo "out 1"; echo "err 1" >&2; printf 'out 2'; printf 'err 2\\nerr 3' >&2; echo "$MY_VAR"`);
    const result = await new ProcessRunner(log).run("/bin/bash", [path, "a b"], opts({ env: { ...ENV, MY_VAR: "given" }, onStderrLine: (l) => lines.push(l) }));
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, "out 1\nout 2given\n");
    assert.deepEqual(lines, ["err 1", "err 2", "err 3"]);
    assert.equal(result.stderr, "err 1\nerr 2\nerr 3");
    assert.equal(result.commandLine, `/bin/bash ${path} 'a b'`);
    assert.ok(log.lines.includes(`info $ /bin/bash ${path} 'a b'`), log.lines.join("\n"));
    assert.ok(log.lines.some((l) => /^info the test script: exit 0 in \d+ ms$/.test(l)), log.lines.join("\n"));
  });

  test("the child gets exactly the given env, cwd and input", async () => {
    const cwd = tempDir("proc-cwd");
    const path = script(`pwd; env | grep -c . ; cat`);
    const result = await new ProcessRunner(new MemoryLogger()).run("/bin/bash", [path], opts({ cwd, input: "from stdin" }));
    const [pwd, count, rest] = result.stdout.split("\n");
    assert.equal(pwd, cwd);
    // PATH, LANG plus what bash itself sets (PWD, SHLVL, _) — nothing from our process.env.
    assert.ok(Number(count) <= 5, `child env had ${count} entries`);
    assert.equal(rest, "from stdin");
  });

  test("a non-zero exit is returned, not thrown", async () => {
    const result = await new ProcessRunner(new MemoryLogger()).run("/bin/bash", ["-c", "echo partial; echo bad >&2; exit 7"], opts());
    assert.equal(result.exitCode, 7);
    assert.equal(result.stdout, "partial\n");
    assert.equal(result.stderr, "bad\n");
  });

  test("a missing executable → ToolNotFoundError naming the tool", async () => {
    const missing = "/nonexistent/bin/hybrid-env-no-such-tool";
    await assert.rejects(new ProcessRunner(new MemoryLogger()).run(missing, [], opts()), (e: unknown) => {
      assert.ok(e instanceof ToolNotFoundError);
      assert.equal(e.tool, "hybrid-env-no-such-tool");
      assert.equal(e.detail, `searched: ${missing}`);
      return true;
    });
  });

  test("timeout → TimedOutError and the process group, grandchild included, is dead", async () => {
    const { path, pidFile } = treeScript();
    const log = new MemoryLogger();
    const run = new ProcessRunner(log).run("/bin/bash", [path], opts({ timeoutMs: 700 }));
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof TimedOutError);
      assert.equal(e.timeoutMs, 700);
      assert.equal(e.message, "the test script did not finish within 700 ms. Raise test.timeout or check the log.");
      return true;
    });
    assert.ok(existsSync(pidFile), "the script started its grandchild");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    assert.ok(await waitUntil(() => !alive(grandchild), 3000), `sleep ${grandchild} is still alive`);
    assert.ok(log.lines.some((l) => l.startsWith("warn timed out: /bin/bash")), log.lines.join("\n"));
  });

  test("abort → CancelledError and the grandchild is dead", async () => {
    const { path, pidFile } = treeScript();
    const abort = new AbortController();
    const run = new ProcessRunner(new MemoryLogger()).run("/bin/bash", [path], opts({ signal: abort.signal }));
    assert.ok(await waitUntil(() => existsSync(pidFile), 5000), "the grandchild started");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    assert.ok(alive(grandchild));
    const t0 = Date.now();
    abort.abort();
    await assert.rejects(run, (e: unknown) => e instanceof CancelledError && e.message === "Cancelled: the test script.");
    assert.ok(Date.now() - t0 < 3000, "cancellation is prompt");
    assert.ok(await waitUntil(() => !alive(grandchild), 3000), `sleep ${grandchild} is still alive`);
  });

  test("an already-aborted signal throws before spawning and logs nothing", async () => {
    const abort = new AbortController();
    abort.abort();
    const log = new MemoryLogger();
    const before = spawnCounter.count;
    await assert.rejects(new ProcessRunner(log).run("/bin/bash", ["-c", "exit 0"], opts({ signal: abort.signal })), CancelledError);
    assert.equal(spawnCounter.count, before);
    assert.deepEqual(log.lines, []);
  });

  test("each run counts one spawn", async () => {
    const before = spawnCounter.count;
    await new ProcessRunner(new MemoryLogger()).run("/bin/bash", ["-c", "true"], opts());
    assert.equal(spawnCounter.count, before + 1);
  });

  test("more stdout than maxStdoutBytes is an error", async () => {
    const run = new ProcessRunner(new MemoryLogger()).run("/bin/bash", ["-c", "head -c 5000 /dev/zero"], opts({ maxStdoutBytes: 100 }));
    await assert.rejects(run, { message: /^the test script printed more than 100 bytes, / });
  });
});

describe("shellQuote / formatCommandLine", () => {
  test("plain words stay bare, others are single-quoted", () => {
    assert.equal(shellQuote("--json"), "--json");
    // '#' is quoted: at the start of a word it would begin a comment.
    assert.equal(shellQuote("path:/a/b#devShells.x86_64-linux.default"), "'path:/a/b#devShells.x86_64-linux.default'");
    assert.equal(shellQuote(""), "''");
    assert.equal(shellQuote("a b"), "'a b'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(formatCommandLine("/usr/bin/nix", ["print-dev-env", "--json", "x y"]), "/usr/bin/nix print-dev-env --json 'x y'");
  });

  const roundTrip = (words: string[]) => {
    const out = execFileSync("bash", ["-c", `printf '%s\\0' ${words.map(shellQuote).join(" ")}`], { encoding: "utf8" });
    return out.split("\0").slice(0, -1);
  };

  test("quoted words round-trip through bash", () => {
    const words = ["plain", "", "a b", "it's", `"double"`, "$HOME", "`id`", "a\nb", "tab\there", "héllo ✓", "*", "~", "a;b|c&d", "\\", "!x", "x#y", "=v", "--opt=a b"];
    assert.deepEqual(roundTrip(words), words);
  });

  // Regression (fixed; was at process.ts:173): "#" is in the bare-word set, but a word that STARTS with "#" begins a
  // bash comment, so `formatCommandLine` output is not pasteable, and shellHookScript's
  // `declare -a arr=(#x ...)` comments out the rest of the array (see shellHook.test.ts).
  test("a word starting with # round-trips through bash", () => {
    assert.deepEqual(roundTrip(["#x", "y"]), ["#x", "y"]);
  });
});
