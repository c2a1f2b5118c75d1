// Real tools for the tests: nix configured offline (tests only; the extension never sets
// NIX_CONFIG), python3 and uv from the machine.
import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";

/** Single-user, offline Nix: no sandbox, no binary cache lookups (each would wait seconds). */
export const TEST_NIX_CONFIG = ["experimental-features = nix-command flakes", "sandbox = false", "substituters ="].join("\n");

export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG, ...extra };
}

let cachedPython: { executable: string; version: string } | undefined;

/** The machine's real python3 binary (not a pyenv shim script) and its X.Y version. */
export function machinePython(): { executable: string; version: string } {
  cachedPython ??= (() => {
    const out = execFileSync("python3", ["-c", "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])"], {
      encoding: "utf8",
    }).trim();
    const [exe, version] = out.split("\n");
    return { executable: realpathSync(exe!), version: version! };
  })();
  return cachedPython;
}

export function hasCommand(name: string): boolean {
  try {
    execFileSync("bash", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
