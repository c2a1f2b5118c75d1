// "Apply an edit to a Nix file" the way a person's own edit happens: on the text the editor has
// (an unsaved editor is respected, its other changes kept), checked by real Nix
// (`nix-instantiate --parse`) before anything changes, applied as a WorkspaceEdit of only the
// changed span (so Undo restores the file), then saved. Any feature that edits a project's Nix
// file (a package list, a devShell's library path) goes through here with its own `compute`.
import { readFileSync } from "node:fs";
import type { LogChannel } from "../common/logger";
import { checkNixParses, writeAtomically, type ParseCheckOptions } from "../core/flake/check";
import { minimalReplacement } from "../core/flake/listEdit";
import type { WindowApis } from "../platform/apis";
import type { EditorApis } from "../platform/editorApis";

/** How often the document may change under us (the user typing) before we give up. */
const ATTEMPTS = 3;

/** A failure whose message is all the user needs; the file is as it was. */
export class NixEditError extends Error {}

export interface NixFileEditRequest {
  /** Absolute path of the file to edit. */
  readonly file: string;
  /** How the user sees it: "nix/devshell.nix". */
  readonly relPath: string;
  /** "Adding rich": the start of the messages about a rejected edit. */
  readonly what: string;
  /**
   * The new text for the file's current text, or undefined when there is nothing to change. It is
   * called again when the text changed meanwhile; it may throw to refuse (nothing is written).
   */
  readonly compute: (text: string) => string | undefined;
}

export interface NixFileEditDeps {
  readonly editor: EditorApis;
  readonly window: Pick<WindowApis, "withProgress">;
  readonly log: Pick<LogChannel, "error" | "warn">;
  /** Runner, env, nixPath and cwd for nix-instantiate --parse. */
  readonly parse: ParseCheckOptions;
}

export type NixFileEditOutcome =
  | { readonly changed: false }
  /** `direct`: written to the file itself (the editor's copy differs from the bytes on disk), so there is no Undo. */
  | { readonly changed: true; readonly direct: boolean; readonly text: string };

export async function applyNixFileEdit(deps: NixFileEditDeps, req: NixFileEditRequest): Promise<NixFileEditOutcome> {
  const document = await deps.editor.openDocument(req.file);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const version = document.version;
    const text = document.getText();
    const after = req.compute(text);
    if (after === undefined || after === text) return { changed: false };

    const disk = readDisk(req.file);
    if (!document.isDirty && disk !== undefined && disk.toString("utf8").replace(/^\uFEFF/, "") !== text) {
      // VS Code's copy differs from the bytes on disk (mixed line endings, an encoding): saving it
      // would change bytes outside the edit. Edit the file itself instead; Undo is not offered.
      return writeDirectly(deps, req, disk);
    }
    await assertParses(deps, req, text, after);
    if (document.version !== version) continue; // typed into meanwhile: compute again

    const r = minimalReplacement(text, after);
    if (!(await deps.editor.replace(document, r.start, r.end, r.text))) throw new NixEditError(`VS Code did not apply the edit to ${req.relPath}; nothing was changed.`);
    if (document.getText() !== after) deps.log.warn(`${req.relPath} changed while the edit was applied; check it`);
    if (!(await deps.editor.save(document))) throw new NixEditError(`${req.relPath} was edited but could not be saved: save it, then reload.`);
    return { changed: true, direct: false, text: after };
  }
  throw new NixEditError(`${req.relPath} kept changing while it was being edited; nothing was changed. Try again.`);
}

async function writeDirectly(deps: NixFileEditDeps, req: NixFileEditRequest, disk: Buffer): Promise<NixFileEditOutcome> {
  const text = disk.toString("utf8");
  const after = req.compute(text);
  if (after === undefined || after === text) return { changed: false };
  await assertParses(deps, req, text, after);
  writeAtomically(req.file, disk, after); // refuses when the file changed meanwhile
  return { changed: true, direct: true, text: after };
}

/** Real Nix parses the result; otherwise says whether the edit or the file was at fault. */
async function assertParses(deps: NixFileEditDeps, req: NixFileEditRequest, before: string, after: string): Promise<void> {
  const check = await deps.window.withProgress({ where: "window", title: `Hybrid Env: checking ${req.relPath} (nix-instantiate --parse)` }, () => checkNixParses(after, deps.parse));
  if (check.ok) return;
  const was = await checkNixParses(before, deps.parse);
  deps.log.error(`nix-instantiate --parse rejected the edit of ${req.relPath}:\n${check.output}`);
  throw new NixEditError(
    was.ok
      ? `${req.what} would make ${req.relPath} unparsable (${check.error}). ${req.relPath} was left as it was.`
      : `${req.relPath} does not parse even before the edit (${was.error}). Fix it first; nothing was changed.`,
  );
}

function readDisk(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // unreadable: the save reports it
  }
}
