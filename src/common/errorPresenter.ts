// Turns engine errors into things a user can act on: a diagnostic at the line of a Nix
// evaluation error, and a notification whose buttons fix or explain the problem.
import { join } from "node:path";
import * as vscode from "vscode";
import { HybridEnvError, NixEvalError, type SuggestedAction } from "../core/errors";

const INSTALL_DOCS: Record<string, string> = {
  "install-nix": "https://nixos.org/download/",
  "install-uv": "https://docs.astral.sh/uv/getting-started/installation/",
};

export interface ErrorActionsHost {
  showLog(): void;
  /** `git add -N <file>` in the folder, then reload. */
  trackFile(folder: vscode.WorkspaceFolder, file: string): Promise<void>;
  reload(folder: vscode.WorkspaceFolder): void;
}

export class ErrorPresenter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("hybrid-env");
  /** The last message shown per folder: an automatic reload that fails the same way stays quiet. */
  private readonly lastShown = new Map<string, string>();

  constructor(private readonly host: ErrorActionsHost) {}

  clear(folder: vscode.WorkspaceFolder): void {
    this.lastShown.delete(folder.uri.toString());
    for (const [uri] of this.entriesUnder(folder)) this.diagnostics.delete(uri);
  }

  present(folder: vscode.WorkspaceFolder, error: Error, servedLastGood: boolean): void {
    for (const [uri] of this.entriesUnder(folder)) this.diagnostics.delete(uri);
    if (error instanceof NixEvalError && error.location) {
      const uri = vscode.Uri.file(join(folder.uri.fsPath, error.location.file));
      const at = new vscode.Position(Math.max(0, error.location.line - 1), Math.max(0, error.location.column - 1));
      const diagnostic = new vscode.Diagnostic(new vscode.Range(at, at.translate(0, 1)), error.summary, vscode.DiagnosticSeverity.Error);
      diagnostic.source = "nix";
      this.diagnostics.set(uri, [diagnostic]);
    }
    const key = folder.uri.toString();
    if (this.lastShown.get(key) === error.message) return;
    this.lastShown.set(key, error.message);
    const suffix = servedLastGood ? " The last good environment stays applied." : "";
    const actions = error instanceof HybridEnvError ? error.actions : [{ kind: "open-log", label: "Open log" } as const];
    void vscode.window
      .showErrorMessage(`Hybrid Env (${folder.name}): ${error.message}${suffix}`, ...actions.map((a) => a.label))
      .then((label) => {
        const action = actions.find((a) => a.label === label);
        if (action) void this.run(folder, action);
      });
  }

  private async run(folder: vscode.WorkspaceFolder, action: SuggestedAction): Promise<void> {
    switch (action.kind) {
      case "open-log":
        return this.host.showLog();
      case "git-add":
        return this.host.trackFile(folder, action.target ?? "flake.nix");
      case "reload":
        return this.host.reload(folder);
      case "configure":
        await vscode.commands.executeCommand("workbench.action.openSettings", action.target ?? "hybridEnv");
        return;
      case "install-nix":
      case "install-uv":
        await vscode.env.openExternal(vscode.Uri.parse(INSTALL_DOCS[action.kind]!));
        return;
    }
  }

  private entriesUnder(folder: vscode.WorkspaceFolder): [vscode.Uri, readonly vscode.Diagnostic[]][] {
    const out: [vscode.Uri, readonly vscode.Diagnostic[]][] = [];
    this.diagnostics.forEach((uri, d) => {
      if (uri.fsPath.startsWith(folder.uri.fsPath + "/")) out.push([uri, d]);
    });
    return out;
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}
