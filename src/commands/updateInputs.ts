// "Hybrid Env: Update Nix Inputs…": the seed's `nix flake update` step. Which folder, then all
// inputs or one (a quick pick of flake.lock's inputs, each with what it is locked to), the update
// under a notification with Cancel (core: updateFlakeInputs, the right command for the Nix at
// hand), then a message saying which inputs moved (old → new revision and date) with Undo, which
// puts the previous flake.lock back (core: undoFlakeUpdate; the CLI's `update --undo` shares the
// record), and a reload of the folder.
//   hybridEnv.updateNixInputs(folder?: Uri, input?: string)   "*" updates every input without asking
import { CancelledError, HybridEnvError } from "../core/errors";
import { formatChange, formatDate, lockedInputs, type InputChange } from "../core/flakeLock";
import { FlakeLockChangedError, lastUpdate, undoFlakeUpdate, updateFlakeInputs } from "../core/flakeUpdate";
import { channelLogger } from "../common/logger";
import { readConfig } from "../config/config";
import { defaultCacheDir } from "../core/options";
import { ProcessRunner } from "../core/process";
import { findNix } from "../core/tools";
import type { FolderEnvironment } from "../folders/folderEnvironment";
import { isUri } from "../platform/apis";
import type { CommandContext } from "./context";
import { pickFolder } from "./folderPick";
import type { CommandSpec } from "./registry";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const UNDO = "Undo";
const RESTORE_ANYWAY = "Restore Anyway";
const ALL = "*";

export interface UpdateInputsResult {
  readonly changed: boolean;
  readonly message: string;
  /** One line per input that moved: "nixpkgs: 1a2b3c4 (2024-05-01) → 5d6e7f8 (2024-06-02)". */
  readonly changes: readonly string[];
  readonly error?: string;
}

export interface UpdateInputsOptions {
  /** Where the previous flake.lock is kept for Undo (default: hybrid-env's cache folder). */
  readonly cacheDir?: string;
}

/** The command's result, and the answer to its message (Undo) being handled: for tests. */
export interface UpdateRun {
  readonly result: UpdateInputsResult;
  readonly followUp: Promise<void>;
}

export function updateInputsCommand(ctx: CommandContext, opts: UpdateInputsOptions = {}): CommandSpec {
  return {
    run: async (...args: unknown[]) => (await updateNixInputs(ctx, args, opts)).result,
    onFailure: (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      return { changed: false, message, changes: [], error: message } satisfies UpdateInputsResult;
    },
  };
}

export async function updateNixInputs(ctx: CommandContext, args: readonly unknown[], opts: UpdateInputsOptions = {}): Promise<UpdateRun> {
  const done = (message: string, changed = false): UpdateRun => ({ result: { changed, message, changes: [] }, followUp: Promise.resolve() });
  const folderArg = args.find(isUri);
  const owner = await pickFolder(ctx.envs, ctx.apis.window, folderArg, {
    which: (s) => s.project.flakePath !== undefined,
    placeHolder: "Update the Nix inputs of which folder?",
    noneMessage: "No folder of this workspace has a flake.nix.",
  });
  if (!owner) {
    if (folderArg) throw new Error(`${folderArg.fsPath} is not a Hybrid Env project folder.`);
    return done("cancelled");
  }
  const dir = owner.folder.uri.fsPath;
  const given = args.find((a): a is string => typeof a === "string");
  const input = given === undefined ? await askInput(ctx, dir) : given === ALL ? null : given;
  if (input === undefined) return done("cancelled");
  const cacheDir = opts.cacheDir ?? defaultCacheDir(ctx.hostEnv);
  const changes = await runUpdate(ctx, owner, input ?? undefined, cacheDir);
  if (changes.length === 0) {
    const message = `${input ?? "Every input"} of ${owner.folder.name} is already up to date; flake.lock was not changed.`;
    void ctx.apis.window.showInformationMessage(`Hybrid Env: ${message}`);
    return done(message);
  }
  const lines = changes.map(formatChange);
  const message = `${changes.length} Nix input${changes.length === 1 ? "" : "s"} of ${owner.folder.name} moved: ${lines.join("; ")}.`;
  ctx.log.info(`[${owner.folder.name}] ${message}`);
  const followUp = Promise.resolve(ctx.apis.window.showInformationMessage(`Hybrid Env: ${message}`, UNDO)).then((answer) => (answer === UNDO ? undo(ctx, owner, cacheDir) : undefined));
  await reload(ctx, owner, "updated inputs");
  return { result: { changed: true, message, changes: lines }, followUp };
}

/** The input to update: a string, null for all, undefined when the pick was dismissed. */
async function askInput(ctx: CommandContext, dir: string): Promise<string | null | undefined> {
  const lockPath = join(dir, "flake.lock");
  const inputs = existsSync(lockPath) ? lockedInputs(readFileSync(lockPath, "utf8")) : [];
  if (inputs.length === 0) return null; // no lock yet, or no inputs: `nix flake update` locks whatever there is
  const picked = await ctx.apis.window.showQuickPick(
    [
      { label: "All inputs", description: "nix flake update", input: null },
      ...inputs.map((i) => ({
        label: i.path,
        description: i.url,
        detail: `locked at ${i.rev ? i.rev.slice(0, 7) : "(no revision)"}, ${formatDate(i.lastModified)}${i.path.includes("/") ? ` · an input of ${i.path.split("/")[0]}` : ""}`,
        input: i.path as string | null,
      })),
    ],
    { title: "Hybrid Env: Update Nix Inputs", placeHolder: "Update every input of flake.lock, or one of them" },
  );
  return picked === undefined ? undefined : picked.input;
}

async function runUpdate(ctx: CommandContext, owner: FolderEnvironment, input: string | undefined, cacheDir: string): Promise<readonly InputChange[]> {
  const config = readConfig(ctx.apis.workspace, owner.folder);
  const dir = owner.folder.uri.fsPath;
  const nix = findNix(config.nixPath, ctx.hostEnv);
  const runner = new ProcessRunner(channelLogger(ctx.log, `[${owner.folder.name}] `));
  const startedAt = new Date().toISOString();
  try {
    const outcome = await ctx.apis.window.withProgress(
      { where: "notification", title: `Hybrid Env: updating ${input ?? "the Nix inputs"} of ${owner.folder.name}`, cancellable: true },
      (report, signal) =>
        updateFlakeInputs({ nix, dir, input, env: ctx.hostEnv, runner, cacheDir, signal, timeoutMs: config.nixTimeoutSeconds * 1000, onProgress: (line) => report(plainLine(line)) }),
    );
    return outcome.changes;
  } catch (err) {
    // Nix may have written the new lock before it was stopped: say so, and offer the undo.
    const record = lastUpdate(cacheDir, dir);
    if (err instanceof CancelledError && record && record.at >= startedAt) {
      void ctx.apis.window.showWarningMessage(`Hybrid Env: the update of ${owner.folder.name} was cancelled after flake.lock had changed.`, UNDO).then((answer) => {
        if (answer === UNDO) void undo(ctx, owner, cacheDir);
      });
    }
    throw err;
  }
}

async function undo(ctx: CommandContext, owner: FolderEnvironment, cacheDir: string, force = false): Promise<void> {
  const { window } = ctx.apis;
  try {
    const undone = undoFlakeUpdate(cacheDir, owner.folder.uri.fsPath, { force });
    const moved = undone.changes.map(formatChange);
    ctx.log.info(`[${owner.folder.name}] ${undone.message}${moved.length > 0 ? ` ${moved.join("; ")}` : ""}`);
    void window.showInformationMessage(`Hybrid Env (${owner.folder.name}): ${undone.message}${moved.length > 0 ? ` ${moved.join("; ")}.` : ""}`);
    await reload(ctx, owner, "restored flake.lock");
  } catch (err) {
    if (err instanceof FlakeLockChangedError && !force) {
      const answer = await window.showWarningMessage(`Hybrid Env (${owner.folder.name}): ${err.message.replace(/Undo with --force/, `"${RESTORE_ANYWAY}"`)}`, RESTORE_ANYWAY);
      if (answer === RESTORE_ANYWAY) await undo(ctx, owner, cacheDir, true);
      return;
    }
    const message = err instanceof HybridEnvError || err instanceof Error ? err.message : String(err);
    ctx.log.error(`[${owner.folder.name}] undo of the input update: ${message}`);
    void window.showErrorMessage(`Hybrid Env (${owner.folder.name}): ${message}`);
  }
}

async function reload(ctx: CommandContext, owner: FolderEnvironment, why: string): Promise<void> {
  if (!owner.entered) return; // nothing applied yet: the next Enter loads the new lock
  await ctx.apis.window.withProgress({ where: "window", title: `Hybrid Env: ${why}: reloading ${owner.folder.name}` }, () => owner.reload("user"));
}

/** Nix's progress line without colours, short enough for a notification. */
function plainLine(line: string): string {
  const plain = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").trim();
  return plain.length > 120 ? `${plain.slice(0, 117)}…` : plain;
}
