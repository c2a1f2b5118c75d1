// Issue 9 item 1 on the user-machine profile (launcher/user-home.mjs): the server's HOME has rc
// files that put a decoy python first on PATH and a directory of their own in front of
// PYTHONPATH, as pyenv init and friends do. For bash, zsh and fish, login and not, a real
// interactive terminal of the entered folder is typed into as a person does, and what it printed
// is read from the rendered screen: the venv's python must come first, and VIRTUAL_ENV and
// PYTHONPATH (Nix's site-packages first, so the Nix copy of the shadowed package wins) must
// survive the rc files.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import * as vscode from "vscode";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";
import { assertHybridWins, creationPath, shellPath, typeAndRead } from "./terminalScreen";

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
          // ms-python.debugpy appends its no-config scripts to PATH window-wide once active: VS Code's
          // merge must keep both its entry and ours (folders/terminalCollections.ts).
          const debugpyActive = vscode.extensions.getExtension("ms-python.debugpy")?.isActive === true;
          const { terminal, integrated } = await openTerminal(c, folder());
          try {
            console.log(`      shell integration: ${integrated ? "active" : "not active"}; ms-python.debugpy ${debugpyActive ? "active" : "not active"}`);
            const { screen, context } = await typeAndRead(terminal);
            assertHybridWins(screen, context, venv(), c.rcFiles);
            const atCreation = creationPath(await terminal.processId) ?? "";
            assert.ok(atCreation.startsWith(join(venv(), "bin") + ":"), `the venv first on PATH at creation: ${atCreation}`);
            if (debugpyActive) assert.match(atCreation, /ms-python\.debugpy[^:]*\/bundled\/scripts\/noConfigScripts$/, `debugpy's entry kept beside ours: ${atCreation}`);
          } finally {
            terminal.dispose();
          }
        });
      }
    },
    { timeoutMs: 60_000 },
  );
