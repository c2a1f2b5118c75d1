// "Hybrid Env: Fix Native Libraries": adds the nixpkgs attributes of the missing libraries to the
// library path of the folder's devShell in flake.nix (core/native/flakeLibraryPath: the list
// extended in place, a shellHook line, or a new LD_LIBRARY_PATH attribute), through the one
// apply-an-edit path (nixFileEdit.ts: the editor's text, nix-instantiate --parse, a WorkspaceEdit
// so Undo works, saved), then reloads. From a diagnostic's Quick Fix, a Packages view row, or the
// palette (every fixable library of the folder).
import { channelLogger } from "../common/logger";
import { readConfig } from "../config/config";
import { nixSystem } from "../core/devShells";
import { planLibraryPathFix, type LibraryPathFix } from "../core/native/flakeLibraryPath";
import { ProcessRunner } from "../core/process";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import { isUri } from "../platform/apis";
import { vscodeEditorApis } from "../platform/vscodeEditorApis";
import type { NativeRowNode } from "../views/nativeLibrariesTree";
import type { NativeProblemsSource } from "../views/nativeLibrariesView";
import { pickFolder } from "./folderPick";
import type { CommandContext } from "./context";
import { applyNixFileEdit, NixEditError } from "./nixFileEdit";
import type { CommandSpec } from "./registry";

export interface NativeFixResult {
  readonly changed: boolean;
  readonly message: string;
  readonly added?: readonly string[];
  readonly how?: Extract<LibraryPathFix, { kind: "edit" }>["how"];
}

/** A nixpkgs attribute path as the curated map writes them: zlib, stdenv.cc.cc.lib, alsa-lib. */
const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

export function nativeFixCommands(ctx: CommandContext, native: NativeProblemsSource | undefined): Record<"fixNativeLibraries", CommandSpec> {
  return { fixNativeLibraries: { run: (...args: unknown[]) => runFix(ctx, native, args) } };
}

async function runFix(ctx: CommandContext, native: NativeProblemsSource | undefined, args: unknown[]): Promise<NativeFixResult | undefined> {
  // A Packages view row (the view shows the active folder), else [folder Uri], [attributes].
  const row = isNativeRow(args[0]) ? args[0] : undefined;
  const uri = isUri(args[0]) ? args[0] : undefined;
  const owner = row
    ? ctx.envs.activeFolder()
    : await pickFolder(ctx.envs, ctx.apis.window, uri, {
        which: (s) => s.project.flakePath !== undefined,
        placeHolder: "Which folder's flake.nix?",
        noneMessage: "No folder of this workspace has a flake.nix.",
      });
  if (!owner) return undefined;
  const given = row?.problem.attribute ? [row.problem.attribute] : Array.isArray(args[1]) ? args[1] : undefined;
  const attributes = given ?? [...new Set((native?.problemsFor(owner.folder.uri) ?? []).map((p) => p.attribute).filter((a): a is string => a !== undefined))];
  return fixNativeLibraries(ctx, owner, attributes);
}

export async function fixNativeLibraries(ctx: CommandContext, owner: FolderEnvironment, attributes: readonly unknown[]): Promise<NativeFixResult> {
  const { window } = ctx.apis;
  const flakePath = owner.snapshot.project.flakePath;
  if (!flakePath) throw new NixEditError(`${owner.folder.name} has no flake.nix.`);
  const bad = attributes.filter((a) => typeof a !== "string" || !ATTRIBUTE.test(a));
  if (bad.length > 0) throw new NixEditError(`Not a nixpkgs attribute: ${bad.map((b) => JSON.stringify(b)).join(", ")}. flake.nix was not changed.`);
  const attrs = attributes as readonly string[];
  if (attrs.length === 0) {
    const message = `No missing library of ${owner.folder.name} has a nixpkgs attribute to add.`;
    void window.showInformationMessage(`Hybrid Env: ${message}`);
    return { changed: false, message };
  }
  const devShell = owner.snapshot.project.devShell;
  const log = channelLogger(ctx.log, `[${owner.folder.name}] `);
  const dir = owner.folder.uri.fsPath;
  let plan: LibraryPathFix | undefined;
  const outcome = await applyNixFileEdit(
    { editor: vscodeEditorApis, window, log, parse: { runner: new ProcessRunner(log), env: ctx.hostEnv, nixPath: readConfig(ctx.apis.workspace, owner.folder).nixPath, cwd: dir } },
    {
      file: flakePath,
      relPath: "flake.nix",
      what: `Adding ${attrs.join(", ")} to the library path`,
      compute: (text) => {
        plan = planLibraryPathFix(text, devShell, attrs, nixSystem());
        if (plan.kind === "manual") throw new NixEditError(`Cannot add ${attrs.join(", ")} by itself: ${plan.message}. Add this to the devShell in flake.nix: ${plan.snippet}`);
        return plan.kind === "edit" ? plan.text : undefined;
      },
    },
  );
  if (!outcome.changed || plan?.kind !== "edit") {
    const message = plan?.kind === "unchanged" ? `${plan.message}.` : "flake.nix was not changed.";
    void window.showInformationMessage(`Hybrid Env: ${message}`);
    return { changed: false, message };
  }
  const where = { "extend-list": "its LD_LIBRARY_PATH list", "shellhook-export": "a line at the end of its shellHook", "new-attribute": "a new LD_LIBRARY_PATH attribute" }[plan.how];
  const message = `Added ${plan.added.join(", ")} to the library path of the devShell "${devShell}" in flake.nix (${where})${outcome.direct ? "; written to the file directly, so there is no Undo" : ""}.`;
  log.info(message);
  void window.showInformationMessage(`Hybrid Env: ${message}`, "Show flake.nix").then((a) => {
    if (a === "Show flake.nix") void vscodeEditorApis.show(flakePath);
  });
  await window.withProgress({ where: "window", title: `Hybrid Env: reloading ${owner.folder.name}` }, () => (owner.entered ? owner.reload("user") : owner.enter("user")));
  return { changed: true, message, added: plan.added, how: plan.how };
}

function isNativeRow(value: unknown): value is NativeRowNode {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "nativeLibrary";
}
