// uv sync's phases from its stderr. Without a terminal uv prints no bars, but one summary line as
// each phase ends ("Resolved 7 packages in 744ms", "Prepared 6 packages", "Installed 6
// packages") and a line per large download or local build in between; -v adds only DEBUG noise
// (and would push the error out of the tail we report), so uv runs without it. Pure.

export type UvPhase = "starting" | "resolving" | "preparing" | "installing" | "done";

export interface UvProgress {
  readonly phase: UvPhase;
  readonly resolved?: number;
  readonly prepared?: number;
  readonly installed?: number;
  readonly uninstalled?: number;
  /** Packages being downloaded ("numpy (15.6MiB)") or built, not yet finished. */
  readonly downloading: readonly string[];
  readonly building: readonly string[];
}

export class UvLogReader {
  private state: UvProgress = { phase: "starting", downloading: [], building: [] };

  constructor(private readonly onProgress?: (progress: UvProgress) => void) {}

  /** Takes one stderr line; calls onProgress when it moved a phase or a counter. */
  feed(line: string): void {
    const next = step(this.state, line.trim());
    if (next !== this.state) {
      this.state = next;
      this.onProgress?.(next);
    }
  }

  snapshot(): UvProgress {
    return this.state;
  }
}

const count = (m: RegExpExecArray) => Number(m[1]);
const without = (list: readonly string[], name: string) => list.filter((n) => n.split(" ")[0] !== name);

function step(s: UvProgress, line: string): UvProgress {
  let m: RegExpExecArray | null;
  // The interpreter is found and the venv created before resolution starts.
  if (/^(Using (CPython|Python|PyPy)|Creating virtual environment)/.test(line)) return s.phase === "starting" ? { ...s, phase: "resolving" } : s;
  if ((m = /^Resolved (\d+) packages?/.exec(line))) return { ...s, phase: "preparing", resolved: count(m) };
  if ((m = /^Downloading (\S+)( \(([^)]+)\))?$/.exec(line))) return { ...s, downloading: [...without(s.downloading, m[1]!), m[3] ? `${m[1]} (${m[3]})` : m[1]!] };
  if ((m = /^Downloaded (\S+)/.exec(line))) return { ...s, downloading: without(s.downloading, m[1]!) };
  if ((m = /^Building (\S+)/.exec(line))) return { ...s, building: [...without(s.building, m[1]!), m[1]!] };
  if ((m = /^Built (\S+)/.exec(line))) return { ...s, building: without(s.building, m[1]!) };
  if ((m = /^Prepared (\d+) packages?/.exec(line))) return { ...s, phase: "installing", prepared: count(m), downloading: [], building: [] };
  if ((m = /^Uninstalled (\d+) packages?/.exec(line))) return { ...s, phase: "installing", uninstalled: count(m) };
  if ((m = /^Installed (\d+) packages?/.exec(line))) return { ...s, phase: "done", installed: count(m) };
  // Nothing to install: uv checks (older uv: audits) what is there and ends.
  if (/^(Checked|Audited) \d+ packages?/.test(line)) return { ...s, phase: "done", installed: s.installed ?? 0 };
  return s;
}
