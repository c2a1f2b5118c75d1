// A load shows its step in the status bar at once; a notification with Cancel appears only when it
// takes longer than a couple of seconds (a warm or quick load should not flash one). Both say what
// the tool is doing ("nix · building 3/12 (step-3) · downloading 412/1,204 MB", uv's phase) as
// the folder's snapshot carries it (throttled there).
import type { Event } from "vscode";
import { describeStep } from "../core/progress/describe";
import type { FolderSnapshot } from "../folders/model";
import type { WindowApis } from "../platform/apis";

/** Returns the function that ends the progress (call it when the load ends). */
export function showProgressAfter(
  window: Pick<WindowApis, "withProgress">,
  delayMs: number,
  title: string,
  onDidChange: Event<FolderSnapshot>,
  abort: AbortController,
  /** The folder's snapshot now: the notification opens with the step under way. */
  current?: () => FolderSnapshot,
): () => void {
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  let ended = false;
  const timer = setTimeout(() => {
    if (ended) return;
    void window.withProgress({ where: "notification", title, cancellable: true }, (report, signal) => {
      const cancel = () => abort.abort();
      signal.addEventListener("abort", cancel, { once: true });
      let shown = "";
      const show = (s: FolderSnapshot) => {
        const text = s.step && s.step !== "done" ? describeStep(s.step, s.progress) : "";
        if (text && text !== shown) report((shown = text));
      };
      const steps = onDidChange(show);
      if (current) show(current());
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
