// A load shows its step in the status bar at once; a notification with Cancel appears only when it
// takes longer than a couple of seconds (a warm or quick load should not flash one).
import type { Event } from "vscode";
import { STEP_TITLES } from "../core/environment";
import type { FolderSnapshot } from "../folders/model";
import type { WindowApis } from "../platform/apis";

/** Returns the function that ends the progress (call it when the load ends). */
export function showProgressAfter(
  window: Pick<WindowApis, "withProgress">,
  delayMs: number,
  title: string,
  onDidChange: Event<FolderSnapshot>,
  abort: AbortController,
): () => void {
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  let ended = false;
  const timer = setTimeout(() => {
    if (ended) return;
    void window.withProgress({ where: "notification", title, cancellable: true }, (report, signal) => {
      const cancel = () => abort.abort();
      signal.addEventListener("abort", cancel, { once: true });
      const steps = onDidChange((s) => s.step && s.step !== "done" && report(STEP_TITLES[s.step]));
      return finished.finally(() => {
        signal.removeEventListener("abort", cancel);
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
