// "Hybrid Env: Choose devShell…": the flake's devShells.<system> names (listDevShells: one offline
// `nix eval` of the names, cached by the files' key, so a second pick starts no process), the
// choice kept per folder (DevShellChoices, workspace state), then a load of the chosen one. The
// hybridEnv.devShell setting stays the default: picking it again drops the folder's choice.
import { channelLogger } from "../common/logger";
import { readConfig } from "../config/config";
import { listDevShells, type DevShellList } from "../core/devShells";
import { InvalidInputError } from "../core/errors";
import { defaultCacheDir } from "../core/options";
import { ProcessRunner } from "../core/process";
import { findNix } from "../core/tools";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import { withFolder, type CommandContext } from "./context";
import type { CommandSpec } from "./registry";

/** What the command resolves to (for tests and other extensions). */
export interface DevShellCommandResult {
  /** The folder's devShell after the command. */
  readonly devShell: string;
  readonly changed: boolean;
  /** The names offered. */
  readonly names: readonly string[];
}

const FLAKE_FOLDERS = {
  which: (s: { project: { flakePath?: string } }) => s.project.flakePath !== undefined,
  placeHolder: "Which folder's devShell?",
  noneMessage: "No folder of this workspace has a flake.nix: there are no devShells to choose from.",
};

export function devShellCommands(ctx: CommandContext): Record<"chooseDevShell", CommandSpec> {
  return {
    // Arguments: [folder Uri], [name] — with a name, no question is asked (links, tests).
    chooseDevShell: { run: withFolder(ctx, (owner, name) => chooseDevShell(ctx, owner, typeof name === "string" ? name : undefined), FLAKE_FOLDERS) },
  };
}

export async function chooseDevShell(ctx: CommandContext, owner: FolderEnvironment, requested?: string): Promise<DevShellCommandResult> {
  const config = readConfig(ctx.apis.workspace, owner.folder);
  const current = owner.snapshot.project.devShell;
  const list = await ctx.apis.window.withProgress({ where: "window", title: `Hybrid Env: listing the devShells of ${owner.folder.name}` }, () =>
    listDevShells(new ProcessRunner(channelLogger(ctx.log, `[${owner.folder.name}] `)), {
      nix: findNix(config.nixPath, ctx.hostEnv),
      dir: owner.folder.uri.fsPath,
      env: ctx.hostEnv,
      timeoutMs: config.nixTimeoutSeconds * 1000,
      cacheDir: defaultCacheDir(ctx.hostEnv),
    }),
  );
  if (list.names.length === 0) throw new InvalidInputError(noShellsMessage(owner.folder.name, list));
  const name = requested ?? (await pickName(ctx, owner, list.names, current, config.devShell));
  if (name === undefined) return { devShell: current, changed: false, names: list.names };
  if (!list.names.includes(name)) {
    throw new InvalidInputError(`${owner.folder.name}'s flake has no devShell "${name}" for ${list.system} (it has ${list.names.join(", ")}).`);
  }
  if (name === current) return { devShell: current, changed: false, names: list.names };
  // The setting's own value needs no choice of its own: the folder follows the setting again.
  await ctx.envs.devShells.set(owner.folder, name === config.devShell ? undefined : name);
  ctx.log.info(`[${owner.folder.name}] devShell: ${name}${name === config.devShell ? " (the hybridEnv.devShell setting)" : " (chosen for this folder)"}`);
  if (owner.entered) await owner.enter("user");
  else void ctx.apis.window.showInformationMessage(`Hybrid Env: ${owner.folder.name} will load the devShell "${name}" when you enter it.`);
  return { devShell: name, changed: true, names: list.names };
}

async function pickName(ctx: CommandContext, owner: FolderEnvironment, names: readonly string[], current: string, setting: string): Promise<string | undefined> {
  const items = names.map((label) => {
    const notes = [label === current ? "active" : "", label === setting ? "the hybridEnv.devShell setting" : ""].filter(Boolean);
    return { label, description: notes.join(" · ") };
  });
  const picked = await ctx.apis.window.showQuickPick(items, { title: `devShell of ${owner.folder.name}`, placeHolder: `The active one is "${current}"` });
  return picked?.label;
}

function noShellsMessage(folder: string, list: DevShellList): string {
  if (list.legacySystems.includes(list.system)) {
    return `${folder}'s flake has only the legacy output devShell.${list.system}, which Hybrid Env does not load: rename it to devShells.${list.system}.default.`;
  }
  const elsewhere = Object.entries(list.bySystem).filter(([, names]) => names.length > 0).map(([system]) => system);
  return `${folder}'s flake has no devShells for ${list.system}${elsewhere.length > 0 ? ` (only for ${elsewhere.join(", ")})` : ""}.`;
}
