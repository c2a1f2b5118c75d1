// The engine's Logger on a LogOutputChannel.
import type * as vscode from "vscode";
import type { Logger } from "../core/logger";

export function channelLogger(channel: vscode.LogOutputChannel, prefix = ""): Logger {
  return {
    info: (m) => channel.info(prefix + m),
    warn: (m) => channel.warn(prefix + m),
    error: (m) => channel.error(prefix + m),
  };
}
