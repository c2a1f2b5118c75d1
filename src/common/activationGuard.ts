// activate() in a guard, as rust-analyzer does: when activation throws, the user gets an error
// notification with "Show Log" (the log holds the stack) instead of a silently dead extension,
// and whatever was created so far is disposed. The error is rethrown so that VS Code records the
// failed activation too (Running Extensions, the extension host log).
import type { WindowApis } from "../platform/apis";
import type { LogChannel } from "./logger";

export function guardActivation<T>(log: LogChannel, window: Pick<WindowApis, "showErrorMessage">, activate: () => T, cleanUp: () => void): T {
  try {
    return activate();
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    log.error(`activation failed: ${error.stack ?? error.message}`);
    try {
      cleanUp();
    } catch (cleanUpError) {
      log.error(`cleaning up after the failed activation: ${(cleanUpError as Error).message}`);
    }
    void window.showErrorMessage(`Hybrid Env failed to start: ${error.message}`, "Show Log").then((answer) => {
      if (answer === "Show Log") log.show(true);
    });
    throw error;
  }
}
