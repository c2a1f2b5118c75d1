// `hybrid-env update` against real Nix 2.8, offline: the flake's inputs are local git
// repositories (git+file://) that the test commits new revisions to, so an update really moves
// them. Cancellation is tested against an input served by a local HTTP server that never answers.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runUpdateCommand } from "../../src/cli/updateCommand";
import { CancelledError } from "../../src/core/errors";
import { lastUpdate, updateFlakeInputs } from "../../src/core/flakeUpdate";
import { silentLogger } from "../../src/core/logger";
import { ProcessRunner } from "../../src/core/process";
import { tempDir, write } from "../helpers/fixtures";
import { alive, waitUntil } from "../helpers/processes";
import { findNix } from "../../src/core/tools";
import { commitAll, makeFlakeWithStubNixpkgs, makeStubNixpkgs } from "../helpers/stubNixpkgs";
import { testEnv } from "../helpers/tools";

const env = testEnv();
const runner = new ProcessRunner(silentLogger);

/** A project with two git+file inputs (nixpkgs, the stub; tools, a tiny repo), locked. */
function project(): { dir: string; nixpkgs: string; tools: string; cacheDir: string } {
  const nixpkgs = makeStubNixpkgs();
  const tools = tempDir("tools-input");
  write(join(tools, "flake.nix"), "{ outputs = { self }: { }; }\n");
  execGitInit(tools);
  const dir = makeFlakeWithStubNixpkgs(nixpkgs, "pkgs.python3.withPackages (ps: [ ps.numpy ])", env, `\n  inputs.tools.url = "git+file://${tools}";`);
  return { dir, nixpkgs, tools, cacheDir: tempDir("update-cache") };
}

function execGitInit(dir: string): void {
  execFileSync("git", ["init", "-q"], { cwd: dir });
  commitAll(dir, "first");
}

/** Live processes working in `dir` (Nix runs in the project folder). */
function processesIn(dir: string): number[] {
  const real = realpathSync(dir);
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === real && alive(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function cli(argv: string[], cacheDir: string, isTTY = false) {
  let stdout = "";
  let stderr = "";
  const code = await runUpdateCommand(argv, { env, cacheDir, isTTY, writeStdout: (t) => (stdout += t), writeStderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const revOf = (dir: string, input: string) => (JSON.parse(readFileSync(join(dir, "flake.lock"), "utf8")) as { nodes: Record<string, { locked: { rev: string } }> }).nodes[input]!.locked.rev;

describe("hybrid-env update", () => {
  test("one input: Nix 2.8's `flake lock --update-input`; prints old → new revision and date; the other input stays", async () => {
    const p = project();
    const oldRev = revOf(p.dir, "nixpkgs");
    const toolsRev = revOf(p.dir, "tools");
    write(join(p.nixpkgs, "NEWS"), "a new revision\n");
    const newRev = commitAll(p.nixpkgs, "second");
    const r = await cli(["nixpkgs", p.dir], p.cacheDir);
    assert.equal(r.code, 0, r.stderr);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(r.stdout, `nixpkgs: ${oldRev.slice(0, 7)} (${today}) → ${newRev.slice(0, 7)} (${today})\n`);
    assert.match(r.stderr, /1 input moved.*update --undo/);
    assert.equal(revOf(p.dir, "nixpkgs"), newRev);
    assert.equal(revOf(p.dir, "tools"), toolsRev);
  });

  test("all inputs, then undo puts the previous flake.lock back byte for byte; a second undo has nothing to undo", async () => {
    const p = project();
    const before = readFileSync(join(p.dir, "flake.lock"));
    commitAll(p.nixpkgs, "n2");
    commitAll(p.tools, "t2");
    const r = await cli([p.dir], p.cacheDir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n").map((l) => l.split(":")[0]).sort(), ["nixpkgs", "tools"]);
    assert.ok(lastUpdate(p.cacheDir, p.dir), "the update can be undone");
    const undo = await cli(["--undo", p.dir], p.cacheDir);
    assert.equal(undo.code, 0, undo.stderr);
    assert.match(undo.stderr, /Restored flake\.lock from before the update: 2 inputs moved back/);
    assert.ok(readFileSync(join(p.dir, "flake.lock")).equals(before));
    const again = await cli(["--undo", p.dir], p.cacheDir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no update of .* to undo/);
  });

  test("nothing new: says so and leaves flake.lock alone", async () => {
    const p = project();
    const before = readFileSync(join(p.dir, "flake.lock"));
    const r = await cli([p.dir], p.cacheDir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /already up to date/);
    assert.ok(readFileSync(join(p.dir, "flake.lock")).equals(before));
  });

  test("an unknown input is refused with the flake's inputs; flake.lock is untouched", async () => {
    const p = project();
    const before = readFileSync(join(p.dir, "flake.lock"));
    const r = await cli(["nixpgks", p.dir], p.cacheDir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /flake\.lock has no input nixpgks\. Its inputs: nixpkgs, tools\./);
    assert.ok(readFileSync(join(p.dir, "flake.lock")).equals(before));
  });

  test("undo refuses when flake.lock changed after the update, unless --force", async () => {
    const p = project();
    const before = readFileSync(join(p.dir, "flake.lock"), "utf8");
    commitAll(p.nixpkgs, "n2");
    assert.equal((await cli(["nixpkgs", p.dir], p.cacheDir)).code, 0);
    writeFileSync(join(p.dir, "flake.lock"), readFileSync(join(p.dir, "flake.lock"), "utf8") + "\n");
    const refused = await cli(["--undo", p.dir], p.cacheDir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /flake\.lock changed after the update.*--force/);
    assert.equal((await cli(["--undo", "--force", p.dir], p.cacheDir)).code, 0);
    assert.equal(readFileSync(join(p.dir, "flake.lock"), "utf8"), before);
  });

  test("on a terminal, a progress line is drawn and cleared", async () => {
    const p = project();
    commitAll(p.nixpkgs, "n2");
    const r = await cli(["nixpkgs", p.dir], p.cacheDir, true);
    assert.match(r.stderr, /\r\x1b\[Khybrid-env: updating nixpkgs… \d+ s/);
    assert.match(r.stderr, /\r\x1b\[K(?!hybrid-env: updating)/, "the line is cleared at the end");
  });

  test("cancel: Nix is killed with its children, flake.lock is untouched", async () => {
    const server = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const p = project();
      const lockPath = join(p.dir, "flake.lock");
      const before = readFileSync(lockPath);
      // An input added to flake.nix: the update must fetch it, and the fetch hangs.
      const flakeNix = readFileSync(join(p.dir, "flake.nix"), "utf8").replace("outputs =", `inputs.slow = { url = "http://127.0.0.1:${port}/slow.tar.gz"; flake = false; };\n  outputs =`);
      writeFileSync(join(p.dir, "flake.nix"), flakeNix);
      const abort = new AbortController();
      const lines: string[] = [];
      const run = updateFlakeInputs({ nix: findNix("", env), dir: p.dir, env, runner, cacheDir: p.cacheDir, signal: abort.signal, timeoutMs: 120_000, onProgress: (l) => lines.push(l) });
      assert.ok(await waitUntil(() => processesIn(p.dir).length > 0, 10_000), "nix started");
      await new Promise((r) => setTimeout(r, 1500)); // past `nix --version`, into the fetch
      abort.abort();
      await assert.rejects(run, CancelledError);
      assert.ok(await waitUntil(() => processesIn(p.dir).length === 0, 5000), "no Nix process is left");
      assert.ok(readFileSync(lockPath).equals(before));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
