// Several devShells with real nix and uv: `hybrid-env shells` lists them (evaluated once, then
// from the cache until a key file changes) and `env --dev-shell NAME` loads the second one.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { countingTools } from "../helpers/countingTools";
import { devShellDerivation, gitTrackAll, makeHybridProject, tempDir } from "../helpers/fixtures";
import { cli } from "../helpers/cli";
import { testEnv } from "../helpers/tools";

function flakeWithShells(names: readonly string[]): string {
  const shells = names.map((n) => `    devShells.x86_64-linux.${n} = ${devShellDerivation({ fromNix: `${n}-shell`, shellHook: "export HOOK_RAN=yes" })};`);
  return `{\n  outputs = { self }: {\n${shells.join("\n")}\n    devShells.aarch64-darwin.mac = throw "never evaluated here";\n  };\n}\n`;
}

function twoShellProject(): string {
  const dir = makeHybridProject({ git: false });
  writeFileSync(join(dir, "flake.nix"), flakeWithShells(["default", "second"]));
  gitTrackAll(dir);
  return dir;
}

describe("several devShells", () => {
  test("shells lists this system's names, default first, and the second listing starts no nix", async () => {
    const dir = twoShellProject();
    const tools = countingTools();
    const env = testEnv({ PATH: `${tools.binDir}:${process.env.PATH}`, XDG_CACHE_HOME: tempDir("xdg") });

    const first = await cli(["shells", dir], env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, "* default\n  second\n");
    assert.equal(tools.calls().filter((c) => c.startsWith("nix eval")).length, 1);

    const json = await cli(["shells", "--json", "--dev-shell", "second", dir], env);
    assert.deepEqual(JSON.parse(json.stdout), {
      system: "x86_64-linux",
      devShells: ["default", "second"],
      selected: "second",
      bySystem: { "aarch64-darwin": ["mac"], "x86_64-linux": ["default", "second"] },
    });
    assert.equal(tools.calls().length, 1, `cached: ${tools.calls().join("\n")}`);

    writeFileSync(join(dir, "flake.nix"), flakeWithShells(["default", "second", "docs"]));
    const changed = await cli(["shells", dir], env);
    assert.equal(changed.stdout, "* default\n  docs\n  second\n", "a changed flake.nix is evaluated again");
    assert.equal(tools.calls().length, 2);
  });

  test("env --dev-shell second loads the second devShell; each is cached on its own", async () => {
    const dir = twoShellProject();
    const tools = countingTools();
    const env = testEnv({ PATH: `${tools.binDir}:${process.env.PATH}`, XDG_CACHE_HOME: tempDir("xdg") });
    const second = await cli(["env", "--json", "--dev-shell", "second", dir], env);
    assert.equal(second.code, 0, second.stderr);
    const vars = JSON.parse(second.stdout) as Record<string, string>;
    assert.equal(vars.FROM_NIX, "second-shell");
    assert.equal(vars.VIRTUAL_ENV, join(dir, ".venv"));
    assert.ok(tools.calls().some((c) => c.startsWith("nix print-dev-env") && c.endsWith(`${dir}#second`)), tools.calls().join("\n"));

    const first = await cli(["env", "--json", dir], env);
    assert.equal(JSON.parse(first.stdout).FROM_NIX, "default-shell");
    const before = tools.calls().length;
    assert.equal(JSON.parse((await cli(["env", "--json", "--dev-shell", "second", dir], env)).stdout).FROM_NIX, "second-shell");
    assert.equal(JSON.parse((await cli(["env", "--json", dir], env)).stdout).FROM_NIX, "default-shell");
    assert.equal(tools.calls().length, before, "both come from the cache");
  });

  test("a flake without devShells: exit 1 and a reason", async () => {
    const dir = makeHybridProject({ git: false });
    writeFileSync(join(dir, "flake.nix"), "{ outputs = { self }: { packages.x86_64-linux.x = 1; }; }\n");
    gitTrackAll(dir);
    const r = await cli(["shells", dir], testEnv({ XDG_CACHE_HOME: tempDir("xdg") }));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /the flake has no devShells for x86_64-linux/);
  });

  test("a flake with only the legacy devShell.<system>: listed, with how to rename it; cached like the rest", async () => {
    const dir = makeHybridProject({ git: false });
    const shell = devShellDerivation({ fromNix: "legacy-shell", shellHook: "export HOOK_RAN=yes" });
    writeFileSync(join(dir, "flake.nix"), `{\n  outputs = { self }: {\n    devShell.x86_64-linux = ${shell};\n  };\n}\n`);
    gitTrackAll(dir);
    const tools = countingTools();
    const env = testEnv({ PATH: `${tools.binDir}:${process.env.PATH}`, XDG_CACHE_HOME: tempDir("xdg") });
    const r = await cli(["shells", dir], env);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "  devShell.x86_64-linux (legacy output)\n");
    assert.match(r.stderr, /only the legacy output devShell\.x86_64-linux, which hybrid-env does not load: rename it to devShells\.x86_64-linux\.default/);
    assert.deepEqual(tools.calls().filter((c) => c.startsWith("nix eval")).length, 2, tools.calls().join("\n"));
    const json = await cli(["shells", "--json", dir], env);
    assert.deepEqual(JSON.parse(json.stdout).legacyDevShell, ["x86_64-linux"]);
    assert.equal(tools.calls().length, 2, "the second listing comes from the cache");
  });
});
