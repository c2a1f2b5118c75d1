// Run/Debug of an entered folder gets the folder's environment (debugEnvironment.ts) through a
// debug configuration provider, not through a setting. Registered for "*": VS Code runs the "*"
// providers after the debugger's own (its ConfigurationManager), so ms-python.debugpy has already
// filled in a launch.json-less configuration (`env: {}` among its defaults) and only merges `env`
// later, in its resolveDebugConfigurationWithSubstitutedVariables. Only debugpy launches (type
// `debugpy`, and the older `python`) are touched; an attach starts no process.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as vscode from "vscode";
import { pythonEnvFileSetting } from "../config/foreignSettings";
import type { EnvMap } from "../core/mutations";
import type { FolderRegistry } from "../folders/model";
import { debugEnvironment, envFileNames } from "./debugEnvironment";

const PYTHON_DEBUG_TYPES: ReadonlySet<string> = new Set(["debugpy", "python"]);

export function registerDebugEnvironment(envs: Pick<FolderRegistry, "get">, hostEnv: EnvMap, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.debug.registerDebugConfigurationProvider("*", {
    resolveDebugConfiguration(folder, config) {
      try {
        addEnvironment(envs, hostEnv, log, folder, config);
      } catch (e) {
        log.warn(`Run/Debug: the folder's environment was not added: ${(e as Error).message}`);
      }
      return config;
    },
  });
}

function addEnvironment(envs: Pick<FolderRegistry, "get">, hostEnv: EnvMap, log: vscode.LogOutputChannel, folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): void {
  if (!PYTHON_DEBUG_TYPES.has(config.type) || config.request === "attach") return;
  const where = folder ?? folderOfConfig(config);
  const snapshot = where ? envs.get(where.uri) : undefined;
  if (!where || !snapshot?.environment || snapshot.state === "idle") return;
  const launchEnv = typeof config.env === "object" && config.env !== null ? (config.env as Record<string, unknown>) : undefined;
  const envFile = expand(typeof config.envFile === "string" ? config.envFile : pythonEnvFileSetting(where), where);
  const names = envFile && existsSync(envFile) ? envFileNames(readFileSync(envFile, "utf8")) : new Set<string>();
  const added = debugEnvironment(snapshot.environment.mutations, hostEnv, launchEnv, names);
  config.env = { ...added.env, ...launchEnv };
  const notes = [
    added.userWins.length ? `yours kept: ${added.userWins.join(", ")}` : "",
    added.substituted.length ? `left out (VS Code would substitute \${…} in them): ${added.substituted.join(", ")}` : "",
  ].filter(Boolean);
  log.info(`Run/Debug "${config.name ?? config.type}" in ${where.name}: ${Object.keys(added.env).length} variables of the hybrid environment added${notes.length ? ` (${notes.join("; ")})` : ""}`);
}

function folderOfConfig(config: vscode.DebugConfiguration): vscode.WorkspaceFolder | undefined {
  for (const p of [config.cwd, config.program]) {
    if (typeof p === "string" && p.startsWith("/")) {
      const f = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(p));
      if (f) return f;
    }
  }
  return vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : undefined;
}

/** The env file's path as debugpy will see it after substitution; undefined when it cannot be known here. */
function expand(path: string, folder: vscode.WorkspaceFolder): string | undefined {
  const out = path
    .replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath)
    .replace(/\$\{workspaceFolderBasename\}/g, folder.name)
    .replace(/\$\{userHome\}/g, homedir())
    .replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => process.env[name] ?? "");
  return out.includes("${") ? undefined : out.startsWith("~/") ? homedir() + out.slice(1) : out;
}
