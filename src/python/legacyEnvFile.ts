// Earlier builds of hybrid-env pointed `python.envFile` (in the folder's .vscode/settings.json,
// often committed) at an env file they wrote in the venv, `hybrid-env.env`. The interpreter now
// carries Nix's packages itself (core/pythonLayer.ts) and Run/Debug gets the devShell's variables
// from a debug configuration provider, so that value is taken out again — only where it is
// exactly the one hybrid-env wrote — and the file with it.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import type { WorkspaceFolder } from "vscode";
import type { LogChannel } from "../common/logger";
import { removeOwnPythonEnvFile } from "../config/foreignSettings";

const LEGACY_FILE = "hybrid-env.env";
const LEGACY_HEADER = "# Written by hybrid-env:";

/** The values an earlier build wrote: `${workspaceFolder}/<venv>/hybrid-env.env`, or the absolute path for a venv outside the folder. */
export function legacyEnvFileValues(folderPath: string, venvDir: string): string[] {
  const file = join(venvDir, LEGACY_FILE);
  const rel = relative(folderPath, file);
  return rel.startsWith("..") ? [file] : [`\${workspaceFolder}/${rel}`, file];
}

export async function removeLegacyEnvFile(folder: WorkspaceFolder, venvDir: string, log: LogChannel): Promise<void> {
  if (await removeOwnPythonEnvFile(folder, legacyEnvFileValues(folder.uri.fsPath, venvDir))) {
    log.info(`[${folder.name}] removed python.envFile, written by an earlier hybrid-env: the interpreter now carries the environment`);
  }
  const file = join(venvDir, LEGACY_FILE);
  if (existsSync(file) && readFileSync(file, "utf8").startsWith(LEGACY_HEADER)) rmSync(file, { force: true });
}
