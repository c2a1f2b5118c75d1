// Entry point of the extension. Kept thin: the engine lives in src/core, the per-folder owners
// (issue 4) hold all state. Nothing runs in an untrusted workspace: the manifest declares
// untrustedWorkspaces.supported = false, and we check again here.
import * as vscode from "vscode";

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("Hybrid Env", { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand("hybridEnv.showLog", () => log.show(true)),
  );
  if (!vscode.workspace.isTrusted) {
    log.info("workspace not trusted: hybrid-env stays idle");
    return;
  }
  log.info("hybrid-env activated");
}

export function deactivate(): void {}
