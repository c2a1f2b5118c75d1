// Every run works on a copy of its workspace in the run's temp folder, so suites may change files
// freely and nothing in the repo (or the user's folder) changes. A .code-workspace file is copied
// with the folder it sits in, so its relative folder entries still resolve.
import { cpSync, statSync } from "node:fs";
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
