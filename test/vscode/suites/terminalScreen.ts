// What the terminal suites share: the line typed into a real interactive terminal (bash, zsh and
// fish read it alike), reading its answer off the rendered screen, and what VS Code gave the
// shell process when it started (the extension host and the pty host share this machine).
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as vscode from "vscode";
import { ui, waitFor } from "../suite-runner";

// The markers are put together at run time ("<""<", chr(60)*2), so the echo of the typed line
// never matches them.
export const TYPED =
  `echo "<""<which:$(command -v python)>>" "<""<rc:$DECOY_RC_RAN>>"; ` +
  `python -c 'import os,sys,shared_pkg as s;m=chr(60)*2;e=os.environ.get;` +
  `print(m+"exe:"+sys.executable+">>",m+"venv:"+e("VIRTUAL_ENV","-")+">>",m+"pp0:"+e("PYTHONPATH","-").split(":")[0]+">>",m+"shared:"+s.SOURCE+">>")'`;

/** What the user-machine profile's decoy python prints (launcher/user-home.mjs). */
export const DECOY_MARK = "DECOY-PYTHON-FROM-RC-FILE";

export function marker(screen: string, name: string): string | undefined {
  return new RegExp(`<<${name}:(.*?)>>`).exec(screen)?.[1];
}

export function shellPath(shell: string): string {
  return execFileSync("sh", ["-c", `command -v ${shell}`], { encoding: "utf8" }).trim();
}

/** PATH as VS Code gave it to the shell process when it started. */
export function creationPath(pid: number | undefined): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").find((kv) => kv.startsWith("PATH="))?.slice(5);
  } catch {
    return undefined;
  }
}

/** The PATH at creation, and the variables the shell integration script applies after the rc files (names only). */
export function startEnvironment(pid: number | undefined): string {
  if (!pid) return "no process id";
  try {
    const env = Object.fromEntries(
      readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    );
    const names = (v?: string) => (v ? v.split(":").map((item) => item.slice(0, item.indexOf("="))).filter(Boolean).join(",") : "-");
    return [
      `PATH at creation: ${(env.PATH ?? "").split(":").slice(0, 2).join(":")}:…:${(env.PATH ?? "").split(":").at(-1)}`,
      `at shell integration: replace ${names(env.VSCODE_ENV_REPLACE)}; prepend ${names(env.VSCODE_ENV_PREPEND)}; append ${names(env.VSCODE_ENV_APPEND)}`,
    ].join("\n");
  } catch (error) {
    return `cannot read /proc/${pid}/environ: ${(error as Error).message}`;
  }
}

/** Types TYPED into the terminal the panel shows and returns the screen once the answer (or a failure) is on it. */
export async function typeAndRead(terminal: vscode.Terminal): Promise<{ screen: string; context: string }> {
  await ui.typeInTerminal(TYPED);
  let screen = "";
  await waitFor(async () => {
    screen = (await ui.terminalRows()).join("");
    return screen.includes(DECOY_MARK) || marker(screen, "shared") !== undefined || /Traceback|Error/.test(screen) || undefined;
  }, "the typed line's output on screen", 20_000).catch(() => undefined);
  const rows = (await ui.terminalRows()).filter((r) => r.trim()).join("\n");
  const started = startEnvironment(await terminal.processId);
  console.log(`      ${started.replace(/\n/g, "; ")}; screen:\n${rows.replace(/^/gm, "        | ")}`);
  return { screen, context: `\n--- started with ---\n${started}\n--- screen ---\n${rows}` };
}

/** The venv's python first; VIRTUAL_ENV and PYTHONPATH (Nix first) as the environment set them, after `rcFiles` ran. */
export function assertHybridWins(screen: string, context: string, venv: string, rcFiles: string): void {
  assert.equal(marker(screen, "rc"), rcFiles, `the rc files ran${context}`);
  assert.ok(!screen.includes(DECOY_MARK), `the rc files' decoy python ran instead of the venv's${context}`);
  assert.equal(marker(screen, "which"), join(venv, "bin", "python"), `command -v python${context}`);
  assert.equal(marker(screen, "exe"), join(venv, "bin", "python"), `sys.executable${context}`);
  assert.equal(marker(screen, "venv"), venv, `VIRTUAL_ENV${context}`);
  assert.match(marker(screen, "pp0") ?? "", /^\/nix\/store\//, `PYTHONPATH's first entry${context}`);
  assert.equal(marker(screen, "shared"), "nix", `the Nix copy of the shadowed package${context}`);
}
