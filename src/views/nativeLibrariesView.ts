// The native-library doctor's reports in the editor: a diagnostic per missing library (on
// flake.nix or pyproject.toml, nativeProblems.ts says which and why), a Quick Fix on the
// flake.nix ones that runs "Fix Native Libraries", and the problems per folder for the Packages
// view's group. Its own diagnostic collection: a load's errors (ErrorPresenter) clear theirs
// without touching these.
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import { distributionsOwning } from "../core/native/owners";
import { nixSystem } from "../core/devShells";
import type { NativeFolderReport, NativeLibraryDoctor } from "../folders/nativeDoctor";
import { nativeProblems, type NativeProblem } from "./nativeProblems";

export const NATIVE_DIAGNOSTIC_CODE = "missing-native-library";
const FIX_COMMAND = "hybridEnv.fixNativeLibraries";

/** What the Packages view and the fix command read. */
export interface NativeProblemsSource {
  problemsFor(folder: vscode.Uri): readonly NativeProblem[];
  readonly onDidChange: vscode.Event<vscode.Uri>;
}

export class NativeLibrariesView implements NativeProblemsSource, vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("hybrid-env-native");
  private readonly problems = new Map<string, { folder: vscode.Uri; problems: readonly NativeProblem[] }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(doctor: NativeLibraryDoctor) {
    this.disposables = [
      this.collection,
      this.changed,
      doctor.onDidChange((c) => this.update(c.folder.uri, c.report)),
      vscode.languages.registerCodeActionsProvider(
        [{ scheme: "file", pattern: "**/flake.nix" }, { scheme: "file", pattern: "**/pyproject.toml" }],
        { provideCodeActions: (document, _range, context) => this.codeActions(document, context) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
    ];
    for (const r of doctor.all()) this.update(r.folder.uri, r);
  }

  problemsFor(folder: vscode.Uri): readonly NativeProblem[] {
    return this.problems.get(folder.toString())?.problems ?? [];
  }

  private update(folder: vscode.Uri, entry: NativeFolderReport | undefined): void {
    const problems = entry ? problemsOf(entry) : [];
    if (problems.length === 0) this.problems.delete(folder.toString());
    else this.problems.set(folder.toString(), { folder, problems });
    this.publish();
    this.changed.fire(folder);
  }

  /** Every folder's problems, grouped by file (folders never share a flake.nix, but may nest). */
  private publish(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const { problems } of this.problems.values()) {
      for (const p of problems) {
        const d = new vscode.Diagnostic(
          new vscode.Range(p.start.line, p.start.character, p.end.line, p.end.character),
          p.message,
          p.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        d.source = "hybrid-env";
        d.code = NATIVE_DIAGNOSTIC_CODE;
        byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
      }
    }
    this.collection.clear();
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  private codeActions(document: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.code === NATIVE_DIAGNOSTIC_CODE && d.source === "hybrid-env");
    if (ours.length === 0) return [];
    const entry = [...this.problems.values()].find((e) => e.problems.some((p) => p.file === document.uri.fsPath));
    if (!entry) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of ours) {
      const problem = entry.problems.find((p) => p.file === document.uri.fsPath && p.message === d.message);
      if (!problem?.attribute) continue;
      const action = new vscode.CodeAction(`Add ${problem.attribute} to the devShell's LD_LIBRARY_PATH`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.command = { command: FIX_COMMAND, title: action.title, arguments: [entry.folder, [problem.attribute]] };
      actions.push(action);
    }
    const all = [...new Set(entry.problems.map((p) => p.attribute).filter((a): a is string => a !== undefined))];
    if (all.length > 1) {
      const action = new vscode.CodeAction(`Add all ${all.length} missing libraries to the devShell's LD_LIBRARY_PATH`, vscode.CodeActionKind.QuickFix);
      action.command = { command: FIX_COMMAND, title: action.title, arguments: [entry.folder, all] };
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}

function problemsOf(entry: NativeFolderReport): NativeProblem[] {
  if (entry.report.missing.length === 0) return [];
  const { project } = entry.environment;
  return nativeProblems({
    report: entry.report,
    project,
    readText: openText,
    owners: distributionsOwning(project.venvDir, entry.report.missing.flatMap((m) => m.neededBy)),
    system: nixSystem(),
  });
}

/** As the editor has it (unsaved changes), else from disk. */
function openText(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === "file" && d.uri.fsPath === file);
  if (open) return open.getText();
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
