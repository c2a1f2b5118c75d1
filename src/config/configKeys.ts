// The settings' names and defaults, without vscode, so a unit test can hold them against
// package.json contributes.configuration.
export type AutoEnter = "ask" | "always" | "never";

export interface FolderConfig {
  readonly autoEnter: AutoEnter;
  readonly autoReload: boolean;
  readonly devShell: string;
  readonly runShellHook: boolean;
  readonly configurePython: boolean;
  /** uv does not install what Nix provides (nixProvided/ in the engine). */
  readonly skipNixProvided: boolean;
  readonly nixPath: string;
  readonly uvPath: string;
  readonly nixTimeoutSeconds: number;
  readonly uvTimeoutSeconds: number;
  readonly nixLanguageServer: string;
  readonly nixLanguageServerPath: string;
}

export const CONFIG_DEFAULTS: FolderConfig = {
  autoEnter: "ask",
  autoReload: false,
  devShell: "default",
  runShellHook: true,
  configurePython: true,
  skipNixProvided: true,
  nixPath: "",
  uvPath: "",
  nixTimeoutSeconds: 600,
  uvTimeoutSeconds: 600,
  nixLanguageServer: "auto",
  nixLanguageServerPath: "",
};
