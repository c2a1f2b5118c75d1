// The one expansion of path settings (hybridEnv.nixPath, uvPath, nixLanguageServerPath), as VS
// Code users write them in other extensions' settings: `${workspaceFolder}`, `${userHome}`, and a
// leading `~` (`~` alone or `~/…`). A variable that cannot be known (no folder) stays as written,
// so the "not found" message shows what the user typed. Pure, for unit tests.

export interface PathContext {
  /** The folder the setting is read for; undefined for a window-wide read. */
  readonly workspaceFolder?: string;
  readonly userHome: string;
}

export function expandPathSetting(value: string, context: PathContext): string {
  const trimmed = value.trim();
  if (trimmed === "") return "";
  const withVariables = trimmed.replace(/\$\{(workspaceFolder|userHome)\}/g, (whole, name: string) => {
    if (name === "userHome") return context.userHome;
    return context.workspaceFolder ?? whole;
  });
  if (withVariables === "~") return context.userHome;
  if (withVariables.startsWith("~/")) return context.userHome + withVariables.slice(1);
  return withVariables;
}
