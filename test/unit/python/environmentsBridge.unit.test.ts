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
import type { PackageRecord } from "../../../src/core/provenance";
import { HybridEnvironmentsBridge, type BridgeApi } from "../../../src/python/environmentsBridge";
import { fakeHost, FakeLog, settle } from "../fakes";
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
  setEnvironment = async (scope: Uri, env: PythonEnvironment | undefined) => {
    await this.managers.get(env?.envId.managerId ?? "")?.set(scope, env);
  };
  manager(): EnvironmentManager {
    return this.managers.get("hybrid-env.hybrid-env:hybrid")!;
  }
}

function setUp(folderCount = 1) {
  const host = fakeHost();
  const folders = Array.from({ length: folderCount }, (_, i) => hybridFolder(`f${i}`, i));
  host.workspace.workspaceFolders = folders;
  const api = new FakeEnvironmentsApi();
  const bridge = new HybridEnvironmentsBridge(api, host, new FakeLog(), "hybrid-env.hybrid-env");
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
  return { host, folders, api, bridge, lists, selections, target, manager: api.manager() };
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
    t.bridge.withdraw(t.folders[0]!);
    assert.equal(await t.manager.get(t.folders[0]!.uri), undefined);
    assert.deepEqual(await t.manager.getEnvironments("all"), []);
    assert.deepEqual(t.lists.at(-1), [{ kind: "remove", environment: env }]);
    assert.deepEqual(t.selections.at(-1), { uri: t.folders[0]!.uri, old: env, new: undefined });
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
    const [warning] = t.host.window.shown;
    assert.equal(warning?.kind, "warning");
    assert.match(warning!.message, /does not uninstall/);
    assert.match(warning!.message, /numpy comes from the Nix devShell: remove it from flake\.nix \(Hybrid Env: Remove Nix Package\)/);
    assert.match(warning!.message, /requests is a uv dependency: run `uv remove requests`/);
    assert.deepEqual(t.host.commands.executed, []);
  });
});
