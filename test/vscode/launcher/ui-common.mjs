// What the UI driver's action modules share.

/** How long an action waits for what it looks for (playwright's own waits, and our loops). */
export const WAIT = { timeout: 15_000 };

export function escapeRegExp(value) {
  return String(value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function cssEscape(value) {
  return String(value).replace(/["\\]/g, "\\$&");
}
