// Temp folders for unit tests, removed when the test file's process exits.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

export function tempDir(prefix: string): string {
  return track(mkdtempSync(join(tmpdir(), `hybrid-env-unit-${prefix}-`)));
}

/** Removes `path` at exit too (for folders a test creates beside a temp folder). */
export function track(path: string): string {
  made.push(path);
  return path;
}

process.on("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
