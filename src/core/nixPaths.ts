// Where the files that Nix names are in the project folder. Nix names them relative to the root of
// the flake's source: the git repository's top folder (the flake may sit in a sub-folder of it) or,
// outside git, the flake's folder. Nix 2.8 shows them as their copy in the store
// (/nix/store/…-source/sub/flake.nix), Nix 2.30 as the file in the working tree (/repo/sub/flake.nix).
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";

const STORE_SOURCE = /^\/nix\/store\/[^/]+-source(?:\/(.*))?$/;

/** The top folder of the git repository holding dir (a .git folder or file), or undefined. */
export function gitTopLevel(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function sourceRoot(projectDir: string, repo?: string): string {
  return repo ?? gitTopLevel(projectDir) ?? projectDir;
}

/** `inner` relative to `outer` when it is inside it (or is it), else undefined. */
function inside(outer: string, inner: string): string | undefined {
  const rel = relative(outer, inner);
  return rel.startsWith("..") || isAbsolute(rel) ? undefined : rel;
}

/**
 * A path relative to the flake's source root (as Nix names an untracked file) as a path relative
 * to the project folder. The project folder itself, or a folder above it, means that all of it is
 * untracked: the file to track is then the project's flake.nix.
 */
export function fileInProject(repoRelative: string, projectDir: string, repo?: string): { file: string; exists: boolean } {
  const abs = join(sourceRoot(projectDir, repo), repoRelative);
  if (inside(abs, projectDir) !== undefined) return { file: "flake.nix", exists: existsSync(join(projectDir, "flake.nix")) };
  return { file: relative(projectDir, abs), exists: existsSync(abs) };
}

/**
 * The project-relative file of a source position, or undefined when it is not one of the project's
 * files (nixpkgs' copy in the store, «string», a file elsewhere). Without a project folder only
 * store copies are recognised, by their path inside the copy.
 */
export function locationFile(path: string, projectDir?: string): string | undefined {
  const inStore = STORE_SOURCE.exec(path);
  if (!projectDir) return inStore?.[1] || undefined;
  const root = sourceRoot(projectDir);
  if (inStore) {
    const abs = join(root, inStore[1] ?? "");
    // Another source (nixpkgs) also lives in a …-source folder: only files the project has are its.
    return inStore[1] && existsSync(abs) ? relative(projectDir, abs) : undefined;
  }
  for (const r of new Set([root, safeRealpath(root)])) {
    if (inside(r, path) !== undefined) return relative(r === root ? projectDir : safeRealpath(projectDir), path);
  }
  return undefined;
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
