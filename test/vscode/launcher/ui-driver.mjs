// The launcher's side of the UI helper (suite side: test/vscode/suite-runner/ui.ts). Each action
// drives the workbench page through playwright as a person would; the answer is written to
// <uiDir>/<id>.json (write to a temp name, then rename, so the polling suite never reads half).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cssEscape, escapeRegExp, WAIT } from "./ui-common.mjs";
import { notificationActions } from "./ui-notifications.mjs";

export const uiActions = {
  ...notificationActions,
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

  async clickButton(page, { label }) {
    // A visible button labelled exactly so, wherever it is (an editor, the Workspace Trust editor
    // that opens over the workbench, a view); notification buttons have clickNotificationButton.
    const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    await page.locator(".monaco-workbench .monaco-button:visible", { hasText: exact }).first().click(WAIT);
  },

  async typeInTerminal(page, { text }) {
    // As a person does: click into the terminal the panel shows, type, press Enter. xterm reads
    // keys from its hidden textarea, which the click focuses.
    const screen = activeTerminal(page).locator(".xterm-screen");
    await screen.waitFor({ state: "visible", ...WAIT });
    await screen.click();
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
  },

  async terminalRows(page) {
    // The rendered screen of the terminal the panel shows, one string per row. Needs the DOM
    // renderer (terminal.integrated.gpuAcceleration: "off"): the WebGL one draws on a canvas.
    const rows = activeTerminal(page).locator(".xterm-rows > div");
    await rows.first().waitFor({ state: "attached", ...WAIT });
    return rows.evaluateAll((els) => els.map((el) => (el.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()));
  },

  async quickPickRows(page) {
    // The open quick pick as a person reads it: its title and the rendered rows (label, description, detail).
    const widget = page.locator(".quick-input-widget");
    await widget.waitFor({ state: "visible", ...WAIT });
    // Title and rows in one read: read apart, an update landing in between (a picker that shows
    // "reading…" and then its packages) paired the old title with the new rows.
    return widget.evaluate((w) => ({
      title: (w.querySelector(".quick-input-title")?.textContent ?? "").trim(),
      rows: [...w.querySelectorAll(".monaco-list-row")].map((el) => ({
        label: (el.querySelector(".label-name")?.textContent ?? "").trim(),
        description: (el.querySelector(".label-description")?.textContent ?? "").trim(),
        // The detail line's markup differs between VS Code versions: the row's whole text holds it.
        text: (el.textContent ?? "").trim(),
      })),
    }));
  },

  async quickPickTimes(page, { label, timeoutMs }) {
    // For the benchmark: when (Date.now(), shared with the extension host on this machine) the
    // quick pick became visible, and when a row labelled `label` was rendered in it. Watched in
    // the page every few milliseconds (playwright's own waits back off to 500 ms between checks).
    return page.evaluate(
      ({ label, timeout }) =>
        new Promise((resolve, reject) => {
          const started = Date.now();
          let shownAt;
          const visible = (el) => el instanceof HTMLElement && el.offsetParent !== null && getComputedStyle(el).display !== "none";
          const check = () => {
            const widget = document.querySelector(".quick-input-widget");
            if (shownAt === undefined && visible(widget)) shownAt = Date.now();
            if (shownAt !== undefined) {
              const rows = widget.querySelectorAll(".monaco-list-row .label-name");
              if ([...rows].some((r) => r.textContent.trim() === label && visible(r))) return resolve({ shownAt, rowAt: Date.now() });
            }
            if (Date.now() - started > timeout) return reject(new Error(`no quick pick row ${label} within ${timeout} ms`));
            setTimeout(check, 4);
          };
          check();
        }),
      { label, timeout: timeoutMs ?? 120_000 },
    );
  },

  async closeQuickInput(page) {
    await page.keyboard.press("Escape");
    await page.locator(".quick-input-widget").waitFor({ state: "hidden", ...WAIT });
  },

  async screenshot(page, { name }, { artifactsDir }) {
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, "_")}.png`);
    await page.screenshot({ path });
    return path;
  },
};

function activeTerminal(page) {
  // With several terminals the panel shows one; its wrapper carries the "active" class.
  return page.locator(".part.panel .terminal-wrapper.active").first();
}

function viewPane(page, title) {
  // View titles are upper-cased by CSS only, so textContent keeps the declared name.
  return page.locator(".pane", { has: page.locator(".pane-header h3.title", { hasText: title }) }).first();
}

/** Runs one request from a suite and writes the answer file. Never throws. */
export async function answerUiRequest(page, message, { uiDir, artifactsDir, log }) {
  let answer;
  try {
    const action = uiActions[message.action];
    if (!action) throw new Error(`unknown UI action ${message.action}`);
    answer = { ok: true, value: (await action(page, message.args ?? {}, { artifactsDir })) ?? null };
  } catch (error) {
    // Keep playwright's call log (its last lines say what it waited for: not visible, covered by
    // another element, detached), which is what a failed action needs to be understood.
    const lines = String(error?.message ?? error).split("\n").filter((l) => l.trim());
    answer = { ok: false, error: [lines[0], ...lines.slice(1).slice(-8)].join("\n") };
  }
  log(`[ui] ${message.action} ${JSON.stringify(message.args)} -> ${answer.ok ? "ok" : answer.error}`);
  const file = join(uiDir, `${message.id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(answer));
  renameSync(`${file}.tmp`, file);
}
