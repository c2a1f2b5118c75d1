// Finding nix and uv, and the tool identity used in cache keys.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ToolNotFoundError } from "../../../src/core/errors";
import { findInDirs, findNix, findUv, nixProfileDirs, pathDirs, toolIdentity } from "../../../src/core/tools";
import { tempDir } from "../tmp";

function fakeTool(dir: string, name: string, executable = true): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\necho fake\n");
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

// The machine-wide profile folder comes before ~/.nix-profile: skip if it really has a nix.
const systemNix = ["/nix/var/nix/profiles/default/bin/nix", "/run/current-system/sw/bin/nix"].some((p) => existsSync(p));

describe("findNix", () => {
  test("PATH first", () => {
    const home = tempDir("home");
    const onPath = fakeTool(join(tempDir("bin"), "bin"), "nix");
    fakeTool(join(home, ".nix-profile", "bin"), "nix");
    assert.equal(findNix("", { PATH: `/nonexistent:${join(onPath, "..")}`, HOME: home }), onPath);
  });

  test("empty PATH: ~/.nix-profile/bin of HOME", { skip: systemNix && "this machine has a system-wide nix profile" }, () => {
    const home = tempDir("home");
    const nix = fakeTool(join(home, ".nix-profile", "bin"), "nix");
    assert.equal(findNix("", { PATH: "", HOME: home }), nix);
  });

  test("empty PATH: ~/.local/state/nix/profile/bin (new-style profile)", { skip: systemNix && "system-wide nix profile" }, () => {
    const home = tempDir("home");
    const nix = fakeTool(join(home, ".local", "state", "nix", "profile", "bin"), "nix");
    assert.equal(findNix("", { HOME: home }), nix);
  });

  test("a non-executable file or a folder named nix is skipped", { skip: systemNix && "system-wide nix profile" }, () => {
    const home = tempDir("home");
    const a = tempDir("bin");
    const b = tempDir("bin");
    fakeTool(a, "nix", false);
    mkdirSync(join(b, "nix"));
    const good = fakeTool(join(home, ".nix-profile", "bin"), "nix");
    assert.equal(findNix("", { PATH: `${a}:${b}`, HOME: home }), good);
  });

  test("not found → ToolNotFoundError listing every folder searched, in order", { skip: systemNix && "system-wide nix profile" }, () => {
    const home = tempDir("home");
    assert.throws(() => findNix("", { PATH: "/nonexistent/a::/nonexistent/b", HOME: home, USER: "alice" }), (e: unknown) => {
      assert.ok(e instanceof ToolNotFoundError);
      assert.equal(e.tool, "nix");
      assert.equal(
        e.detail,
        `searched: /nonexistent/a, /nonexistent/b, /nix/var/nix/profiles/default/bin, ${home}/.nix-profile/bin, ` +
          `/run/current-system/sw/bin, /etc/profiles/per-user/alice/bin, ${home}/.local/state/nix/profile/bin`,
      );
      assert.match(e.message, /^nix was not found\. Install Nix/);
      assert.deepEqual(e.actions.map((a) => a.kind), ["install-nix", "configure"]);
      return true;
    });
  });

  test("a configured path is used as is, and only it is searched", () => {
    const nix = fakeTool(tempDir("bin"), "nix-2.18");
    assert.equal(findNix(nix, { PATH: "" }), nix);
    assert.throws(() => findNix("/nonexistent/nix", { PATH: "/usr/bin:/bin" }), { detail: "searched: /nonexistent/nix" });
  });

  test("nixProfileDirs uses USER, then LOGNAME", () => {
    assert.deepEqual(nixProfileDirs({ HOME: "/h", LOGNAME: "bob" }), [
      "/nix/var/nix/profiles/default/bin", "/h/.nix-profile/bin", "/run/current-system/sw/bin", "/etc/profiles/per-user/bob/bin", "/h/.local/state/nix/profile/bin",
    ]);
    assert.equal(nixProfileDirs({ HOME: "/h" }).length, 4);
  });
});

describe("findUv", () => {
  test("the devShell's PATH wins over the user's PATH and ~/.local/bin", () => {
    const home = tempDir("home");
    const devShell = fakeTool(tempDir("devshell"), "uv");
    const user = fakeTool(tempDir("userbin"), "uv");
    fakeTool(join(home, ".local", "bin"), "uv");
    assert.equal(findUv("", ["/nonexistent", join(devShell, "..")], { PATH: join(user, ".."), HOME: home }), devShell);
    assert.equal(findUv("", [], { PATH: join(user, ".."), HOME: home }), user);
  });

  test("then ~/.local/bin, then ~/.cargo/bin", () => {
    const home = tempDir("home");
    const cargo = fakeTool(join(home, ".cargo", "bin"), "uv");
    assert.equal(findUv("", [], { PATH: "", HOME: home }), cargo);
    const local = fakeTool(join(home, ".local", "bin"), "uv");
    assert.equal(findUv("", [], { PATH: "", HOME: home }), local);
  });

  test("not found → ToolNotFoundError(uv) with the uv install hint", () => {
    const home = tempDir("home");
    assert.throws(() => findUv("", ["/nonexistent/devshell"], { PATH: "/nonexistent/p", HOME: home }), (e: unknown) => {
      assert.ok(e instanceof ToolNotFoundError);
      assert.equal(e.detail, `searched: /nonexistent/devshell, /nonexistent/p, ${home}/.local/bin, ${home}/.cargo/bin`);
      assert.match(e.message, /^uv was not found\. Install uv/);
      assert.deepEqual(e.actions.map((a) => a.kind), ["install-uv", "configure"]);
      return true;
    });
  });
});

describe("helpers", () => {
  test("pathDirs drops empty entries", () => {
    assert.deepEqual(pathDirs({ PATH: ":/a::/b:" }), ["/a", "/b"]);
    assert.deepEqual(pathDirs({}), []);
  });

  test("findInDirs returns the first executable", () => {
    const a = tempDir("bin");
    const b = tempDir("bin");
    const tool = fakeTool(b, "t");
    assert.equal(findInDirs("t", [a, b]), tool);
    assert.equal(findInDirs("missing", [a, b]), undefined);
  });
});

describe("toolIdentity", () => {
  test("changes when the file changes (content/size or mtime), stable otherwise", () => {
    const tool = fakeTool(tempDir("bin"), "nix");
    const first = toolIdentity(tool);
    assert.match(first, new RegExp(`^${tool}:\\d+:\\d+$`));
    assert.equal(toolIdentity(tool), first);
    writeFileSync(tool, "#!/bin/sh\necho upgraded to a bigger version\n");
    const second = toolIdentity(tool);
    assert.notEqual(second, first);
    utimesSync(tool, new Date(2001, 1, 1), new Date(2001, 1, 1));
    assert.notEqual(toolIdentity(tool), second);
  });

  test("a symlink is identified by its target (a new store path = a new version)", () => {
    const dir = tempDir("bin");
    const v1 = fakeTool(join(dir, "store", "aaa-nix-2.18", "bin"), "nix");
    const v2 = fakeTool(join(dir, "store", "bbb-nix-2.19", "bin"), "nix");
    const link = join(dir, "nix");
    symlinkSync(v1, link);
    const before = toolIdentity(link);
    assert.ok(before.startsWith(`${v1}:`), before);
    const link2 = join(dir, "nix2");
    symlinkSync(v2, link2);
    assert.ok(toolIdentity(link2).startsWith(`${v2}:`));
  });

  test("a missing tool", () => {
    assert.equal(toolIdentity("/nonexistent/uv"), "/nonexistent/uv:missing");
  });
});
