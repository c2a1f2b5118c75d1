// The typed view of the `hybridEnv.*` settings; mirrors package.json contributes.configuration (a
// unit test keeps the two in step). Every hybridEnv setting is read here, per folder (most are
// resource-scoped), through the workspace wrapper, so this module has no vscode at runtime.
import { homedir } from "node:os";
import type { ConfigurationChangeEvent, WorkspaceFolder } from "vscode";
import { CONFIG_DEFAULTS as D, type FolderConfig } from "./configKeys";
import { defaultCacheDir, type EngineOptions } from "../core/options";
import type { WorkspaceApis } from "../platform/apis";
import { expandPathSetting } from "./paths";

export type { AutoEnter, FolderConfig } from "./configKeys";

export const CONFIG_SECTION = "hybridEnv";

export type SettingsReader = Pick<WorkspaceApis, "settings">;

/** The settings for a folder; `undefined` reads the window-wide values (nixLanguageServer*). */
export function readConfig(workspace: SettingsReader, folder: WorkspaceFolder | undefined): FolderConfig {
  const c = workspace.settings(CONFIG_SECTION, folder);
  // The language server's settings are window-scoped: read with a folder, VS Code logs a warning per read.
  const windowWide = folder ? workspace.settings(CONFIG_SECTION, undefined) : c;
  const seconds = (key: "nixTimeoutSeconds" | "uvTimeoutSeconds") => Math.max(5, c.get<number>(key, D[key]));
  const path = (key: "nixPath" | "uvPath") =>
    expandPathSetting(String(c.get<string>(key, D[key]) ?? ""), { workspaceFolder: folder?.uri.fsPath, userHome: homedir() });
  const autoEnter = c.get<string>("autoEnter", D.autoEnter);
  return {
    autoEnter: autoEnter === "always" || autoEnter === "never" ? autoEnter : "ask",
    autoReload: c.get<boolean>("autoReload", D.autoReload) === true,
    devShell: c.get<string>("devShell", D.devShell) || D.devShell,
    runShellHook: c.get<boolean>("runShellHook", D.runShellHook) !== false,
    configurePython: c.get<boolean>("configurePython", D.configurePython) !== false,
    skipNixProvided: c.get<boolean>("skipNixProvided", D.skipNixProvided) !== false,
    nixPath: path("nixPath"),
    uvPath: path("uvPath"),
    nixTimeoutSeconds: seconds("nixTimeoutSeconds"),
    uvTimeoutSeconds: seconds("uvTimeoutSeconds"),
    nixLanguageServer: windowWide.get<string>("nixLanguageServer", D.nixLanguageServer),
    nixLanguageServerPath: expandPathSetting(String(windowWide.get<string>("nixLanguageServerPath", D.nixLanguageServerPath) ?? ""), { workspaceFolder: folder?.uri.fsPath, userHome: homedir() }),
  };
}

export function engineOptions(config: FolderConfig, overrides: Partial<EngineOptions> = {}): EngineOptions {
  return {
    devShell: config.devShell,
    runShellHook: config.runShellHook,
    nixPath: config.nixPath,
    uvPath: config.uvPath,
    nixTimeoutMs: config.nixTimeoutSeconds * 1000,
    uvTimeoutMs: config.uvTimeoutSeconds * 1000,
    skipNixProvided: config.skipNixProvided,
    useCache: true,
    cacheDir: defaultCacheDir(),
    ...overrides,
  };
}

/** Settings whose change needs a new load (the others are read when used). */
export function affectsEnvironment(e: ConfigurationChangeEvent, folder: WorkspaceFolder): boolean {
  return ["devShell", "runShellHook", "nixPath", "uvPath", "skipNixProvided"].some((k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`, folder));
}

/** One log line of the effective settings: what a bug report needs to reproduce a load. */
export function describeConfig(config: FolderConfig): string {
  return Object.entries(config)
    .map(([key, value]) => `${key}=${typeof value === "string" ? JSON.stringify(value) : String(value)}`)
    .join(" ");
}

/** Logs the effective settings of every folder (or the window's, without folders). */
export function logEffectiveConfig(workspace: Pick<WorkspaceApis, "settings" | "folders">, log: { info(message: string): void }): void {
  const folders = workspace.folders();
  if (folders.length === 0) log.info(`settings: ${describeConfig(readConfig(workspace, undefined))}`);
  for (const folder of folders) log.info(`settings of ${folder.name}: ${describeConfig(readConfig(workspace, folder))}`);
}
