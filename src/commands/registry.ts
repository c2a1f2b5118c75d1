// The one place where commands are registered: every id the extension handles is listed here,
// and each is registered through one guarded wrapper that sends every failure to ErrorPresenter
// (with the error's own buttons: Install, Configure, Open log …). A cancellation is no failure:
// it is logged and nothing is shown. Which handler serves which id: commands/index.ts, typed by
// CommandTable so an id without a handler does not compile.
import type { Disposable } from "vscode";
import type { ErrorPresenter } from "../common/errorPresenter";
import type { CommandApis } from "../platform/apis";

export const COMMAND_IDS = {
  enter: "hybridEnv.enter",
  exit: "hybridEnv.exit",
  reload: "hybridEnv.reload",
  createProject: "hybridEnv.createProject",
  addUvPackage: "hybridEnv.addUvPackage",
  resetVenv: "hybridEnv.resetVenv",
  addNixPackage: "hybridEnv.addNixPackage",
  removeNixPackage: "hybridEnv.removeNixPackage",
  updateNixInputs: "hybridEnv.updateNixInputs",
  showLog: "hybridEnv.showLog",
  showProvenance: "hybridEnv.showProvenance",
  copyRequirement: "hybridEnv.copyRequirement",
  revealPackage: "hybridEnv.revealPackage",
  letUvInstall: "hybridEnv.letUvInstall",
  leaveToNix: "hybridEnv.leaveToNix",
  chooseDevShell: "hybridEnv.chooseDevShell",
  fixNativeLibraries: "hybridEnv.fixNativeLibraries",
  openTerminal: "hybridEnv.openTerminal",
  /** Not contributed (not in the palette): warm-open figures for the benchmark. */
  internalTimings: "hybridEnv.internal.timings",
  /** Not contributed: what the Nix language client is doing, for tests and bug reports. */
  internalNixLanguageServer: "hybridEnv.internal.nixLanguageServer",
} as const;

export type CommandName = keyof typeof COMMAND_IDS;

export interface CommandSpec {
  readonly run: (...args: unknown[]) => unknown;
  /** What the command resolves to when it failed (default undefined); the failure is shown either way. */
  readonly onFailure?: (error: unknown) => unknown;
}

export type CommandTable = Readonly<Record<CommandName, CommandSpec>>;

export type FailureSink = Pick<ErrorPresenter, "presentCommandFailure">;

/** The guarded handler of one command. */
export function guarded(id: string, spec: CommandSpec, errors: FailureSink): (...args: unknown[]) => Promise<unknown> {
  return async (...args: unknown[]) => {
    try {
      return await spec.run(...args);
    } catch (e) {
      errors.presentCommandFailure(id, e);
      return spec.onFailure?.(e);
    }
  };
}

export function registerCommands(commands: Pick<CommandApis, "registerCommand">, errors: FailureSink, table: CommandTable): Disposable {
  const registered = (Object.keys(COMMAND_IDS) as CommandName[]).map((name) =>
    commands.registerCommand(COMMAND_IDS[name], guarded(COMMAND_IDS[name], table[name], errors)),
  );
  return { dispose: () => registered.forEach((d) => d.dispose()) };
}
