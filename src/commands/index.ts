// Which handler serves which command id (the ids and the one registration: registry.ts).
import type { Uri } from "vscode";
import { isUri } from "../platform/apis";
import { showProvenancePick } from "../views/provenancePick";
import type { NixLanguageClient } from "../nixLanguage/languageClient";
import type { CommandContext } from "./context";
import { createProjectCommand } from "./createProject";
import { environmentCommands } from "./environment";
import { nixPackageCommands, type PackageRevealer } from "./nixPackages/command";
import { packageCommands } from "./packageCommands";
import type { CommandTable } from "./registry";
import { uvCommands } from "./uv";

export interface CommandTableDeps extends CommandContext {
  readonly showLog: () => void;
  readonly view: PackageRevealer;
  readonly languageClient: NixLanguageClient;
  /** The Hybrid Env terminal (platform/hybridTerminal.ts) of a folder, or of the active one. */
  readonly openTerminal: (folder: Uri | undefined) => void;
  /** For hybridEnv.internal.timings. */
  readonly timings: () => unknown;
}

export function commandTable(deps: CommandTableDeps): CommandTable {
  return {
    ...environmentCommands(deps, deps.showLog),
    ...uvCommands(deps),
    ...nixPackageCommands(deps, deps.view),
    createProject: createProjectCommand(deps),
    ...packageCommands(deps.envs),
    showProvenance: { run: () => showProvenancePick(deps.envs) },
    openTerminal: { run: (folder?: unknown) => deps.openTerminal(isUri(folder) ? folder : undefined) },
    internalTimings: { run: deps.timings },
    internalNixLanguageServer: { run: () => deps.languageClient.status },
  };
}
