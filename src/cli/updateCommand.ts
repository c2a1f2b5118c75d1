// `hybrid-env update [INPUT] [DIR]` and `hybrid-env update --undo [DIR]`: the seed's
// `nix flake update` step, with the right command for the Nix at hand, a progress line on a
// terminal (Ctrl-C cancels and kills Nix), which inputs moved afterwards, and an undo that puts
// the previous flake.lock back. A lone argument is an input name unless it looks like a path
// (".", "..", "/…", "./…", "~…").
import { resolve as resolvePath } from "node:path";
import { parseArgs } from "node:util";
import { HybridEnvError } from "../core/errors";
import { formatChange } from "../core/flakeLock";
import { undoFlakeUpdate, updateFlakeInputs } from "../core/flakeUpdate";
import { silentLogger, type Logger } from "../core/logger";
import { defaultCacheDir } from "../core/options";
import { ProcessRunner } from "../core/process";
import { findNix } from "../core/tools";

export const UPDATE_USAGE = `  update [INPUT] [DIR]       update the flake's inputs (all, or INPUT: nixpkgs), then show which moved
      --undo                 put back the flake.lock from before the last update (--force: even if it changed since)
`;

export interface UpdateCommandIo {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly writeStdout?: (text: string) => void;
  readonly writeStderr?: (text: string) => void;
  /** Whether stderr is a terminal (progress line). */
  readonly isTTY?: boolean;
  readonly signal?: AbortSignal;
  readonly cacheDir?: string;
}

const looksLikePath = (arg: string) => /^(\.{1,2}$|\.{0,2}\/|~)/.test(arg);

/** Runs `update …`; `argv` starts after the command name. Never throws; returns the exit code. */
export async function runUpdateCommand(argv: readonly string[], io: UpdateCommandIo = {}): Promise<number> {
  const out = io.writeStdout ?? ((t: string) => process.stdout.write(t));
  const err = io.writeStderr ?? ((t: string) => process.stderr.write(t));
  const env = io.env ?? process.env;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { undo: { type: "boolean" }, force: { type: "boolean" }, nix: { type: "string" }, timeout: { type: "string" }, verbose: { type: "boolean" } },
    });
  } catch (e) {
    err(`hybrid-env: error: ${(e as Error).message}\nUsage:\n${UPDATE_USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [input, dirArg] = positionals.length === 1 && looksLikePath(positionals[0]!) ? [undefined, positionals[0]] : positionals;
  if (positionals.length > 2 || (values.undo && input !== undefined)) {
    err(`hybrid-env: error: usage: hybrid-env update [INPUT] [DIR] | hybrid-env update --undo [DIR]\n`);
    return 1;
  }
  const dir = resolvePath(dirArg ?? ".");
  const cacheDir = io.cacheDir ?? defaultCacheDir(env);
  const timeoutMs = values.timeout === undefined ? 600_000 : Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) {
    err("hybrid-env: error: --timeout takes a number of seconds\n");
    return 1;
  }
  try {
    if (values.undo) {
      const undone = undoFlakeUpdate(cacheDir, dir, { force: Boolean(values.force) });
      for (const change of undone.changes) out(`${formatChange(change)}\n`);
      err(`hybrid-env: ${undone.message}\n`);
      return 0;
    }
    const log: Logger = values.verbose ? { info: (m) => err(`[info] ${m}\n`), warn: (m) => err(`[warn] ${m}\n`), error: (m) => err(`[error] ${m}\n`) } : silentLogger;
    const nix = findNix(typeof values.nix === "string" ? values.nix : "", env);
    const progress = new ProgressLine(err, Boolean(io.isTTY ?? process.stderr.isTTY), `updating ${input ?? "the flake's inputs"}`);
    let outcome;
    try {
      outcome = await updateFlakeInputs({ nix, dir, input, env, runner: new ProcessRunner(log), cacheDir, signal: io.signal, timeoutMs, onProgress: (line) => progress.update(line) });
    } finally {
      progress.stop();
    }
    if (outcome.changes.length === 0) {
      err(`hybrid-env: ${input ?? "every input"} is already up to date; flake.lock was not changed.\n`);
      return 0;
    }
    for (const change of outcome.changes) out(`${formatChange(change)}\n`);
    err(`hybrid-env: ${outcome.changes.length} input${outcome.changes.length === 1 ? "" : "s"} moved. \`hybrid-env env\` loads the new environment; \`hybrid-env update --undo\` puts the previous flake.lock back.\n`);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    err(`hybrid-env: error: ${message}\n`);
    if (e instanceof HybridEnvError && e.code === "cancelled") err("hybrid-env: if flake.lock had already changed, `hybrid-env update --undo` puts it back.\n");
    return 1;
  }
}

/** One line on a terminal, rewritten with the elapsed time and Nix's latest message; nothing elsewhere. */
class ProgressLine {
  private last = "";
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly what: string,
  ) {
    if (!tty) return;
    this.timer = setInterval(() => this.draw(), 1000);
    this.timer.unref();
    this.draw();
  }

  update(line: string): void {
    const plain = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").trim();
    if (plain) this.last = plain;
    if (this.tty) this.draw();
  }

  private draw(): void {
    const seconds = Math.round((Date.now() - this.started) / 1000);
    const columns = process.stderr.columns || 100;
    const text = `hybrid-env: ${this.what}… ${seconds} s${this.last ? `  ${this.last}` : ""} (Ctrl-C cancels)`;
    this.write(`\r\x1b[K${text.slice(0, columns - 1)}`);
  }

  stop(): void {
    if (!this.tty) return;
    clearInterval(this.timer);
    this.write("\r\x1b[K");
  }
}
