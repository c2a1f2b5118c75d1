// A load shows its step in the status bar at once; a notification with Cancel appears only when it
// takes longer than a couple of seconds (a warm or quick load should not flash one).
import * as vscode from "vscode";
import { STEP_TITLES } from "../core/environment";
import type { FolderSnapshot } from "../folders/model";

/** Returns the function that ends the progress (call it when the load ends). */
export function showProgressAfter(
  delayMs: number,
  title: string,
  onDidChange: vscode.Event<FolderSnapshot>,
  abort: AbortController,
): () => void {
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  let ended = false;
  const timer = setTimeout(() => {
    if (ended) return;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const cancel = token.onCancellationRequested(() => abort.abort());
      const steps = onDidChange((s) => s.step && s.step !== "done" && progress.report({ message: STEP_TITLES[s.step] }));
      return finished.finally(() => {
        cancel.dispose();
        steps.dispose();
      });
    });
  }, delayMs);
  return () => {
    ended = true;
    clearTimeout(timer);
    finish();
  };
}
