// What a FolderEnvironment is given (services, the engine's entry points) and the small rules of
// its loads (which request wins when two queue, how long other extensions may take).
import type { WorkspaceFolder } from "vscode";
import type { ErrorPresenter, LoadTrigger } from "../common/errorPresenter";
import type { LogChannel } from "../common/logger";
import { cachedEnvironment, currentKey, loadEnvironment } from "../core/engine";
import type { EnvMap } from "../core/mutations";
import type { HostApis, TerminalEnvironment } from "../platform/apis";
import type { PythonIntegration } from "../python/integration";
import type { UvInstallChoices } from "./uvInstallChoices";

/** The engine entry points a folder uses (the core's; a unit test passes its own). */
export interface FolderEngine {
  readonly loadEnvironment: typeof loadEnvironment;
  readonly cachedEnvironment: typeof cachedEnvironment;
  readonly currentKey: typeof currentKey;
}

export const coreEngine: FolderEngine = { loadEnvironment, cachedEnvironment, currentKey };

export interface FolderServices {
  readonly apis: HostApis;
  readonly log: LogChannel;
  readonly python: PythonIntegration;
  readonly errors: Pick<ErrorPresenter, "present" | "clear">;
  /** The environment terminals start from (the extension host's). */
  readonly hostEnv: EnvMap;
  readonly terminalFor: (folder: WorkspaceFolder) => TerminalEnvironment;
  readonly engine?: FolderEngine;
  /** Milliseconds before a load shows a notification, and of quiet before an automatic reload. */
  readonly delays?: { readonly progressMs: number; readonly quietMs: number };
  /** The packages each folder lets uv install although Nix provides them (workspace state). */
  readonly uvInstallChoices?: UvInstallChoices;
  /** The devShell picked for the folder (Choose devShell…), which overrides hybridEnv.devShell. */
  readonly devShellFor?: (folder: WorkspaceFolder) => string | undefined;
}

export interface LoadOptions {
  readonly useCache: boolean;
  readonly trigger: LoadTrigger;
}

/**
 * Files whose change may make the environment stale: the cache key's files, which include the
 * .nix files the flake imports from sub-folders. An event on a .nix file the flake does not use
 * leaves the key, and so the state, as it was.
 */
export const WATCHED_FILES = "{flake.nix,flake.lock,pyproject.toml,uv.lock,**/*.nix}";
export const DEFAULT_DELAYS = { progressMs: 2000, quietMs: 400 };
export const PYTHON_STEP_TIMEOUT_MS = 20_000;
/** At most this often the snapshot takes new counters (status bar, notification, view). */
export const PROGRESS_INTERVAL_MS = 250;

/** A queued request and a later one: a fresh evaluation wins, and so does the user's. */
export function mergeLoads(queued: LoadOptions, next: LoadOptions): LoadOptions {
  return { useCache: queued.useCache && next.useCache, trigger: queued.trigger === "user" ? "user" : next.trigger };
}

export function withTimeout<T>(work: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}
