// What kind of project a folder is. Only file existence is checked here: cheap enough to run at
// activation before anything else.
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

export type ProjectKind = "hybrid" | "nix-only" | "uv-only" | "none";

export interface Project {
  readonly dir: string;
  readonly kind: ProjectKind;
  readonly flakePath?: string;
  readonly flakeLockPath?: string;
  readonly pyprojectPath?: string;
  readonly uvLockPath?: string;
  /**
   * Where uv puts the project venv: .venv or UV_PROJECT_ENVIRONMENT (may not exist yet). Detection
   * sees the host's environment only; in a loaded HybridEnvironment it is the devShell's value.
   */
  readonly venvDir: string;
  readonly devShell: string;
}

export function detectProject(
  dir: string,
  devShell: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Project {
  const abs = resolve(dir);
  const file = (name: string) => {
    const p = join(abs, name);
    return existsSync(p) && statSync(p).isFile() ? p : undefined;
  };
  const flakePath = file("flake.nix");
  const pyprojectPath = file("pyproject.toml");
  const kind: ProjectKind =
    flakePath && pyprojectPath ? "hybrid" : flakePath ? "nix-only" : pyprojectPath ? "uv-only" : "none";
  return {
    dir: abs,
    kind,
    flakePath,
    flakeLockPath: file("flake.lock"),
    pyprojectPath,
    uvLockPath: file("uv.lock"),
    venvDir: venvDirFor(abs, env),
    devShell,
  };
}

/** uv's rule: UV_PROJECT_ENVIRONMENT, relative to the project when not absolute; else .venv. */
export function venvDirFor(dir: string, env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.UV_PROJECT_ENVIRONMENT;
  if (configured) return isAbsolute(configured) ? configured : join(dir, configured);
  return join(dir, ".venv");
}
