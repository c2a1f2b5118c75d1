// Which handler serves which command id (the ids and the one registration: registry.ts).
import type { Uri } from "vscode";
import { isUri } from "../platform/apis";
import { showProvenancePick } from "../views/provenancePick";
import type { NixLanguageClient } from "../nixLanguage/languageClient";
import type { NativeProblemsSource } from "../views/nativeLibrariesView";
import type { CommandContext } from "./context";
import { createProjectCommand } from "./createProject";
import { devShellCommands } from "./devShellPick";
import { nativeFixCommands } from "./nativeLibraryFix";
import { environmentCommands } from "./environment";
import { vscodeEditorApis } from "../platform/vscodeEditorApis";
import { nixPackageCommands, type PackageRevealer } from "./nixPackages/command";
import { nixProvidedCommands } from "./nixProvided";
import { packageCommands } from "./packageCommands";
import type { CommandTable } from "./registry";
import { updateInputsCommand } from "./updateInputs";
import { uvCommands } from "./uv";

export interface CommandTableDeps extends CommandContext {
  readonly showLog: () => void;
  readonly view: PackageRevealer;
  readonly languageClient: NixLanguageClient;
  /** The Hybrid Env terminal (platform/hybridTerminal.ts) of a folder, or of the active one. */
  readonly openTerminal: (folder: Uri | undefined) => void;
  /** For hybridEnv.internal.timings. */
  readonly timings: () => unknown;
  /** The native-library doctor's problems (Fix Native Libraries). */
  readonly native?: NativeProblemsSource;
}

export function commandTable(deps: CommandTableDeps): CommandTable {
  return {
    ...environmentCommands(deps, deps.showLog),
    ...uvCommands(deps),
    ...nixPackageCommands({ ...deps, editor: vscodeEditorApis }),
    updateNixInputs: updateInputsCommand(deps),
    createProject: createProjectCommand(deps),
    ...packageCommands(deps.envs),
    ...nixProvidedCommands(deps),
    ...devShellCommands(deps),
    ...nativeFixCommands(deps, deps.native),
    showProvenance: { run: () => showProvenancePick(deps.envs) },
    openTerminal: { run: (folder?: unknown) => deps.openTerminal(isUri(folder) ? folder : undefined) },
    internalTimings: { run: deps.timings },
    internalNixLanguageServer: { run: () => deps.languageClient.status },
  };
}
