// Counters arrive with every line Nix or uv prints (hundreds a second while a download runs); the
// status bar, the notification and the view need a few updates a second. The first value passes
// at once, later ones at most once per interval, and the last one is never lost. No vscode
// import: unit-tested with fake timers.
import { realTimers, type Timers } from "./loadScheduler";

export class Throttle<T> {
  private lastEmit = -Infinity;
  private pending?: { readonly value: T };
  private timer?: unknown;

  constructor(
    private readonly emit: (value: T) => void,
    private readonly intervalMs: number,
    private readonly timers: Timers = realTimers,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(value: T): void {
    const wait = this.lastEmit + this.intervalMs - this.now();
    if (wait <= 0 && this.timer === undefined) {
      this.fire(value);
      return;
    }
    this.pending = { value };
    this.timer ??= this.timers.setTimeout(() => {
      this.timer = undefined;
      const next = this.pending;
      this.pending = undefined;
      if (next) this.fire(next.value);
    }, Math.max(0, wait));
  }

  /** Drops a value not yet passed on (the step ended: its counters are over). */
  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private fire(value: T): void {
    this.lastEmit = this.now();
    this.emit(value);
  }
}
