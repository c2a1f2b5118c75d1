// The one place where hybrid-env starts child processes. Every command line is logged, every run
// has a timeout and takes an AbortSignal, and cancellation kills the whole process tree (nix starts
// builders, uv starts interpreters). A non-zero exit is returned, not thrown: the caller knows
// what the tool's output means. stderr is streamed to the log and never treated as failure.
import { execa } from "execa";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { CancelledError, MissingFolderError, OutputTooLargeError, TimedOutError, ToolNotFoundError, type TimeoutRaisedBy } from "./errors";
import type { Logger } from "./logger";

export interface RunOptions {
  /** What the user would call this step, for messages: "nix print-dev-env". */
  readonly what: string;
  readonly cwd?: string;
  /** The complete environment of the child; nothing is inherited implicitly. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  /** What raises the timeout (setting, CLI flag) or why it is fixed, for the timeout message. */
  readonly timeoutRaisedBy: TimeoutRaisedBy;
  readonly input?: string;
  /** Bytes of stdout kept; more is a failure of the tool, not something to parse. */
  readonly maxStdoutBytes?: number;
  /** Receives stderr line by line (progress for the log). */
  readonly onStderrLine?: (line: string) => void;
}

export interface RunResult {
  readonly stdout: string;
  /** The last STDERR_TAIL_BYTES of stderr. */
  readonly stderr: string;
  readonly exitCode: number;
  readonly durationMs: number;
  readonly commandLine: string;
}

const STDERR_TAIL_BYTES = 256 * 1024;
const KILL_GRACE_MS = 1500;

/** Counts processes started, so tests and the benchmark can prove that a warm load starts none. */
export const spawnCounter = { count: 0 };

export class ProcessRunner {
  constructor(private readonly log: Logger) {}

  async run(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
    const commandLine = formatCommandLine(file, args);
    if (opts.signal?.aborted) throw new CancelledError(opts.what);
    this.log.info(`$ ${commandLine}${opts.cwd ? `   (in ${opts.cwd})` : ""}`);
    spawnCounter.count++;
    const started = performance.now();

    const child = execa(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      extendEnv: false,
      // Own process group, so that cancellation reaches grandchildren (nix builders).
      detached: true,
      reject: false,
      stripFinalNewline: false,
      input: opts.input,
      stdin: opts.input === undefined ? "ignore" : "pipe",
      buffer: { stdout: true, stderr: false },
      maxBuffer: { stdout: opts.maxStdoutBytes ?? 64 * 1024 * 1024 },
    });

    let stderrTail = "";
    let partialLine = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
      if (!opts.onStderrLine) return;
      const lines = (partialLine + chunk).split("\n");
      partialLine = lines.pop() ?? "";
      for (const line of lines) opts.onStderrLine(line);
    });

    let stopReason: "cancelled" | "timeout" | undefined;
    const stop = (reason: "cancelled" | "timeout") => {
      if (stopReason || child.pid === undefined) return;
      stopReason = reason;
      this.log.warn(`${reason === "cancelled" ? "cancelling" : "timed out"}: ${commandLine}`);
      killTree(child.pid);
    };
    const onAbort = () => stop("cancelled");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => stop("timeout"), opts.timeoutMs);

    try {
      const result = await child;
      if (partialLine && opts.onStderrLine) opts.onStderrLine(partialLine);
      const durationMs = Math.round(performance.now() - started);
      if (stopReason === "cancelled") throw new CancelledError(opts.what);
      if (stopReason === "timeout") throw new TimedOutError(opts.what, opts.timeoutMs, opts.timeoutRaisedBy);
      const errno = (result as { code?: string }).code;
      if (result.failed && errno === "ENOENT") {
        // spawn says ENOENT for a missing working folder too.
        if (opts.cwd && !existsSync(opts.cwd)) throw new MissingFolderError(opts.what, opts.cwd);
        throw new ToolNotFoundError(toolName(file), [file]);
      }
      if (result.isMaxBuffer) throw new OutputTooLargeError(opts.what, commandLine, opts.maxStdoutBytes ?? 64 * 1024 * 1024);
      const exitCode = result.exitCode ?? (result.signal ? 128 : 1);
      this.log.info(`${opts.what}: exit ${exitCode} in ${durationMs} ms`);
      return { stdout: String(result.stdout ?? ""), stderr: stderrTail, exitCode, durationMs, commandLine };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }
}

function toolName(file: string): string {
  return file.split("/").pop() ?? file;
}

/**
 * SIGTERM to the process group and to every descendant found in /proc (a builder may have left the
 * group with setsid), then SIGKILL to whatever is still alive after a grace period.
 */
export function killTree(pid: number): void {
  const victims = [pid, ...descendantsOf(pid)];
  signalAll(-pid, victims, "SIGTERM");
  const late = setTimeout(() => signalAll(-pid, [...victims, ...descendantsOf(pid)], "SIGKILL"), KILL_GRACE_MS);
  late.unref();
}

function signalAll(group: number, pids: readonly number[], sig: NodeJS.Signals): void {
  for (const target of [group, ...pids]) {
    try {
      process.kill(target, sig);
    } catch {
      // Already gone.
    }
  }
}

/** Linux only: walks /proc for the children of pid, recursively. Elsewhere the group kill suffices. */
export function descendantsOf(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const childrenOf = new Map<number, number[]>();
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Field 4 (ppid) comes after the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = childrenOf.get(ppid) ?? [];
      list.push(Number(name));
      childrenOf.set(ppid, list);
    } catch {
      // The process exited while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** A command line as a user could paste it into bash (for logs only; nothing runs through a shell). */
export function formatCommandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map(shellQuote).join(" ");
}

export function shellQuote(word: string): string {
  // '#' is left out: a word starting with it would begin a comment.
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
