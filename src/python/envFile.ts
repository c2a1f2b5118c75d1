// How Nix's site-packages reach Pylance and Run/Debug: an env file the extension owns, named by
// `python.envFile` for the folder.
//
// Why an env file: the terminal collection never reaches Pylance; `python.analysis.extraPaths`
// reaches Pylance but not Run/Debug; a .pth file in the venv is searched *after* site-packages
// (so the uv copy of a shadowed package would win, the opposite of terminals) and `uv sync` may
// remove it. The env file carries PYTHONPATH in the same order as terminals — Nix first — to
// both Pylance and Run/Debug, plus the rest of the devShell (LD_LIBRARY_PATH…) to Run/Debug.
// It lives in the venv folder (git-ignored by uv, gone with the venv) and a user's own `.env`
// is merged into it, so taking over `python.envFile` loses nothing.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as vscode from "vscode";
import type { Mutation } from "../core/mutations";

export const ENV_FILE_NAME = "hybrid-env.env";
const DEFAULT_ENV_FILE = "${workspaceFolder}/.env";

export function envFilePath(venvDir: string): string {
  return join(venvDir, ENV_FILE_NAME);
}

/** The setting value: portable (${workspaceFolder}/…) when the venv is inside the folder. */
export function envFileSetting(folder: vscode.WorkspaceFolder, venvDir: string): string {
  const rel = relative(folder.uri.fsPath, envFilePath(venvDir));
  return rel.startsWith("..") ? envFilePath(venvDir) : `\${workspaceFolder}/${rel}`;
}

/** KEY=VALUE lines of the variables the environment sets; a user's .env lines are kept. */
export function envFileText(mutations: readonly Mutation[], resolved: Readonly<Record<string, string>>, userEnvFile?: string): string {
  const ours = new Map<string, string>();
  for (const m of mutations) {
    const value = resolved[m.name];
    // The env file format has no multi-line values; a user's shell needs none of those anyway.
    if (m.op !== "unset" && value !== undefined && !value.includes("\n")) ours.set(m.name, value);
  }
  const lines = ["# Written by hybrid-env: the folder's hybrid Nix + uv environment. Edits are overwritten."];
  if (userEnvFile) {
    for (const line of userEnvFile.split(/\r?\n/)) {
      const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
      if (name && name[1] === "PYTHONPATH" && ours.has("PYTHONPATH")) {
        // Theirs after ours: Nix's packages keep the precedence they have in terminals.
        ours.set("PYTHONPATH", `${ours.get("PYTHONPATH")}:${name[2]!.trim()}`);
      } else if (!name || !ours.has(name[1]!)) {
        lines.push(line);
      }
    }
  }
  for (const [k, v] of ours) lines.push(`${k}=${v}`);
  return lines.join("\n") + "\n";
}

export type EnvFileOutcome = "written" | "skipped-user-setting" | "no-venv";

/**
 * Writes the env file and points python.envFile at it, unless the user chose another env file
 * (then we leave their setting alone and say so in the log).
 */
export async function installEnvFile(
  folder: vscode.WorkspaceFolder,
  venvDir: string,
  mutations: readonly Mutation[],
  resolved: Readonly<Record<string, string>>,
): Promise<EnvFileOutcome> {
  if (!existsSync(venvDir)) return "no-venv";
  const python = vscode.workspace.getConfiguration("python", folder);
  const ours = envFileSetting(folder, venvDir);
  const current = python.inspect<string>("envFile");
  const userValue = current?.workspaceFolderValue ?? current?.workspaceValue ?? current?.globalValue;
  if (userValue !== undefined && userValue !== ours && userValue !== DEFAULT_ENV_FILE) return "skipped-user-setting";
  const userEnvPath = join(folder.uri.fsPath, ".env");
  const userEnv = existsSync(userEnvPath) ? readFileSync(userEnvPath, "utf8") : undefined;
  mkdirSync(dirname(envFilePath(venvDir)), { recursive: true });
  writeFileSync(envFilePath(venvDir), envFileText(mutations, resolved, userEnv));
  if (current?.workspaceFolderValue !== ours) {
    await python.update("envFile", ours, vscode.ConfigurationTarget.WorkspaceFolder);
  }
  return "written";
}

/** Undoes installEnvFile: the setting goes back to what it was, the file goes away. */
export async function removeEnvFile(folder: vscode.WorkspaceFolder, venvDir: string): Promise<void> {
  const python = vscode.workspace.getConfiguration("python", folder);
  if (python.inspect<string>("envFile")?.workspaceFolderValue === envFileSetting(folder, venvDir)) {
    await python.update("envFile", undefined, vscode.ConfigurationTarget.WorkspaceFolder);
  }
  rmSync(envFilePath(venvDir), { force: true });
}
