// Issue 9 item 1's fallback, on the user-machine profile with shell integration turned off
// (terminal.integrated.shellIntegration.enabled: false in the server's Machine settings): an
// ordinary terminal gets the environment only as it starts, and the rc files' decoy python wins
// (what the user loses, shown, so the rest means something). hybrid-env says so once, with its
// actions; "Open Hybrid Env Terminal" starts a terminal whose start-up files read the rc files and
// then the folder's environment, and there the venv wins again — in bash, zsh and fish.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";
import { runMochaSuite, ui, waitFor } from "../suite-runner";
import { folders, hybridApi, waitForState } from "./hybridApi";
import { assertHybridWins, DECOY_MARK, marker, shellPath, typeAndRead } from "./terminalScreen";

const HYBRID_TERMINAL = /^Hybrid Env · /;

async function newTerminal(open: () => unknown): Promise<vscode.Terminal> {
  const before = new Set(vscode.window.terminals);
  await open();
  const terminal = await waitFor(() => vscode.window.terminals.find((t) => !before.has(t)), "a new terminal", 20_000);
  terminal.show(false);
  // No shell integration reports readiness here: wait until the shell has drawn its prompt.
  await waitFor(async () => ((await ui.terminalRows()).join("").trim().length > 0) || undefined, "the shell's prompt", 20_000);
  await new Promise((r) => setTimeout(r, 1_000));
  return terminal;
}

export const run = () =>
  runMochaSuite(
    "shell integration off: the notice and the Hybrid Env terminal (user-machine profile)",
    () => {
      const folder = () => folders()[0]!;
      const venv = () => join(folder().uri.fsPath, ".venv");

      suiteSetup(async function () {
        if (!ui.available) this.skip(); // reading the screen needs the browser launcher
        assert.equal(vscode.workspace.getConfiguration("terminal.integrated").get("shellIntegration.enabled"), false, "the run turned shell integration off");
        await waitForState(await hybridApi(), folder(), "ready", 120_000);
      });

      test("an ordinary bash terminal: the rc files' decoy wins (what is lost without shell integration)", async () => {
        const terminal = await newTerminal(() => vscode.window.createTerminal({ name: "plain bash", shellPath: shellPath("bash"), cwd: folder().uri }));
        try {
          const { screen, context } = await typeAndRead(terminal);
          assert.equal(marker(screen, "rc"), "bashrc", `the rc file ran${context}`);
          assert.ok(screen.includes(DECOY_MARK), `the decoy python ran: the rc file came after the environment${context}`);
        } finally {
          terminal.dispose();
        }
      });

      test("the notice says so, and its Open Hybrid Env Terminal gives a bash where the venv wins after the rc files", async () => {
        // The notice was raised by the terminal of the test before; clicking its button answers it.
        const terminal = await newTerminal(() => ui.clickNotificationButton("Open Hybrid Env Terminal", "shell integration is off"));
        try {
          assert.match(terminal.name, HYBRID_TERMINAL);
          const { screen, context } = await typeAndRead(terminal);
          assertHybridWins(screen, context, venv(), "bashrc");
        } finally {
          terminal.dispose();
        }
      });

      for (const shell of ["zsh", "fish"] as const) {
        test(`the Hybrid Env terminal for a ${shell} user (default profile ${shell}): the venv wins after ${shell}'s rc files`, async () => {
          const config = vscode.workspace.getConfiguration("terminal.integrated");
          await config.update("defaultProfile.linux", shell, vscode.ConfigurationTarget.Global);
          try {
            await waitFor(() => vscode.env.shell.endsWith(`/${shell}`) || undefined, `vscode.env.shell to be ${shell} (is ${vscode.env.shell})`, 20_000);
            const terminal = await newTerminal(() => vscode.commands.executeCommand("hybridEnv.openTerminal", folder().uri));
            try {
              assert.match(terminal.name, HYBRID_TERMINAL);
              const { screen, context } = await typeAndRead(terminal);
              assertHybridWins(screen, context, venv(), shell === "zsh" ? "zshrc" : "config.fish");
            } finally {
              terminal.dispose();
            }
          } finally {
            await config.update("defaultProfile.linux", undefined, vscode.ConfigurationTarget.Global);
          }
        });
      }
    },
    { timeoutMs: 90_000 },
  );
