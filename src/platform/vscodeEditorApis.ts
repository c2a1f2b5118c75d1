// The real EditorApis (editorApis.ts): thin calls into the vscode API.
import * as vscode from "vscode";
import type { EditableDocument, EditorApis } from "./editorApis";

class VscodeDocument implements EditableDocument {
  constructor(readonly document: vscode.TextDocument) {}
  get path(): string {
    return this.document.uri.fsPath;
  }
  get version(): number {
    return this.document.version;
  }
  get isDirty(): boolean {
    return this.document.isDirty;
  }
  getText(): string {
    return this.document.getText();
  }
}

function textDocumentOf(document: EditableDocument): vscode.TextDocument {
  if (!(document instanceof VscodeDocument)) throw new Error("not a document opened through vscodeEditorApis");
  return document.document;
}

export const vscodeEditorApis: EditorApis = {
  openText: (path) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === "file" && d.uri.fsPath === path)?.getText(),
  openDocument: async (path) => new VscodeDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(path))),
  replace: async (document, start, end, text) => {
    const doc = textDocumentOf(document);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(end)), text);
    return vscode.workspace.applyEdit(edit);
  },
  save: (document) => Promise.resolve(textDocumentOf(document).save()),
  show: async (path) => {
    await vscode.window.showTextDocument(vscode.Uri.file(path));
  },
  createQuickPick: () => vscode.window.createQuickPick(),
};
