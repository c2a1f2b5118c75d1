// The native-library scan, cached by the state of what it reads: the venv's site-packages (its
// folder's mtime and its entries' names change with every install, upgrade and removal), the
// interpreter, the environment's LD_LIBRARY_PATH folders, and the loader's cache. Computing the
// key costs a few stats and one readdir per site-packages, never an ELF read, so a warm open
// of an unchanged venv repeats no scan. One file per project beside the environment cache.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite, projectCacheDir } from "../cache";
import { scanNativeLibraries, type NativeLibraryReport, type NativeScanRequest } from "./scan";

/** Raised when the scan or what the report holds changes meaning. */
const FORMAT = 1;
const FILE = "native-libraries.json";

export interface CachedScanRequest extends NativeScanRequest {
  readonly cacheDir: string;
  readonly projectDir: string;
  /** For tests and the benchmark: the scan to run on a miss. */
  readonly scan?: typeof scanNativeLibraries;
}

export interface CachedScan {
  readonly report: NativeLibraryReport;
  readonly key: string;
  readonly fromCache: boolean;
}

export function venvStateKey(req: Pick<NativeScanRequest, "venvDir" | "interpreter" | "ldLibraryPath" | "etcDir">): string {
  const hash = createHash("sha256").update(`format ${FORMAT}\n`);
  const stamp = (path: string) => {
    try {
      const st = statSync(path);
      hash.update(`${path} ${st.mtimeMs} ${st.size} ${st.ino}\n`);
    } catch {
      hash.update(`${path} missing\n`);
    }
  };
  let interpreter = req.interpreter;
  try {
    interpreter = realpathSync(req.interpreter);
  } catch {
    // dangling: stamped as missing
  }
  stamp(interpreter);
  stamp(join(req.etcDir ?? "/etc", "ld.so.cache"));
  hash.update(`LD_LIBRARY_PATH=${req.ldLibraryPath ?? ""}\n`);
  for (const dir of (req.ldLibraryPath ?? "").split(":").filter((d) => d.startsWith("/"))) stamp(dir);
  for (const site of sitePackagesDirs(req.venvDir)) {
    stamp(site);
    hash.update(readdirSync(site).sort().join("\n"));
  }
  return hash.digest("hex");
}

/** The report for the venv as it is: from the cache when nothing it depends on changed. */
export async function cachedNativeScan(req: CachedScanRequest): Promise<CachedScan> {
  const file = join(projectCacheDir(req.cacheDir, req.projectDir), FILE);
  const key = venvStateKey(req);
  const cached = readEntry(file);
  if (cached?.key === key) return { report: cached.report, key, fromCache: true };
  const report = await (req.scan ?? scanNativeLibraries)(req);
  // A partial report (deadline, file limit) is not cached: the next load tries again.
  if (!report.incomplete) {
    try {
      mkdirSync(join(file, ".."), { recursive: true });
      atomicWrite(file, JSON.stringify({ format: FORMAT, key, report }));
    } catch {
      // A read-only cache folder costs a scan per load, nothing more.
    }
  }
  return { report, key, fromCache: false };
}

function sitePackagesDirs(venvDir: string): string[] {
  try {
    return readdirSync(join(venvDir, "lib"), { withFileTypes: true })
      .filter((e) => e.isDirectory() && /^(python|pypy)\d/.test(e.name))
      .map((e) => join(venvDir, "lib", e.name, "site-packages"))
      .filter((d) => {
        try {
          return statSync(d).isDirectory();
        } catch {
          return false;
        }
      })
      .sort();
  } catch {
    return [];
  }
}

function readEntry(file: string): { key: string; report: NativeLibraryReport } | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as { format?: number; key?: string; report?: NativeLibraryReport };
    return entry.format === FORMAT && typeof entry.key === "string" && entry.report && Array.isArray(entry.report.missing) ? { key: entry.key, report: entry.report } : undefined;
  } catch {
    return undefined;
  }
}
