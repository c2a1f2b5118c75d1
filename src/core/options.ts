// Everything that changes how the engine loads an environment. The VS Code config module and the
// CLI flags both produce one of these; the cache key includes the fields that change the result.
import { homedir } from "node:os";
import { join } from "node:path";
import type { TimeoutRaisedBy } from "./errors";

export interface EngineOptions {
  /** devShells.<system>.<devShell>. */
  readonly devShell: string;
  /** Evaluate the devShell's shellHook in bash (as `nix develop` does). */
  readonly runShellHook: boolean;
  /** Explicit tool paths; empty means search. */
  readonly nixPath: string;
  readonly uvPath: string;
  readonly nixTimeoutMs: number;
  readonly uvTimeoutMs: number;
  readonly useCache: boolean;
  readonly cacheDir: string;
  /** Write the Python layer into the venv (pythonLayer.ts; default true); false removes it. Not in the cache key. */
  readonly pythonLayer?: boolean;  /** uv does not install what Nix provides (nixProvided/; default true). In the cache key. */
  readonly skipNixProvided?: boolean;
  /** Packages uv installs its own copy of although Nix provides them (the user's choice). In the cache key. */
  readonly uvInstalls?: readonly string[];
}

/** What raises nixTimeoutMs (nix print-dev-env, the shellHook, the Python probe) and uvTimeoutMs. */
export const NIX_TIMEOUT: TimeoutRaisedBy = { setting: "hybridEnv.nixTimeoutSeconds", flag: "--timeout" };
export const UV_TIMEOUT: TimeoutRaisedBy = { setting: "hybridEnv.uvTimeoutSeconds", flag: "--timeout" };

export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith("/") ? xdg : join(env.HOME ?? homedir(), ".cache"), "hybrid-env");
}

export function defaultOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  return {
    devShell: "default",
    runShellHook: true,
    nixPath: "",
    uvPath: "",
    nixTimeoutMs: 600_000,
    uvTimeoutMs: 600_000,
    useCache: true,
    cacheDir: defaultCacheDir(),
    pythonLayer: true,
    skipNixProvided: true,
    ...overrides,
  };
}

/** A devShell name ends up in a flake reference: keep it to Nix attribute-name characters. */
export function isValidDevShellName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name);
}
