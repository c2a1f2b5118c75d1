// Whether direnv would load a folder's .envrc: direnv (2.x) keeps an allowed .envrc as a file
// named sha256(<absolute path of .envrc> + "\n" + <its content>) in $XDG_DATA_HOME/direnv/allow
// (default ~/.local/share), so an edited .envrc is blocked again until allowed. Read here
// without running direnv (checked against direnv 2.32's `direnv status`). The whitelist of
// direnv.toml (prefixes allowed without asking) is not read: it only widens what is allowed.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export function direnvAllowDir(env: Readonly<Record<string, string | undefined>>): string {
  const data = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith("/") ? env.XDG_DATA_HOME : join(env.HOME ?? homedir(), ".local", "share");
  return join(data, "direnv", "allow");
}

/** True when DIR/.envrc, as it is now, is allowed; false when it is not (or there is none). */
export function isEnvrcAllowed(dir: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const envrc = join(dir, ".envrc");
  let content: Buffer;
  try {
    content = readFileSync(envrc);
  } catch {
    return false;
  }
  const hash = createHash("sha256").update(`${envrc}\n`).update(content).digest("hex");
  return existsSync(join(direnvAllowDir(env), hash));
}
