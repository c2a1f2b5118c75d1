// Runs a debug configuration to its end and returns what the program printed, read as VS Code's
// debug console reads it: the debug adapter's "output" events (a tracker sees every message the
// adapter sends). The real ms-python.debugpy launches the program in the selected interpreter.
import * as vscode from "vscode";

export async function debugpyOutput(folder: vscode.WorkspaceFolder, config: vscode.DebugConfiguration, timeoutMs = 90_000): Promise<string> {
  const chunks: string[] = [];
  let session: vscode.DebugSession | undefined;
  const tracker = vscode.debug.registerDebugAdapterTrackerFactory(config.type, {
    createDebugAdapterTracker: (s) =>
      s.configuration.name === config.name
        ? {
            onDidSendMessage: (m: { type?: string; event?: string; body?: { category?: string; output?: string } }) => {
              if (m.type === "event" && m.event === "output" && m.body?.category !== "telemetry") chunks.push(m.body?.output ?? "");
            },
          }
        : undefined,
  });
  const ended = new Promise<void>((resolve) => {
    const sub = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s === session || s.configuration.name === config.name) {
        sub.dispose();
        resolve();
      }
    });
  });
  const started = vscode.debug.onDidStartDebugSession((s) => {
    if (s.configuration.name === config.name) session = s;
  });
  try {
    if (!(await vscode.debug.startDebugging(folder, config))) throw new Error(`startDebugging(${config.type}) did not start`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the debug session did not end within ${timeoutMs} ms; output so far:\n${chunks.join("")}`)), timeoutMs);
    });
    await Promise.race([ended, timeout]).finally(() => clearTimeout(timer));
    return chunks.join("");
  } finally {
    tracker.dispose();
    started.dispose();
  }
}
