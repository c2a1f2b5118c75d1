// Issue 9 item 1 on the user-machine profile (launcher/user-home.mjs): the server's HOME has rc
// files that put a decoy python first on PATH and a directory of their own in front of
// PYTHONPATH, as pyenv init and friends do. For bash, zsh and fish, login and not, a real
// interactive terminal of the entered folder is typed into as a person does, and what it printed
// is read from the rendered screen: the venv's python must come first, and VIRTUAL_ENV and
// PYTHONPATH (Nix's site-packages first, so the Nix copy of the shadowed package wins) must
// survive the rc files.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";

interface ShellCase {
  readonly shell: "bash" | "zsh" | "fish";
  readonly login: boolean;
  /** DECOY_RC_RAN after start-up: which of the profile's rc files the shell read. */
  readonly rcFiles: string;
}

const CASES: readonly ShellCase[] = [
  { shell: "bash", login: false, rcFiles: "bashrc" },
  { shell: "bash", login: true, rcFiles: "profile,bashrc" },
  { shell: "zsh", login: false, rcFiles: "zshrc" },
  { shell: "zsh", login: true, rcFiles: "zprofile,zshrc" },
  { shell: "fish", login: false, rcFiles: "config.fish" },
  { shell: "fish", login: true, rcFiles: "config.fish" },
];

// One line that bash, zsh and fish all read the same way. The markers are put together at run
// time ("<""<", chr(60)*2), so the echo of the typed line never matches them.
const TYPED =
  `echo "<""<which:$(command -v python)>>" "<""<rc:$DECOY_RC_RAN>>"; ` +
  `python -c 'import os,sys,shared_pkg as s;m=chr(60)*2;e=os.environ.get;` +
  `print(m+"exe:"+sys.executable+">>",m+"venv:"+e("VIRTUAL_ENV","-")+">>",m+"pp0:"+e("PYTHONPATH","-").split(":")[0]+">>",m+"shared:"+s.SOURCE+">>")'`;

const DECOY_MARK = "DECOY-PYTHON-FROM-RC-FILE";

function marker(screen: string, name: string): string | undefined {
  return new RegExp(`<<${name}:(.*?)>>`).exec(screen)?.[1];
}

/**
 * What VS Code gave the shell process when it started (the extension host and the pty host share
 * this machine): the PATH at creation, and the variables the shell integration script applies
 * after the rc files (VSCODE_ENV_REPLACE/PREPEND/APPEND, names only). Printed with each result.
 */
function startEnvironment(pid: number | undefined): string {
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

function shellPath(shell: string): string {
  return execFileSync("sh", ["-c", `command -v ${shell}`], { encoding: "utf8" }).trim();
}

async function openTerminal(c: ShellCase, folder: vscode.WorkspaceFolder): Promise<{ terminal: vscode.Terminal; integrated: boolean }> {
  const terminal = vscode.window.createTerminal({
    name: `${c.shell}${c.login ? " login" : ""}`,
    shellPath: shellPath(c.shell),
    shellArgs: c.login ? ["-l"] : [],
    cwd: folder.uri,
  });
  terminal.show(false);
  // Shell integration reports itself once the shell ran its rc files and the integration script;
  // typing before that could be lost to a shell still starting.
  const integrated = await waitFor(() => terminal.shellIntegration !== undefined || undefined, "shell integration", 20_000).catch(() => false);
  return { terminal, integrated };
}

export const run = () =>
  runMochaSuite(
    "terminals win over rc files (user-machine profile)",
    () => {
      const folder = () => folders()[0]!;
      const venv = () => join(folder().uri.fsPath, ".venv");

      suiteSetup(async function () {
        if (!ui.available) this.skip(); // reading the screen needs the browser launcher
        const api = await hybridApi();
        await waitForState(api, folder(), "ready", 120_000);
      });

      test("the profile is in place: HOME has the rc files that put the decoy first", () => {
        const home = process.env.HOME ?? "";
        const out = execFileSync("bash", ["-ic", "command -v python; echo $DECOY_RC_RAN"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, PATH: "/usr/bin:/bin" } });
        assert.deepEqual(out.trim().split("\n").slice(-2), [`${home}/.decoy/bin/python`, "bashrc"], out);
      });

      for (const c of CASES) {
        test(`${c.shell}${c.login ? " (login)" : ""}: the venv's python first; VIRTUAL_ENV and PYTHONPATH survive the rc files`, async () => {
          const { terminal, integrated } = await openTerminal(c, folder());
          try {
            await ui.typeInTerminal(TYPED);
            let screen = "";
            await waitFor(async () => {
              screen = (await ui.terminalRows()).join("");
              return screen.includes(DECOY_MARK) || marker(screen, "shared") !== undefined || /Traceback|Error/.test(screen) || undefined;
            }, "the typed line's output on screen", 20_000).catch(() => undefined);
            const rows = (await ui.terminalRows()).filter((r) => r.trim()).join("\n");
            const started = startEnvironment(await terminal.processId);
            console.log(`      shell integration: ${integrated ? "active" : "not active"}; ${started.replace(/\n/g, "; ")}; screen:\n${rows.replace(/^/gm, "        | ")}`);
            const context = `\n--- started with ---\n${started}\n--- screen ---\n${rows}`;
            assert.equal(marker(screen, "rc"), c.rcFiles, `the rc files ran${context}`);
            assert.ok(!screen.includes(DECOY_MARK), `the rc files' decoy python ran instead of the venv's${context}`);
            assert.equal(marker(screen, "which"), join(venv(), "bin", "python"), `command -v python${context}`);
            assert.equal(marker(screen, "exe"), join(venv(), "bin", "python"), `sys.executable${context}`);
            assert.equal(marker(screen, "venv"), venv(), `VIRTUAL_ENV${context}`);
            assert.match(marker(screen, "pp0") ?? "", /^\/nix\/store\//, `PYTHONPATH's first entry${context}`);
            assert.equal(marker(screen, "shared"), "nix", `the Nix copy of the shadowed package${context}`);
          } finally {
            terminal.dispose();
          }
        });
      }
    },
    { timeoutMs: 60_000 },
  );
