// The suite's side of the UI helper: act on the workbench as a person would (click, read, type).
// The work is done by the launcher, which drives the page with playwright; the extension host
// cannot reach the workbench DOM. A request travels as a prefixed console line (see channel.ts)
// that the launcher intercepts in codeAutomationLog; the answer comes back as `<id>.json` in the
// folder named by HYBRID_ENV_BENCH_UI_DIR, which we poll. A file answer needs no channel from the
// page into the extension host, and launcher and server share one machine.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import protocol from "../protocol.json";
import { send, viaPage } from "./channel";

export interface StatusBarQuery {
  /** the id given to createStatusBarItem (matched as the end of the DOM id, which VS Code prefixes) */
  id?: string;
  /** a substring of the item's text or accessible label */
  text?: string;
}

export interface TreeRow {
  label: string;
  description: string;
  level: number;
  expanded?: boolean;
}

export interface QuickPickRow {
  label: string;
  description: string;
  /** The row's whole text: label, description and detail line. */
  text: string;
}

const uiDir = process.env[protocol.env.uiDir];
let nextId = 0;

async function request<T>(action: string, args: unknown, timeoutMs = 30_000): Promise<T> {
  if (!viaPage || !uiDir) throw new Error("the UI helper needs the browser launcher (ui.available is false)");
  const id = `${process.pid}-${++nextId}`;
  const answerFile = join(uiDir, `${id}.json`);
  send({ t: "ui", id, action, args });
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(answerFile)) {
    if (Date.now() > deadline) throw new Error(`UI helper did not answer ${action} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const answer = JSON.parse(readFileSync(answerFile, "utf8")) as { ok: boolean; value?: T; error?: string };
  rmSync(answerFile, { force: true });
  if (!answer.ok) throw new Error(`UI helper: ${action} failed: ${answer.error}`);
  return answer.value as T;
}

// There is no modal dialog action: while extension tests run, VS Code refuses modal dialogs
// (DialogService.skipDialogs(): showWarningMessage(..., { modal: true }) rejects with "refused to
// show dialog in tests"), in the browser and on the desktop alike.
export const ui = {
  /** False under the desktop launcher: suites that need it should skip. */
  available: viaPage && Boolean(uiDir),
  /**
   * Clicks the button labelled `label` of a notification (optionally the one whose text contains
   * `message`), in the notification center: the smoke-test mode the bench runs in shows no toasts.
   */
  clickNotificationButton: (label: string, message?: string) => request<void>("clickNotificationButton", { label, message }),
  /** Picks the item labelled `label` in the open quick pick (showQuickPick). */
  pickQuickItem: (label: string) => request<void>("pickQuickItem", { label }),
  /** Types `text` into the open input box (showInputBox) and presses Enter. */
  typeInQuickInput: (text: string) => request<void>("typeInQuickInput", { text }),
  /** Text of a status bar item (codicons render as nothing), waiting until one matches. */
  statusBarText: (query: StatusBarQuery) => request<string>("statusBarText", query),
  /** Clicks the activity bar entry titled `container` and, if given, expands the view `view`. */
  openView: (container: string, view?: string) => request<void>("openView", { container, view }),
  /** Rows currently rendered in the tree of the view titled `view`. */
  treeRows: (view: string) => request<TreeRow[]>("treeRows", { view }),
  /** The view's header as shown: its title and description (the side bar's title when it is its container's only view). */
  viewHeader: (view: string) => request<string>("viewHeader", { view }),
  /** The text of every notification in the notification center (opening it), newest first. */
  notificationTexts: () => request<string[]>("notificationTexts", {}),
  /** Opens the command palette, types `text` and runs the first match, as with F1 + typing + Enter. */
  runInPalette: (text: string) => request<void>("runInPalette", { text }),
  /** Clicks the visible button labelled `label` (for example the Workspace Trust editor's "Trust"). */
  clickButton: (label: string) => request<void>("clickButton", { label }),
  /** Clicks into the terminal the panel shows (terminal.show() it first), types `text` and Enter. */
  typeInTerminal: (text: string) => request<void>("typeInTerminal", { text }),
  /**
   * The rows rendered on screen by the terminal the panel shows. Needs
   * terminal.integrated.gpuAcceleration "off" (the DOM renderer). A long line wraps over rows.
   */
  terminalRows: () => request<string[]>("terminalRows", {}),
  /** The open quick pick's title and rendered rows. */
  quickPickRows: () => request<{ title: string; rows: QuickPickRow[] }>("quickPickRows", {}),
  /**
   * Waits for a quick pick and for its row `label`; answers the Date.now() of each (the page and
   * the extension host share the machine's clock). Send it before opening the pick.
   */
  quickPickTimes: (label: string, timeoutMs = 120_000) => request<{ shownAt: number; rowAt: number }>("quickPickTimes", { label, timeoutMs }, timeoutMs + 10_000),
  /** Presses Escape and waits for the quick pick (or input box) to close. */
  closeQuickInput: () => request<void>("closeQuickInput", {}),
  /** Saves a screenshot of the workbench in the artifacts folder; returns its path. */
  screenshot: (name: string) => request<string>("screenshot", { name }),
};
