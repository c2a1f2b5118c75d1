// Every Nix message hybrid-env interprets, produced by the real Nix of this stage of the version
// matrix (Debian's 2.8 or 2.30.5, see scripts/test-all.mjs): what the engine makes of it, and that
// the text is still what test/fixtures/nix-messages/nix-<version>/ recorded from that version.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runDoctor } from "../../src/core/doctor";
import { loadEnvironment, type LoadRequest } from "../../src/core/engine";
import { DevShellNotFoundError, FlakeNotTrackedError, HybridEnvError, InvalidInputError, NixEvalError, NixFeatureDisabledError } from "../../src/core/errors";
import { MemoryLogger } from "../../src/core/logger";
import { resolve } from "../../src/core/mutations";
import { defaultOptions } from "../../src/core/options";
import { ProcessRunner } from "../../src/core/process";
import { classifyNixFailure } from "../../src/core/nixErrors";
import { tempDir } from "../helpers/fixtures";
import { matchesRecording, messageFixture, normalizeNixText, nixUnderTest } from "../helpers/nixMatrix";
import { testEnv } from "../helpers/tools";

/** A nix-only project's flake: a devShell built with /bin/bash; `attrs` go on line 7. */
function flake(attrs = 'FOO = "bar";'): string {
  return `{
  outputs = { self }: {
    devShells.x86_64-linux.default = derivation {
      name = "s";
      system = "x86_64-linux";
      builder = "/bin/bash";
      ${attrs}
      outputs = [ "out" ];
      args = [ "-c" "echo > $out" ];
      shellHook = "export HOOKED=1";
    };
  };
}
`;
}

function git(dir: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, stdio: "ignore" });
}

/** A folder with flake.nix, optionally in a git repository: "untracked", "added" (git add -N) or "committed". */
function project(source: string, state: "none" | "untracked" | "added" | "committed", at = tempDir("msg")): string {
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, "flake.nix"), source);
  if (state === "none") return at;
  git(at, "init", "-q");
  if (state !== "untracked") git(at, "add", "-N", "flake.nix");
  if (state === "committed") git(at, "commit", "-qam", "init");
  return at;
}

function request(dir: string, overrides: Partial<Omit<LoadRequest, "log">> = {}): LoadRequest & { log: MemoryLogger } {
  const log = new MemoryLogger();
  return { dir, options: defaultOptions({ cacheDir: join(tempDir("cache"), "c"), useCache: false }), baseEnv: testEnv(), runner: new ProcessRunner(log), log, ...overrides };
}

/** Loads and returns the error it fails with. */
async function failure(req: LoadRequest): Promise<HybridEnvError> {
  try {
    await loadEnvironment(req);
  } catch (e) {
    assert.ok(e instanceof HybridEnvError, String(e));
    return e;
  }
  assert.fail("the load succeeded");
}

/** The stderr inside an error's detail (the detail is the command line, then stderr). */
const stderrOf = (e: HybridEnvError) => e.detail.slice(e.detail.indexOf("\n") + 1);

function checkRecording(name: string, stderr: string, folders: Record<string, string>): void {
  matchesRecording(messageFixture(name), normalizeNixText(stderr, folders), (t) => t.trim());
}

test("the nix under test is the version the stage names", () => {
  const expected = process.env.HYBRID_ENV_TEST_NIX_VERSION;
  if (expected) assert.equal(nixUnderTest().version, expected);
});

describe("an untracked flake.nix", () => {
  test("in the repository's top folder: FlakeNotTrackedError, and its git add -N action fixes it", async () => {
    const dir = project(flake(), "untracked");
    const e = await failure(request(dir));
    assert.ok(e instanceof FlakeNotTrackedError, e.message);
    assert.equal(e.file, "flake.nix");
    assert.deepEqual(e.actions[0], { kind: "git-add", label: "Track it (git add -N)", target: "flake.nix" });
    checkRecording("untracked", stderrOf(e), { "<dir>": dir });
    git(dir, "add", "-N", "--", e.file);
    const { environment } = await loadEnvironment(request(dir));
    assert.equal(resolve({}, environment.mutations).FOO, "bar");
  });

  test("in a sub-folder of the repository: the file is named relative to the project, and git add -N there fixes it", async () => {
    const repo = tempDir("msg-repo");
    git(repo, "init", "-q");
    writeFileSync(join(repo, "README"), "x\n");
    git(repo, "add", "README");
    const dir = project(flake(), "none", join(repo, "sub"));
    const e = await failure(request(dir));
    assert.ok(e instanceof FlakeNotTrackedError, e.message);
    assert.equal(e.file, "flake.nix");
    checkRecording("untracked-subfolder", stderrOf(e), { "<repo>": repo });
    git(dir, "add", "-N", "--", e.file);
    assert.equal(resolve({}, (await loadEnvironment(request(dir))).environment.mutations).FOO, "bar");
  });
});

describe("a dirty tree", () => {
  for (const state of ["added", "edited"] as const) {
    test(`${state === "added" ? "no commit, flake.nix added with -N" : "a committed flake.nix edited"}: loads the working tree; the warning goes to debug with why`, async () => {
      const dir = project(flake(), state === "added" ? "added" : "committed");
      if (state === "edited") writeFileSync(join(dir, "flake.nix"), flake('FOO = "edited";'));
      const req = request(dir);
      const { environment } = await loadEnvironment(req);
      assert.equal(resolve({}, environment.mutations).FOO, state === "edited" ? "edited" : "bar", "the working tree's content");
      const mentions = req.log.lines.filter((l) => l.includes("is dirty"));
      assert.equal(mentions.length, 1, mentions.join("\n"));
      assert.match(mentions[0]!, /^debug nix: warning: Git tree '.*' is dirty — not an error: Nix says so whenever tracked files differ from the last commit/);
      const raw = spawnSync("nix", ["print-dev-env", "--json", `${dir}#default`], { env: testEnv(), encoding: "utf8" });
      assert.equal(raw.status, 0, raw.stderr);
      checkRecording(`dirty-${state}`, raw.stderr.split("\n").filter((l) => !l.startsWith("building ")).join("\n"), { "<dir>": dir });
    });
  }

  test("a clean committed tree: no warning at all", async () => {
    const req = request(project(flake(), "committed"));
    await loadEnvironment(req);
    assert.deepEqual(req.log.lines.filter((l) => l.includes("dirty")), []);
  });
});

test("a missing devShell: DevShellNotFoundError naming it and the setting", async () => {
  const dir = project(flake(), "committed");
  const e = await failure(request(dir, { options: defaultOptions({ cacheDir: join(tempDir("cache"), "c"), devShell: "nope" }) }));
  assert.ok(e instanceof DevShellNotFoundError, e.message);
  assert.equal(e.devShell, "nope");
  assert.equal(e.attribute, "devShells.x86_64-linux.nope");
  assert.equal(e.actions[0]?.target, "hybridEnv.devShell");
  checkRecording("missing-devshell", stderrOf(e), { "<dir>": dir });
});

describe("an evaluation error: its file, line and column", () => {
  const cases = [
    { name: "syntax-error", attrs: 'FOO = "bar"', summary: /^syntax error, unexpected '='/, at: (src: string) => position(src, "outputs = [", "=") },
    { name: "undefined-variable", attrs: "FOO = undefinedThing;", summary: /^undefined variable 'undefinedThing'$/, at: (src: string) => position(src, "undefinedThing", "undefinedThing") },
  ];
  for (const c of cases) {
    for (const where of ["top", "subfolder"] as const) {
      test(`${c.name}, flake in the repository's ${where === "top" ? "top folder" : "sub-folder"}`, async () => {
        const source = flake(c.attrs);
        const repo = tempDir("msg-eval");
        const dir = where === "top" ? project(source, "added", repo) : project(source, "none", join(repo, "sub"));
        if (where === "subfolder") {
          git(repo, "init", "-q");
          git(repo, "add", "-N", "sub/flake.nix");
        }
        const e = await failure(request(dir));
        assert.ok(e instanceof NixEvalError, e.message);
        assert.match(e.summary, c.summary);
        assert.deepEqual(e.location, { file: "flake.nix", ...c.at(source) });
        if (where === "top") checkRecording(c.name, stderrOf(e), { "<dir>": dir });
      });
    }
  }
});

/** 1-based line of the first line containing `lineMarker`, and column of `token` on it. */
function position(source: string, lineMarker: string, token: string): { line: number; column: number } {
  const lines = source.split("\n");
  const i = lines.findIndex((l) => l.includes(lineMarker));
  return { line: i + 1, column: lines[i]!.indexOf(token) + 1 };
}

describe("flakes disabled in the configuration", () => {
  const disabled = testEnv({ NIX_CONFIG: ["experimental-features =", "sandbox = false", "substituters ="].join("\n") });

  test("hybrid-env still loads: it passes --extra-experimental-features itself", async () => {
    const { environment } = await loadEnvironment(request(project(flake(), "committed"), { baseEnv: disabled }));
    assert.equal(resolve({}, environment.mutations).FOO, "bar");
  });

  test("what Nix says without the flag is recognised, not sent to 'fix the flake'", () => {
    const dir = project(flake(), "committed");
    const raw = spawnSync("nix", ["print-dev-env", "--json", `${dir}#default`], { env: disabled, encoding: "utf8" });
    assert.notEqual(raw.status, 0);
    const e = classifyNixFailure(raw.stderr, "nix print-dev-env", raw.status ?? 1, dir);
    assert.ok(e instanceof NixFeatureDisabledError, e.message);
    assert.equal(e.feature, "nix-command");
    checkRecording("flakes-disabled", raw.stderr, { "<dir>": dir });
  });
});

test("a folder path with a space: loads on Nix ≥ 2.19; before, the advice names the version that reads it", async () => {
  const dir = project(flake(), "committed", join(tempDir("msg"), "with space", "p"));
  if (nixUnderTest().atLeast(2, 19)) {
    const { environment } = await loadEnvironment(request(dir));
    assert.equal(resolve({}, environment.mutations).HOOKED, "1");
    return;
  }
  const e = await failure(request(dir));
  assert.ok(e instanceof InvalidInputError, e.message);
  assert.match(e.message, /^This Nix \(before 2\.19\) cannot read a flake whose folder path contains a space .*Upgrade Nix \(2\.19 and later/);
  checkRecording("space-in-path", stderrOf(e), { "<dir>": dir });
});

test("doctor names this Nix as a tested version; on a path with a space it says which Nix reads it", async () => {
  const dir = project(flake(), "committed", join(tempDir("msg"), "with space", "p"));
  const findings = await runDoctor(request(dir));
  const nix = findings.find((f) => f.check === "nix");
  assert.equal(nix?.level, "ok");
  assert.match(nix!.message, new RegExp(`nix \\(Nix\\) ${nixUnderTest().version.replaceAll(".", "\\.")} — a version hybrid-env is tested with \\(tested: Nix 2\\.8\\.0 and 2\\.30\\.5\\)`));
  const path = findings.find((f) => f.check === "path");
  const load = findings.find((f) => f.check === "load");
  if (nixUnderTest().atLeast(2, 19)) {
    assert.equal(path, undefined);
    assert.equal(load?.level, "ok", load?.message);
  } else {
    assert.equal(path?.level, "error");
    assert.match(path!.message, /contains a space .*: Nix 2\.8\.0 cannot read such a flake; Nix 2\.19 and later can/);
    assert.equal(load?.level, "error");
  }
});
