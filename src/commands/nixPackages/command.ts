// "Add Nix Package…" and "Remove Nix Package": edit a Python package list of a folder's Nix files
// (flake.nix or a file it imports, or shell.nix / default.nix) the way a person would, in the
// editor. The steps: which folder (folderPick), the project's lists as the editor has them
// (core: findProjectPackageLists, the folder's devShell preferred), which list (listChoice: a
// question only when several remain), which name (the quick pick, packagePicker.ts, or the
// argument; typed names are written the list's way, another Python's names are refused), the
// look-up in the list's package set (existence.ts: "did you mean"), the edit (nixFileEdit.ts:
// parse-checked, a WorkspaceEdit), then a reload, and for an addition the package revealed in
// the Packages view. Arguments and result: args.ts.
import { basename } from "node:path";
import { channelLogger } from "../../common/logger";
import { readConfig } from "../../config/config";
import {
  AmbiguousPackageListError,
  assertValidPackageName,
  findProjectPackageLists,
  listPackageChoices,
  planPackageEdit,
  projectEntry,
  type PackageEditPlan,
  type PackageSetOptions,
  type ProjectPackageList,
  type ProjectPackageLists,
} from "../../core/flake";
import type { ParseCheckOptions } from "../../core/flake/check";
import { defaultCacheDir } from "../../core/options";
import { normalizeName } from "../../core/packageName";
import { ProcessRunner } from "../../core/process";
import type { FolderEnvironment } from "../../folders/folderEnvironment";
import type { EditorApis } from "../../platform/editorApis";
import type { CommandContext } from "../context";
import { pickFolder } from "../folderPick";
import { applyNixFileEdit } from "../nixFileEdit";
import type { CommandSpec } from "../registry";
import { cancelled, CANCELLED, failedResult, parseNixPackageArgs, UserError, type NixPackageArgs, type NixPackageCommandResult } from "./args";
import { checkBeforeAdding } from "./existence";
import { chooseList } from "./listChoice";
import { pickPackageToAdd } from "./packagePicker";
import { chooseRemoval } from "./removal";

export type { NixPackageCommandResult } from "./args";

export interface PackageRevealer {
  revealPackage(name: string): Promise<boolean>;
}

export interface NixPackageDeps extends CommandContext {
  readonly editor: EditorApis;
  readonly view?: PackageRevealer;
  /** Where package set listings are cached (default: hybrid-env's cache folder). */
  readonly cacheDir?: string;
}

export function nixPackageCommands(deps: NixPackageDeps): Record<"addNixPackage" | "removeNixPackage", CommandSpec> {
  return {
    addNixPackage: { run: (...args: unknown[]) => addNixPackage(deps, parseNixPackageArgs(args)), onFailure: failedResult },
    removeNixPackage: { run: (...args: unknown[]) => removeNixPackage(deps, parseNixPackageArgs(args)), onFailure: failedResult },
  };
}

/** One command's view of its folder: the project's lists as the editor has them, and how to run Nix. */
interface Session {
  readonly owner: FolderEnvironment;
  readonly devShell: string;
  readonly project: ProjectPackageLists;
  readonly parse: ParseCheckOptions;
  readonly packageSet: PackageSetOptions;
}

function openSession(deps: NixPackageDeps, owner: FolderEnvironment): Session {
  const dir = owner.folder.uri.fsPath;
  const config = readConfig(deps.apis.workspace, owner.folder);
  const runner = new ProcessRunner(channelLogger(deps.log, `[${owner.folder.name}] `));
  // The devShell the folder's environment is loaded from: its list is the one to edit.
  const devShell = owner.snapshot.project.devShell;
  const project = findProjectPackageLists(dir, { devShell, readText: (path) => deps.editor.openText(path) });
  const env = deps.hostEnv;
  return {
    owner,
    devShell,
    project,
    parse: { runner, env, nixPath: config.nixPath, cwd: dir },
    packageSet: { runner, env, nixPath: config.nixPath, cacheDir: deps.cacheDir ?? defaultCacheDir(env), timeoutMs: config.nixTimeoutSeconds * 1000 },
  };
}

async function folderOf(deps: NixPackageDeps, args: NixPackageArgs): Promise<FolderEnvironment | undefined> {
  // A row belongs to the view's folder, which is the active one.
  if (args.fromRow && !args.folder) return deps.envs.activeFolder();
  const owner = await pickFolder(deps.envs, deps.apis.window, args.folder, {
    which: (s) => projectEntry(s.folder.uri.fsPath) !== undefined,
    placeHolder: "Which folder's Nix packages?",
    noneMessage: "No folder of this workspace has a flake.nix, shell.nix or default.nix.",
  });
  if (!owner && args.folder) throw new UserError(`${args.folder.fsPath} is not a Hybrid Env project folder.`);
  return owner;
}

async function addNixPackage(deps: NixPackageDeps, args: NixPackageArgs): Promise<NixPackageCommandResult> {
  const startedAt = performance.now();
  const owner = await folderOf(deps, args);
  if (!owner) return CANCELLED;
  if (args.name !== undefined) assertValidPackageName(args.name);
  const session = openSession(deps, owner);
  const list = await chooseList(deps.apis.window, session.project, args.list, "Add to which one?");
  if (!list) return CANCELLED;
  let typed = args.name;
  let pick;
  if (typed === undefined) {
    const text = session.project.files.find((f) => f.path === list.file)!.text;
    const chosen = await pickPackageToAdd(deps.editor, list, text, () => listPackageChoices(session.project, list, { ...session.packageSet, detailed: true }), startedAt);
    pick = chosen.timings;
    if (chosen.name === undefined) return cancelled({ pick });
    typed = chosen.name;
  }
  // A "did you mean" answer plans again with that name (it is in the set: the second look-up passes).
  for (let round = 0; round < 3; round++) {
    const plan = planPackageEdit(session.project, "add", typed, { list: list.number });
    if (!plan.changed) return noChange(deps, plan, { pick });
    const decision = await checkBeforeAdding(deps.apis.window, session.project, plan, session.packageSet);
    if (decision.kind === "retry") {
      typed = decision.name;
      continue;
    }
    if (decision.kind === "refused") {
      return { changed: false, message: decision.message, error: decision.message, check: "missing", suggestions: decision.suggestions, file: list.relPath, pick };
    }
    return applyPlan(deps, session, plan, [...plan.notes, ...decision.notes], { check: decision.check.status, pick });
  }
  throw new UserError(`${typed} was not found in the package set; nothing was changed.`);
}

async function removeNixPackage(deps: NixPackageDeps, args: NixPackageArgs): Promise<NixPackageCommandResult> {
  const owner = await folderOf(deps, args);
  if (!owner) return CANCELLED;
  if (args.name !== undefined) assertValidPackageName(args.name);
  const session = openSession(deps, owner);
  const choice = await chooseRemoval(deps.apis.window, session.project, args);
  if (!choice) return CANCELLED;
  const plan = await planRemoval(deps, session.project, choice.name, choice.list);
  if (!plan) return CANCELLED;
  if (!plan.changed) return noChange(deps, plan, {});
  return applyPlan(deps, session, plan, [], {});
}

/** Without a list, the core takes the one holding the name; several hold it: the user says which. */
async function planRemoval(deps: NixPackageDeps, project: ProjectPackageLists, name: string, list: ProjectPackageList | undefined): Promise<PackageEditPlan | undefined> {
  try {
    return planPackageEdit(project, "remove", name, { list: list?.number });
  } catch (err) {
    if (!(err instanceof AmbiguousPackageListError)) throw err;
    const among = { ...project, lists: project.lists.filter((l) => err.candidates.some((c) => c.number === l.number)) };
    const chosen = await chooseList(deps.apis.window, among, undefined, `Remove ${name} from which one?`);
    return chosen && planPackageEdit(project, "remove", name, { list: chosen.number });
  }
}

function noChange(deps: NixPackageDeps, plan: PackageEditPlan, fields: Partial<NixPackageCommandResult>): NixPackageCommandResult {
  void deps.apis.window.showInformationMessage(`Hybrid Env: ${plan.message}`);
  return { changed: false, message: plan.message, name: plan.op === "add" ? plan.element : plan.attribute, file: plan.list.relPath, ...fields };
}

/** The edit through the editor, then the message (with the notes), the reload and the reveal. */
async function applyPlan(deps: NixPackageDeps, session: Session, plan: PackageEditPlan, notes: readonly string[], fields: Partial<NixPackageCommandResult>): Promise<NixPackageCommandResult> {
  const { window } = deps.apis;
  const file = plan.list.file;
  const outcome = await applyNixFileEdit(
    { editor: deps.editor, window, log: deps.log, parse: session.parse },
    { file, relPath: plan.list.relPath, what: plan.op === "add" ? `Adding ${plan.element}` : `Removing ${plan.attribute}`, compute: (text) => (text === plan.before ? plan.after : replan(deps, session, plan, text)) },
  );
  if (!outcome.changed) return noChange(deps, { ...plan, message: `${plan.attribute} ${plan.op === "add" ? "is already in" : "is not in"} ${plan.list.label}: no change.` }, fields);
  const message = outcome.direct ? `${plan.message} (written to the file directly: the editor would change its line endings or encoding, so there is no Undo)` : plan.message;
  deps.log.info(`[${session.owner.folder.name}] ${message}${notes.length > 0 ? ` ${notes.join(" ")}` : ""}`);
  const show = `Show ${basename(file)}`;
  const text = `Hybrid Env: ${[message, ...notes].join(" ")}`;
  // The check skipped, or the set lacks the name: a warning, since the addition may not build.
  const unsure = fields.check === "skipped" || fields.check === "missing";
  void (unsure ? window.showWarningMessage(text, show) : window.showInformationMessage(text, show)).then((answer) => {
    if (answer === show) void deps.editor.show(file);
  });
  const name = plan.op === "add" ? plan.element : plan.attribute;
  await reloadWithProgress(deps, session.owner, `${plan.op === "add" ? "Adding" : "Removing"} ${name}`);
  const result: NixPackageCommandResult = { changed: true, message, name, file: plan.list.relPath, notes, ...fields };
  if (plan.op === "remove" || !deps.view) return result;
  return { ...result, revealed: await revealAdded(deps, deps.view, session.owner, plan.attribute) };
}

/** The same edit on a text the user changed meanwhile: the same list (by number, in the same file), planned again. */
function replan(deps: NixPackageDeps, session: Session, plan: PackageEditPlan, text: string): string | undefined {
  const again = findProjectPackageLists(session.project.dir, { devShell: session.devShell, readText: (path) => (path === plan.list.file ? text : deps.editor.openText(path)) });
  const list = again.lists.find((l) => l.number === plan.list.number && l.file === plan.list.file);
  if (!list) throw new UserError(`The Python package lists of ${plan.list.relPath} changed while it was being edited; nothing was changed. Try again.`);
  const next = planPackageEdit(again, plan.op, plan.op === "add" ? plan.element : plan.attribute, { list: list.number });
  return next.changed ? next.after : undefined;
}

async function reloadWithProgress(deps: NixPackageDeps, owner: FolderEnvironment, title: string): Promise<void> {
  await deps.apis.window.withProgress({ where: "window", title: `Hybrid Env: ${title}: reloading ${owner.folder.name}` }, () =>
    owner.entered ? owner.reload("user") : owner.enter("user"),
  );
}

/** Reveals the added package (as Python names it) once the view has it. */
async function revealAdded(deps: NixPackageDeps, view: PackageRevealer, owner: FolderEnvironment, attribute: string): Promise<boolean> {
  const python = normalizeName(attribute);
  for (let i = 0; i < 10; i++) {
    if (await view.revealPackage(python)) return true;
    // The view follows the active folder; it may update a moment after the load.
    await new Promise((r) => setTimeout(r, 200));
  }
  const state = owner.snapshot.state;
  if (state === "ready" || state === "stale") {
    void deps.apis.window.showInformationMessage(
      `Hybrid Env: ${owner.folder.name}'s environment shows no Python package named ${python} from Nix. Its distribution may be named differently, or it is not a Python package.`,
    );
  }
  return false;
}
