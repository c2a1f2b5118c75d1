// The per-folder choice to let uv install its own copy of a package Nix provides: kept in the
// workspace state, handed to the engine (so it is part of the cache key), the mismatch warning
// shown once, and its button handing the package to uv and reloading.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { NixProvidedPackage, NixProvidedReport } from "../../../src/core/nixProvided/report";
import { FolderEnvironment } from "../../../src/folders/folderEnvironment";
import { LET_UV_INSTALL, UvInstallChoices } from "../../../src/folders/uvInstallChoices";
import { FakeState, FakeWindow, fakeFolder, settle } from "../fakes";
import { environmentOf, harness, hybridFolder } from "./harness";

const owners: FolderEnvironment[] = [];
afterEach(() => owners.splice(0).forEach((o) => o.dispose()));

function pkg(name: string, satisfied: boolean, extra: Partial<NixProvidedPackage> = {}): NixProvidedPackage {
  return {
    name,
    nixVersion: "1.0",
    nixLocation: "/nix/store/x/site-packages",
    lockedVersion: "2.0",
    uvInstalls: false,
    requirements: [{ by: "the project", specifier: ">=2", satisfied }],
    satisfied,
    ...extra,
  };
}

const report = (...packages: NixProvidedPackage[]): NixProvidedReport => ({ packages });

describe("UvInstallChoices", () => {
  test("per folder, normalised, sorted; removing the last one clears the entry", async () => {
    const state = new FakeState();
    const choices = new UvInstallChoices(state, new FakeWindow());
    const a = fakeFolder("/w/a", 0);
    const b = fakeFolder("/w/b", 1);
    assert.equal(await choices.set(a, "Torch_Vision", true), true);
    assert.equal(await choices.set(a, "jax", true), true);
    assert.equal(await choices.set(a, "jax", true), false, "no change");
    assert.deepEqual(choices.get(a), ["jax", "torch-vision"]);
    assert.deepEqual(choices.get(b), []);
    await choices.set(a, "jax", false);
    await choices.set(a, "torch-vision", false);
    assert.equal(state.values.size, 0);
  });

  test("a mismatch warns once; a satisfied or handed-over package does not", async () => {
    const window = new FakeWindow();
    const choices = new UvInstallChoices(new FakeState(), window);
    const folder = fakeFolder("/w/a", 0);
    await choices.warnOnce(folder, report(pkg("torch", false), pkg("jax", true), pkg("numpy", false, { uvInstalls: true })));
    assert.equal(window.shown.length, 1);
    assert.match(window.shown[0]!.message, /Nix's torch 1\.0 does not satisfy what the project needs \(the project asks >=2\)/);
    assert.deepEqual(window.shown[0]!.actions, [LET_UV_INSTALL, "Keep Nix's Copy"]);
    await choices.warnOnce(folder, report(pkg("torch", false)));
    assert.equal(window.shown.length, 1, "not again for the same mismatch");
    await choices.warnOnce(folder, report(pkg("torch", false, { nixVersion: "1.1" })));
    assert.equal(window.shown.length, 2, "again for another Nix version");
  });

  test("the button hands the package to uv", async () => {
    const window = new FakeWindow();
    window.answers.push({ match: /torch/, answer: LET_UV_INSTALL });
    const choices = new UvInstallChoices(new FakeState(), window);
    const folder = fakeFolder("/w/a", 0);
    const handed = await choices.warnOnce(folder, report(pkg("torch", false)));
    assert.deepEqual(handed.map((p) => p.name), ["torch"]);
    assert.deepEqual(choices.get(folder), ["torch"]);
  });
});

describe("FolderEnvironment with the choices", () => {
  function setUp() {
    const h = harness();
    const folder = hybridFolder();
    h.host.workspace.workspaceFolders = [folder];
    const choices = new UvInstallChoices(new FakeState(), h.host.window);
    const owner = new FolderEnvironment(folder, { ...h.services, uvInstallChoices: choices });
    owners.push(owner);
    return { ...h, folder, owner, choices };
  }

  test("the engine gets the folder's exceptions and the setting", async () => {
    const t = setUp();
    await t.choices.set(t.folder, "torch", true);
    const entering = t.owner.enter();
    assert.deepEqual(t.engine.last().request.options.uvInstalls, ["torch"]);
    assert.equal(t.engine.last().request.options.skipNixProvided, true);
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
  });

  test("a mismatch after a load: the warning, and its button reloads with the package handed to uv", async () => {
    const t = setUp();
    t.host.window.answers.push({ match: /does not satisfy/, answer: LET_UV_INSTALL });
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: { ...environmentOf(t.folder, "one"), nixProvided: report(pkg("torch", false)) } });
    await entering;
    await settle();
    assert.equal(t.engine.loads.length, 2, "reloaded");
    assert.deepEqual(t.engine.last().request.options.uvInstalls, ["torch"]);
    assert.equal(t.engine.last().request.options.useCache, false);
    t.engine.last().finish({ environment: { ...environmentOf(t.folder, "one"), nixProvided: report(pkg("torch", false, { uvInstalls: true })) } });
    await settle();
    assert.equal(t.host.window.shown.filter((s) => /does not satisfy/.test(s.message)).length, 1);
  });

  test("setUvInstalls reloads only when the choice changed", async () => {
    const t = setUp();
    const entering = t.owner.enter();
    t.engine.last().finish({ environment: environmentOf(t.folder, "one") });
    await entering;
    void t.owner.setUvInstalls("torch", false);
    await settle();
    assert.equal(t.engine.loads.length, 1);
    void t.owner.setUvInstalls("Torch", true);
    await settle();
    assert.equal(t.engine.loads.length, 2);
  });
});
