// The real-Nix safety net around an edit, and the whole edit of a flake.nix on disk. Our tokenizer
// decides where to edit; `nix-instantiate --parse` decides whether the result is Nix. The file is
// replaced only by a complete, parsed new version (temp file + rename), so it is never half written.
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InvalidInputError, ToolNotFoundError, type TimeoutRaisedBy } from "../errors";
import type { ProcessRunner } from "../process";
import { findInDirs, isExecutableFile, nixProfileDirs, pathDirs } from "../tools";
import { addPackage, assertValidPackageName, removePackage } from "./edit";
import { AmbiguousPackageListError, FlakeChangedError, FlakeParseError } from "./errors";
import { findPackageLists, type PackageListCandidate } from "./packageLists";

type Env = Readonly<Record<string, string | undefined>>;

const PARSE_TIMEOUT_MS = 30_000;

/** nix-instantiate beside the nix in use (NixOS and nix profiles keep them together), else as findNix searches. */
export function findNixInstantiate(env: Env, nixPath = ""): string {
  const besideNix = nixPath ? [dirname(nixPath), dirname(safeRealpath(nixPath))] : [];
  const searched = [...besideNix, ...pathDirs(env), ...nixProfileDirs(env)];
  const found = findInDirs("nix-instantiate", searched);
  if (!found) throw new ToolNotFoundError("nix-instantiate", searched);
  return found;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export interface ParseCheckOptions {
  readonly runner: ProcessRunner;
  readonly env: Env;
  /** nix-instantiate to run; found with findNixInstantiate(env, nixPath) when absent. */
  readonly nixInstantiate?: string;
  readonly nixPath?: string;
  /** Folder relative paths in the text resolve against (parsing only makes them absolute). */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** What raises timeoutMs (the CLI: --timeout); without it the limit is fixed. */
  readonly timeoutRaisedBy?: TimeoutRaisedBy;
}

export type ParseCheck = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly output: string };

/** Parses `text` with real Nix, read from stdin so that no size limit of the command line applies. */
export async function checkNixParses(text: string, opts: ParseCheckOptions): Promise<ParseCheck> {
  const tool = opts.nixInstantiate ?? findNixInstantiate(opts.env, opts.nixPath);
  if (!isExecutableFile(tool)) throw new ToolNotFoundError("nix-instantiate", [tool]);
  const result = await opts.runner.run(tool, ["--parse", "-"], {
    what: "nix-instantiate --parse",
    cwd: opts.cwd,
    env: opts.env,
    input: text,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? PARSE_TIMEOUT_MS,
    timeoutRaisedBy: opts.timeoutRaisedBy ?? { fixed: "parsing a file takes well under a second" },
  });
  if (result.exitCode === 0) return { ok: true };
  return { ok: false, error: summarizeParseError(result.stderr), output: result.stderr };
}

/** "syntax error, unexpected ';' (line 3, column 11)" out of Nix's multi-line error. */
export function summarizeParseError(stderr: string): string {
  const plain = stderr.replace(/\x1b\[[0-9;]*m/g, ""); // Nix colours errors on a terminal
  const headline = /error: (.+)/.exec(plain)?.[1]?.trim() ?? (plain.trim().split("\n").at(-1) || "nix-instantiate failed");
  const at = /at «stdin»:(\d+):(\d+)/.exec(plain) ?? /at \(string\):(\d+):(\d+)/.exec(plain);
  return at ? `${headline} (line ${at[1]}, column ${at[2]})` : headline;
}

export type FlakeEditOp = "add" | "remove";

export interface EditFlakeOptions extends ParseCheckOptions {
  /** Which list: its number (1-based) or its exact label. Needed when the file has several. */
  readonly list?: number | string;
}

export interface FlakeEditOutcome {
  readonly changed: boolean;
  readonly message: string;
  readonly file: string;
  readonly candidate: PackageListCandidate;
}

/** Picks the list to edit; throws when there is none, the choice is unknown, or a choice is needed. */
export function chooseCandidate(candidates: readonly PackageListCandidate[], list?: number | string): PackageListCandidate {
  if (candidates.length === 0) {
    throw new InvalidInputError(
      "No Python package list found in flake.nix. Expected one of: `myPkgs = p: with p; [ … ];` used by " +
        "python3.withPackages, `python3.withPackages (ps: with ps; [ … ])`, `(ps: [ ps.numpy ])`, `with pkgs.python3Packages; [ … ]`.",
    );
  }
  if (list === undefined || list === "") {
    if (candidates.length === 1) return candidates[0]!;
    throw new AmbiguousPackageListError(candidates.map((c) => ({ number: c.number, label: c.label })));
  }
  const byNumber = typeof list === "number" || /^\d+$/.test(list) ? candidates.find((c) => c.number === Number(list)) : undefined;
  const chosen = byNumber ?? candidates.find((c) => c.label === list);
  if (!chosen) {
    const known = candidates.map((c) => `  ${c.number}: ${c.label}`).join("\n");
    throw new InvalidInputError(`There is no package list ${JSON.stringify(String(list))} in flake.nix. The lists are:\n${known}`);
  }
  return chosen;
}

/**
 * Adds or removes `name` in a package list of the flake.nix at `path`. Writes only a changed text
 * that real Nix parses, atomically, keeping the file's mode; otherwise throws and the file keeps
 * every byte.
 */
export async function editFlakeFile(path: string, op: FlakeEditOp, name: string, opts: EditFlakeOptions): Promise<FlakeEditOutcome> {
  assertValidPackageName(name);
  const file = realpathSync(path); // edit the target of a symlinked flake.nix, not the link
  const original = readFileSync(file);
  const text = original.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(original)) {
    throw new InvalidInputError(`${path} is not valid UTF-8; it was left as it was.`);
  }
  const candidate = chooseCandidate(findPackageLists(text), opts.list);
  const edit = op === "add" ? addPackage(text, candidate, name) : removePackage(text, candidate, name);
  if (!edit.changed) return { changed: false, message: edit.message, file, candidate };

  const check = await checkNixParses(edit.text, { ...opts, cwd: opts.cwd ?? dirname(file) });
  if (!check.ok) {
    const before = await checkNixParses(text, { ...opts, cwd: opts.cwd ?? dirname(file) });
    const why = before.ok
      ? `The edit would make ${basename(file)} unparsable (${check.error})`
      : `${basename(file)} does not parse even before the edit (${before.ok ? "" : before.error}); fix it first`;
    throw new FlakeParseError(`${why}. The file was left as it was.`, check.output);
  }
  writeAtomically(file, original, edit.text);
  return { changed: true, message: edit.message, file, candidate };
}

/** Writes a sibling temp file with the same mode (and owner, when allowed), then renames it over `file`. */
export function writeAtomically(file: string, expected: Buffer, text: string): void {
  const stat = statSync(file);
  const temp = join(dirname(file), `.${basename(file)}.hybrid-env-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", stat.mode & 0o7777);
  try {
    writeSync(fd, Buffer.from(text, "utf8"));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(temp, stat.mode & 0o7777); // openSync's mode is masked by the umask
    try {
      chownSync(temp, stat.uid, stat.gid);
    } catch {
      // Not permitted for other users' files unless root; the mode is what matters.
    }
    // An editor may have saved the file while Nix parsed ours: never overwrite that.
    if (!readFileSync(file).equals(expected)) throw new FlakeChangedError(file);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
