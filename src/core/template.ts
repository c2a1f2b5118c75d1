// The template of a new hybrid project, modelled on the seed: a flake.nix whose devShell provides
// `python3.withPackages myPkgs`, uv, and the shellHook that puts Nix's site-packages on PYTHONPATH;
// a pyproject.toml for uv (an application: `package = false`); `.venv/` in .gitignore. The texts
// are pure functions; writeTemplate writes them and never overwrites a file (flake.nix or
// pyproject.toml already there is skipped and reported; an existing .gitignore only gets the
// `.venv/` line appended when it lacks one). trackNewFiles runs `git add -N` on what was created,
// so that Nix sees the new flake (Nix only copies tracked files of a git repository).
import { appendFileSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InvalidInputError, ToolNotFoundError } from "./errors";
import { packageNameProblem } from "./flake/edit";
import type { ProcessRunner } from "./process";

export const FLAKE_FILE = "flake.nix";
export const PYPROJECT_FILE = "pyproject.toml";
export const GITIGNORE_FILE = ".gitignore";
/** Written in this order; the order of TemplateOutcome's lists follows it. */
export const TEMPLATE_FILES = [FLAKE_FILE, PYPROJECT_FILE, GITIGNORE_FILE] as const;
export type TemplateFile = (typeof TEMPLATE_FILES)[number];

/** The light default; the seed's heavy packages are shown in a comment. */
export const DEFAULT_NIX_PACKAGES: readonly string[] = ["numpy"];
export const DEFAULT_PROJECT_NAME = "hybrid-project";
export const VENV_IGNORE_LINE = ".venv/";
/** Systems the template's devShell is defined for (nixpkgs builds Python packages for all four). */
export const TEMPLATE_SYSTEMS = ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"] as const;

export interface TemplateOptions {
  /** The pyproject name; normalised. Default: the folder's name, normalised. */
  readonly name?: string;
  /** Attribute names in python3Packages for `myPkgs`. Default: numpy. */
  readonly nixPackages?: readonly string[];
}

export interface SkippedFile {
  readonly file: TemplateFile;
  readonly reason: string;
}

export interface TemplateOutcome {
  /** The folder, absolute. */
  readonly dir: string;
  /** The project name written (or that would have been) in pyproject.toml. */
  readonly name: string;
  /** Files that did not exist and were written, relative to dir. */
  readonly created: TemplateFile[];
  /** Existing files a line was appended to (.gitignore without .venv/). */
  readonly appended: TemplateFile[];
  /** Files left exactly as they were, and why. */
  readonly skipped: SkippedFile[];
}

/**
 * A valid [project] name (PEP 508: letters and digits, with - _ . only between them) from a folder
 * name, normalised as PEP 503 does: "My Project (2)" → "my-project-2", "Über_Tool" → "uber-tool".
 */
export function projectNameFor(folderName: string): string {
  const name = folderName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents, split off by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || DEFAULT_PROJECT_NAME;
}

/** PEP 508's rule for a distribution name, case-insensitive. */
export function isValidProjectName(name: string): boolean {
  return /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/.test(name);
}

function checkedPackages(packages: readonly string[]): readonly string[] {
  for (const p of packages) {
    const problem = packageNameProblem(p);
    if (problem) throw new InvalidInputError(problem);
  }
  return packages;
}

export function flakeText(opts: { name: string; nixPackages?: readonly string[] }): string {
  const packages = checkedPackages(opts.nixPackages ?? DEFAULT_NIX_PACKAGES);
  const systems = TEMPLATE_SYSTEMS.map((s) => `"${s}"`).join(" ");
  return `{
  description = "${opts.name}: Python packages from Nix (flake.nix) and from PyPI through uv (pyproject.toml)";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ ${systems} ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.\${system});

      # The Python packages Nix provides: names from nixpkgs' python3Packages. Heavy, compiled
      # packages belong here, for example (as in the seed):
      #   myPkgs = p: with p; [ numpy torch quimb jax jaxlib ];
      # Everything else goes in pyproject.toml, through uv (\`uv add NAME\`).
      # "Hybrid Env: Add Nix Package…" edits this list for you.
      myPkgs = p: with p; [ ${packages.join(" ")} ];
    in
    {
      devShells = forAllSystems (pkgs:
        let
          python = pkgs.python3.withPackages myPkgs;
        in
        {
          default = pkgs.mkShell {
            packages = [ python pkgs.uv ];
            # Nix's packages on PYTHONPATH, in front of the venv that uv creates: the hand-made
            # glue of \`nix develop\` + uv. hybrid-env applies the same to VS Code.
            shellHook = ''
              export NIX_PYTHON_SITE_PACKAGES=\${python}/\${python.sitePackages}
              export PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES''\${PYTHONPATH:+:$PYTHONPATH}
            '';
          };
        });
    };
}
`;
}

export function pyprojectText(opts: { name: string }): string {
  if (!isValidProjectName(opts.name)) throw new InvalidInputError(`${JSON.stringify(opts.name)} is not a valid project name.`);
  return `[project]
name = "${opts.name}"
version = "0.1.0"
description = "Python packages from Nix (flake.nix) and from PyPI through uv"
# The devShell's Python (python3 of the flake's nixpkgs) must satisfy this.
requires-python = ">=3.10"
# Packages from PyPI, installed by uv into .venv: \`uv add NAME\` (or "Hybrid Env: Add uv Package…").
# Packages from Nix go in flake.nix's myPkgs list; Nix's copy wins when both have one.
dependencies = []

[tool.uv]
# An application, not a library: uv installs the dependencies and does not build this folder.
package = false
`;
}

export function gitignoreText(): string {
  return `# The venv uv creates (hybrid-env runs uv sync on the devShell's Python)\n${VENV_IGNORE_LINE}\n`;
}

/** Whether a .gitignore line ignores the project venv (.venv, .venv/, /.venv/, **\/.venv). */
function ignoresVenv(line: string): boolean {
  return /^(\/|\*\*\/)?\.venv\/?$/.test(line.trim());
}

/**
 * What to append to an existing .gitignore so that it ignores .venv/: undefined when it already
 * does (a later `!.venv` would undo it, so then it is added again).
 */
export function gitignoreAddition(existing: string): string | undefined {
  let ignored = false;
  for (const raw of existing.split(/\r?\n/)) {
    const line = raw.trim();
    if (ignoresVenv(line)) ignored = true;
    else if (line.startsWith("!") && ignoresVenv(line.slice(1))) ignored = false;
  }
  if (ignored) return undefined;
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const separator = existing.length === 0 || existing.endsWith("\n") ? "" : eol;
  return `${separator}${VENV_IGNORE_LINE}${eol}`;
}

type Existing = "none" | "file" | "symlink" | "other";

function existing(path: string): Existing {
  try {
    const st = lstatSync(path);
    return st.isSymbolicLink() ? "symlink" : st.isFile() ? "file" : "other";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "none";
    throw e;
  }
}

/** Creates `path` with `text` unless something is there; "exists" when it lost a race to another writer. */
function createExclusive(path: string, text: string): "created" | "exists" {
  try {
    writeFileSync(path, text, { flag: "wx" }); // O_CREAT|O_EXCL: never replaces a file or follows a link
    return "created";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return "exists";
    throw e;
  }
}

/**
 * Writes the template into `dir` (created if missing) and reports what it did. Never replaces or
 * truncates a file: flake.nix and pyproject.toml are skipped when anything by that name exists; an
 * existing .gitignore (a regular file, not a link) only gets `.venv/` appended when it lacks it.
 */
export function writeTemplate(dir: string, opts: TemplateOptions = {}): TemplateOutcome {
  const abs = resolve(dir);
  const name = opts.name !== undefined ? projectNameFor(opts.name) : projectNameFor(basename(abs));
  // Build every text first: a bad package name fails before anything is written.
  const texts: Record<TemplateFile, string> = {
    [FLAKE_FILE]: flakeText({ name, nixPackages: opts.nixPackages }),
    [PYPROJECT_FILE]: pyprojectText({ name }),
    [GITIGNORE_FILE]: gitignoreText(),
  };
  mkdirSync(abs, { recursive: true });
  const outcome: TemplateOutcome = { dir: abs, name, created: [], appended: [], skipped: [] };
  for (const file of TEMPLATE_FILES) {
    const path = join(abs, file);
    const found = existing(path);
    if (found === "none" && createExclusive(path, texts[file]) === "created") {
      outcome.created.push(file);
      continue;
    }
    if (file !== GITIGNORE_FILE) {
      outcome.skipped.push({ file, reason: "already exists, not overwritten" });
      continue;
    }
    if (existing(path) !== "file") {
      outcome.skipped.push({ file, reason: `is not a regular file: add ${VENV_IGNORE_LINE} to it yourself` });
      continue;
    }
    const addition = gitignoreAddition(readFileSync(path, "utf8"));
    if (addition === undefined) {
      outcome.skipped.push({ file, reason: `already ignores ${VENV_IGNORE_LINE}` });
    } else {
      appendFileSync(path, addition);
      outcome.appended.push(file);
    }
  }
  return outcome;
}

/** One sentence for a notification: "Created flake.nix and pyproject.toml in demo; added .venv/ to .gitignore. Kept the existing pyproject.toml." */
export function describeOutcome(outcome: TemplateOutcome, folderName = basename(outcome.dir)): string {
  const list = (files: readonly string[]) => (files.length <= 1 ? files.join("") : `${files.slice(0, -1).join(", ")} and ${files.at(-1)}`);
  const parts: string[] = [];
  if (outcome.created.length > 0) parts.push(`Created ${list(outcome.created)} in ${folderName}`);
  if (outcome.appended.length > 0) parts.push(`added ${VENV_IGNORE_LINE} to ${list(outcome.appended)}`);
  const kept = outcome.skipped.filter((s) => s.file !== GITIGNORE_FILE).map((s) => s.file);
  let text = parts.length > 0 ? `${parts.join("; ")}.` : `Nothing to create in ${folderName}.`;
  if (kept.length > 0) text += ` Kept the existing ${list(kept)} (not overwritten).`;
  const odd = outcome.skipped.find((s) => s.file === GITIGNORE_FILE && s.reason.startsWith("is not"));
  if (odd) text += ` ${odd.file} ${odd.reason}.`;
  return text;
}

export interface TrackOptions {
  readonly runner: ProcessRunner;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly git?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface TrackOutcome {
  /** Whether dir is inside a git work tree. */
  readonly repo: boolean;
  /** Files now in the index as intent-to-add. */
  readonly tracked: string[];
  /** Why tracking failed (git missing, `git add` refused). */
  readonly error?: string;
}

const GIT_TIMEOUT_MS = 30_000;
const GIT_TIMEOUT = { fixed: "these git commands answer at once; a hang is a lock or a credential prompt" };

/**
 * `git add -N` on `files` (relative to dir) when dir is inside a git work tree, so that Nix sees
 * them; nothing when it is not a repository. Never throws for git's own failures: they are reported.
 */
export async function trackNewFiles(dir: string, files: readonly string[], opts: TrackOptions): Promise<TrackOutcome> {
  const git = opts.git ?? "git";
  const run = (args: string[], what: string) =>
    opts.runner.run(git, args, { what, cwd: dir, env: opts.env, signal: opts.signal, timeoutMs: opts.timeoutMs ?? GIT_TIMEOUT_MS, timeoutRaisedBy: GIT_TIMEOUT });
  try {
    const inside = await run(["rev-parse", "--is-inside-work-tree"], "git rev-parse");
    if (inside.exitCode !== 0 && !/not a git repository/i.test(inside.stderr)) {
      // A repository git refuses to work in (e.g. "detected dubious ownership"): say so.
      return { repo: false, tracked: [], error: gitMessage(inside.stderr) || `git rev-parse exited with ${inside.exitCode}` };
    }
    if (inside.exitCode !== 0 || inside.stdout.trim() !== "true") return { repo: false, tracked: [] };
    if (files.length === 0) return { repo: true, tracked: [] };
    const added = await run(["add", "--intent-to-add", "--", ...files], "git add -N");
    // git adds what it can and fails for the rest (an ignored path): ask the index what it holds.
    const listed = await run(["ls-files", "-z", "--", ...files], "git ls-files");
    const inIndex = new Set(listed.exitCode === 0 ? listed.stdout.split("\0").filter(Boolean) : []);
    const tracked = files.filter((f) => inIndex.has(f));
    if (added.exitCode !== 0) return { repo: true, tracked, error: gitMessage(added.stderr) || `git add -N exited with ${added.exitCode}` };
    return { repo: true, tracked };
  } catch (e) {
    if (e instanceof ToolNotFoundError) return { repo: false, tracked: [], error: "git was not found" };
    throw e;
  }
}

/** git's message without its hints, on one line. */
function gitMessage(stderr: string): string {
  return stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("hint:"))
    .join(" ");
}
