// Which devShell a folder loads when the user picked one (Hybrid Env: Choose devShell…): kept per
// folder in the workspace state, not in .vscode/settings.json (a committed file, and a choice of
// one person's work, not the project's). Without a choice the hybridEnv.devShell setting decides.
import type { WorkspaceFolder } from "vscode";
import { isValidDevShellName } from "../core/options";
import type { StateStore } from "../platform/apis";

const KEY_PREFIX = "hybridEnv.devShell:";

export class DevShellChoices {
  constructor(private readonly state: StateStore) {}

  /** The folder's chosen devShell; a stored value that is no valid name counts as none. */
  get(folder: WorkspaceFolder): string | undefined {
    const name = this.state.get<string>(KEY_PREFIX + folder.uri.toString());
    return typeof name === "string" && isValidDevShellName(name) ? name : undefined;
  }

  /** Stores the choice; undefined goes back to the setting. */
  set(folder: WorkspaceFolder, name: string | undefined): Thenable<void> {
    if (name !== undefined && !isValidDevShellName(name)) throw new Error(`"${name}" is not a valid devShell name.`);
    return this.state.update(KEY_PREFIX + folder.uri.toString(), name);
  }
}
