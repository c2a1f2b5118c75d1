// Nix language support on a nix-only folder: *.nix files are the `nix` language with the fallback
// language configuration (comment toggling uses #), and the language client starts the server
// named in hybridEnv.nixLanguageServerPath — the test language server of test/lsp-server,
// started as "nil" — with diagnostics and hover round trips, follows setting changes, and reports
// a path that is not there.
import * as assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { NixLanguageServerStatus } from "../../../src/nixLanguage/languageClient";
import { runMochaSuite, waitFor } from "../suite-runner";
import { EXTENSION_ID } from "./constants";

export const STATUS_COMMAND = "hybridEnv.internal.nixLanguageServer";

/** A `nil` (or `nixd`) that runs the test language server with the extension host's Node. */
export function testServerWrapper(name: "nil" | "nixd"): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, "hybrid-env is installed");
  const server = join(extension.extensionPath, "test", "lsp-server", "server.js");
  const dir = mkdtempSync(join(tmpdir(), "hybrid-env-test-lsp-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const wrapper = join(dir, name);
  // ELECTRON_RUN_AS_NODE: on the desktop the extension host's executable is Electron.
  writeFileSync(wrapper, `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec '${process.execPath}' '${server}' --name ${name} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

export function serverStatus(): Thenable<NixLanguageServerStatus> {
  return vscode.commands.executeCommand<NixLanguageServerStatus>(STATUS_COMMAND);
}

export async function waitForServerState(state: NixLanguageServerStatus["state"], timeoutMs = 20_000): Promise<NixLanguageServerStatus> {
  let last: NixLanguageServerStatus | undefined;
  return waitFor(
    async () => {
      last = await serverStatus();
      return last?.state === state ? last : undefined;
    },
    `the Nix language server to be ${state} (is ${JSON.stringify(last)})`,
    timeoutMs,
  );
}

export async function setServerSettings(values: { nixLanguageServer?: string; nixLanguageServerPath?: string }): Promise<void> {
  const config = vscode.workspace.getConfiguration("hybridEnv");
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
}

const SOURCE = "test-nix-lsp as nil";

export const run = () =>
  runMochaSuite(
    "Nix language: fallback language and the language client",
    () => {
      const folder = () => vscode.workspace.workspaceFolders![0]!;
      const flake = () => vscode.Uri.joinPath(folder().uri, "flake.nix");
      const serverDiagnostics = () => vscode.languages.getDiagnostics(flake()).filter((d) => d.source === SOURCE);

      test("hybrid-env is active and *.nix files are the nix language", async () => {
        const extension = await waitFor(() => vscode.extensions.getExtension(EXTENSION_ID), "hybrid-env installed");
        await waitFor(() => extension.isActive, "hybrid-env active");
        assert.ok((await vscode.languages.getLanguages()).includes("nix"));
        const document = await vscode.workspace.openTextDocument(flake());
        assert.equal(document.languageId, "nix");
      });

      test("Toggle Line Comment uses # (the language configuration applies)", async () => {
        const editor = await vscode.window.showTextDocument(flake());
        const line = editor.document.lineAt(1);
        editor.selection = new vscode.Selection(line.range.start, line.range.start);
        await vscode.commands.executeCommand("editor.action.commentLine");
        assert.match(editor.document.lineAt(1).text, /^\s*# description = /);
        await vscode.commands.executeCommand("undo");
        assert.equal(editor.document.lineAt(1).text, line.text);
        assert.equal(editor.document.isDirty, false);
      });

      test("without a server on PATH or in the setting, no server runs", async () => {
        const status = await serverStatus();
        assert.notEqual(status.state, "running");
        assert.equal(status.starts, 0);
      });

      test("the server named in hybridEnv.nixLanguageServerPath starts and publishes diagnostics", async () => {
        await setServerSettings({ nixLanguageServerPath: testServerWrapper("nil") });
        const status = await waitForServerState("running");
        assert.equal(status.server?.kind, "nil");
        assert.equal(status.server?.from, "setting");
        const diagnostics = await waitFor(() => (serverDiagnostics().length > 0 ? serverDiagnostics() : undefined), "the server's diagnostics");
        assert.equal(diagnostics.length, 1);
        assert.equal(diagnostics[0]!.message, "TODO left in a Nix file");
        assert.equal(diagnostics[0]!.range.start.line, 2);
        assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Warning);
      });

      test("hover round trip", async () => {
        const document = await vscode.workspace.openTextDocument(flake());
        const at = document.positionAt(document.getText().indexOf("devShells") + 2);
        const hovers = await waitFor(async () => {
          const h = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", flake(), at);
          return h.length > 0 ? h : undefined;
        }, "a hover");
        const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
        assert.match(text, /\*\*devShells\*\* \(test-nix-lsp as nil\)/);
      });

      test("edits reach the server: an unclosed bracket is reported, and fixing it clears it", async () => {
        const editor = await vscode.window.showTextDocument(flake());
        const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
        await editor.edit((e) => e.insert(end, "\n{"));
        await waitFor(() => serverDiagnostics().some((d) => d.message === "'{' is never closed"), "the unclosed-bracket error");
        await vscode.commands.executeCommand("undo");
        await waitFor(() => !serverDiagnostics().some((d) => d.message === "'{' is never closed"), "the error to clear");
        assert.equal(editor.document.isDirty, false);
      });

      test('"off" stops the server (its diagnostics go), "auto" starts it again', async () => {
        await setServerSettings({ nixLanguageServer: "off" });
        const off = await waitForServerState("off");
        assert.match(off.reason, /off/);
        await waitFor(() => serverDiagnostics().length === 0, "the server's diagnostics to go");
        await setServerSettings({ nixLanguageServer: "auto" });
        const again = await waitForServerState("running");
        assert.ok(again.starts >= 2, `started ${again.starts} times`);
        await waitFor(() => serverDiagnostics().length === 1 || undefined, "diagnostics again");
      });

      test("a server path that is not there: nothing runs, and the reason says so", async () => {
        await setServerSettings({ nixLanguageServerPath: join(tmpdir(), "no-such-dir", "nixd") });
        const status = await waitForServerState("off");
        assert.match(status.reason, /not an executable file/);
        await setServerSettings({ nixLanguageServerPath: undefined, nixLanguageServer: undefined });
      });
    },
    { timeoutMs: 60_000 },
  );
