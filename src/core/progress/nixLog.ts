// Reads Nix's structured log (`--log-format internal-json`): one `@nix {json}` line per event —
// activities that start and stop, their results (progress, expected totals, build output) and
// messages. The counters are aggregated the way Nix's own progress bar does it (finished
// activities fold into per-type totals; a parent's "expected" announcements are maxima), so what
// we show agrees with `nix build`'s "[2/1/5 built, 12.0/34.3 MiB DL]". Pure: lines in, state out.

/** Activity types (libutil/logging.hh), stable since Nix 2.0. */
export const ACT = { copyPath: 100, fileTransfer: 101, realise: 102, copyPaths: 103, builds: 104, build: 105, substitute: 108, queryPathInfo: 109 } as const;
const RES = { buildLogLine: 101, setPhase: 104, progress: 105, setExpected: 106 } as const;
/** Nix's default verbosity (lvlInfo): what it prints without -v. */
const INFO = 3;

export interface Counter {
  readonly done: number;
  readonly expected: number;
  readonly running: number;
  readonly failed: number;
}

export interface NixProgress {
  /** Derivations built (the worker's count). */
  readonly builds: Counter;
  /** Bytes downloaded from binary caches. */
  readonly download: Counter;
  /** Store paths copied (substituted), and their bytes. */
  readonly copyPaths: Counter;
  readonly copyBytes: Counter;
  /** Nix files evaluated so far (seen with -v): progress while there is nothing to build yet. */
  readonly evaluatedFiles: number;
  /** Names of what is being built or copied right now, newest first: "step-3", "blob-1". */
  readonly running: readonly string[];
}

interface Activity {
  readonly type: number;
  readonly name?: string;
  readonly started: number;
  done: number;
  expected: number;
  running: number;
  failed: number;
  readonly expectedByType: Map<number, number>;
}

interface NixEvent {
  action?: string;
  id?: number;
  type?: number;
  level?: number;
  text?: string;
  msg?: string;
  fields?: unknown[];
}

export class NixLogReader {
  private readonly active = new Map<number, Activity>();
  private readonly finished = new Map<number, { done: number; failed: number }>();
  private readonly expectedTotals = new Map<number, number>();
  private evaluatedFiles = 0;
  private sequence = 0;

  /** `onProgress` is called after each line that changed a counter. */
  constructor(private readonly onProgress?: (progress: NixProgress) => void) {}

  /** Takes one stderr line; returns what Nix would have printed for it without JSON, if anything. */
  feed(line: string): string | undefined {
    if (!line.startsWith("@nix ")) return line.trim() ? line : undefined;
    let e: NixEvent;
    try {
      e = JSON.parse(line.slice(5)) as NixEvent;
    } catch {
      return line;
    }
    const { text, changed } = this.apply(e);
    if (changed) this.onProgress?.(this.snapshot());
    return text;
  }

  private apply(e: NixEvent): { text?: string; changed: boolean } {
    const f = Array.isArray(e.fields) ? e.fields : [];
    if (e.action === "msg") {
      const msg = stripAnsi(String(e.msg ?? ""));
      if (/^evaluating file '/.test(msg)) {
        this.evaluatedFiles++;
        return { changed: true };
      }
      return { text: (e.level ?? 0) <= INFO ? msg : undefined, changed: false };
    }
    if (typeof e.id !== "number") return { changed: false };
    if (e.action === "start") {
      const type = Number(e.type);
      this.active.set(e.id, { type, name: activityName(type, f), started: this.sequence++, done: 0, expected: 0, running: 0, failed: 0, expectedByType: new Map() });
      const text = (e.level ?? 0) <= INFO && e.text ? stripAnsi(e.text) : undefined;
      return { text, changed: type === ACT.build || type === ACT.copyPath };
    }
    const a = this.active.get(e.id);
    if (!a) return { changed: false };
    if (e.action === "stop") {
      const total = this.finished.get(a.type) ?? { done: 0, failed: 0 };
      this.finished.set(a.type, { done: total.done + a.done, failed: total.failed + a.failed });
      for (const [type, n] of a.expectedByType) this.expectedTotals.set(type, (this.expectedTotals.get(type) ?? 0) - n);
      this.active.delete(e.id);
      return { changed: true };
    }
    if (e.action !== "result") return { changed: false };
    if (e.type === RES.progress) {
      [a.done, a.expected, a.running, a.failed] = [num(f[0]), num(f[1]), num(f[2]), num(f[3])];
      return { changed: true };
    }
    if (e.type === RES.setExpected) {
      const type = num(f[0]);
      const before = a.expectedByType.get(type) ?? 0;
      a.expectedByType.set(type, num(f[1]));
      this.expectedTotals.set(type, (this.expectedTotals.get(type) ?? 0) - before + num(f[1]));
      return { changed: true };
    }
    if (e.type === RES.buildLogLine) return { text: `${a.name ?? "build"}> ${stripAnsi(String(f[0] ?? ""))}`, changed: false };
    return { changed: false };
  }

  snapshot(): NixProgress {
    return {
      builds: this.stats(ACT.builds),
      download: this.stats(ACT.fileTransfer),
      copyPaths: this.stats(ACT.copyPaths),
      copyBytes: this.stats(ACT.copyPath),
      evaluatedFiles: this.evaluatedFiles,
      running: [...this.active.values()]
        .filter((a) => (a.type === ACT.build || a.type === ACT.copyPath) && a.name)
        .sort((x, y) => y.started - x.started)
        .map((a) => a.name!),
    };
  }

  private stats(type: number): Counter {
    const fin = this.finished.get(type) ?? { done: 0, failed: 0 };
    let done = fin.done;
    let expected = fin.done;
    let running = 0;
    let failed = fin.failed;
    for (const a of this.active.values()) {
      if (a.type !== type) continue;
      done += a.done;
      expected += a.expected;
      running += a.running;
      failed += a.failed;
    }
    return { done, expected: Math.max(expected, this.expectedTotals.get(type) ?? 0), running, failed };
  }
}

/** The plain text of a structured log, as Nix prints it without JSON: what error classification reads. */
export function nixLogText(stderr: string): string {
  const reader = new NixLogReader();
  return stderr
    .split("\n")
    .map((l) => reader.feed(l))
    .filter((t): t is string => t !== undefined)
    .join("\n");
}

/** "step-3" from a build's "/nix/store/<hash>-step-3.drv", "blob-1" from a copied path. */
function activityName(type: number, fields: readonly unknown[]): string | undefined {
  if (type !== ACT.build && type !== ACT.copyPath) return undefined;
  const path = typeof fields[0] === "string" ? fields[0] : "";
  return /^\/nix\/store\/[0-9a-z]{32}-(.+?)(\.drv)?$/.exec(path)?.[1];
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}
