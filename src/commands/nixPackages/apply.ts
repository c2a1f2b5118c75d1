// "Apply the edit": the chosen change to flake.nix, computed by the core (src/core/flake) on the
// editor's text (an unsaved editor is respected), checked with `nix-instantiate --parse`, and
// applied as a WorkspaceEdit of only the changed span inside the list's brackets, so Undo
// restores the file and the editor keeps its other edits. Then the document is saved.
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import { channelLogger, type LogChannel } from "../../common/logger";
import { readConfig } from "../../config/config";
import {
  addPackage,
  checkNixParses,
  chooseCandidate,
  editFlakeFile,
  findPackageLists,
  removePackage,
  type EditResult,
  type FlakeEditOp,
  type PackageListCandidate,
} from "../../core/flake";
import { minimalReplacement } from "../../core/flake/listEdit";
import { ProcessRunner } from "../../core/process";
import type { FolderEnvironment } from "../../folders/folderEnvironment";
import type { HostApis } from "../../platform/apis";
import { UserError, type NixPackageCommandResult } from "./args";

/** How often the document may change under us (the user typing) before we give up. */
const ATTEMPTS = 3;

export interface ApplyContext {
  readonly apis: HostApis;
  readonly log: LogChannel;
}


/**
 * Computes the edit on the document's current text, checks it parses, applies it as a
 * WorkspaceEdit and saves. Starts over when the user changed the document meanwhile.
 */
export async function applyFlakeEdit(
  deps: ApplyContext,
  owner: FolderEnvironment,
  document: vscode.TextDocument,
  op: FlakeEditOp,
  name: string,
  chosen: PackageListCandidate,
): Promise<NixPackageCommandResult> {
  const runner = new ProcessRunner(channelLogger(deps.log, `[${owner.folder.name}] `));
  const nixPath = readConfig(deps.apis.workspace, owner.folder).nixPath;
  const parseOptions = { runner, env: process.env, nixPath, cwd: owner.folder.uri.fsPath };
  const file = document.uri.fsPath;

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const version = document.version;
    const text = document.getText();
    // The same list in the current text: by number, unless the user's typing changed the lists.
    const lists = findPackageLists(text);
    const candidate = lists.find((c) => c.number === chosen.number && c.form === chosen.form) ?? chooseCandidate(lists, chosen.number);
    const edit: EditResult = op === "add" ? addPackage(text, candidate, name) : removePackage(text, candidate, name);
    if (!edit.changed) return { changed: false, message: edit.message, name };

    if (!document.isDirty && !matchesDisk(file, text)) {
      // VS Code's copy differs from the bytes on disk (mixed line endings, an encoding): saving it
      // would change bytes outside the list. Edit the file itself instead; Undo is not offered.
      const outcome = await editFlakeFile(file, op, name, { ...parseOptions, list: candidate.number });
      return { changed: outcome.changed, message: `${outcome.message} (written directly: flake.nix has line endings or an encoding the editor would change)`, name };
    }

    const check = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: "Hybrid Env: nix-instantiate --parse" },
      () => checkNixParses(edit.text, parseOptions),
    );
    if (!check.ok) {
      const before = await checkNixParses(text, parseOptions);
      deps.log.error(`[${owner.folder.name}] nix-instantiate --parse rejected the edit:\n${check.output}`);
      throw new UserError(
        before.ok
          ? `${op === "add" ? "Adding" : "Removing"} ${name} would make flake.nix unparsable (${check.error}). flake.nix was left as it was.`
          : `flake.nix does not parse even before the edit (${before.error}). Fix it first; nothing was changed.`,
      );
    }
    if (document.version !== version) continue; // typed into meanwhile: compute again

    const r = minimalReplacement(text, edit.text);
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(r.start), document.positionAt(r.end)), r.text);
    if (!(await vscode.workspace.applyEdit(workspaceEdit))) throw new UserError("VS Code did not apply the edit to flake.nix; nothing was changed.");
    if (document.getText() !== edit.text) deps.log.warn(`[${owner.folder.name}] flake.nix changed while the edit was applied; check it`);
    if (!(await document.save())) throw new UserError(`${edit.message} flake.nix could not be saved: save it, then reload.`);
    return { changed: true, message: edit.message, name };
  }
  throw new UserError("flake.nix kept changing while it was being edited; nothing was changed. Try again.");
}

function matchesDisk(file: string, text: string): boolean {
  try {
    return readFileSync(file, "utf8").replace(/^\uFEFF/, "") === text;
  } catch {
    return true; // unreadable: the save reports it
  }
}
