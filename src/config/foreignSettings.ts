// The settings of VS Code and of other extensions that hybrid-env reads or writes, each with its
// reason; no other module touches them (hybridEnv.* goes through config.ts). None is written on
// the way in: hybrid-env writes no committed file on its own account (README, "Settings writes").
import * as vscode from "vscode";

/** What Run/Debug reads as the folder's env file: python.envFile (default `${workspaceFolder}/.env`), unexpanded. */
export function pythonEnvFileSetting(folder: vscode.WorkspaceFolder): string {
  return vscode.workspace.getConfiguration("python", folder).get<string>("envFile", "${workspaceFolder}/.env") || "${workspaceFolder}/.env";
}

/**
 * Takes out python.envFile where an earlier hybrid-env wrote it (folder level) and it still names
 * that env file exactly; a value of the user's own is left alone. Returns whether it removed one.
 */
export async function removeOwnPythonEnvFile(folder: vscode.WorkspaceFolder, ownValues: readonly string[]): Promise<boolean> {
  const python = vscode.workspace.getConfiguration("python", folder);
  const value = python.inspect<string>("envFile")?.workspaceFolderValue;
  if (value === undefined || !ownValues.includes(value)) return false;
  await python.update("envFile", undefined, vscode.ConfigurationTarget.WorkspaceFolder);
  return true;
}

/** terminal.integrated.shellIntegration.enabled (default true): off, rc files run after the environment. */
export function shellIntegrationEnabled(): boolean {
  return vscode.workspace.getConfiguration("terminal.integrated").get<boolean>("shellIntegration.enabled", true) !== false;
}

/** The notice's "Enable Shell Integration": the user's own choice, in their user settings. */
export async function enableShellIntegration(): Promise<void> {
  const terminal = vscode.workspace.getConfiguration("terminal.integrated");
  const where = terminal.inspect<boolean>("shellIntegration.enabled");
  // A workspace value that turns it off would hide a user-level true: change it where it is set.
  const target = where?.workspaceFolderValue === false ? vscode.ConfigurationTarget.WorkspaceFolder : where?.workspaceValue === false ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await terminal.update("shellIntegration.enabled", true, target);
}

/**
 * What Python Environments' own setEnvironment writes for a folder (its settingHelpers.ts): in a
 * one-folder window `defaultEnvManager` and `defaultPackageManager` at workspace level (the
 * folder's .vscode/settings.json); with a workspace file a `pythonProjects` entry at folder level.
 */
export interface EnvsManagerSettings {
  readonly defaultEnvManager?: string;
  readonly defaultPackageManager?: string;
  readonly pythonProjects?: ReadonlyArray<{ readonly path: string; readonly envManager?: string; readonly packageManager?: string }>;
}

export function readEnvsManagerSettings(folder: vscode.WorkspaceFolder): EnvsManagerSettings {
  const envs = vscode.workspace.getConfiguration("python-envs", folder);
  return {
    defaultEnvManager: envs.inspect<string>("defaultEnvManager")?.workspaceValue,
    defaultPackageManager: envs.inspect<string>("defaultPackageManager")?.workspaceValue,
    pythonProjects: envs.inspect<EnvsManagerSettings["pythonProjects"]>("pythonProjects")?.workspaceFolderValue,
  };
}

/** Writes back the values of `wanted` that differ from what is there now (undefined removes the key). */
export async function writeEnvsManagerSettings(folder: vscode.WorkspaceFolder, wanted: EnvsManagerSettings): Promise<void> {
  const envs = vscode.workspace.getConfiguration("python-envs", folder);
  const now = readEnvsManagerSettings(folder);
  if (now.defaultEnvManager !== wanted.defaultEnvManager) await envs.update("defaultEnvManager", wanted.defaultEnvManager, vscode.ConfigurationTarget.Workspace);
  if (now.defaultPackageManager !== wanted.defaultPackageManager) await envs.update("defaultPackageManager", wanted.defaultPackageManager, vscode.ConfigurationTarget.Workspace);
  if (JSON.stringify(now.pythonProjects) !== JSON.stringify(wanted.pythonProjects)) {
    await envs.update("pythonProjects", wanted.pythonProjects, vscode.ConfigurationTarget.WorkspaceFolder);
  }
}
