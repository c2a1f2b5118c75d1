// The Python extension's own answer for a folder, read back after Python Environments has taken
// our selection. Its getActiveEnvironmentPath answers a per-folder value it keeps in its
// globalState (interpreterPathService.ts), or, when that value is missing, its own
// auto-selection (a venv it discovered) or the bare "python". Under load the bench saw both
// answers after a selection, in one- and two-folder windows. The value goes missing through VS
// Code's extension state: the main thread echoes every write back to the extension host, which
// replaces its copy with the echo, so a write that lands in between is dropped (the Python
// extension works around the same race in persistentState.ts, microsoft/vscode#171827). So for a
// short while after our selection, any other answer is our selection lost, and it is made again;
// after the last check a change is somebody's choice and stays. It is made again through an
// unset (an empty path, stored as "no choice"), since an update to the value it already stores
// is a no-op there and would leave the stale answer.
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

  async confirm(folder: WorkspaceFolder, venvPython: string): Promise<void> {
    this.cancel(folder);
    await this.checkOnce(folder, venvPython);
    const later = () => void this.checkOnce(folder, venvPython).catch((e: unknown) => this.log.info(`Python extension: ${(e as Error).message}`));
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

  private async checkOnce(folder: WorkspaceFolder, venvPython: string): Promise<void> {
    const now = this.api.get(folder);
    if (now === venvPython) return;
    this.log.info(`Python extension: ${folder.name}'s interpreter reads ${now}, not ${venvPython}, after the selection: selecting it again`);
    await this.api.update("", folder);
    await this.api.update(venvPython, folder);
  }
}
