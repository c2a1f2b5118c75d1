// Whether to enter a folder's hybrid environment when it opens: the hybridEnv.autoEnter setting,
// else the answer the user gave for this folder before, else a question (asked once per open).
import type { WorkspaceFolder } from "vscode";
import type { AutoEnter } from "../config/configKeys";
import type { StateStore, WindowApis } from "../platform/apis";

export type RememberedChoice = "enter" | "never";
const KEY_PREFIX = "hybridEnv.choice:";

export class EnterChoices {
  constructor(
    private readonly state: StateStore,
    private readonly window: Pick<WindowApis, "showInformationMessage">,
  ) {}

  get(folder: WorkspaceFolder): RememberedChoice | undefined {
    return this.state.get<RememberedChoice>(KEY_PREFIX + folder.uri.toString());
  }

  set(folder: WorkspaceFolder, choice: RememberedChoice | undefined): Thenable<void> {
    return this.state.update(KEY_PREFIX + folder.uri.toString(), choice);
  }

  /** "enter" or "never" without asking, or "ask". */
  decide(folder: WorkspaceFolder, setting: AutoEnter): "enter" | "never" | "ask" {
    if (setting === "always") return "enter";
    if (setting === "never") return "never";
    return this.get(folder) ?? "ask";
  }

  /** Asks, remembers Enter and Never, and resolves to whether to enter now. */
  async ask(folder: WorkspaceFolder): Promise<boolean> {
    const answer = await this.window.showInformationMessage(
      `Enter the hybrid Nix + uv environment of "${folder.name}"?`,
      "Enter",
      "Not now",
      "Never for this folder",
    );
    if (answer === "Enter") await this.set(folder, "enter");
    if (answer === "Never for this folder") await this.set(folder, "never");
    return answer === "Enter";
  }
}
