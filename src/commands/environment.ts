// Enter, Exit, Reload and Show Log; and "Track it (git add -N)", the button of an untracked
// flake.nix, which tracks the file and reloads.
import type { WorkspaceFolder } from "vscode";
import { channelLogger } from "../common/logger";
import { ProcessRunner } from "../core/process";
import { trackNewFiles } from "../core/template";
import type { CommandContext } from "./context";
import { withFolder } from "./context";
import type { CommandSpec } from "./registry";

export function environmentCommands(ctx: CommandContext, showLog: () => void): Record<"enter" | "exit" | "reload" | "showLog", CommandSpec> {
  return {
    enter: {
      run: withFolder(ctx, async (owner) => {
        await ctx.envs.choices.set(owner.folder, "enter");
        await owner.enter("user");
      }),
    },
    exit: {
      run: withFolder(ctx, async (owner) => {
        await ctx.envs.choices.set(owner.folder, undefined);
        await owner.exit();
      }),
    },
    reload: { run: withFolder(ctx, (owner) => (owner.entered ? owner.reload("user") : owner.enter("user"))) },
    showLog: { run: showLog },
  };
}

/**
 * `git add -N -- <file>` in the folder, then a reload the user asked for (so its outcome is shown
 * even when it fails as before). Rejects when git did not track the file: git's own reason.
 */
export async function trackFileAndReload(ctx: CommandContext, folder: WorkspaceFolder, file: string): Promise<void> {
  const log = channelLogger(ctx.log, `[${folder.name}] `);
  const outcome = await trackNewFiles(folder.uri.fsPath, [file], { runner: new ProcessRunner(log), env: ctx.hostEnv });
  if (outcome.error) throw new Error(`git add -N ${file} failed: ${outcome.error}`);
  if (!outcome.repo) throw new Error(`git add -N ${file}: ${folder.name} is not in a git repository.`);
  if (!outcome.tracked.includes(file)) throw new Error(`git add -N ${file} did not track it (is it ignored by .gitignore?).`);
  log.info(`tracked ${file} with git add -N`);
  // Not awaited: the button's job ends here; the load reports its own outcome.
  void ctx.envs.folderFor(folder.uri)?.reload("user");
}
