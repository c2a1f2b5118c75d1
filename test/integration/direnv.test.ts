// `use hybrid` with the real direnv (Debian's package, installed by scripts/setup.sh): the library
// printed by `hybrid-env direnvrc`, an allowed .envrc, `direnv exec` seeing the hybrid
// environment, no nix on a second run (hybrid-env's cache), a flake.nix change picked up, and
// direnv's own watch list holding the cache's key files.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import { countingTools } from "../helpers/countingTools";
import { flakeSource, makeHybridProject, tempDir } from "../helpers/fixtures";
import { hasCommand, testEnv } from "../helpers/tools";

const CLI = resolve(__dirname, "../../../dist/cli.js");
const run = promisify(execFile);
const PROBE = "import os, sys, nixonly, uvonly; print(os.environ['FROM_NIX'], sys.prefix, nixonly.SOURCE, uvonly.SOURCE)";

/** A home for direnv (config with the library, data with the allow list) and hybrid-env's cache. */
async function direnvHome() {
  const root = tempDir("direnv-home");
  const tools = countingTools(["nix"]);
  const env = testEnv({
    PATH: `${tools.binDir}:${process.env.PATH}`,
    XDG_CONFIG_HOME: join(root, "config"),
    XDG_DATA_HOME: join(root, "data"),
    XDG_CACHE_HOME: join(root, "cache"),
    DIRENV_LOG_FORMAT: "",
  });
  const lib = await run(process.execPath, [CLI, "direnvrc"], { env, encoding: "utf8" });
  mkdirSync(join(root, "config", "direnv", "lib"), { recursive: true });
  writeFileSync(join(root, "config", "direnv", "lib", "hybrid-env.sh"), lib.stdout);
  return { env, tools };
}

const printDevEnvCalls = (tools: { calls(): string[] }) => tools.calls().filter((c) => c.startsWith("nix print-dev-env")).length;

/** direnv's watch list (DIRENV_WATCHES is zlib-compressed JSON in URL-safe base64). */
function watchedFiles(exported: Record<string, string | null>): string[] {
  const raw = Buffer.from(exported.DIRENV_WATCHES!.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return (JSON.parse(inflateSync(raw).toString("utf8")) as Array<{ Path: string }>).map((w) => w.Path);
}

describe("direnv: use hybrid", { skip: !hasCommand("direnv") && "direnv is not installed (scripts/setup.sh installs it)" }, () => {
  test("direnv exec sees the hybrid environment; a second run starts no nix; a flake.nix change is picked up", async () => {
    const { env, tools } = await direnvHome();
    const dir = makeHybridProject();
    writeFileSync(join(dir, ".envrc"), "use hybrid\n");
    await run("direnv", ["allow", dir], { env });

    const first = await run("direnv", ["exec", dir, "python", "-c", PROBE], { env, encoding: "utf8" });
    assert.equal(first.stdout.trim(), `nix-value ${join(dir, ".venv")} nix uv`);
    assert.equal(printDevEnvCalls(tools), 1);

    const second = await run("direnv", ["exec", dir, "python", "-c", PROBE], { env, encoding: "utf8" });
    assert.equal(second.stdout, first.stdout);
    assert.equal(printDevEnvCalls(tools), 1, "served from hybrid-env's cache");

    writeFileSync(join(dir, "flake.nix"), flakeSource({ fromNix: "changed-value" }));
    const third = await run("direnv", ["exec", dir, "python", "-c", PROBE], { env, encoding: "utf8" });
    assert.match(third.stdout, /^changed-value /);
    assert.equal(printDevEnvCalls(tools), 2);
  });

  test("direnv watches the cache's key files: no reload while they are unchanged, a reload after an edit", async () => {
    const { env } = await direnvHome();
    // A devShell attribute from a file in a sub-folder: keyed by the cache, so watched too.
    const dir = makeHybridProject({ extraShellAttrs: "FROM_SUBFOLDER = import ./nix/extra-value.nix;", git: false });
    writeFileSync(join(dir, "extra.nix"), "{ }\n");
    mkdirSync(join(dir, "nix"));
    writeFileSync(join(dir, "nix", "extra-value.nix"), '"from a sub-folder"\n');
    writeFileSync(join(dir, ".envrc"), "use hybrid --skip-shell-hook\n");
    await run("direnv", ["allow", dir], { env });
    const exportIn = async (e: Record<string, string | undefined>) => (await run("direnv", ["export", "json"], { cwd: dir, env: e, encoding: "utf8" })).stdout;

    const loaded = JSON.parse(await exportIn(env)) as Record<string, string | null>;
    assert.equal(loaded.FROM_NIX, "nix-value");
    assert.equal(loaded.FROM_SUBFOLDER, "from a sub-folder");
    assert.equal(loaded.HOOK_RAN, undefined, "the option reached hybrid-env env");
    const watched = watchedFiles(loaded);
    for (const f of ["flake.nix", "flake.lock", "pyproject.toml", "uv.lock", "extra.nix", "nix/extra-value.nix", ".envrc"]) {
      assert.ok(watched.includes(join(dir, f)), `${f} watched: ${watched.join(", ")}`);
    }
    const inside = { ...env, ...Object.fromEntries(Object.entries(loaded).map(([k, v]) => [k, v ?? undefined])) };
    assert.equal(await exportIn(inside), "", "nothing changed: direnv does not even run .envrc");

    await new Promise((r) => setTimeout(r, 1100)); // direnv compares modification times in seconds
    writeFileSync(join(dir, "pyproject.toml"), (await import("node:fs")).readFileSync(join(dir, "pyproject.toml"), "utf8") + "\n");
    const reloaded = await exportIn(inside);
    assert.notEqual(reloaded, "", "an edited key file makes direnv load again");
  });

  test("hybrid-env doctor names an .envrc that loads the same flake with use flake", async () => {
    const dir = makeHybridProject();
    writeFileSync(join(dir, ".envrc"), "# nix-direnv\nuse flake .\n");
    const r = await run(process.execPath, [CLI, "doctor", dir], { env: testEnv({ XDG_CACHE_HOME: tempDir("xdg") }), encoding: "utf8" });
    assert.match(r.stdout, /^! direnv: \.envrc line 2 loads this folder's Nix environment with `use flake`; /m);
    assert.match(r.stdout, /^    fix: use one of them: replace that line with `use hybrid`/m);
  });
});

describe("hybrid-env inside direnv's `use flake` environment", { skip: !hasCommand("direnv") && "direnv is not installed (scripts/setup.sh installs it)" }, () => {
  // What the direnv extension does to VS Code's extension host: its process.env gets the
  // devShell's PATH (and the rest of `use flake`) before hybrid-env loads from it.
  test("a load from an environment whose PATH already holds the devShell's folders still finds its python3", async () => {
    const { env } = await direnvHome();
    const dir = makeHybridProject();
    writeFileSync(join(dir, ".envrc"), "use flake\n");
    await run("direnv", ["allow", dir], { env });
    const exported = JSON.parse((await run("direnv", ["export", "json"], { cwd: dir, env, encoding: "utf8" })).stdout) as Record<string, string | null>;
    assert.match(exported.PATH ?? "", /^\/nix\/store\/[^/]+-nixpy\/bin:/, "direnv put the devShell's PATH first");
    const inside: Record<string, string | undefined> = { ...env };
    for (const [k, v] of Object.entries(exported)) inside[k] = v ?? undefined;
    const r = await run(process.execPath, [CLI, "env", "--json", "--no-cache", dir], { env: inside, encoding: "utf8" });
    const vars = JSON.parse(r.stdout) as Record<string, string>;
    assert.equal(vars.VIRTUAL_ENV, join(dir, ".venv"));
    assert.ok(vars.PATH!.startsWith(`${join(dir, ".venv", "bin")}:`), vars.PATH);
  });
});
