// Every run works on a copy of its workspace in the run's temp folder, so suites may change files
// freely and nothing in the repo (or the user's folder) changes. A .code-workspace file is copied
// with the folder it sits in, so its relative folder entries still resolve.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const SKIPPED = new Set([".git", "node_modules", ".venv", "result"]);

export function copyWorkspace(source, runDir) {
  const isWorkspaceFile = statSync(source).isFile();
  if (isWorkspaceFile && !source.endsWith(".code-workspace")) {
    throw new Error(`--workspace wants a folder or a .code-workspace file: ${source}`);
  }
  const folder = isWorkspaceFile ? dirname(source) : source;
  const target = join(runDir, "workspace", basename(folder));
  cpSync(folder, target, { recursive: true, filter: (p) => !SKIPPED.has(basename(p)) || p === folder });
  return isWorkspaceFile ? join(target, basename(source)) : target;
}

/**
 * A workspace generated for the run by test/helpers/makeFixtureCli (real offline Nix + uv
 * projects whose Python points at this machine's interpreter, so they cannot be static files).
 * `generate` is its spec: { folders: [{ name, ...HybridFixtureSpec }] }. Needs the test bundles
 * (`node scripts/build.mjs --tests`).
 */
export function generateWorkspace(generate, runDir, repoRoot) {
  const cli = join(repoRoot, "out", "test", "helpers", "makeFixtureCli.js");
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run node scripts/build.mjs --tests first`);
  const target = join(runDir, "workspace");
  mkdirSync(target, { recursive: true });
  return execFileSync(process.execPath, [cli, target, JSON.stringify(generate)], { encoding: "utf8" }).trim();
}

/**
 * --in-place: the workspace is opened where it is, not copied, so that its path (part of
 * hybrid-env's cache key) and its .venv stay the same from one run to the next (warm opens in the
 * benchmark, test/bench/vscode/warmOpen.mjs). The suite may change the folder.
 */
export function workspaceInPlace(source) {
  if (statSync(source).isFile() && !source.endsWith(".code-workspace")) {
    throw new Error(`--workspace wants a folder or a .code-workspace file: ${source}`);
  }
  return source;
}
