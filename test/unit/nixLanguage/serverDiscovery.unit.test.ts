// Which Nix language server the client starts: the setting's path, then PATH, then the devShell's
// PATH; nixd before nil for "auto"; only executables count.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, test } from "node:test";
import { findNixLanguageServer, kindOf, parseServerChoice, serverNames, type NixServerSearch } from "../../../src/nixLanguage/serverDiscovery";
import { tempDir } from "../tmp";

function fakeBin(dir: string, name: string, executable = true): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\nexit 0\n");
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

const path = (...dirs: string[]) => dirs.join(delimiter);

describe("Nix language server discovery", () => {
  const root = tempDir("lsp-discovery");
  const host = join(root, "host-bin");
  const host2 = join(root, "host-bin-2");
  const shell = join(root, "devshell-bin");
  const empty = join(root, "empty");
  mkdirSync(empty, { recursive: true });
  fakeBin(host2, "nil");
  fakeBin(shell, "nixd");
  fakeBin(shell, "nil");
  fakeBin(host, "nixd", false); // not executable: skipped
  const base: NixServerSearch = { choice: "auto", configuredPath: "", hostPath: path(host, host2), devShellPath: path(shell, host, host2) };

  test("auto: the first directory with either wins; within one directory nixd before nil", () => {
    const found = findNixLanguageServer(base);
    assert.deepEqual(found, { found: true, kind: "nil", command: join(host2, "nil"), from: "PATH" });
    const shellOnly = findNixLanguageServer({ ...base, hostPath: empty });
    assert.deepEqual(shellOnly, { found: true, kind: "nixd", command: join(shell, "nixd"), from: "devShell" });
  });

  test("PATH is searched before the devShell's PATH", () => {
    const found = findNixLanguageServer({ ...base, choice: "nil" });
    assert.equal(found.found && found.command, join(host2, "nil"));
    assert.equal(found.found && found.from, "PATH");
  });

  test("a choice of nixd looks only for nixd (a non-executable file does not count)", () => {
    const found = findNixLanguageServer({ ...base, choice: "nixd" });
    assert.deepEqual(found, { found: true, kind: "nixd", command: join(shell, "nixd"), from: "devShell" });
  });

  test("the devShell's PATH is used once loaded, and its directories that PATH has are not searched twice", () => {
    const notYet = findNixLanguageServer({ ...base, choice: "nixd", devShellPath: undefined });
    assert.equal(notYet.found, false);
    assert.ok(!notYet.found && !notYet.misconfigured, "nothing found is not worth a warning");
    assert.ok(!notYet.found && notYet.searched.every((p) => !p.startsWith(shell)));
    assert.equal(!notYet.found && notYet.searched.filter((p) => p === join(host, "nixd")).length, 1);
  });

  test("the setting's path comes first and its kind is read from its name", () => {
    const wrapper = fakeBin(join(root, "custom"), "nil-wrapper");
    assert.deepEqual(findNixLanguageServer({ ...base, configuredPath: wrapper }), { found: true, kind: "nil", command: wrapper, from: "setting" });
    const other = fakeBin(join(root, "custom"), "my-server");
    assert.equal(findNixLanguageServer({ ...base, configuredPath: other, choice: "nil" }).found && kindOf(other, "nil"), "nil");
    assert.equal(kindOf(other, "auto"), "nixd");
  });

  test("a setting path that is not executable is reported as misconfigured, with no fallback", () => {
    const found = findNixLanguageServer({ ...base, configuredPath: join(root, "missing", "nixd") });
    assert.equal(found.found, false);
    assert.ok(!found.found && found.misconfigured);
    assert.match(!found.found ? found.reason : "", /not an executable file/);
  });

  test("a bare name in the setting is looked up on PATH, then the devShell's PATH", () => {
    fakeBin(shell, "nil-custom");
    assert.deepEqual(findNixLanguageServer({ ...base, configuredPath: "nil-custom" }), { found: true, kind: "nil", command: join(shell, "nil-custom"), from: "setting" });
    const missing = findNixLanguageServer({ ...base, configuredPath: "nope" });
    assert.ok(!missing.found && missing.misconfigured);
  });

  test("off finds nothing and searches nothing", () => {
    assert.deepEqual(findNixLanguageServer({ ...base, choice: "off" }), { found: false, reason: "hybridEnv.nixLanguageServer is off", searched: [], misconfigured: false });
  });

  test("setting values", () => {
    assert.equal(parseServerChoice("nil"), "nil");
    assert.equal(parseServerChoice("bogus"), "auto");
    assert.equal(parseServerChoice(undefined), "auto");
    assert.deepEqual(serverNames("auto"), ["nixd", "nil"]);
    assert.deepEqual(serverNames("off"), []);
  });
});
