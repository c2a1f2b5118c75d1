// The effective settings are logged per folder, one line each, with every setting named.
import assert from "node:assert/strict";
import { test } from "node:test";
import { logEffectiveConfig } from "../../../src/config/config";
import { CONFIG_DEFAULTS } from "../../../src/config/configKeys";
import { fakeFolder, FakeLog, FakeWorkspace } from "../fakes";

test("one line per folder with each setting's effective value", () => {
  const workspace = new FakeWorkspace();
  const a = fakeFolder("/w/a", 0);
  const b = fakeFolder("/w/b", 1);
  workspace.workspaceFolders = [a, b];
  workspace.set("hybridEnv", "devShell", "gpu", b);
  const log = new FakeLog();
  logEffectiveConfig(workspace, log);
  assert.equal(log.lines.length, 2);
  assert.match(log.lines[0]!, /^info settings of a: .*devShell="default"/);
  assert.match(log.lines[1]!, /^info settings of b: .*devShell="gpu"/);
  for (const key of Object.keys(CONFIG_DEFAULTS)) assert.match(log.lines[0]!, new RegExp(`\\b${key}=`));
});

test("without folders, the window's settings", () => {
  const log = new FakeLog();
  logEffectiveConfig(new FakeWorkspace(), log);
  assert.match(log.lines[0]!, /^info settings: autoEnter="ask"/);
});
