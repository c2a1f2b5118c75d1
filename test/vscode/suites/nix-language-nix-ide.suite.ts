// With the Nix IDE extension installed (a stand-in with its id: test/vscode/fixtures/nix-ide-fake),
// hybrid-env's Nix language client stays off, even with a server named in the settings and a .nix
// file open: Nix IDE runs its own.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { runMochaSuite, waitFor } from "../suite-runner";
import { EXTENSION_ID, QUIET_PERIOD_MS } from "./constants";
import { serverStatus, setServerSettings, testServerWrapper, waitForServerState } from "./nix-language.suite";

export const run = () =>
  runMochaSuite(
    "Nix language client with Nix IDE installed",
    () => {
      test("Nix IDE (jnoortheen.nix-ide) is there and hybrid-env is active", async () => {
        assert.ok(vscode.extensions.getExtension("jnoortheen.nix-ide"));
        const extension = await waitFor(() => vscode.extensions.getExtension(EXTENSION_ID), "hybrid-env installed");
        await waitFor(() => extension.isActive, "hybrid-env active");
      });

      test("the client stays off with a server configured and a .nix file open", async () => {
        await setServerSettings({ nixLanguageServerPath: testServerWrapper("nil") });
        const flake = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "flake.nix");
        await vscode.window.showTextDocument(flake);
        await new Promise((resolve) => setTimeout(resolve, QUIET_PERIOD_MS));
        const status = await waitForServerState("off");
        assert.match(status.reason, /Nix IDE/);
        assert.equal(status.starts, 0);
        assert.deepEqual(vscode.languages.getDiagnostics(flake).filter((d) => d.source?.startsWith("test-nix-lsp")), []);
        assert.equal((await serverStatus()).state, "off");
      });
    },
    { timeoutMs: 60_000 },
  );
