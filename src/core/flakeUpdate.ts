// "Update Nix inputs": the seed's `nix flake update` step, with the command the Nix at hand
// understands, what moved (old → new revision and date, read from the two lock files), and an
// undo that puts the previous flake.lock back. The previous lock is kept in hybrid-env's cache
// folder, not beside the project, and only the last update of each folder can be undone.
//   Nix < 2.19: `nix flake update` (all), `nix flake lock --update-input NAME` (one)
//   Nix ≥ 2.19: `nix flake update [NAME]`
import { NIX_TIMEOUT } from "./options";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { HybridEnvError, InvalidInputError } from "./errors";
import { diffLocks, lockedInputs, resolveInput, type InputChange } from "./flakeLock";
import { NIX_FEATURE_ARGS } from "./nix";
import { classifyNixFailure } from "./nixErrors";
import type { ProcessRunner, RunResult } from "./process";

export interface NixVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly text: string;
}

/** "nix (Nix) 2.8.0", "nix (Nix) 2.24.10", "nix (Determinate Nix 3.1.0) 2.26.3", "nix (Lix, like Nix) 2.91.1". */
export function parseNixVersion(output: string): NixVersion | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(output.trim().split("\n")[0] ?? "");
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: output.trim() } : undefined;
}

/** Since Nix 2.19, `nix flake update` takes input names (and `--update-input` is deprecated). */
export function updateTakesInputNames(v: NixVersion): boolean {
  return v.major > 2 || (v.major === 2 && v.minor >= 19);
}

export function updateArgs(newStyle: boolean, input?: string): string[] {
  if (!input) return ["flake", "update", ...NIX_FEATURE_ARGS];
  return newStyle ? ["flake", "update", ...NIX_FEATURE_ARGS, input] : ["flake", "lock", ...NIX_FEATURE_ARGS, "--update-input", input];
}

export interface UpdateRequest {
  readonly nix: string;
  readonly dir: string;
  /** One input ("nixpkgs", "flake-utils/systems"); all when absent. */
  readonly input?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly runner: ProcessRunner;
  readonly cacheDir: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  /** Nix's progress lines, as they come. */
  readonly onProgress?: (line: string) => void;
}

export interface UpdateOutcome {
  readonly changes: readonly InputChange[];
  readonly commandLine: string;
  /** The update can be undone (flake.lock changed). */
  readonly undoable: boolean;
  readonly durationMs: number;
}

export interface UndoRecord {
  readonly dir: string;
  /** The flake.lock before the update (null: there was none). */
  readonly before: string | null;
  /** The flake.lock the update wrote. */
  readonly after: string;
  /** ISO time of the update. */
  readonly at: string;
  readonly input?: string;
}

const INPUT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_'-]*(\/[A-Za-z0-9_][A-Za-z0-9_'-]*)*$/;

/** Runs the update; throws typed errors (cancelled, timed out, Nix failures) with the lock kept undoable if it changed. */
export async function updateFlakeInputs(req: UpdateRequest): Promise<UpdateOutcome> {
  const lockPath = join(req.dir, "flake.lock");
  if (!existsSync(join(req.dir, "flake.nix"))) throw new InvalidInputError(`${req.dir} has no flake.nix: there are no Nix inputs to update.`);
  const before = existsSync(lockPath) ? readFileSync(lockPath, "utf8") : undefined;
  if (req.input !== undefined) assertKnownInput(req.input, before);
  const version = await nixVersionOf(req);
  let newStyle = version ? updateTakesInputNames(version) : true;
  let result!: RunResult;
  try {
    result = await runUpdate(req, newStyle);
    if (result.exitCode !== 0 && req.input && wrongStyle(result.stderr, newStyle)) {
      newStyle = !newStyle; // the version said one thing, the error another: believe the error
      result = await runUpdate(req, newStyle);
    }
  } finally {
    // Also after a cancellation or failure: if Nix already wrote a new lock, it can be undone.
    const after = existsSync(lockPath) ? readFileSync(lockPath, "utf8") : undefined;
    if (after !== undefined && after !== before) saveUndo(req.cacheDir, { dir: realDir(req.dir), before: before ?? null, after, at: new Date().toISOString(), ...(req.input ? { input: req.input } : {}) });
  }
  if (result.exitCode !== 0) throw classifyNixFailure(result.stderr, result.commandLine, result.exitCode, req.dir);
  const after = readFileSync(lockPath, "utf8");
  return { changes: diffLocks(before, after), commandLine: result.commandLine, undoable: after !== before, durationMs: result.durationMs };
}

function assertKnownInput(input: string, lock: string | undefined): void {
  if (!INPUT_NAME.test(input)) throw new InvalidInputError(`${JSON.stringify(input)} is not a flake input name (letters, digits, _ ' -, and / between an input and its own inputs).`);
  if (lock === undefined || resolveInput(lock, input)) return;
  const known = lockedInputs(lock).map((i) => i.path);
  throw new InvalidInputError(`flake.lock has no input ${input}. Its inputs: ${known.length > 0 ? known.join(", ") : "none"}.`);
}

async function nixVersionOf(req: UpdateRequest): Promise<NixVersion | undefined> {
  const result = await req.runner.run(req.nix, ["--version"], { what: "nix --version", env: req.env, signal: req.signal, timeoutMs: 30_000, timeoutRaisedBy: { fixed: "nix --version answers at once; a hang is a broken install" } });
  return result.exitCode === 0 ? parseNixVersion(result.stdout) : undefined;
}

function runUpdate(req: UpdateRequest, newStyle: boolean): Promise<RunResult> {
  const args = updateArgs(newStyle, req.input);
  return req.runner.run(req.nix, args, {
    what: args.slice(0, 2).join(" ") === "flake lock" ? "nix flake lock --update-input" : "nix flake update",
    cwd: req.dir,
    env: req.env,
    signal: req.signal,
    timeoutMs: req.timeoutMs,
    timeoutRaisedBy: NIX_TIMEOUT,
    onStderrLine: req.onProgress,
  });
}

/** Nix's answer to the other generation's command line. */
function wrongStyle(stderr: string, newStyle: boolean): boolean {
  // Old Nix reads `nix flake update NAME` as a flake reference NAME (a registry look-up).
  if (newStyle) return /cannot find flake 'flake:[^']*' in the flake registries|unable to download '[^']*flake-registry/.test(stderr);
  return /unrecognised flag '--update-input'|unrecognized flag '--update-input'/.test(stderr);
}

export function undoFile(cacheDir: string, dir: string): string {
  return join(cacheDir, "flake-lock-undo", `${createHash("sha256").update(realDir(dir)).digest("hex").slice(0, 24)}.json`);
}

/** The same folder reached through a symlink has the same undo. */
function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function saveUndo(cacheDir: string, record: UndoRecord): void {
  const file = undoFile(cacheDir, record.dir);
  mkdirSync(dirname(file), { recursive: true });
  writeAtomicText(file, JSON.stringify(record, null, 2));
}

/** The update that `undoFlakeUpdate` would undo, if any (for an Undo button). */
export function lastUpdate(cacheDir: string, dir: string): UndoRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(undoFile(cacheDir, dir), "utf8")) as UndoRecord;
    return record.dir === realDir(dir) && typeof record.after === "string" ? record : undefined;
  } catch {
    return undefined;
  }
}

/** flake.lock changed after the update; restoring the old one would lose that change. */
export class FlakeLockChangedError extends HybridEnvError {
  readonly code = "flake-lock-changed";
}

export interface UndoOutcome {
  /** What moved back (old → new, as the restore sees it). */
  readonly changes: readonly InputChange[];
  /** The lock was deleted (there was none before the update). */
  readonly removed: boolean;
  readonly message: string;
}

/** Puts back the flake.lock from before the last update of `dir`. `force` restores it even if the lock changed since. */
export function undoFlakeUpdate(cacheDir: string, dir: string, opts: { readonly force?: boolean } = {}): UndoOutcome {
  const record = lastUpdate(cacheDir, dir);
  if (!record) throw new InvalidInputError(`There is no update of ${dir} to undo (hybrid-env keeps the flake.lock from before the last update only).`);
  const lockPath = join(dir, "flake.lock");
  const current = existsSync(lockPath) ? readFileSync(lockPath, "utf8") : undefined;
  if (current !== record.after && !opts.force) {
    throw new FlakeLockChangedError(`flake.lock changed after the update of ${record.at}; nothing was restored. Undo with --force to restore the flake.lock from before it anyway, or use git.`);
  }
  const changes = record.before === null ? [] : diffLocks(current, record.before);
  if (record.before === null) rmSync(lockPath, { force: true });
  else writeAtomicText(lockPath, record.before);
  rmSync(undoFile(cacheDir, dir), { force: true });
  const message =
    record.before === null
      ? "Removed flake.lock: there was none before the update (Nix locks the inputs again on the next evaluation)."
      : changes.length === 0
        ? "Restored flake.lock from before the update (no input differed)."
        : `Restored flake.lock from before the update: ${changes.length} input${changes.length === 1 ? "" : "s"} moved back.`;
  return { changes, removed: record.before === null, message };
}

function writeAtomicText(file: string, text: string): void {
  const temp = `${file}.hybrid-env-${process.pid}-${Date.now()}.tmp`;
  writeFileSync(temp, text);
  try {
    if (existsSync(file)) chmodSync(temp, statSync(file).mode & 0o7777);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

