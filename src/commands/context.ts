// What every command handler gets: the registry, the VS Code wrappers, the log, and the
// environment of the extension host. Handlers take their folder first (an explicit Uri from a
// view, a link or another extension; else folderPick) and their own arguments after it.
import type { Uri } from "vscode";
import type { LogChannel } from "../common/logger";
import type { EnvMap } from "../core/mutations";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import type { WorkspaceEnvironments } from "../folders/workspaceEnvironments";
import { isUri, type HostApis } from "../platform/apis";
import { pickFolder, type FolderPickOptions } from "./folderPick";

export interface CommandContext {
  readonly envs: WorkspaceEnvironments;
  readonly apis: HostApis;
  readonly log: LogChannel;
  readonly hostEnv: EnvMap;
}

/**
 * A handler on one folder. Arguments: an optional folder Uri first, then the command's own (a
 * requirement, options). No folder to act on (the pick dismissed): the command does nothing.
 */
export function withFolder(
  ctx: CommandContext,
  run: (owner: FolderEnvironment, ...rest: unknown[]) => unknown,
  options: FolderPickOptions = {},
): (...args: unknown[]) => Promise<unknown> {
  return async (arg?: unknown, ...rest: unknown[]) => {
    const uri: Uri | undefined = isUri(arg) ? arg : undefined;
    const owner = await pickFolder(ctx.envs, ctx.apis.window, uri, options);
    if (!owner) {
      if (uri) throw new Error(`${uri.fsPath} is not a Hybrid Env project folder.`);
      return undefined;
    }
    return run(owner, ...(uri ? rest : [arg, ...rest]));
  };
}
