// A FolderEnvironment (or a registry) on a real temp folder with flake.nix and pyproject.toml, the
// VS Code wrappers faked (../fakes.ts), and an engine whose loads the test finishes by hand: the
// state machine's logic is what is tested here; the real nix and uv loads are tested in
// test/integration and in the VS Code suites.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { WorkspaceFolder } from "vscode";
import { ErrorPresenter } from "../../../src/common/errorPresenter";
import { detectProject } from "../../../src/core/detect";
import type { LoadRequest, LoadResult } from "../../../src/core/engine";
import type { HybridEnvironment } from "../../../src/core/environment";
import { CancelledError, type HybridEnvError } from "../../../src/core/errors";
import type { Mutation } from "../../../src/core/mutations";
import type { FolderEngine, FolderServices } from "../../../src/folders/folderEnvironment";
import type { FolderPython, PythonIntegration } from "../../../src/python/integration";
import { fakeFolder, fakeHost, FakeDiagnostics, FakeLog, FakeTerminal, type FakeHost } from "../fakes";
import { tempDir } from "../tmp";

export function hybridFolder(name = "proj", index = 0): WorkspaceFolder {
  const dir = join(tempDir(name), name);
  mkdirSync(join(dir, ".venv", "bin"), { recursive: true });
  writeFileSync(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
  writeFileSync(join(dir, "pyproject.toml"), '[project]\nname = "p"\nversion = "0"\n');
  writeFileSync(join(dir, ".venv", "bin", "python"), "");
  return fakeFolder(dir, index);
}

export function environmentOf(folder: WorkspaceFolder, value: string): HybridEnvironment {
  const project = detectProject(folder.uri.fsPath, "default", {});
  const mutations: Mutation[] = [{ op: "replace", name: "FROM_NIX", value }];
  return {
    project,
    mutations,
    python: { venvPython: join(folder.uri.fsPath, ".venv", "bin", "python"), version: "3.12.0" },
    createdAt: new Date(0).toISOString(),
    timings: {},
  };
}

interface PendingLoad {
  readonly request: LoadRequest;
  finish(result: Partial<LoadResult> & { environment: HybridEnvironment }): void;
  fail(error: Error): void;
}

/** An engine whose loads wait for the test; `honourSignal: false` plays a load past its last process. */
export class ManualEngine implements FolderEngine {
  readonly loads: PendingLoad[] = [];
  cached: { environment: HybridEnvironment; key: string } | undefined;
  key = "key-1";
  honourSignal = true;

  loadEnvironment = (request: LoadRequest): Promise<LoadResult> =>
    new Promise<LoadResult>((resolve, reject) => {
      if (this.honourSignal) request.signal?.addEventListener("abort", () => reject(new CancelledError("nix print-dev-env")), { once: true });
      this.loads.push({
        request,
        finish: (r) => resolve({ key: this.key, fromCache: false, ...r }),
        fail: reject,
      });
    });
  cachedEnvironment = () => this.cached;
  currentKey = () => this.key;

  last(): PendingLoad {
    const load = this.loads.at(-1);
    if (!load) throw new Error("no load started");
    return load;
  }
}

/** An engine whose loads finish at once with the folder's environment; `loads` lists the folders loaded. */
export function instantEngine(folder: WorkspaceFolder): { engine: FolderEngine; loads: string[] } {
  const loads: string[] = [];
  const engine: FolderEngine = {
    loadEnvironment: async (req) => (loads.push(req.dir), { environment: environmentOf(folder, "x"), key: "k", fromCache: false }),
    cachedEnvironment: () => undefined,
    currentKey: () => "k",
  };
  return { engine, loads };
}

export type PythonCall = { readonly op: "select" | "forget"; readonly detail?: string };

/** Records the calls; `selectGate` holds select() until the test releases it. */
export class RecordingPython implements PythonIntegration {
  readonly calls: PythonCall[] = [];
  selectGate: Promise<void> | undefined;

  async select(target: FolderPython): Promise<void> {
    this.calls.push({ op: "select", detail: target.venvPython });
    await this.selectGate;
  }
  async forget(): Promise<void> {
    this.calls.push({ op: "forget" });
  }
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }
}

export interface Harness {
  readonly host: FakeHost;
  readonly engine: ManualEngine;
  readonly python: RecordingPython;
  readonly terminal: FakeTerminal;
  readonly log: FakeLog;
  readonly diagnostics: FakeDiagnostics;
  readonly errors: ErrorPresenter;
  readonly services: FolderServices;
}

export function harness(): Harness {
  const host = fakeHost();
  const engine = new ManualEngine();
  const python = new RecordingPython();
  const terminal = new FakeTerminal();
  const log = new FakeLog();
  const diagnostics = new FakeDiagnostics();
  const errors = new ErrorPresenter(host, diagnostics, { showLog: () => log.show(), trackFile: async () => undefined, reload: () => undefined }, log);
  const services: FolderServices = {
    apis: host,
    log,
    python,
    errors,
    hostEnv: { PATH: "/usr/bin" },
    terminalFor: () => terminal,
    engine,
    delays: { progressMs: 60_000, quietMs: 0 },
  };
  return { host, engine, python, terminal, log, diagnostics, errors, services };
}

export type { HybridEnvError };
