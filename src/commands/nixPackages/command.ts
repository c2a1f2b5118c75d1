// "Add Nix Package…" and "Remove Nix Package": edit the Python package list of a folder's
// flake.nix the way a person would, in the editor. The text comes from the TextDocument (an unsaved
// editor on flake.nix is respected), the change is computed by the core (src/core/flake), checked
// with `nix-instantiate --parse`, and applied as a WorkspaceEdit of only the changed span inside
// the list's brackets, so Undo restores the file and the editor keeps its other edits. Then the
// document is saved, the environment reloads, and the added package is revealed in the view.
//
// Arguments (all optional, in any order; each is recognised by its type):
//   hybridEnv.addNixPackage(name?: string, folder?: Uri, list?: number | string)
//   hybridEnv.removeNixPackage(package?: string | PackagesView row | PackageRecord, folder?: Uri, list?: number | string)
// The first string is the package name (skips the input box), a second string or a number picks
// the list (its 1-based number or exact label, as the CLI's --list). Both resolve to a
// NixPackageCommandResult, also when they fail (the failure is shown to the user as well).
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import { readConfig } from "../../config/config";
import { HybridEnvError } from "../../core/errors";
import {
  addPackage,
  checkNixParses,
  chooseCandidate,
  editFlakeFile,
  findPackageLists,
  packageNameProblem,
  removePackage,
  type EditResult,
  type FlakeEditOp,
  type PackageListCandidate,
} from "../../core/flake";
import { normalizeName } from "../../core/packageName";
import { ProcessRunner } from "../../core/process";
import type { FolderEnvironment } from "../../folders/folderEnvironment";
import { channelLogger } from "../../common/logger";
import type { WorkspaceEnvironments } from "../../folders/workspaceEnvironments";
import { minimalReplacement } from "../../core/flake/listEdit";
import { bareElementNames, localPackageSet } from "../../core/flake/packageSetNames";
import { pickFolder } from "../folderPick";

export const ADD_NIX_PACKAGE_COMMAND = "hybridEnv.addNixPackage";
export const REMOVE_NIX_PACKAGE_COMMAND = "hybridEnv.removeNixPackage";

export interface NixPackageCommandDeps {
  readonly envs: WorkspaceEnvironments;
  readonly log: vscode.LogOutputChannel;
  readonly view?: { revealPackage(name: string): Promise<boolean> };
}

export interface NixPackageCommandResult {
  readonly changed: boolean;
  readonly message: string;
  /** The name as it was added or removed (the list's own spelling for a removal). */
  readonly name?: string;
  /** Add: the package's row was revealed in the Packages view after the reload. */
  readonly revealed?: boolean;
  /** Set when the command failed or was cancelled; the file is as it was. */
  readonly error?: string;
}

interface CommandArgs {
  name?: string;
  folder?: vscode.Uri;
  list?: number | string;
  /** Removal from a view row or a PackageRecord: a Python distribution name. */
  fromRow?: string;
}

const CANCELLED: NixPackageCommandResult = { changed: false, message: "cancelled", error: "cancelled" };
/** How often the document may change under us (the user typing) before we give up. */
const ATTEMPTS = 3;

export function registerNixPackageCommands(deps: NixPackageCommandDeps): vscode.Disposable {
  const guarded = (id: string, op: FlakeEditOp) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]): Promise<NixPackageCommandResult> => {
      try {
        return await runCommand(deps, op, parseArgs(args));
      } catch (e) {
        const message = (e as Error).message;
        deps.log.error(`${id}: ${message}${e instanceof HybridEnvError && e.detail ? `\n${e.detail}` : ""}`);
        void vscode.window.showErrorMessage(`Hybrid Env: ${message}`);
        return { changed: false, message, error: message };
      }
    });
  return vscode.Disposable.from(guarded(ADD_NIX_PACKAGE_COMMAND, "add"), guarded(REMOVE_NIX_PACKAGE_COMMAND, "remove"));
}

function parseArgs(args: readonly unknown[]): CommandArgs {
  const parsed: CommandArgs = {};
  for (const arg of args) {
    if (arg instanceof vscode.Uri) parsed.folder ??= arg;
    else if (typeof arg === "number") parsed.list ??= arg;
    else if (typeof arg === "string") {
      if (parsed.name === undefined) parsed.name = arg.trim();
      else parsed.list ??= arg;
    } else if (typeof arg === "object" && arg !== null) {
      // A Packages view row ({ kind: "package", record }) or a PackageRecord.
      const record = "record" in arg ? (arg as { record: unknown }).record : arg;
      const name = (record as { name?: unknown }).name;
      if (typeof name === "string" && typeof (record as { metadataPath?: unknown }).metadataPath === "string") parsed.fromRow ??= name;
    }
  }
  return parsed;
}

async function runCommand(deps: NixPackageCommandDeps, op: FlakeEditOp, args: CommandArgs): Promise<NixPackageCommandResult> {
  // A row belongs to the view's folder, which is the active one.
  const owner = args.fromRow && !args.folder ? deps.envs.activeFolder() : await pickFolder(deps.envs, args.folder, { which: (s) => s.project.flakePath !== undefined, placeHolder: "Which folder's flake.nix?" });
  if (!owner) {
    if (args.folder) throw new UserError(`${args.folder.fsPath} is not a Hybrid Env project folder.`);
    return CANCELLED;
  }
  const flakePath = owner.snapshot.project.flakePath;
  if (!flakePath) throw new UserError(`${owner.folder.name} has no flake.nix.`);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(flakePath));
  const text = document.getText();
  const candidates = findPackageLists(text);

  const choice = op === "add" ? await chooseAddition(document, text, candidates, args) : await chooseRemoval(candidates, args);
  if (!choice) return CANCELLED;
  if ("noChange" in choice) {
    void vscode.window.showInformationMessage(`Hybrid Env: ${choice.noChange}`);
    return { changed: false, message: choice.noChange };
  }
  const outcome = await applyFlakeEdit(deps, owner, document, op, choice.name, choice.candidate);
  if (!outcome.changed) {
    void vscode.window.showInformationMessage(`Hybrid Env: ${outcome.message}`);
    return outcome;
  }
  deps.log.info(`[${owner.folder.name}] ${outcome.message}`);
  void vscode.window.showInformationMessage(`Hybrid Env: ${outcome.message}`, "Show flake.nix").then((answer) => {
    if (answer === "Show flake.nix") void vscode.window.showTextDocument(document);
  });
  await reloadWithProgress(owner, op === "add" ? `Adding ${choice.name}` : `Removing ${choice.name}`);
  if (op === "remove" || !deps.view) return outcome;
  return { ...outcome, revealed: await revealAdded(deps, owner, choice.name) };
}

interface Choice {
  readonly name: string;
  readonly candidate: PackageListCandidate;
}

/** Nothing to edit, and why. */
interface NoChange {
  readonly noChange: string;
}

async function chooseAddition(
  document: vscode.TextDocument,
  text: string,
  candidates: readonly PackageListCandidate[],
  args: CommandArgs,
): Promise<Choice | undefined> {
  if (args.name !== undefined) {
    const problem = packageNameProblem(args.name);
    if (problem) throw new UserError(problem);
  }
  const candidate = await pickCandidate(candidates, args.list, "Add to which package list?");
  if (!candidate) return undefined;
  const name = args.name ?? (await askNameToAdd(document, text, candidate));
  return name === undefined ? undefined : { name, candidate };
}

async function chooseRemoval(candidates: readonly PackageListCandidate[], args: CommandArgs): Promise<Choice | NoChange | undefined> {
  const wanted = args.name ?? args.fromRow;
  if (wanted !== undefined && args.name !== undefined) {
    const problem = packageNameProblem(wanted);
    if (problem) throw new UserError(problem);
  }
  if (wanted === undefined) {
    const candidate = await pickCandidate(candidates, args.list, "Remove from which package list?");
    if (!candidate) return undefined;
    const name = await pickListElement(candidate, `Remove a Nix package from ${candidate.label}`);
    return name === undefined ? undefined : { name, candidate };
  }
  // The lists holding the name; a row's name is a Python distribution name, so compare normalised.
  const holders = (args.list !== undefined ? [chooseCandidate(candidates, args.list)] : candidates)
    .map((c) => ({ c, element: matchingElement(c, wanted) }))
    .filter((h): h is { c: PackageListCandidate; element: string } => h.element !== undefined);
  if (holders.length === 0) {
    if (candidates.length === 0) chooseCandidate(candidates); // throws: explains the list shapes
    if (args.fromRow === undefined) return { noChange: `${wanted} is not in ${candidates.length === 1 ? candidates[0]!.label : "any Python package list of flake.nix"}: no change.` };
    // The Nix attribute may be spelled differently from the distribution: let the user pick it.
    const candidate = await pickCandidate(candidates, args.list, "Remove from which package list?");
    if (!candidate) return undefined;
    const name = await pickListElement(candidate, `No element of ${candidate.label} is named ${wanted}: which one provides it?`);
    return name === undefined ? undefined : { name, candidate };
  }
  if (holders.length === 1) return { name: holders[0]!.element, candidate: holders[0]!.c };
  const picked = await vscode.window.showQuickPick(
    holders.map((h) => ({ label: h.c.label, holder: h })),
    { placeHolder: `${wanted} is in ${holders.length} package lists: remove it from which one?` },
  );
  return picked ? { name: picked.holder.element, candidate: picked.holder.c } : undefined;
}

/** The list's own spelling (bare, `numpy` for `ps.numpy`) of the element that is `name`, if any. */
function matchingElement(candidate: PackageListCandidate, name: string): string | undefined {
  const bare = bareElementNames(candidate) ?? [];
  return bare.find((n) => n === name) ?? bare.find((n) => normalizeName(n) === normalizeName(name));
}

async function pickCandidate(candidates: readonly PackageListCandidate[], list: number | string | undefined, placeHolder: string): Promise<PackageListCandidate | undefined> {
  if (list !== undefined || candidates.length <= 1) return chooseCandidate(candidates, list);
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.label, description: `${c.elements.length} package${c.elements.length === 1 ? "" : "s"}`, candidate: c })),
    { placeHolder: `flake.nix has ${candidates.length} Python package lists. ${placeHolder}` },
  );
  return picked?.candidate;
}

async function pickListElement(candidate: PackageListCandidate, placeHolder: string): Promise<string | undefined> {
  const names = bareElementNames(candidate) ?? candidate.elements.map((e) => e.key);
  if (names.length === 0) throw new UserError(`${candidate.label} is empty: there is nothing to remove.`);
  return vscode.window.showQuickPick([...new Set(names)], { placeHolder });
}

/**
 * The name to add. When the list draws from a package set written in flake.nix itself, its names
 * are offered (typing any other attribute path still works); otherwise a free-text input box.
 * Both validate as the user types.
 */
async function askNameToAdd(document: vscode.TextDocument, text: string, candidate: PackageListCandidate): Promise<string | undefined> {
  const present = new Set(bareElementNames(candidate) ?? []);
  const problemOf = (value: string) => {
    const problem = packageNameProblem(value);
    if (problem) return problem;
    const bare = candidate.addPrefix && value.startsWith(candidate.addPrefix) ? value.slice(candidate.addPrefix.length) : value;
    return present.has(bare) ? `${value} is already in ${candidate.label}.` : undefined;
  };
  const title = `Add a Nix package to ${vscode.workspace.asRelativePath(document.uri)}: ${candidate.label}`;
  const set = localPackageSet(text, candidate);
  if (!set) {
    const value = await vscode.window.showInputBox({
      title,
      prompt: "A Nix attribute name of the package set the list uses (numpy, scikit-learn, or a path like python3Packages.numpy)",
      placeHolder: "numpy",
      validateInput: (v) => (v.trim() === "" ? undefined : problemOf(v.trim())),
    });
    const name = value?.trim();
    if (!name) return undefined;
    const problem = problemOf(name);
    if (problem) throw new UserError(problem);
    return name;
  }

  type Item = vscode.QuickPickItem & { readonly name?: string };
  const offered: Item[] = set.missing.map((n) => ({ label: n, name: n, description: `in ${set.label}` }));
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = title;
  picker.placeholder = `A package of ${set.label}, or type any Nix attribute name`;
  picker.matchOnDescription = false;
  const update = () => {
    const value = picker.value.trim();
    if (value === "" || offered.some((i) => i.name === value)) {
      picker.items = offered;
      return;
    }
    const problem = problemOf(value);
    const typed: Item = problem
      ? { label: `$(error) ${value}`, detail: problem, alwaysShow: true }
      : { label: value, name: value, description: `not in ${set.label}: added as typed`, alwaysShow: true };
    picker.items = [typed, ...offered];
  };
  update();
  return new Promise<string | undefined>((resolve) => {
    let chosen: string | undefined;
    picker.onDidChangeValue(update);
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0] ?? picker.activeItems[0];
      if (!item?.name) return; // an invalid name: the item says why; keep the picker open
      chosen = item.name;
      picker.hide();
    });
    picker.onDidHide(() => {
      picker.dispose();
      resolve(chosen);
    });
    picker.show();
  });
}

/**
 * Computes the edit on the document's current text, checks it parses, applies it as a
 * WorkspaceEdit and saves. Starts over when the user changed the document meanwhile.
 */
async function applyFlakeEdit(
  deps: NixPackageCommandDeps,
  owner: FolderEnvironment,
  document: vscode.TextDocument,
  op: FlakeEditOp,
  name: string,
  chosen: PackageListCandidate,
): Promise<NixPackageCommandResult> {
  const runner = new ProcessRunner(channelLogger(deps.log, `[${owner.folder.name}] `));
  const nixPath = readConfig(owner.folder).nixPath;
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

async function reloadWithProgress(owner: FolderEnvironment, title: string): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Hybrid Env: ${title}: reloading ${owner.folder.name}` },
    () => (owner.entered ? owner.reload() : owner.enter()),
  );
}

/** Reveals the added package (as Python names it: the attribute's last part) once the view has it. */
async function revealAdded(deps: NixPackageCommandDeps, owner: FolderEnvironment, attribute: string): Promise<boolean> {
  const python = normalizeName(attribute.split(".").at(-1)!);
  for (let i = 0; i < 10; i++) {
    if (await deps.view!.revealPackage(python)) return true;
    // The view follows the active folder; it may update a moment after the load.
    await new Promise((r) => setTimeout(r, 200));
  }
  const state = owner.snapshot.state;
  if (state === "ready" || state === "stale") {
    void vscode.window.showInformationMessage(
      `Hybrid Env: ${owner.folder.name}'s environment shows no Python package named ${python} from Nix. Its distribution may be named differently, or it is not a Python package.`,
    );
  }
  return false;
}

/** A failure whose message is all the user needs. */
class UserError extends Error {}
