// The engine logs through this interface; the extension backs it with a LogOutputChannel and the
// CLI with stderr (verbose only).
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Detail that explains, never alarms (e.g. Nix's dirty-tree warning); front ends may hide it. */
  debug?(message: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
};

/** Collects log lines; used by tests and by the CLI to show the tail on failure. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
}
