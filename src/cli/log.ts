// The CLI's logger: nothing by default; with --verbose every level down to debug (the tools' own
// output), on stderr so that stdout stays the answer.
import { silentLogger, type Logger } from "../core/logger";

export function cliLogger(verbose: boolean, write: (text: string) => void = (text) => process.stderr.write(text)): Logger {
  if (!verbose) return silentLogger;
  return {
    info: (m) => write(`[info] ${m}\n`),
    warn: (m) => write(`[warn] ${m}\n`),
    error: (m) => write(`[error] ${m}\n`),
    debug: (m) => write(`[debug] ${m}\n`),
  };
}
