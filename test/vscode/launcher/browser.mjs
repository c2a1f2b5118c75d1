// Opens the workbench of a running VS Code server in headless Debian Chromium (playwright-core
// drives it; `playwright install` is never used: it downloads a browser, which fails offline).
import { chromium } from "playwright-core";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** vscode-remote URI of an absolute path on the server's machine. */
function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${absPath}`;
}

export function workbenchUrl({ port, workspace, devExtension, testsPath }) {
  // The payload is how the web workbench receives what the desktop CLI gets as
  // --extensionDevelopmentPath/--extensionTestsPath. It is read into a Map: one value per key, so
  // one development extension (see install-extensions.mjs for the others).
  const payload = [
    ["extensionDevelopmentPath", remoteUri(port, devExtension)],
    ["extensionTestsPath", remoteUri(port, testsPath)],
    ["enableProposedApi", ""],
    ["skipWelcome", "true"],
  ];
  const target = workspace.endsWith(".code-workspace") ? "workspace" : "folder";
  return (
    `http://127.0.0.1:${port}/?${target}=${encodeURIComponent(remoteUri(port, workspace))}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`
  );
}

/**
 * Launches Chromium on the workbench. The workbench (run with --enable-smoke-test-driver) calls
 * window.codeAutomationLog(level, message) for every log line, test console output included, and
 * window.codeAutomationExit(code) when the extension host of the tests exits.
 * @returns {Promise<{page: import('playwright-core').Page, exitCode: Promise<number>, close: () => Promise<void>}>}
 */
export async function openWorkbench({ executablePath, url, onLog }) {
  // Signals are handled by cleanup.mjs, which stops the servers as well.
  const browser = await chromium.launch({
    executablePath, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let reportExit;
    const exitCode = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction("codeAutomationLog", (level, message) => onLog(level, String(message)));
    await page.exposeFunction("codeAutomationExit", (code) => reportExit(Number(code)));
    await page.goto(url);
    return { page, exitCode, close: () => browser.close().catch(() => {}) };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}
