// The launcher's side of the UI helper (suite side: test/vscode/suite-runner/ui.ts). Each action
// drives the workbench page through playwright as a person would; the answer is written to
// <uiDir>/<id>.json (write to a temp name, then rename, so the polling suite never reads half).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const WAIT = { timeout: 15_000 };

export const uiActions = {
  async clickNotificationButton(page, { label, message }) {
    // With --enable-smoke-test-driver the workbench shows no toasts at all (so that they never
    // cover what a smoke test clicks): notifications are only in the notification center, which
    // a person opens with the bell in the status bar.
    const center = page.locator(".notifications-center");
    if (!(await center.isVisible())) await page.locator('.part.statusbar [id="status.notifications"] a').click(WAIT);
    const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    let items = center.locator(".notification-list-item");
    if (message) items = items.filter({ hasText: message });
    const item = items.filter({ has: page.locator(".monaco-button", { hasText: exact }) }).first();
    await item.waitFor({ state: "attached", ...WAIT });
    // Only the expanded notification shows its buttons; clicking the message expands it.
    const button = item.locator(".monaco-button", { hasText: exact }).first();
    if (!(await button.isVisible())) await item.locator(".notification-list-item-message").click();
    await button.click(WAIT);
  },

  async pickQuickItem(page, { label }) {
    // An open quick pick (showQuickPick, or a command's own list): click the row with that label.
    const row = page.locator(".quick-input-widget .monaco-list-row", {
      has: page.locator(".label-name", { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    });
    await row.first().click(WAIT);
  },

  async typeInQuickInput(page, { text }) {
    // An open input box (showInputBox) or quick pick filter: type, then Enter to accept.
    const input = page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ state: "visible", ...WAIT });
    await input.fill(text);
    await page.keyboard.press("Enter");
  },

  async statusBarText(page, { id, text }) {
    // Extension items get the DOM id `<extension id>.<item id>`; match on the end of it.
    const items = page.locator(".part.statusbar .statusbar-item");
    const item = id
      ? page.locator(`.part.statusbar .statusbar-item[id$="${cssEscape(id)}"]`).first()
      : items.filter({ hasText: text }).first();
    await item.waitFor({ state: "visible", ...WAIT });
    return (await item.innerText()).trim();
  },

  async openView(page, { container, view }) {
    const entry = page.locator(`.part.activitybar .action-item .action-label[aria-label^="${cssEscape(container)}"]`).first();
    await entry.waitFor(WAIT);
    // Clicking an already-open container would close the side bar: click only when it is not.
    const checked = await entry.evaluate((el) => el.closest(".action-item")?.classList.contains("checked"));
    if (!checked) await entry.click();
    if (view) {
      // A container with a single view hides the view's header (its title joins the container's).
      const header = viewPane(page, view).locator(".pane-header");
      await header.waitFor({ state: "attached", ...WAIT });
      if ((await header.getAttribute("aria-expanded")) === "false") await header.click();
    }
  },

  async treeRows(page, { view }) {
    const rows = viewPane(page, view).locator(".pane-body .monaco-list-row");
    await rows.first().waitFor(WAIT);
    return rows.evaluateAll((els) =>
      els.map((el) => ({
        label: el.querySelector(".label-name")?.textContent ?? el.textContent ?? "",
        description: el.querySelector(".label-description")?.textContent ?? "",
        level: Number(el.getAttribute("aria-level") ?? 1),
        ...(el.hasAttribute("aria-expanded") ? { expanded: el.getAttribute("aria-expanded") === "true" } : {}),
      })),
    );
  },

  async viewHeader(page, { view }) {
    // The view's title and description: its pane header, or, when it is its container's only
    // view (the header is hidden then), the side bar's title, which takes both over.
    // textContent, not innerText: CSS capitalises titles, the declared text is what is asserted.
    const text = (locator) => locator.evaluate((el) => (el.textContent ?? "").replace(/\s+/g, " ").trim());
    const header = viewPane(page, view).locator(".pane-header");
    if ((await header.count()) > 0 && (await header.first().isVisible())) return text(header.first());
    const title = page.locator(".part.sidebar .composite.title .title-label").first();
    await title.waitFor({ state: "visible", ...WAIT });
    return text(title);
  },

  async notificationTexts(page) {
    // Every notification's text ("title: message" for a progress notification), from the
    // notification center (the bench's smoke-test mode shows no toasts); the center is opened
    // once and left open so that a running progress keeps updating where it can be read.
    const center = page.locator(".notifications-center");
    if (!(await center.isVisible())) await page.locator('.part.statusbar [id="status.notifications"] a').click(WAIT);
    return center.locator(".notification-list-item .notification-list-item-message").evaluateAll((els) => els.map((el) => (el.textContent ?? "").trim()));
  },

  async runInPalette(page, { text }) {
    await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } }); // focus the workbench
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ state: "visible", ...WAIT });
    await input.fill(`>${text}`);
    // Wait until the list shows a command matching what was typed before pressing Enter.
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: text }).first().waitFor(WAIT);
    await page.keyboard.press("Enter");
  },

  async screenshot(page, { name }, { artifactsDir }) {
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, "_")}.png`);
    await page.screenshot({ path });
    return path;
  },
};

function viewPane(page, title) {
  // View titles are upper-cased by CSS only, so textContent keeps the declared name.
  return page.locator(".pane", { has: page.locator(".pane-header h3.title", { hasText: title }) }).first();
}

function escapeRegExp(value) {
  return String(value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function cssEscape(value) {
  return String(value).replace(/["\\]/g, "\\$&");
}

/** Runs one request from a suite and writes the answer file. Never throws. */
export async function answerUiRequest(page, message, { uiDir, artifactsDir, log }) {
  let answer;
  try {
    const action = uiActions[message.action];
    if (!action) throw new Error(`unknown UI action ${message.action}`);
    answer = { ok: true, value: (await action(page, message.args ?? {}, { artifactsDir })) ?? null };
  } catch (error) {
    answer = { ok: false, error: String(error?.message ?? error).split("\n")[0] };
  }
  log(`[ui] ${message.action} ${JSON.stringify(message.args)} -> ${answer.ok ? "ok" : answer.error}`);
  const file = join(uiDir, `${message.id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(answer));
  renameSync(`${file}.tmp`, file);
}
