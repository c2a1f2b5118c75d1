#!/usr/bin/env node
// @ts-check
// A small but real Nix language server for the tests: LSP over stdio (JSON-RPC with
// Content-Length framing), on vscode-languageserver-protocol, which vscode-languageclient already
// depends on. It stands in for nixd or nil where neither can be installed.
//
// What it does, per open document (full sync):
// - diagnostics: a warning on every `TODO` in a comment, an error on unbalanced brackets;
// - hover: the word under the cursor and which server answered ("test-nix-lsp as nil");
// - completion: the names bound with `NAME =` in the document.
// Its name in serverInfo is the file name it was started as (argv[1] or --name NAME), so a test can
// tell which binary the client launched. It exits on `exit`, and when stdin closes.
"use strict";
const path = require("node:path");
const {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DiagnosticSeverity,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  createProtocolConnection,
} = require("vscode-languageserver-protocol/node");

const nameArg = process.argv.indexOf("--name");
const startedAs = nameArg > 0 ? process.argv[nameArg + 1] : process.env.TEST_NIX_LSP_NAME || path.basename(process.argv[1] || "test-nix-lsp");
const SERVER = `test-nix-lsp as ${startedAs}`;

const connection = createProtocolConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
/** @type {Map<string, string>} uri → text */
const documents = new Map();
let shutdownRequested = false;

connection.onRequest(InitializeRequest.type, () => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Full,
    hoverProvider: true,
    completionProvider: { triggerCharacters: ["."] },
  },
  serverInfo: { name: SERVER, version: "1.0.0" },
}));
connection.onNotification(InitializedNotification.type, () => undefined);

connection.onNotification(DidOpenTextDocumentNotification.type, (p) => update(p.textDocument.uri, p.textDocument.text));
connection.onNotification(DidChangeTextDocumentNotification.type, (p) => {
  const last = p.contentChanges[p.contentChanges.length - 1];
  if (last) update(p.textDocument.uri, last.text);
});
connection.onNotification(DidCloseTextDocumentNotification.type, (p) => {
  documents.delete(p.textDocument.uri);
  void connection.sendNotification(PublishDiagnosticsNotification.type, { uri: p.textDocument.uri, diagnostics: [] });
});

connection.onRequest(HoverRequest.type, (p) => {
  const text = documents.get(p.textDocument.uri);
  if (text === undefined) return null;
  const word = wordAt(text, p.position.line, p.position.character);
  if (!word) return null;
  return {
    contents: { kind: "markdown", value: `**${word.text}** (${SERVER})` },
    range: { start: { line: p.position.line, character: word.start }, end: { line: p.position.line, character: word.end } },
  };
});

connection.onRequest(CompletionRequest.type, (p) => {
  const text = documents.get(p.textDocument.uri) ?? "";
  const names = new Set();
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_'-]*)\s*=(?!=)/g)) names.add(m[1]);
  return [...names].sort().map((label) => ({ label, detail: SERVER }));
});

connection.onRequest(ShutdownRequest.type, () => {
  shutdownRequested = true;
  return null;
});
connection.onNotification(ExitNotification.type, () => process.exit(shutdownRequested ? 0 : 1));
connection.onClose(() => process.exit(0));
process.stdin.on("end", () => process.exit(0));
connection.listen();

/** @param {string} uri @param {string} text */
function update(uri, text) {
  documents.set(uri, text);
  void connection.sendNotification(PublishDiagnosticsNotification.type, { uri, diagnostics: diagnose(text) });
}

/** @param {string} text */
function diagnose(text) {
  /** @type {import("vscode-languageserver-protocol").Diagnostic[]} */
  const diagnostics = [];
  const lines = text.split("\n");
  /** @type {{ c: string, line: number, character: number }[]} */
  const open = [];
  const closes = { "}": "{", "]": "[", ")": "(" };
  lines.forEach((line, n) => {
    const comment = line.indexOf("#");
    if (comment >= 0) {
      const todo = line.indexOf("TODO", comment);
      if (todo >= 0) {
        diagnostics.push({
          range: { start: { line: n, character: todo }, end: { line: n, character: todo + 4 } },
          severity: DiagnosticSeverity.Warning,
          source: SERVER,
          message: "TODO left in a Nix file",
        });
      }
    }
    // Brackets outside comments and strings (good enough for the tests' files).
    let inString = false;
    for (let i = 0; i < (comment >= 0 ? comment : line.length); i++) {
      const c = line[i];
      if (c === '"' && line[i - 1] !== "\\") inString = !inString;
      if (inString) continue;
      if (c === "{" || c === "[" || c === "(") open.push({ c, line: n, character: i });
      else if (c === "}" || c === "]" || c === ")") {
        const top = open.pop();
        if (!top || top.c !== closes[c]) {
          diagnostics.push({
            range: { start: { line: n, character: i }, end: { line: n, character: i + 1 } },
            severity: DiagnosticSeverity.Error,
            source: SERVER,
            message: `unexpected '${c}'`,
          });
        }
      }
    }
  });
  for (const o of open) {
    diagnostics.push({
      range: { start: { line: o.line, character: o.character }, end: { line: o.line, character: o.character + 1 } },
      severity: DiagnosticSeverity.Error,
      source: SERVER,
      message: `'${o.c}' is never closed`,
    });
  }
  return diagnostics;
}

/** @param {string} text @param {number} line @param {number} character */
function wordAt(text, line, character) {
  const l = text.split("\n")[line] ?? "";
  for (const m of l.matchAll(/[A-Za-z_][A-Za-z0-9_'-]*/g)) {
    const start = m.index ?? 0;
    if (start <= character && character <= start + m[0].length) return { text: m[0], start, end: start + m[0].length };
  }
  return undefined;
}
