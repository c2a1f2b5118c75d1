// Call recording shared by the fake Python extensions. Arguments are stored in a plain, JSON-safe
// shape (Uris as strings, workspace folders by their Uri, functions dropped) so suites can compare
// them with deepStrictEqual and print them on failure.
const vscode = require("vscode");

function plain(value, depth = 0) {
  if (value === undefined || value === null || typeof value !== "object") {
    return typeof value === "function" ? "[function]" : value;
  }
  if (depth > 4) return "[…]";
  if (value instanceof vscode.Uri) return value.toString();
  if (value.uri instanceof vscode.Uri && typeof value.index === "number") return { workspaceFolder: value.uri.toString() };
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  if (value instanceof Map) return { map: [...value.entries()].map(([k, v]) => [k, plain(v, depth + 1)]) };
  const out = {};
  for (const [k, v] of Object.entries(value)) if (typeof v !== "function") out[k] = plain(v, depth + 1);
  return out;
}

/** Registers `<prefix>.calls` (returns the record) and `<prefix>.reset` (clears it). */
function createRecorder(context, prefix) {
  let calls = [];
  context.subscriptions.push(
    vscode.commands.registerCommand(`${prefix}.calls`, () => calls.slice()),
    vscode.commands.registerCommand(`${prefix}.reset`, () => void (calls = [])),
  );
  return (method, args) => calls.push({ method, args: plain([...args]) });
}

module.exports = { createRecorder, plain };
