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

// The console as VS Code set it up, before anyone wraps it: sending must not recurse. Kept on
// globalThis because this module exists twice in the extension host (in the launcher's suite
// wrapper and bundled into the suite), and the second copy loads after the console is wrapped.
type RawConsole = { log: typeof console.log; error: typeof console.error; captured: boolean };
const RAW = Symbol.for("hybrid-env-bench.raw-console");
const raw: RawConsole = ((globalThis as Record<symbol, RawConsole>)[RAW] ??= {
  log: console.log.bind(console),
  error: console.error.bind(console),
  captured: false,
});
const rawLog = raw.log;
const rawError = raw.error;

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
 * extensions' own logging) is marked so the launcher prints it. Returns the undo; a nested call
 * does nothing.
 */
export function captureConsole(): () => void {
  if (!viaPage || raw.captured) return () => {};
  // VS Code defines the console methods as accessors whose setter does not replace what the
  // getter returns, so plain assignment has no effect: redefine them, and put them back after.
  const methods = { log: "log", info: "log", warn: "error", error: "error" } as const;
  const saved = Object.keys(methods).map((name) => [name, Object.getOwnPropertyDescriptor(console, name)] as const);
  for (const [name, level] of Object.entries(methods)) {
    Object.defineProperty(console, name, {
      configurable: true,
      writable: true,
      value: (...a: unknown[]) => print(level, ...a),
    });
  }
  raw.captured = true;
  return () => {
    for (const [name, descriptor] of saved) if (descriptor) Object.defineProperty(console, name, descriptor);
    raw.captured = false;
  };
}

/** Tells the launcher the counts (through the page, and for the desktop launcher in a file). */
export function reportResult(passed: number, failed: number, pending: number): void {
  if (viaPage) send({ t: "result", passed, failed, pending });
  const file = process.env[protocol.env.resultFile];
  if (file) writeFileSync(file, JSON.stringify({ passed, failed, pending }));
}
