// A view container with a fixed two-level tree and a palette command that counts its runs: the
// things the UI helper's self-test clicks, reads and types at. `uiProbe.pingCount` tells a suite
// how often the palette command ran.
const vscode = require("vscode");

const ROWS = [
  { label: "alpha", description: "first", children: [{ label: "alpha-child" }] },
  { label: "beta", description: "second" },
];

function activate(context) {
  let pings = 0;
  const tree = {
    getChildren: (row) => (row ? row.children ?? [] : ROWS),
    getTreeItem: (row) => {
      const state = row.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
      const item = new vscode.TreeItem(row.label, state);
      item.description = row.description;
      return item;
    },
  };
  context.subscriptions.push(
    vscode.window.createTreeView("uiProbe.items", { treeDataProvider: tree }),
    vscode.commands.registerCommand("uiProbe.ping", () => void pings++),
    vscode.commands.registerCommand("uiProbe.pingCount", () => pings),
  );
}

module.exports = { activate, deactivate() {} };
