// The Python Environments bridge against a stand-in of that extension's API, written after its
// published types and the behaviour measured in /work/shared/vendor/python-extensions (manager
// ids from the caller's extension id; setEnvironment hands the choice to the manager's set).
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type {
  DidChangeEnvironmentEventArgs,
  DidChangeEnvironmentsEventArgs,
  EnvironmentManager,
  PackageManager,
  PythonEnvironment,
  PythonEnvironmentInfo,
} from "@vscode/python-environments";
import type { Uri } from "vscode";
import { Emitter } from "../../../src/common/emitter";
import type { EnvsManagerSettings } from "../../../src/config/foreignSettings";
import type { PackageRecord } from "../../../src/core/provenance";
import { HybridEnvironmentsBridge, REASSERT_WINDOW_MS, type BridgeApi } from "../../../src/python/environmentsBridge";
import { EnvsSettingsKeeper, withoutManager } from "../../../src/python/environmentsSettings";
import { fakeHost, FakeLog, FakeState, settle } from "../fakes";
import { hybridFolder } from "../folders/harness";

class FakeEnvironmentsApi implements BridgeApi {
  readonly managers = new Map<string, EnvironmentManager>();
  readonly registrations: Array<{ kind: string; extensionId?: string }> = [];
  private n = 0;
  registerEnvironmentManager = (manager: EnvironmentManager, options?: { extensionId?: string }) => {
    this.registrations.push({ kind: "environment", extensionId: options?.extensionId });
    this.managers.set(`${options?.extensionId ?? "ms-python.python"}:${manager.name}`, manager);
    return { dispose() {} };
  };
  packageManager?: PackageManager;
  registerPackageManager = (manager: PackageManager, options?: { extensionId?: string }) => {
    this.packageManager = manager;
    this.registrations.push({ kind: "package", extensionId: options?.extensionId });
    return { dispose() {} };
  };
  createPythonEnvironmentItem = (info: PythonEnvironmentInfo, manager: EnvironmentManager): PythonEnvironment => {
    const managerId = [...this.managers].find(([, m]) => m === manager)?.[0];
    if (!managerId) throw new Error("Environment manager not found");
    return { ...info, envId: { id: `${info.name}-${++this.n}`, managerId } } as PythonEnvironment;
  };
  createPackageItem = ((info: { name: string }) => ({ ...info })) as unknown as BridgeApi["createPackageItem"];
  /** The real one fires when the folder's active environment changes (envManagers.setEnvironment). */
  private readonly changed = new Emitter<DidChangeEnvironmentEventArgs>();
  onDidChangeEnvironment = this.changed.event;
  readonly active = new Map<string, PythonEnvironment | undefined>();
  setEnvironment = async (scope: Uri, env: PythonEnvironment | undefined) => {
    await this.managers.get(env?.envId.managerId ?? "")?.set(scope, env);
    this.select(scope, env);
  };
  /** Its own start-up selection (setEnvironment(folder, env, false) inside the extension). */
  select(scope: Uri, env: PythonEnvironment | undefined): void {
    const old = this.active.get(scope.toString());
    this.active.set(scope.toString(), env);
    if (old?.envId.id !== env?.envId.id) this.changed.fire({ uri: scope, old, new: env });
  }
  manager(): EnvironmentManager {
    return this.managers.get("hybrid-env.hybrid-env:hybrid")!;
  }
}

const MANAGER_ID = "hybrid-env.hybrid-env:hybrid";

/** The settings Python Environments' setEnvironment writes, as a map per folder. */
class FakeSettings {
  readonly values = new Map<string, EnvsManagerSettings>();
  read = (folder: { uri: Uri }) => this.values.get(folder.uri.toString()) ?? {};
  write = async (folder: { uri: Uri }, wanted: EnvsManagerSettings) => void this.values.set(folder.uri.toString(), wanted);
  open = () => undefined;
}

function setUp(folderCount = 1) {
  const host = fakeHost();
  const folders = Array.from({ length: folderCount }, (_, i) => hybridFolder(`f${i}`, i));
  host.workspace.workspaceFolders = folders;
  const api = new FakeEnvironmentsApi();
  const settings = new FakeSettings();
  const clock = { now: 1_000 };
  const keeper = new EnvsSettingsKeeper(settings, new FakeState(), new FakeState(), host.window, new FakeLog(), MANAGER_ID);
  // As the real one does: its setEnvironment saves the selection in the folder's settings.
  const realSet = api.setEnvironment;
  api.setEnvironment = async (scope, env) => {
    await realSet(scope, env);
    if (env) settings.values.set(scope.toString(), { ...settings.values.get(scope.toString()), defaultEnvManager: env.envId.managerId, defaultPackageManager: env.envId.managerId });
  };
  const bridge = new HybridEnvironmentsBridge(api, host, new FakeLog(), "hybrid-env.hybrid-env", keeper, () => clock.now);
  const lists: DidChangeEnvironmentsEventArgs[] = [];
  const selections: DidChangeEnvironmentEventArgs[] = [];
  api.manager().onDidChangeEnvironments!((e) => lists.push(e));
  api.manager().onDidChangeEnvironment!((e) => selections.push(e));
  const target = (i: number, packages: PackageRecord[] = []) => ({
    folder: folders[i]!,
    venvPython: join(folders[i]!.uri.fsPath, ".venv", "bin", "python"),
    version: "3.12.0",
    provenance: { packages, counts: { nix: 0, uv: 0, shadowed: 0 } } as never,
  });
  return { host, folders, api, bridge, lists, selections, target, manager: api.manager(), settings, clock };
}

describe("HybridEnvironmentsBridge", () => {
  test("registers with the extension's id, so the manager id is hybrid-env's own", () => {
    const t = setUp();
    assert.deepEqual(t.api.registrations, [{ kind: "environment", extensionId: "hybrid-env.hybrid-env" }, { kind: "package", extensionId: "hybrid-env.hybrid-env" }]);
    assert.equal(t.manager.preferredPackageManagerId, "hybrid-env.hybrid-env:hybrid");
  });

  test("publish lists the environment, announces it and selects it for the folder", async () => {
    const t = setUp();
    await t.bridge.publish(t.target(0));
    const env = (await t.manager.get(t.folders[0]!.uri))!;
    assert.equal(env.displayName, "Hybrid (Nix + uv) · f0");
    assert.deepEqual(t.lists.map((l) => l.map((c) => c.kind)), [["add"]]);
    assert.deepEqual(t.selections.map((s) => [s.old, s.new]), [[undefined, env]]);
    assert.deepEqual(await t.manager.getEnvironments("all"), [env]);
  });

  test("Exit: the environment leaves the list and the folder's selection, with both events", async () => {
    const t = setUp();
    await t.bridge.publish(t.target(0));
    const env = await t.manager.get(t.folders[0]!.uri);
    await t.bridge.withdraw(t.folders[0]!);
    assert.equal(await t.manager.get(t.folders[0]!.uri), undefined);
    assert.deepEqual(await t.manager.getEnvironments("all"), []);
    assert.deepEqual(t.lists.at(-1), [{ kind: "remove", environment: env }]);
    assert.deepEqual(t.selections.at(-1), { uri: t.folders[0]!.uri, old: env, new: undefined });
  });

  test("its own start-up selection landing after ours is answered by selecting Hybrid again; a later change is kept", async () => {
    const t = setUp();
    const uri = t.folders[0]!.uri;
    await t.bridge.publish(t.target(0));
    const hybrid = t.api.active.get(uri.toString())!;
    const venv = { ...hybrid, displayName: "fixture-app (3.12)", envId: { id: "venv-1", managerId: "ms-python.python:venv" } } as PythonEnvironment;
    t.api.select(uri, venv);
    await settle();
    assert.equal(t.api.active.get(uri.toString())?.envId.id, hybrid.envId.id, "Hybrid again");
    t.clock.now += REASSERT_WINDOW_MS + 1;
    t.api.select(uri, venv);
    await settle();
    assert.equal(t.api.active.get(uri.toString())?.envId.id, "venv-1", "the user's choice, later, stays");
  });

  test("Exit puts back the python-envs settings of before Enter, which Python Environments' setEnvironment had replaced", async () => {
    const t = setUp();
    const key = t.folders[0]!.uri.toString();
    t.settings.values.set(key, { defaultEnvManager: "ms-python.python:venv" });
    await t.bridge.publish(t.target(0));
    assert.equal(t.settings.values.get(key)?.defaultEnvManager, MANAGER_ID);
    assert.match(t.host.window.shown.at(-1)?.message ?? "", /Python Environments saved its selection .*Exit puts the previous values back/);
    await t.bridge.publish(t.target(0));
    assert.equal(t.host.window.shown.filter((m) => /Python Environments saved/.test(m.message)).length, 1, "told once, not at every load");
    await t.bridge.withdraw(t.folders[0]!);
    assert.deepEqual(t.settings.values.get(key), { defaultEnvManager: "ms-python.python:venv", defaultPackageManager: undefined, pythonProjects: undefined });
  });

  test("withoutManager: ours out, the earlier values back; a user's own values untouched", () => {
    const before = { pythonProjects: [{ path: ".", envManager: "ms-python.python:conda" }, { path: "sub", envManager: "x:y" }] };
    const now = { defaultEnvManager: "mine:m", pythonProjects: [{ path: ".", envManager: MANAGER_ID, packageManager: MANAGER_ID }, { path: "sub", envManager: "x:y" }] };
    assert.deepEqual(withoutManager(now, before, MANAGER_ID), { defaultEnvManager: "mine:m", defaultPackageManager: undefined, pythonProjects: before.pythonProjects });
    assert.deepEqual(withoutManager({ pythonProjects: [{ path: ".", envManager: MANAGER_ID }] }, {}, MANAGER_ID).pythonProjects, undefined);
  });

  test("set records what Python Environments selects, and announces it", async () => {
    const t = setUp();
    await t.bridge.publish(t.target(0));
    const env = await t.manager.get(t.folders[0]!.uri);
    await t.manager.set(t.folders[0]!.uri, undefined);
    assert.equal(await t.manager.get(t.folders[0]!.uri), undefined);
    await t.manager.set([t.folders[0]!.uri], env);
    assert.equal(await t.manager.get(t.folders[0]!.uri), env);
    assert.deepEqual(t.selections.slice(-2).map((s) => s.new), [undefined, env]);
  });

  test("refresh drops an environment whose venv was deleted", async () => {
    const t = setUp(2);
    await t.bridge.publish(t.target(0));
    await t.bridge.publish(t.target(1));
    rmSync(join(t.folders[1]!.uri.fsPath, ".venv"), { recursive: true });
    await t.manager.refresh(undefined);
    assert.deepEqual((await t.manager.getEnvironments("all")).map((e) => e.displayName), ["Hybrid (Nix + uv) · f0"]);
    assert.equal(t.lists.at(-1)?.[0]?.kind, "remove");
  });

  test("install goes to the environment's own folder, not the active one", async () => {
    const t = setUp(2);
    await t.bridge.publish(t.target(0));
    await t.bridge.publish(t.target(1));
    t.host.window.activeEditor = t.host.workspace.fileUri(join(t.folders[0]!.uri.fsPath, "x.py"));
    const envOfB = (await t.manager.get(t.folders[1]!.uri))!;
    await t.api.packageManager!.manage(envOfB, { install: ["requests"] });
    assert.deepEqual(t.host.commands.executed, [{ id: "hybridEnv.addUvPackage", args: [t.folders[1]!.uri, "requests"] }]);
  });

  test("uninstall is refused with the reason and what to do instead", async () => {
    const t = setUp();
    const nix = { name: "numpy", source: "nix" } as PackageRecord;
    const uv = { name: "requests", source: "uv" } as PackageRecord;
    await t.bridge.publish(t.target(0, [nix, uv]));
    const env = (await t.manager.get(t.folders[0]!.uri))!;
    await t.api.packageManager!.manage(env, { uninstall: ["numpy", "requests"] });
    await settle();
    const warning = t.host.window.shown.find((m) => m.kind === "warning");
    assert.equal(warning?.kind, "warning");
    assert.match(warning!.message, /does not uninstall/);
    assert.match(warning!.message, /numpy comes from the Nix devShell: remove it from flake\.nix \(Hybrid Env: Remove Nix Package\)/);
    assert.match(warning!.message, /requests is a uv dependency: run `uv remove requests`/);
    assert.deepEqual(t.host.commands.executed, []);
  });
});
