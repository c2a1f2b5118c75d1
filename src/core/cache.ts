// The environment cache. An entry is keyed by a hash of everything that changes the result, so a
// warm load is a few stat() and read() calls and starts no process. Per project folder we also
// keep the last environment that loaded successfully, served when a new evaluation fails.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "./detect";
import { readProjectSources } from "./flake/projectFiles";
import type { HybridEnvironment } from "./environment";
import type { EngineOptions } from "./options";

/** Bump when the shape of HybridEnvironment or the meaning of a key changes. */
export const CACHE_FORMAT = 3;
const ENTRIES_KEPT_PER_PROJECT = 5;

export interface CacheKeyInputs {
  readonly project: Project;
  readonly options: Pick<EngineOptions, "devShell" | "runShellHook" | "skipNixProvided" | "uvInstalls">;
  /** toolIdentity() of nix and uv: changes when a tool is upgraded. */
  readonly nixIdentity: string;
  readonly uvIdentity: string;
}

/**
 * Files whose content changes the environment: the flake, its lock, other .nix files beside it,
 * the .nix files of sub-folders the flake imports by relative path (`import ./nix/devshell.nix`,
 * followed file by file, as the package-list editor reads them), and the uv project.
 */
export function keyFiles(project: Project): string[] {
  const files = [project.flakePath, project.flakeLockPath, project.pyprojectPath, project.uvLockPath];
  let siblings: string[] = [];
  try {
    siblings = readdirSync(project.dir)
      .filter((n) => n.endsWith(".nix") && n !== "flake.nix")
      .sort()
      .map((n) => join(project.dir, n));
  } catch {
    // The folder vanished; the key will simply not match anything.
  }
  return [...files.filter((f): f is string => f !== undefined), ...siblings, ...importedFromSubfolders(project)];
}

/**
 * What the flake imports from its sub-folders, in the order found. Files beside flake.nix are
 * already keyed. Reading them costs a read and a tokenize per file (no process); a flake that
 * cannot be read imports nothing here (its evaluation reports why).
 */
function importedFromSubfolders(project: Project): string[] {
  if (!project.flakePath) return [];
  try {
    return readProjectSources(project.dir)
      .files.filter((f) => f.relPath.includes("/"))
      .map((f) => join(project.dir, f.relPath));
  } catch {
    return [];
  }
}

export function cacheKey(inputs: CacheKeyInputs): string {
  const h = createHash("sha256");
  const add = (label: string, value: string | Buffer) => {
    h.update(`${label}\0`);
    h.update(value);
    h.update("\0");
  };
  add("format", String(CACHE_FORMAT));
  add("dir", inputs.project.dir);
  add("venv", inputs.project.venvDir);
  add("system", `${process.platform}-${process.arch}`);
  add("devShell", inputs.options.devShell);
  add("runShellHook", String(inputs.options.runShellHook));
  // What uv leaves to Nix changes the venv (nixProvided/): the setting and the user's exceptions.
  add("skipNixProvided", String(inputs.options.skipNixProvided !== false));
  add("uvInstalls", [...new Set(inputs.options.uvInstalls ?? [])].sort().join(","));
  add("nix", inputs.nixIdentity);
  add("uv", inputs.uvIdentity);
  for (const file of keyFiles(inputs.project)) {
    add("file", file);
    try {
      add("content", readFileSync(file));
    } catch {
      add("content", "<missing>");
    }
  }
  return h.digest("hex");
}

export function projectCacheDir(cacheDir: string, projectDir: string): string {
  return join(cacheDir, "projects", createHash("sha256").update(projectDir).digest("hex").slice(0, 24));
}

interface StoredEntry {
  readonly format: number;
  readonly key: string;
  readonly environment: HybridEnvironment;
}

export class EnvironmentCache {
  constructor(
    private readonly cacheDir: string,
    private readonly projectDir: string,
  ) {}

  get dir(): string {
    return projectCacheDir(this.cacheDir, this.projectDir);
  }

  /** Where nix keeps the GC-root profile of this project. */
  get gcRootDir(): string {
    return join(this.dir, "gcroot");
  }

  read(key: string): HybridEnvironment | undefined {
    return this.readFile(join(this.dir, `${key}.json`), key);
  }

  lastGood(): HybridEnvironment | undefined {
    return this.readFile(join(this.dir, "last-good.json"), undefined);
  }

  write(key: string, environment: HybridEnvironment): void {
    mkdirSync(this.dir, { recursive: true });
    const text = JSON.stringify({ format: CACHE_FORMAT, key, environment } satisfies StoredEntry);
    atomicWrite(join(this.dir, `${key}.json`), text);
    atomicWrite(join(this.dir, "last-good.json"), text);
    this.prune();
  }

  /**
   * A missing, corrupted or foreign entry is a miss. It is not deleted: another writer may have just
   * renamed a good one into place, or be another hybrid-env version (another format) that needs it.
   * The next write of that key replaces it; prune removes old ones.
   */
  private readFile(path: string, expectedKey: string | undefined): HybridEnvironment | undefined {
    let entry: StoredEntry;
    try {
      entry = JSON.parse(readFileSync(path, "utf8")) as StoredEntry;
    } catch {
      return undefined;
    }
    const valid =
      entry?.format === CACHE_FORMAT &&
      (expectedKey === undefined || entry.key === expectedKey) &&
      Array.isArray(entry.environment?.mutations) &&
      typeof entry.environment.project?.dir === "string";
    return valid ? entry.environment : undefined;
  }

  /** Keeps the newest entries. Another writer may prune at the same time: a file that vanished is skipped. */
  private prune(): void {
    const entries: Array<{ path: string; mtimeMs: number }> = [];
    for (const name of safeReaddir(this.dir)) {
      if (!ENTRY_NAME.test(name)) continue;
      const path = join(this.dir, name);
      const mtimeMs = mtimeOf(path);
      if (mtimeMs !== undefined) entries.push({ path, mtimeMs });
    }
    entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { path } of entries.slice(ENTRIES_KEPT_PER_PROJECT)) rmSync(path, { force: true });
  }
}

const ENTRY_NAME = /^[0-9a-f]{64}\.json$/;

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined; // deleted by another writer since readdir
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Write-then-rename, so a reader never sees half an entry and two writers never mix theirs (two
 * windows, or the CLI beside VS Code, may share the cache): the last rename wins whole.
 */
export function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
