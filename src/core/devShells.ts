// The flake's devShells.<system> names, for a picker and `hybrid-env shells`. Evaluated with
// `nix eval --json --offline … --apply` (attribute names only: no devShell is built or even
// evaluated beyond its name), and cached under the same files' key as environments, so a second
// listing of an unchanged folder starts no process.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite, cacheKey, projectCacheDir } from "./cache";
import { detectProject } from "./detect";
import { InvalidInputError } from "./errors";
import type { EnvMap } from "./mutations";
import { flakeRef, NIX_FEATURE_ARGS } from "./nix";
import { classifyNixFailure } from "./nixErrors";
import { NIX_TIMEOUT } from "./options";
import type { ProcessRunner } from "./process";
import { toolIdentity } from "./tools";

export interface DevShellsRequest {
  readonly nix: string;
  readonly dir: string;
  readonly env: EnvMap;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  /** hybrid-env's cache folder; undefined: evaluate every time. */
  readonly cacheDir?: string;
  /** Nix's name of this machine; default from Node's platform and architecture. */
  readonly system?: string;
}

export interface DevShellList {
  readonly system: string;
  /** devShells.<system> names, sorted ("default" first when there is one). */
  readonly names: readonly string[];
  /** Every system's names, to say "only for aarch64-darwin" when this one has none. */
  readonly bySystem: Readonly<Record<string, readonly string[]>>;
  /**
   * The systems of the legacy `devShell.<system>` output (Nix before 2.7 knew only that one),
   * looked up only when this system has no devShells. hybrid-env loads devShells.<system>.NAME.
   */
  readonly legacySystems: readonly string[];
  readonly fromCache: boolean;
}

/** Not a devShell name (they are validated): cannot collide with an environment's key. */
const KEY_LABEL = "<devShells>";
const APPLY = "builtins.mapAttrs (system: shells: builtins.attrNames shells)";
const LEGACY_APPLY = "builtins.attrNames";

const NIX_ARCH: Readonly<Record<string, string>> = { x64: "x86_64", arm64: "aarch64", ia32: "i686", riscv64: "riscv64", ppc64: "powerpc64le" };

/** x86_64-linux, aarch64-darwin, …: what `builtins.currentSystem` says on a default Nix. */
export function nixSystem(platform: string = process.platform, arch: string = process.arch): string {
  return `${NIX_ARCH[arch] ?? arch}-${platform}`;
}

export function devShellsArgs(dir: string, output: "devShells" | "devShell" = "devShells"): string[] {
  return ["eval", "--json", "--offline", ...NIX_FEATURE_ARGS, flakeRef(dir, output), "--apply", output === "devShells" ? APPLY : LEGACY_APPLY];
}

interface CachedList {
  readonly bySystem: Record<string, string[]>;
  readonly legacySystems: string[];
}

export async function listDevShells(runner: ProcessRunner, req: DevShellsRequest): Promise<DevShellList> {
  const system = req.system ?? nixSystem();
  const project = detectProject(req.dir, "default", req.env);
  if (!project.flakePath) throw new InvalidInputError(`${project.dir} has no flake.nix: there are no devShells to list.`);
  const key = cacheKey({ project, options: { devShell: KEY_LABEL, runShellHook: false }, nixIdentity: toolIdentity(req.nix), uvIdentity: "none" });
  const file = req.cacheDir ? join(projectCacheDir(req.cacheDir, project.dir), "devshells.json") : undefined;
  const cached = file ? readCached(file, key) : undefined;
  if (cached) return listFor(system, cached, true);

  /** Nix's JSON, or undefined when the flake has no such output. */
  const evalNames = async (output: "devShells" | "devShell"): Promise<string | undefined> => {
    const result = await runner.run(req.nix, devShellsArgs(project.dir, output), {
      what: `nix eval ${output}`,
      cwd: project.dir,
      env: req.env,
      signal: req.signal,
      timeoutMs: req.timeoutMs,
      timeoutRaisedBy: NIX_TIMEOUT,
      maxStdoutBytes: 4 * 1024 * 1024,
    });
    if (result.exitCode === 0) return result.stdout;
    if (new RegExp(`does not provide attribute .*'${output}'`).test(result.stderr)) return undefined;
    if (/offline mode|unable to download|cannot (download|fetch)/i.test(result.stderr)) {
      throw new InvalidInputError("Listing devShells runs Nix offline, and the flake's inputs are not in the store yet: load the environment once (hybrid-env env), then list again.");
    }
    throw classifyNixFailure(result.stderr, result.commandLine, result.exitCode, project.dir);
  };
  const names = await evalNames("devShells");
  const bySystem = names === undefined ? {} : parseNames(names);
  // Only a flake without devShells for this system pays for the second evaluation.
  const legacy = (bySystem[system] ?? []).length === 0 ? await evalNames("devShell") : undefined;
  const list: CachedList = { bySystem, legacySystems: legacy === undefined ? [] : parseSystems(legacy) };
  if (file) {
    mkdirSync(join(file, ".."), { recursive: true });
    atomicWrite(file, JSON.stringify({ key, ...list }));
  }
  return listFor(system, list, false);
}

function listFor(system: string, list: CachedList, fromCache: boolean): DevShellList {
  const names = [...(list.bySystem[system] ?? [])].sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return { system, names, bySystem: list.bySystem, legacySystems: list.legacySystems, fromCache };
}

/** `{ "x86_64-linux": ["default", "docs"] }`; anything else is Nix misbehaving. */
export function parseNames(stdout: string): Record<string, string[]> {
  const value: unknown = JSON.parse(stdout);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`nix eval printed no attribute set: ${stdout.slice(0, 200)}`);
  const out: Record<string, string[]> = {};
  for (const [system, names] of Object.entries(value)) {
    if (Array.isArray(names)) out[system] = names.filter((n): n is string => typeof n === "string");
  }
  return out;
}

/** `["x86_64-linux"]`: the systems of the legacy output. */
export function parseSystems(stdout: string): string[] {
  const value: unknown = JSON.parse(stdout);
  if (!Array.isArray(value)) throw new Error(`nix eval printed no list: ${stdout.slice(0, 200)}`);
  return value.filter((s): s is string => typeof s === "string");
}

function readCached(file: string, key: string): CachedList | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as { key?: string; bySystem?: Record<string, string[]>; legacySystems?: string[] };
    if (entry.key !== key || !entry.bySystem || typeof entry.bySystem !== "object") return undefined;
    return { bySystem: entry.bySystem, legacySystems: Array.isArray(entry.legacySystems) ? entry.legacySystems : [] };
  } catch {
    return undefined;
  }
}
