// A stand-in for mkhl.direnv, written from direnv-vscode 0.17's source (src/extension.ts,
// src/direnv.ts), whose behaviour it keeps where hybrid-env meets it:
//   - activates at start-up ("*"), runs the real `direnv export json` with TERM=dumb in the
//     first workspace folder;
//   - for each variable of the result: replace(key, value) in its window-wide (unscoped)
//     environmentVariableCollection (delete for an unset one that had no value before), and the
//     same change in the extension host's process.env, remembering the old value;
//   - a blocked .envrc: the warning "direnv: <path> is blocked" with Allow / View; Allow runs
//     `direnv allow <path>` and loads again;
//   - after a load that changed more than DIRENV_* variables: "direnv: Environment updated.
//     Restart extensions?" (restart.automatic is off by default; the fake never restarts).
// Left out: the status item, the cache of the last environment, file watchers, its other commands.
const cp = require("node:child_process");
const vscode = require("vscode");

const backup = new Map();

function direnv(args, cwd) {
  return new Promise((resolve, reject) => {
    cp.execFile("direnv", args, { cwd, encoding: "utf8", env: { ...process.env, TERM: "dumb" } }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

function cwd() {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function load(context) {
  const dir = cwd();
  if (!dir) return;
  let data;
  try {
    const { stdout } = await direnv(["export", "json"], dir);
    data = stdout ? JSON.parse(stdout) : {};
  } catch (e) {
    const blocked = /direnv: error (.+) is blocked/.exec(e.stderr ?? "");
    if (!blocked) return void vscode.window.showErrorMessage(`direnv error: ${e.message}`);
    const choice = await vscode.window.showWarningMessage(`direnv: ${blocked[1]} is blocked`, "Allow", "View");
    if (choice === "Allow") {
      await direnv(["allow", blocked[1]], dir);
      return load(context);
    }
    return;
  }
  const collection = context.environmentVariableCollection;
  for (const [key, value] of Object.entries(data)) {
    if (!backup.has(key)) backup.set(key, process.env[key]);
    if (value === null && backup.get(key) === undefined) collection.delete(key);
    else collection.replace(key, value ?? "");
    if (value === null) delete process.env[key];
    else process.env[key] = value;
  }
  console.log(`[fake direnv] applied ${Object.keys(data).length} variables`);
  if (Object.keys(data).some((k) => !k.startsWith("DIRENV_"))) {
    void vscode.window.showWarningMessage("direnv: Environment updated. Restart extensions?", "Restart");
  }
}

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand("direnv.reload", () => load(context)),
    vscode.commands.registerCommand("direnv.allow", async () => {
      const path = vscode.window.activeTextEditor?.document.fileName;
      if (path) {
        await direnv(["allow", path], cwd());
        await load(context);
      }
    }),
  );
  void load(context);
};

exports.deactivate = () => undefined;
