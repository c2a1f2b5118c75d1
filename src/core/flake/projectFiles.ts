// The Nix files of a project that can hold its Python package list: flake.nix and the files it
// imports by relative path (`import ./nix/devshell.nix`, `callPackage ./develop.nix { }`,
// flake-parts `imports = [ ./nix/python.nix ]`), followed file by file; or, without a flake,
// shell.nix (else default.nix) and its imports. Only files inside the project folder are read,
// symlinks included only when their target is inside too.
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { InvalidInputError } from "../errors";
import { tokenize } from "./tokenizer";

export type ProjectKind = "flake" | "shell.nix" | "default.nix";

export interface NixSource {
  /** Absolute path (the real path: symlinks resolved). */
  readonly path: string;
  /** Relative to the project folder, with "/": "nix/devshell.nix". */
  readonly relPath: string;
  readonly text: string;
  /** Path literals in the file that lead to other sources: token text → the source's path. */
  readonly links: ReadonlyMap<string, string>;
}

export interface ProjectSources {
  readonly dir: string;
  readonly kind: ProjectKind;
  /** The entry file first, then imports in the order they were found. */
  readonly files: readonly NixSource[];
  /** Files that were referenced but could not be read, with why (too big, not UTF-8, outside the folder). */
  readonly skipped: readonly { readonly relPath: string; readonly reason: string }[];
}

export interface ReadSourcesOptions {
  /** The text of a file as an editor has it (unsaved changes), instead of the bytes on disk. */
  readonly readText?: (path: string) => string | undefined;
}

const MAX_FILES = 64;
const MAX_BYTES = 1024 * 1024;

/** The project's entry file: flake.nix, else shell.nix, else default.nix. */
export function projectEntry(dir: string): { kind: ProjectKind; path: string } | undefined {
  for (const kind of ["flake", "shell.nix", "default.nix"] as const) {
    const path = join(dir, kind === "flake" ? "flake.nix" : kind);
    if (existsSync(path)) return { kind, path };
  }
  return undefined;
}

export function readProjectSources(dir: string, opts: ReadSourcesOptions = {}): ProjectSources {
  const entry = projectEntry(dir);
  if (!entry) throw new InvalidInputError(`${dir} has no flake.nix, shell.nix or default.nix.`);
  const root = realpathSync(dir);
  const files: NixSource[] = [];
  const skipped: { relPath: string; reason: string }[] = [];
  const seen = new Set<string>();
  const queue = [realpathSync(entry.path)];
  while (queue.length > 0 && files.length < MAX_FILES) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const relPath = relative(root, path).split(sep).join("/");
    const text = readSource(path, opts, relPath, skipped, files.length === 0);
    if (text === undefined) continue;
    const links = linkedSources(root, path, text);
    files.push({ path, relPath, text, links });
    for (const target of links.values()) if (!seen.has(target)) queue.push(target);
  }
  return { dir: root, kind: entry.kind, files, skipped };
}

function readSource(path: string, opts: ReadSourcesOptions, relPath: string, skipped: { relPath: string; reason: string }[], isEntry: boolean): string | undefined {
  const edited = opts.readText?.(path);
  if (edited !== undefined) return edited;
  const size = statSync(path).size;
  if (size > MAX_BYTES) {
    if (isEntry) throw new InvalidInputError(`${relPath} is larger than ${MAX_BYTES / 1024} KiB; hybrid-env does not edit it.`);
    skipped.push({ relPath, reason: `larger than ${MAX_BYTES / 1024} KiB` });
    return undefined;
  }
  const bytes = readFileSync(path);
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes)) {
    if (isEntry) throw new InvalidInputError(`${relPath} is not valid UTF-8; it was left as it was.`);
    skipped.push({ relPath, reason: "not valid UTF-8" });
    return undefined;
  }
  return text;
}

/**
 * The relative path literals of `text` that name a Nix file of the project: `./x.nix`, or a folder
 * with a default.nix (`./nix`). Paths with interpolation, absolute paths and `<nixpkgs>` are not.
 */
function linkedSources(root: string, file: string, text: string): Map<string, string> {
  const links = new Map<string, string>();
  let tokens;
  try {
    tokens = tokenize(text);
  } catch {
    return links; // an unreadable file links nowhere; its own parse error is reported where it is edited
  }
  for (const t of tokens) {
    if (t.kind !== "path" || !/^\.\.?\//.test(t.text) || t.text.includes("${")) continue;
    const target = nixFileAt(resolve(dirname(file), t.text));
    if (!target) continue;
    const real = realpathSync(target);
    if (real !== root && !real.startsWith(root + sep)) continue;
    links.set(t.text, real);
  }
  return links;
}

function nixFileAt(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (stat.isFile()) return path.endsWith(".nix") ? path : undefined;
    if (stat.isDirectory()) {
      const inner = join(path, "default.nix");
      return existsSync(inner) && statSync(inner).isFile() ? inner : undefined;
    }
  } catch {
    // A path to nothing (yet): Nix would fail on it, not our concern here.
  }
  return undefined;
}
