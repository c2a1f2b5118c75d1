// `nix` and `uv` wrappers that append each call to a log, then exec the real tool: tests put them
// first on PATH to prove which runs started a tool and which were served from a cache.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./fixtures";

export interface CountingTools {
  readonly binDir: string;
  /** Calls so far, one "tool args…" line each. */
  calls(): string[];
}

export function countingTools(tools: readonly string[] = ["nix", "uv"]): CountingTools {
  const binDir = tempDir("counting");
  const logFile = join(binDir, "calls.log");
  for (const tool of tools) {
    const real = execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
    const script = join(binDir, tool);
    writeFileSync(script, `#!/bin/bash\necho "${tool} $*" >> '${logFile}'\nexec '${real}' "$@"\n`);
    chmodSync(script, 0o755);
  }
  return { binDir, calls: () => (existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").filter(Boolean) : []) };
}
