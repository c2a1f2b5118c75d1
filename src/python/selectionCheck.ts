// The Python extension's own answer for a folder, checked after Python Environments has taken our
// selection. Under load the bench saw that answer fall back after a selection: to the bare
// "python" in a window of two folders, and to the interpreter it had chosen by itself before
// (a workspace venv it discovered) in a single folder. Its getActiveEnvironmentPath reads a
// per-folder value kept in the extension host's globalState (interpreterPathService.ts), and
// when that value is missing it answers "python" or its own auto-selection. So an answer that is
// the bare command name, or the very interpreter it answered before we selected, is our
// selection lost, and it is made again. Any other interpreter is somebody's new choice and stays.
// It is made again through an unset (an empty path, stored as "no choice"), since an update to the
// value it already stores is a no-op there and would leave the stale answer.
import type { WorkspaceFolder } from "vscode";

export interface ActivePathApi {
  get(folder: WorkspaceFolder): string;
  update(path: string, folder: WorkspaceFolder): Promise<void>;
}

/**
 * Checks now and again after each of `laterMs` (Python Environments re-evaluates its choice after
 * its settings write, and the Python extension re-reads its store on every settings change).
 */
export class SelectionCheck {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>[]>();

  constructor(
    private readonly api: ActivePathApi,
    private readonly log: { info(message: string): void },
    private readonly laterMs: readonly number[] = [5_000, 15_000],
  ) {}

  /** `before`: what the Python extension answered for the folder before our selection. */
  async confirm(folder: WorkspaceFolder, venvPython: string, before?: string): Promise<void> {
    this.cancel(folder);
    await this.checkOnce(folder, venvPython, before);
    const later = () => void this.checkOnce(folder, venvPython, before).catch((e: unknown) => this.log.info(`Python extension: ${(e as Error).message}`));
    this.timers.set(folder.uri.toString(), this.laterMs.map((ms) => setTimeout(later, ms)));
  }

  /** Exit (one folder, or all): no check may select a venv again after it. */
  cancel(folder?: WorkspaceFolder): void {
    for (const [key, timers] of this.timers) {
      if (folder && key !== folder.uri.toString()) continue;
      for (const timer of timers) clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  private async checkOnce(folder: WorkspaceFolder, venvPython: string, before: string | undefined): Promise<void> {
    const now = this.api.get(folder);
    if (now === venvPython) return;
    // A new interpreter is somebody's choice (the user's, another extension's) and stays.
    if (now.includes("/") && now !== before) return;
    this.log.info(`Python extension: ${folder.name}'s interpreter reads ${now}, not ${venvPython}, after the selection: selecting it again`);
    await this.api.update("", folder);
    await this.api.update(venvPython, folder);
  }
}
