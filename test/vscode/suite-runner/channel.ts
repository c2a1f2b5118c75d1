// The extension host's side of the message channel to the launcher. Under the browser launcher,
// the extension host's console reaches the launcher only through the page (codeAutomationLog),
// mixed with the workbench's own log lines, so our lines carry a prefix and JSON. Under the
// desktop launcher (@vscode/test-electron) the console goes straight to the terminal and nothing
// is prefixed.
import { writeFileSync } from "node:fs";
import { format } from "node:util";
import protocol from "../protocol.json";

export type BenchMessage =
  | { t: "out"; level: "log" | "error"; text: string }
  | { t: "result"; passed: number; failed: number; pending: number }
  | { t: "ui"; id: string; action: string; args: unknown };

export const viaPage = process.env[protocol.env.channel] === "page";

// The console as VS Code set it up, before we wrap it: sending must not recurse.
const rawLog = console.log.bind(console);
const rawError = console.error.bind(console);

export function send(message: BenchMessage): void {
  rawLog(protocol.linePrefix + JSON.stringify(message));
}

/** Prints a line the launcher shows as suite output. */
export function print(level: "log" | "error", ...args: unknown[]): void {
  const text = format(...args);
  if (viaPage) send({ t: "out", level, text });
  else (level === "error" ? rawError : rawLog)(text);
}

/**
 * While a suite runs, everything written to console in the extension host (the suite's and the
 * extensions' own logging) is marked so the launcher prints it. Returns the undo.
 */
export function captureConsole(): () => void {
  if (!viaPage) return () => {};
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  console.log = console.info = (...a: unknown[]) => print("log", ...a);
  console.warn = console.error = (...a: unknown[]) => print("error", ...a);
  return () => Object.assign(console, saved);
}

/** Tells the launcher the counts (through the page, and for the desktop launcher in a file). */
export function reportResult(passed: number, failed: number, pending: number): void {
  if (viaPage) send({ t: "result", passed, failed, pending });
  const file = process.env[protocol.env.resultFile];
  if (file) writeFileSync(file, JSON.stringify({ passed, failed, pending }));
}
