// Runs a mocha suite inside the extension host, for both launchers. A suite module is a few lines:
//
//   import { runMochaSuite } from "../suite-runner";
//   export const run = () => runMochaSuite("activation", () => {
//     test("it activates", async () => { ... });
//   });
//
// VS Code calls run() (the module is the extensionTestsPath); the returned promise rejects when a
// test failed, which makes the extension host exit non-zero.
import Mocha from "mocha";
import * as vscode from "vscode";
import { captureConsole, print, reportResult } from "./channel";

export interface SuiteOptions {
  /** Per-test timeout in ms (mocha's `timeout`). */
  timeoutMs?: number;
}

export async function runMochaSuite(title: string, define: () => void, options: SuiteOptions = {}): Promise<void> {
  const restoreConsole = captureConsole();
  // The spec reporter writes printf-style through Base.consoleLog; VS Code's console forwarding
  // does not apply the format, so format here.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => print("log", ...args);
  print("log", `  (VS Code ${vscode.version}, extension host on Node ${process.version})`);
  const mocha = new Mocha({ ui: "tdd", color: false, reporter: "spec", timeout: options.timeoutMs ?? 20_000 });
  try {
    // What mocha does per file before requiring it: installs suite()/test()/setup()... as globals.
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, title, mocha);
    (globalThis as { suite: Mocha.SuiteFunction }).suite(title, define);
    const stats = await new Promise<Mocha.Stats>((resolve) => {
      const runner = mocha.run(() => resolve(runner.stats ?? ({} as Mocha.Stats)));
    });
    reportResult(stats.passes ?? 0, stats.failures ?? 0, stats.pending ?? 0);
    if ((stats.failures ?? 0) > 0) throw new Error(`${stats.failures} test(s) failed`);
  } finally {
    restoreConsole();
  }
}

export { waitFor } from "./wait";
export { ui } from "./ui";
