// The UI driver's notification actions. With --enable-smoke-test-driver the workbench shows no
// toasts at all (so that they never cover what a smoke test clicks): notifications are only in
// the notification center, which a person opens with the bell in the status bar. The center's
// list is virtual: only the rows inside its viewport are in the DOM. The bench's code-server adds
// "Activating extension … failed: Not Found" errors of its web worker host, so an early
// notification can sit below the fold; these actions scroll through the list, as a person does.
import { escapeRegExp, WAIT } from "./ui-common.mjs";

// Waits inside the list are short: the action's own loop is what waits, and it scrolls between.
const ROW_WAIT = { timeout: 2_000 };

export const notificationActions = {
  async clickNotificationButton(page, { label, message }) {
    const center = await openCenter(page);
    const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    const seen = { rows: new Set(), errors: [] };
    const deadline = Date.now() + WAIT.timeout;
    for (;;) {
      const outcome = await clickIfRendered(page, center, { exact, message, seen });
      if (outcome === "clicked") return;
      if (Date.now() > deadline) {
        const tried = seen.errors.length ? `; the last try: ${seen.errors.at(-1)}` : "";
        throw new Error(`no notification${message ? ` with "${message}"` : ""} has a button "${label}"; the center showed: ${[...seen.rows].join(" | ") || "nothing"}${tried}`);
      }
      // Scroll only to find a row not rendered at all; a rendered one is revealed when clicked.
      if (outcome === "not rendered" && !(await scrollCenter(page, center, 1))) await scrollCenter(page, center, -1);
      await page.waitForTimeout(250);
    }
  },

  async notificationTexts(page) {
    // Every notification's text ("title: message" for a progress notification), top to bottom.
    // The center is opened once and left open so that a running progress keeps updating where
    // it can be read.
    const center = await openCenter(page);
    await scrollCenter(page, center, -1);
    const texts = [];
    for (let step = 0; step < 30; step++) {
      const shown = await center.locator(".notification-list-item .notification-list-item-message").evaluateAll((els) => els.map((el) => (el.textContent ?? "").trim()));
      for (const t of shown) if (!texts.includes(t)) texts.push(t);
      if (!(await scrollCenter(page, center, 1))) break;
    }
    return texts;
  },
};

async function openCenter(page) {
  const center = page.locator(".notifications-center");
  if (!(await center.isVisible())) await page.locator('.part.statusbar [id="status.notifications"] a').click(WAIT);
  return center;
}

/**
 * Looks at the rows the list renders now. Only an expanded notification renders its buttons,
 * and the center keeps only the newest expanded: one that arrived after ours collapses it. So
 * match by message, and expand the candidates until the button shows. Returns "clicked", or
 * whether a row with the message is rendered at all.
 */
async function clickIfRendered(page, center, { exact, message, seen }) {
  let items = center.locator(".notification-list-item");
  // One read of what is rendered (rows come and go: a progress ends, the list recycles rows).
  const summaries = await items.evaluateAll((els) =>
    els.map((el) => {
      const text = (el.querySelector(".notification-list-item-message")?.textContent ?? "").trim().slice(0, 70);
      const buttons = [...el.querySelectorAll(".monaco-button")].map((b) => (b.textContent ?? "").trim());
      return `${text}${buttons.length ? ` [${buttons.join(", ")}]` : ""}`;
    }),
  );
  for (const s of summaries) seen.rows.add(s);
  if (message) items = items.filter({ hasText: message });
  const n = await items.count();
  for (let i = 0; i < n; i++) {
    let clicked;
    try {
      clicked = await clickInItem(page, center, items.nth(i), exact);
    } catch (error) {
      // The row went away or was recycled under us: look again in the next round.
      seen.errors.push(String(error?.message ?? error).split("\n")[0]);
    }
    if (clicked === undefined) continue;
    // A button answers the notification and closes it: once it is gone, the answer is on
    // its way to the extension host.
    await center.locator(".notification-list-item", { hasText: clicked.slice(0, 60) }).first().waitFor({ state: "detached", ...WAIT });
    return "clicked";
  }
  // Without a message to match, any rendered row may not be the one: look further.
  return message && n > 0 ? "rendered" : "not rendered";
}

/** Clicks the button in this row, expanding it first; returns the row's message once clicked. */
async function clickInItem(page, center, item, exact) {
  const button = item.locator(".monaco-button", { hasText: exact }).first();
  await reveal(page, center, item);
  if (!(await button.isVisible())) {
    // Collapsed: its chevron, else its message (a click there toggles it too). Expanded
    // without the button: not this one (clicking would only collapse it again).
    const expand = item.locator(".codicon-notifications-expand").first();
    if (await expand.isVisible()) await expand.click(ROW_WAIT);
    else if (await item.locator(".codicon-notifications-collapse").first().isVisible()) return undefined;
    else await item.locator(".notification-list-item-message").click(ROW_WAIT);
  }
  if (!(await button.isVisible())) return undefined;
  await reveal(page, center, item);
  // A click on the chevron or the message leaves the pointer there, and the workbench's
  // hover for it (sticky while the pointer is over it) can cover the buttons: move away,
  // as a person's hand does, and let it fade.
  await page.mouse.move(1, 1);
  await page.locator(".monaco-hover").first().waitFor({ state: "hidden", timeout: 3_000 }).catch(() => undefined);
  const text = await item.locator(".notification-list-item-message").innerText(ROW_WAIT);
  await button.click(ROW_WAIT);
  return text;
}

/**
 * Scrolls the list until the whole row is inside its viewport: a row at the edge is rendered
 * but clipped, and a click on its hidden part lands on whatever the list shows there.
 */
async function reveal(page, center, item) {
  const list = center.locator(".notifications-list-container");
  for (let notch = 0; notch < 40; notch++) {
    const [row, view] = await Promise.all([item.boundingBox(ROW_WAIT), list.boundingBox(ROW_WAIT)]);
    if (!row || !view) return;
    const deltaY = row.y < view.y ? -120 : row.y + row.height > view.y + view.height + 1 ? 120 : 0;
    if (deltaY === 0 || (deltaY > 0 && row.height > view.height && row.y <= view.y)) return;
    await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
    await page.mouse.wheel(0, deltaY);
    await page.waitForTimeout(50);
  }
}

/**
 * Scrolls the center's list with the mouse wheel, a notch at a time (the workbench moves a list
 * by a fixed step per wheel event, whatever its delta): half a viewport down (direction 1), or up
 * until it stops (-1). Returns whether it moved. The rows' container is offset by the scroll.
 */
async function scrollCenter(page, center, direction) {
  const list = center.locator(".notifications-list-container");
  const box = await list.boundingBox(ROW_WAIT).catch(() => null);
  if (!box) return false;
  const rows = list.locator(".monaco-list-rows").first();
  const position = () => rows.evaluate((el) => el.style.top, undefined, ROW_WAIT).catch(() => "");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const start = await position();
  let last = start;
  for (let notch = 0; notch < (direction > 0 ? 4 : 200); notch++) {
    await page.mouse.wheel(0, direction > 0 ? 120 : -120);
    await page.waitForTimeout(20);
    const now = await position();
    if (now === last) break;
    last = now;
  }
  return last !== start;
}
