// Finding nix and uv. VS Code started from a desktop launcher often has no Nix on PATH, so after
// PATH we look in the folders where Nix installers put their profiles.
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { ToolNotFoundError } from "./errors";

type Env = Readonly<Record<string, string | undefined>>;

export function nixProfileDirs(env: Env): string[] {
  const home = env.HOME ?? homedir();
  const user = env.USER ?? env.LOGNAME ?? "";
  return [
    "/nix/var/nix/profiles/default/bin",
    join(home, ".nix-profile/bin"),
    "/run/current-system/sw/bin",
    ...(user ? [`/etc/profiles/per-user/${user}/bin`] : []),
    join(home, ".local/state/nix/profile/bin"),
  ];
}

function uvExtraDirs(env: Env): string[] {
  const home = env.HOME ?? homedir();
  return [join(home, ".local/bin"), join(home, ".cargo/bin")];
}

export function pathDirs(env: Env): string[] {
  return (env.PATH ?? "").split(delimiter).filter((d) => d.length > 0);
}

export function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** First executable `name` in dirs, or undefined. */
export function findInDirs(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export function findNix(configured: string, env: Env): string {
  const searched = configured ? [configured] : [...pathDirs(env), ...nixProfileDirs(env)];
  const found = configured ? (isExecutableFile(configured) ? configured : undefined) : findInDirs("nix", searched);
  if (!found) throw new ToolNotFoundError("nix", searched);
  return found;
}

/** uv from the devShell's PATH first (a flake may pin it), then the user's PATH, then its installers' folders. */
export function findUv(configured: string, devShellPath: readonly string[], env: Env): string {
  const searched = configured ? [configured] : [...devShellPath, ...pathDirs(env), ...uvExtraDirs(env)];
  const found = configured ? (isExecutableFile(configured) ? configured : undefined) : findInDirs("uv", searched);
  if (!found) throw new ToolNotFoundError("uv", searched);
  return found;
}

/**
 * A stand-in for the tool's version in cache keys that needs no process: where the binary really
 * lives (a store path names the version on NixOS), its size and mtime. Upgrading the tool changes it.
 */
export function toolIdentity(path: string): string {
  try {
    const real = realpathSync(path);
    const st = statSync(real);
    return `${real}:${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return `${path}:missing`;
  }
}
