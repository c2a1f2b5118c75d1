// The editor side of the VS Code API that editing a project's Nix files needs: documents as the
// editor has them (unsaved changes included), a replacement applied as a WorkspaceEdit (so Undo
// restores it), saving, and a quick pick whose items arrive after it opens. Interfaces only, as
// in apis.ts: the commands that use them get unit tests with fakes (test/unit/fakes.ts), and
// vscodeEditorApis.ts is the real implementation.
import type { Disposable, QuickPickItem } from "vscode";

/** An open text document. */
export interface EditableDocument {
  /** Absolute file path. */
  readonly path: string;
  /** Grows with every change of the text (typing, an applied edit). */
  readonly version: number;
  /** It has changes that are not saved. */
  readonly isDirty: boolean;
  getText(): string;
}

/** vscode.QuickPick, as much as a picker whose items arrive late needs. */
export interface LiveQuickPick<T extends QuickPickItem> extends Disposable {
  title: string | undefined;
  placeholder: string | undefined;
  value: string;
  items: readonly T[];
  busy: boolean;
  matchOnDescription: boolean;
  matchOnDetail: boolean;
  readonly activeItems: readonly T[];
  readonly selectedItems: readonly T[];
  onDidChangeValue(listener: (value: string) => void): Disposable;
  onDidAccept(listener: () => void): Disposable;
  onDidHide(listener: () => void): Disposable;
  show(): void;
  hide(): void;
}

export interface EditorApis {
  /** The text of the document at `path` if the editor has it open (with unsaved changes), else undefined. */
  openText(path: string): string | undefined;
  /** Opens (loads) the document at `path`, without showing it. */
  openDocument(path: string): Promise<EditableDocument>;
  /** Replaces [start, end) of the document's text (character offsets) with `text`, as one WorkspaceEdit. */
  replace(document: EditableDocument, start: number, end: number, text: string): Promise<boolean>;
  save(document: EditableDocument): Promise<boolean>;
  /** Shows the document in an editor. */
  show(path: string): Promise<void>;
  createQuickPick<T extends QuickPickItem>(): LiveQuickPick<T>;
}
