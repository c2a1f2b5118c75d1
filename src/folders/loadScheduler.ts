// Serialises loads of one folder. A request during a load queues exactly one more (however many
// arrive); bursts of file changes are coalesced by a quiet period before they request a load.
// No vscode import: unit-tested with fake timers.

export interface Timers {
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class LoadScheduler<Options> {
  private running?: Promise<void>;
  private queued?: { readonly options: Options };
  private debounceHandle?: unknown;
  private disposed = false;

  constructor(
    private readonly load: (options: Options) => Promise<void>,
    private readonly quietMs: number,
    private readonly timers: Timers = realTimers,
    /** How a request combines with one already queued (default: the later one replaces it). */
    private readonly merge: (queued: Options, next: Options) => Options = (_queued, next) => next,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Runs a load now, or once after the current one (a queued request is merged with later ones). */
  request(options: Options): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.running) {
      this.queued = { options: this.queued ? this.merge(this.queued.options, options) : options };
      return this.running;
    }
    this.running = (async () => {
      try {
        await this.load(options);
        while (this.queued !== undefined && !this.disposed) {
          const next = this.queued.options;
          this.queued = undefined;
          await this.load(next);
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Resolves once no load runs (at once when idle); never rejects. */
  settled(): Promise<void> {
    return this.running ? this.running.catch(() => undefined) : Promise.resolve();
  }

  /** Requests a load once no further call has come for quietMs. */
  requestAfterQuiet(options: Options): void {
    if (this.debounceHandle !== undefined) this.timers.clearTimeout(this.debounceHandle);
    this.debounceHandle = this.timers.setTimeout(() => {
      this.debounceHandle = undefined;
      void this.request(options);
    }, this.quietMs);
  }

  /** Drops a queued load and a pending quiet-period request (the running one is cancelled elsewhere). */
  clearPending(): void {
    this.queued = undefined;
    if (this.debounceHandle !== undefined) this.timers.clearTimeout(this.debounceHandle);
    this.debounceHandle = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearPending();
  }
}
