// The CLI's one-line live progress on a terminal: the step, what Nix or uv is doing, and how long
// the step has run ("hybrid-env: Evaluating flake… building 3/5 (step-3) · 4 s"), redrawn in place
// with \r and erase-line, at most 10 times a second. Only for a TTY stderr: piped, the CLI keeps
// printing one plain line per step and nothing else, so logs and CI output stay clean.
import { STEP_TITLES, type LoadStep } from "../core/environment";
import { describeLoadProgress, type LoadProgress } from "../core/progress/describe";

export interface LiveProgress {
  step(step: LoadStep): void;
  update(progress: LoadProgress): void;
  /** Erases the line; call before anything else is written to the terminal. */
  clear(): void;
}

interface TerminalStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

const ERASE = "\r\u001b[2K";
const MIN_INTERVAL_MS = 100;
const SHORT_TITLES: Partial<Record<LoadStep, string>> = { nix: "nix", uv: "uv sync" };

/** A live line on `stream` when it is a terminal (and TERM is not "dumb"), else undefined. */
export function liveProgressFor(stream: TerminalStream, env: Readonly<Record<string, string | undefined>>): LiveProgress | undefined {
  if (!stream.isTTY || env.TERM === "dumb") return undefined;
  return new TerminalLine(stream);
}

class TerminalLine implements LiveProgress {
  private current?: LoadStep;
  private detail = "";
  private stepStarted = Date.now();
  private lastDraw = 0;
  private shown = false;
  private pending?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;

  constructor(private readonly stream: TerminalStream) {}

  step(step: LoadStep): void {
    if (step === "done") return this.clear();
    if (step === "cache") return; // a cache hit ends within milliseconds
    this.current = step;
    this.detail = "";
    this.stepStarted = Date.now();
    // The seconds keep moving while a tool is silent (a long evaluation prints nothing).
    if (!this.ticker) {
      this.ticker = setInterval(() => this.draw(), 1000);
      this.ticker.unref();
    }
    this.draw();
  }

  update(progress: LoadProgress): void {
    this.detail = describeLoadProgress(progress);
    const wait = MIN_INTERVAL_MS - (Date.now() - this.lastDraw);
    if (wait <= 0) this.draw();
    else this.pending ??= setTimeout(() => this.draw(), wait);
  }

  clear(): void {
    this.current = undefined;
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (this.shown) this.stream.write(ERASE);
    this.shown = false;
  }

  private draw(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (!this.current) return;
    this.lastDraw = Date.now();
    const seconds = Math.floor((Date.now() - this.stepStarted) / 1000);
    // With counters the tool's name is title enough: "nix · building 3/5 (step-3) · 4 s".
    const title = this.detail ? (SHORT_TITLES[this.current] ?? STEP_TITLES[this.current]) : STEP_TITLES[this.current];
    const parts = [title, this.detail, seconds > 0 ? `${seconds} s` : ""].filter(Boolean);
    const text = `hybrid-env: ${parts.join(" · ")}`;
    // One character short of the width: writing the last column wraps on some terminals.
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(ERASE + (text.length > width ? `${text.slice(0, width - 1)}…` : text));
    this.shown = true;
  }
}
