// Deleting the project venv safely: only a real venv folder (it has a pyvenv.cfg) inside the
// project, never through a symlink.
import { lstatSync, readdirSync, realpathSync, rmSync, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { UnsafePathError } from "./errors";

/** Throws UnsafePathError unless venvDir is a venv, a plain folder strictly inside projectDir (or absent). */
export function checkVenvDeletable(projectDir: string, venvDir: string): void {
  const refuse = (why: string) => new UnsafePathError(`Refusing to delete ${venvDir}: ${why}.`);
  let st: Stats;
  try {
    st = lstatSync(venvDir);
  } catch {
    return; // nothing to delete
  }
  if (st.isSymbolicLink()) throw refuse("it is a symbolic link (remove the link yourself)");
  if (!st.isDirectory()) throw refuse("it is not a folder");
  // Resolve the parent, so that a linked folder on the way cannot lead out of the project.
  const real = join(realpathSync(dirname(venvDir)), basename(venvDir));
  const rel = relative(realpathSync(projectDir), real);
  if (!rel || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw refuse(`it is not inside ${projectDir}`);
  // Every venv (venv, virtualenv, uv) has one; a folder of the user's that happens to be there does not.
  if (!isPlainFile(join(venvDir, "pyvenv.cfg"))) throw refuse("it has no pyvenv.cfg, so it is not a virtual environment (delete it yourself if it is one)");
}

function isPlainFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** Deletes the venv (rmSync does not follow symlinks inside it). Returns whether anything was deleted. */
export function deleteVenv(projectDir: string, venvDir: string): boolean {
  checkVenvDeletable(projectDir, venvDir);
  try {
    lstatSync(venvDir);
  } catch {
    return false;
  }
  rmSync(venvDir, { recursive: true, force: true });
  return true;
}

/** "12.3 MB", with a "+" when folderSize stopped counting. */
export function formatSize(size: { bytes: number; complete: boolean }): string {
  return `${(size.bytes / 1e6).toFixed(1)} MB${size.complete ? "" : "+"}`;
}

/** Bytes under dir, not following symlinks; stops counting after maxEntries (then it is a floor). */
export function folderSize(dir: string, maxEntries = 200_000): { bytes: number; complete: boolean } {
  let bytes = 0;
  let seen = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      continue;
    }
    for (const name of names) {
      if (++seen > maxEntries) return { bytes, complete: false };
      const p = join(current, name);
      try {
        const st = lstatSync(p);
        if (st.isDirectory()) stack.push(p);
        else bytes += st.size;
      } catch {
        // vanished
      }
    }
  }
  return { bytes, complete: true };
}
