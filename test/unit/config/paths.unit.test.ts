// One expansion for the path settings (nixPath, uvPath, nixLanguageServerPath), and readConfig
// applies it to each of them.
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { describe, test } from "node:test";
import { readConfig } from "../../../src/config/config";
import { expandPathSetting } from "../../../src/config/paths";
import { fakeFolder, FakeWorkspace } from "../fakes";

const ctx = { workspaceFolder: "/work/proj", userHome: "/home/ada" };

describe("expandPathSetting", () => {
  test("${workspaceFolder}, ${userHome} and a leading ~", () => {
    assert.equal(expandPathSetting("${workspaceFolder}/bin/nixd", ctx), "/work/proj/bin/nixd");
    assert.equal(expandPathSetting("${userHome}/.nix-profile/bin/nix", ctx), "/home/ada/.nix-profile/bin/nix");
    assert.equal(expandPathSetting("~/.local/bin/uv", ctx), "/home/ada/.local/bin/uv");
    assert.equal(expandPathSetting("~", ctx), "/home/ada");
    assert.equal(expandPathSetting("  /usr/bin/nix  ", ctx), "/usr/bin/nix");
  });

  test("what is not a leading ~ or a known variable stays as written", () => {
    assert.equal(expandPathSetting("/opt/~x/uv", ctx), "/opt/~x/uv");
    assert.equal(expandPathSetting("~other/bin/uv", ctx), "~other/bin/uv");
    assert.equal(expandPathSetting("${env:HOME}/uv", ctx), "${env:HOME}/uv");
    assert.equal(expandPathSetting("nixd", ctx), "nixd");
    assert.equal(expandPathSetting("", ctx), "");
  });

  test("without a folder, ${workspaceFolder} stays (the not-found message shows it)", () => {
    assert.equal(expandPathSetting("${workspaceFolder}/uv", { userHome: "/h" }), "${workspaceFolder}/uv");
  });
});

test("readConfig expands all three path settings the same way", () => {
  const workspace = new FakeWorkspace();
  const folder = fakeFolder("/work/proj");
  workspace.set("hybridEnv", "nixPath", "~/bin/nix");
  workspace.set("hybridEnv", "uvPath", "${workspaceFolder}/tools/uv", folder);
  workspace.set("hybridEnv", "nixLanguageServerPath", "${userHome}/bin/nixd");
  const config = readConfig(workspace, folder);
  assert.equal(config.nixPath, `${homedir()}/bin/nix`);
  assert.equal(config.uvPath, "/work/proj/tools/uv");
  assert.equal(config.nixLanguageServerPath, `${homedir()}/bin/nixd`);
});
