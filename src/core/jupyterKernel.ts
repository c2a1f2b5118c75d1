// A per-folder Jupyter kernelspec, "Hybrid (Nix + uv) · <folder>", that starts the venv's
// interpreter. The kernel needs no env block: the interpreter carries the hybrid layer itself
// (pythonLayer.ts), so every Jupyter front end (VS Code, JupyterLab, nbclient) that starts it
// gets Nix's and uv's packages and the devShell's native libraries.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { basename, isAbsolute, join, resolve } from "node:path";
import { atomicWrite } from "./cache";
import { InvalidInputError } from "./errors";

export type EnvLike = Readonly<Record<string, string | undefined>>;

export const KERNEL_DISPLAY_PREFIX = "Hybrid (Nix + uv)";

/** jupyter_client accepts kernel names of ASCII letters, digits, '.', '_' and '-' only. */
const VALID_KERNEL_NAME = /^[a-z0-9._-]+$/;

/** Jupyter's data dir on Linux: JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter. */
export function jupyterDataDir(env: EnvLike = process.env): string {
  if (env.JUPYTER_DATA_DIR) return resolve(env.JUPYTER_DATA_DIR);
  const xdg = env.XDG_DATA_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "jupyter");
  return join(env.HOME || homedir(), ".local", "share", "jupyter");
}

/**
 * A stable name per folder: readable (the folder's name) and unique (a hash of its path), so two
 * folders called "project" get two kernels and the same folder always gets the same one.
 */
export function kernelName(folder: string): string {
  const abs = resolve(folder);
  const slug = basename(abs).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "").slice(0, 40) || "folder";
  const name = `hybrid-env-${slug}-${createHash("sha256").update(abs).digest("hex").slice(0, 8)}`;
  if (!VALID_KERNEL_NAME.test(name)) throw new InvalidInputError(`internal: kernel name ${name} is not valid`);
  return name;
}

export interface KernelSpecFile {
  readonly argv: readonly string[];
  readonly display_name: string;
  readonly language: "python";
  readonly metadata: { readonly debugger: boolean; readonly hybridEnv: { readonly folder: string } };
}

export function kernelSpec(folder: string, venvPython: string): KernelSpecFile {
  return {
    argv: [venvPython, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    display_name: `${KERNEL_DISPLAY_PREFIX} · ${basename(resolve(folder))}`,
    language: "python",
    metadata: { debugger: true, hybridEnv: { folder: resolve(folder) } },
  };
}

export interface KernelSpecLocation {
  readonly name: string;
  readonly dir: string;
  readonly file: string;
}

export function kernelSpecLocation(folder: string, env: EnvLike = process.env): KernelSpecLocation {
  const name = kernelName(folder);
  const dir = join(jupyterDataDir(env), "kernels", name);
  return { name, dir, file: join(dir, "kernel.json") };
}

/** Writes (or rewrites) the folder's kernelspec; returns where. The interpreter must be absolute. */
export function writeKernelSpec(folder: string, venvPython: string, env: EnvLike = process.env): KernelSpecLocation {
  if (!isAbsolute(venvPython) || /[\0\n]/.test(venvPython)) throw new InvalidInputError(`not an absolute interpreter path: ${venvPython}`);
  const where = kernelSpecLocation(folder, env);
  const text = JSON.stringify(kernelSpec(folder, venvPython), null, 1) + "\n";
  mkdirSync(where.dir, { recursive: true });
  if (!existsSync(where.file) || readFileSync(where.file, "utf8") !== text) atomicWrite(where.file, text);
  return where;
}

/**
 * Removes the folder's kernelspec, only when it is ours (its metadata names this folder), so a
 * kernel someone else wrote under the same name is never deleted. Returns whether it removed one.
 */
export function removeKernelSpec(folder: string, env: EnvLike = process.env): boolean {
  const where = kernelSpecLocation(folder, env);
  let spec: Partial<KernelSpecFile>;
  try {
    spec = JSON.parse(readFileSync(where.file, "utf8")) as Partial<KernelSpecFile>;
  } catch {
    return false;
  }
  if (spec.metadata?.hybridEnv?.folder !== resolve(folder)) return false;
  rmSync(where.dir, { recursive: true, force: true });
  return true;
}
