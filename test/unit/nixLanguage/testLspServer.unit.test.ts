// The test language server (test/lsp-server/server.js) speaks real LSP over stdio: a client made
// of vscode-languageserver-protocol (what vscode-languageclient uses) initializes it, gets
// diagnostics, a hover and completions, and shuts it down.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type ProtocolConnection,
} from "vscode-languageserver-protocol/node";
import { REPO_ROOT } from "../repo";

export const TEST_LSP_SERVER = join(REPO_ROOT, "test", "lsp-server", "server.js");
const URI = "file:///tmp/project/flake.nix";
const TEXT = `{
  # TODO: pin nixpkgs
  outputs = { self }: {
    myPkgs = p: with p; [ numpy torch ];
  };
}
`;

describe("test Nix language server over stdio", () => {
  const child = spawn(process.execPath, [TEST_LSP_SERVER, "--name", "nil"], { stdio: "pipe" });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let connection: ProtocolConnection;
  const diagnostics: Diagnostic[][] = [];
  let nextDiagnostics: (() => void) | undefined;

  before(() => {
    connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      assert.equal(p.uri, URI);
      diagnostics.push(p.diagnostics);
      nextDiagnostics?.();
    });
    connection.listen();
  });
  after(() => {
    connection?.dispose();
    child.kill();
  });

  const waitForDiagnostics = (count: number) =>
    new Promise<Diagnostic[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no diagnostics within 5 s")), 5000);
      const check = () => {
        if (diagnostics.length >= count) {
          clearTimeout(timer);
          resolve(diagnostics[count - 1]!);
        }
      };
      nextDiagnostics = check;
      check();
    });

  test("initialize: capabilities and the name it was started as", async () => {
    const result: InitializeResult = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
    assert.equal(result.serverInfo?.name, "test-nix-lsp as nil");
    assert.equal(result.capabilities.hoverProvider, true);
    assert.equal(result.capabilities.textDocumentSync, 1);
    await connection.sendNotification(InitializedNotification.type, {});
  });

  test("didOpen publishes a warning on the TODO comment", async () => {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: "nix", version: 1, text: TEXT } });
    const [todo, ...rest] = await waitForDiagnostics(1);
    assert.deepEqual(rest, []);
    assert.equal(todo!.message, "TODO left in a Nix file");
    assert.deepEqual(todo!.range.start, { line: 1, character: 4 });
    assert.equal(todo!.severity, 2);
  });

  test("didChange: an unclosed bracket is an error; fixing it clears it", async () => {
    const broken = TEXT.replace(/}\n$/, "\n").replace("# TODO: pin nixpkgs", "");
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: broken }] });
    const errors = await waitForDiagnostics(2);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "'{' is never closed");
    assert.deepEqual(errors[0]!.range.start, { line: 0, character: 0 });
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: 3 }, contentChanges: [{ text: TEXT.replace("# TODO: pin nixpkgs", "") }] });
    assert.deepEqual(await waitForDiagnostics(3), []);
  });

  test("hover names the word and the server", async () => {
    const hover: Hover | null = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 3, character: 28 } });
    assert.deepEqual(hover?.contents, { kind: "markdown", value: "**numpy** (test-nix-lsp as nil)" });
    assert.deepEqual(hover?.range, { start: { line: 3, character: 26 }, end: { line: 3, character: 31 } });
  });

  test("completion offers the document's bound names", async () => {
    const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 0 } })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label), ["myPkgs", "outputs"]);
  });

  test("shutdown and exit end the process with status 0", async () => {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  });
});
