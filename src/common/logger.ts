// The engine's Logger on the "Hybrid Env" LogOutputChannel. The channel has levels (the user picks
// one with "Set Log Level…"): the engine's info/warn/error map to the same, and its optional
// debug/trace (nix, uv and shellHook stderr lines go to debug) to the channel's debug/trace, so a
// long nix build does not flood the log at the default Info level.
import type { Logger } from "../core/logger";

/** What the extension needs of a vscode.LogOutputChannel (tests pass a fake). */
export interface LogChannel {
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
  debug(message: string): void;
  trace(message: string): void;
  show(preserveFocus?: boolean): void;
}

/** A Logger with the optional levels filled in (the core's interface may declare them optional). */
export interface LeveledLogger extends Logger {
  debug(message: string): void;
  trace(message: string): void;
}

export function channelLogger(channel: LogChannel, prefix = ""): LeveledLogger {
  return {
    info: (m) => channel.info(prefix + m),
    warn: (m) => channel.warn(prefix + m),
    error: (m) => channel.error(prefix + m),
    debug: (m) => channel.debug(prefix + m),
    trace: (m) => channel.trace(prefix + m),
  };
}

/** The message and, for logs, the longer detail an engine error carries (tool output, command line). */
export function errorForLog(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === "string" && detail !== "" ? `${error.message}\n${detail}` : error.message;
}
