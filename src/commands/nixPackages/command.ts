// "Add Nix Package…" and "Remove Nix Package": edit the Python package list of a folder's
// flake.nix the way a person would, in the editor. The steps: which folder (folderPick: only
// folders with a flake.nix), what to do (choose.ts: arguments or questions), the edit (apply.ts),
// then a reload, and for an addition the package revealed in the Packages view. Arguments and
// result: args.ts.
import * as vscode from "vscode";
import { findPackageLists, type FlakeEditOp } from "../../core/flake";
import { normalizeName } from "../../core/packageName";
import type { FolderEnvironment } from "../../folders/folderEnvironment";
import { pickFolder } from "../folderPick";
import type { CommandContext } from "../context";
import type { CommandSpec } from "../registry";
import { applyFlakeEdit } from "./apply";
import { CANCELLED, failedResult, parseNixPackageArgs, UserError, type NixPackageArgs, type NixPackageCommandResult } from "./args";
import { chooseAddition, chooseRemoval } from "./choose";

export type { NixPackageCommandResult } from "./args";

export interface PackageRevealer {
  revealPackage(name: string): Promise<boolean>;
}

export function nixPackageCommands(ctx: CommandContext, view?: PackageRevealer): Record<"addNixPackage" | "removeNixPackage", CommandSpec> {
  const spec = (op: FlakeEditOp): CommandSpec => ({
    run: (...args: unknown[]) => runNixPackageCommand(ctx, view, op, parseNixPackageArgs(args)),
    onFailure: failedResult,
  });
  return { addNixPackage: spec("add"), removeNixPackage: spec("remove") };
}

async function folderOf(ctx: CommandContext, args: NixPackageArgs): Promise<FolderEnvironment | undefined> {
  // A row belongs to the view's folder, which is the active one.
  if (args.fromRow && !args.folder) return ctx.envs.activeFolder();
  const owner = await pickFolder(ctx.envs, ctx.apis.window, args.folder, {
    which: (s) => s.project.flakePath !== undefined,
    placeHolder: "Which folder's flake.nix?",
    noneMessage: "No folder of this workspace has a flake.nix.",
  });
  if (!owner && args.folder) throw new UserError(`${args.folder.fsPath} is not a Hybrid Env project folder.`);
  return owner;
}

async function runNixPackageCommand(ctx: CommandContext, view: PackageRevealer | undefined, op: FlakeEditOp, args: NixPackageArgs): Promise<NixPackageCommandResult> {
  const { window } = ctx.apis;
  const owner = await folderOf(ctx, args);
  if (!owner) return CANCELLED;
  const flakePath = owner.snapshot.project.flakePath;
  if (!flakePath) throw new UserError(`${owner.folder.name} has no flake.nix.`);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(flakePath));
  const text = document.getText();
  const candidates = findPackageLists(text);

  const choice = op === "add" ? await chooseAddition(document, text, candidates, args) : await chooseRemoval(candidates, args);
  if (!choice) return CANCELLED;
  if ("noChange" in choice) {
    void window.showInformationMessage(`Hybrid Env: ${choice.noChange}`);
    return { changed: false, message: choice.noChange };
  }
  const outcome = await applyFlakeEdit(ctx, owner, document, op, choice.name, choice.candidate);
  if (!outcome.changed) {
    void window.showInformationMessage(`Hybrid Env: ${outcome.message}`);
    return outcome;
  }
  ctx.log.info(`[${owner.folder.name}] ${outcome.message}`);
  void window.showInformationMessage(`Hybrid Env: ${outcome.message}`, "Show flake.nix").then((answer) => {
    if (answer === "Show flake.nix") void vscode.window.showTextDocument(document);
  });
  await reloadWithProgress(ctx, owner, op === "add" ? `Adding ${choice.name}` : `Removing ${choice.name}`);
  if (op === "remove" || !view) return outcome;
  return { ...outcome, revealed: await revealAdded(ctx, view, owner, choice.name) };
}

async function reloadWithProgress(ctx: CommandContext, owner: FolderEnvironment, title: string): Promise<void> {
  await ctx.apis.window.withProgress({ where: "window", title: `Hybrid Env: ${title}: reloading ${owner.folder.name}` }, () =>
    owner.entered ? owner.reload("user") : owner.enter("user"),
  );
}

/** Reveals the added package (as Python names it: the attribute's last part) once the view has it. */
async function revealAdded(ctx: CommandContext, view: PackageRevealer, owner: FolderEnvironment, attribute: string): Promise<boolean> {
  const python = normalizeName(attribute.split(".").at(-1)!);
  for (let i = 0; i < 10; i++) {
    if (await view.revealPackage(python)) return true;
    // The view follows the active folder; it may update a moment after the load.
    await new Promise((r) => setTimeout(r, 200));
  }
  const state = owner.snapshot.state;
  if (state === "ready" || state === "stale") {
    void ctx.apis.window.showInformationMessage(
      `Hybrid Env: ${owner.folder.name}'s environment shows no Python package named ${python} from Nix. Its distribution may be named differently, or it is not a Python package.`,
    );
  }
  return false;
}
