// Typed view of the `hybridEnv.*` settings; mirrors package.json contributes.configuration (a unit
// test keeps the two in step). Read per folder: most settings are resource-scoped.
import * as vscode from "vscode";
import { CONFIG_DEFAULTS as D, type FolderConfig } from "./configKeys";
import { defaultCacheDir, type EngineOptions } from "../core/options";

export type { AutoEnter, FolderConfig } from "./configKeys";

export function readConfig(folder: vscode.WorkspaceFolder | undefined): FolderConfig {
  const c = vscode.workspace.getConfiguration("hybridEnv", folder);
  const seconds = (key: "nixTimeoutSeconds" | "uvTimeoutSeconds") => Math.max(5, c.get<number>(key, D[key]));
  const autoEnter = c.get<string>("autoEnter", D.autoEnter);
  return {
    autoEnter: autoEnter === "always" || autoEnter === "never" ? autoEnter : "ask",
    autoReload: c.get<boolean>("autoReload", D.autoReload),
    devShell: c.get<string>("devShell", D.devShell) || D.devShell,
    runShellHook: c.get<boolean>("runShellHook", D.runShellHook),
    configurePython: c.get<boolean>("configurePython", D.configurePython),
    nixPath: c.get<string>("nixPath", D.nixPath),
    uvPath: c.get<string>("uvPath", D.uvPath),
    nixTimeoutSeconds: seconds("nixTimeoutSeconds"),
    uvTimeoutSeconds: seconds("uvTimeoutSeconds"),
    nixLanguageServer: c.get<string>("nixLanguageServer", D.nixLanguageServer),
    nixLanguageServerPath: c.get<string>("nixLanguageServerPath", D.nixLanguageServerPath),
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
    useCache: true,
    cacheDir: defaultCacheDir(),
    ...overrides,
  };
}

/** Settings whose change needs a new load (the others are read when used). */
export function affectsEnvironment(e: vscode.ConfigurationChangeEvent, folder: vscode.WorkspaceFolder): boolean {
  return ["devShell", "runShellHook", "nixPath", "uvPath"].some((k) => e.affectsConfiguration(`hybridEnv.${k}`, folder));
}
