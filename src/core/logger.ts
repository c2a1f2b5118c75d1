// The engine logs through this interface; the extension backs it with a LogOutputChannel and the
// CLI with stderr (--verbose only). info: what hybrid-env does (command lines, cache hits);
// debug: what the tools print (nix's and uv's stderr, the shellHook's output). A logger without
// debug or trace drops those lines.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Detail that explains, never alarms (e.g. Nix's dirty-tree warning); front ends may hide it. */
  debug?(message: string): void;
  trace?(message: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  trace() {},
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
  trace(message: string): void {
    this.lines.push(`trace ${message}`);
  }
}
