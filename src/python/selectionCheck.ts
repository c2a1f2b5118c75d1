// The Python extension's own answer for a folder, checked after Python Environments has taken our
// selection. In a window with several folders, under load, the bench saw the Python extension
// answer the bare "python" for one folder after both were selected (its getActiveEnvironmentPath
// reads a per-folder value that went missing). A lost selection (no
// interpreter at all, never another one) is made again: unset first (an
// empty path, which it stores as "no choice"), since an update to the value it already stores is
// a no-op there and would leave a stale answer.
import type { WorkspaceFolder } from "vscode";

export interface ActivePathApi {
  get(folder: WorkspaceFolder): string;
  update(path: string, folder: WorkspaceFolder): Promise<void>;
}

/** Checks now and once more after `laterMs` (Python Environments re-evaluates its choice after a settings write). */
export class SelectionCheck {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly api: ActivePathApi,
    private readonly log: { info(message: string): void },
    private readonly laterMs = 5_000,
  ) {}

  async confirm(folder: WorkspaceFolder, venvPython: string): Promise<void> {
    this.cancel(folder);
    await this.checkOnce(folder, venvPython);
    const key = folder.uri.toString();
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.checkOnce(folder, venvPython).catch((e: unknown) => this.log.info(`Python extension: ${(e as Error).message}`));
      }, this.laterMs),
    );
  }

  /** Exit (one folder, or all): no check may select a venv again after it. */
  cancel(folder?: WorkspaceFolder): void {
    for (const [key, timer] of this.timers) {
      if (folder && key !== folder.uri.toString()) continue;
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  private async checkOnce(folder: WorkspaceFolder, venvPython: string): Promise<void> {
    const now = this.api.get(folder);
    // A path is somebody's choice (the user's, another extension's) and stays; only the bare
    // command name, which is what it answers with no choice stored, is a lost selection.
    if (now === venvPython || now.includes("/")) return;
    this.log.info(`Python extension: ${folder.name}'s interpreter reads ${now}, not ${venvPython}, after the selection: selecting it again`);
    await this.api.update("", folder);
    await this.api.update(venvPython, folder);
  }
}
