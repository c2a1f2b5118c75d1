// The "Hybrid Env" terminal's start-up files in real bash, zsh and fish (Debian's, installed by
// scripts/vscode-deps.mjs): with a HOME whose rc files put a decoy first on PATH and in front of
// PYTHONPATH (as pyenv init does), an interactive shell started on them has the environment's
// entries first, the rc files' after, the values exactly as given, and zsh's ZDOTDIR given back.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Mutation } from "../../src/core/mutations";
import { activationLaunch, writeActivationFiles, type ActivationShell } from "../../src/core/shellActivation";
import { tempDir } from "../helpers/fixtures";

const TRICKY = `it's "quoted" $HOME \`x\` \\ end`;
const MUTATIONS: Mutation[] = [
  { op: "prepend", name: "PATH", value: "/venv/bin:/nix/store/abc-shell/bin", separator: ":" },
  { op: "prepend", name: "PYTHONPATH", value: "/nix/store/def-python/site-packages", separator: ":" },
  { op: "replace", name: "VIRTUAL_ENV", value: "/venv" },
  { op: "replace", name: "TRICKY", value: TRICKY },
  { op: "append", name: "XDG_DATA_DIRS", value: "/nix/store/ghi/share", separator: ":" },
  { op: "unset", name: "GONE" },
];

function userHome(): string {
  const home = tempDir("activation-home");
  const init = 'export PATH="$HOME/.decoy/bin:$PATH"; export PYTHONPATH="$HOME/.decoy/site${PYTHONPATH:+:$PYTHONPATH}"; export RC_RAN="${RC_RAN:+$RC_RAN,}$1"\n';
  mkdirSync(join(home, ".config", "fish"), { recursive: true });
  writeFileSync(join(home, "init.sh"), init);
  writeFileSync(join(home, ".bashrc"), '. "$HOME/init.sh" bashrc\n');
  writeFileSync(join(home, ".zshenv"), 'export ZSHENV_RAN=yes\n');
  writeFileSync(join(home, ".zshrc"), '. "$HOME/init.sh" zshrc\n');
  writeFileSync(join(home, ".config", "fish", "config.fish"), 'set -gx PATH $HOME/.decoy/bin $PATH\nset -gx PYTHONPATH $HOME/.decoy/site $PYTHONPATH\nset -gx RC_RAN config.fish\n');
  return home;
}

const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
const PRINT = `printf '<<%s|%s|%s|%s|%s|%s|%s|%s>>\\n' "$PATH" "$PYTHONPATH" "$VIRTUAL_ENV" "$TRICKY" "$XDG_DATA_DIRS" "\${GONE-unset}" "$RC_RAN" "\${ZDOTDIR-none}"; exit\n`;
const FISH_PRINT = `printf '<<%s|%s|%s|%s|%s|%s|%s|%s>>\\n' (string join : $PATH) (string join : $PYTHONPATH) "$VIRTUAL_ENV" "$TRICKY" (string join : $XDG_DATA_DIRS) (set -q GONE; and echo set; or echo unset) "$RC_RAN" none; exit\n`;

function run(shell: ActivationShell): string[] {
  const home = userHome();
  const files = writeActivationFiles(join(tempDir("activation"), "folder"), MUTATIONS, "the test's environment");
  const launch = activationLaunch(shell, files, undefined);
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, ".config"), PATH: "/usr/bin:/bin", XDG_DATA_DIRS: "/usr/share", GONE: "here", TERM: "dumb", ...launch.env };
  const shellPath = execFileSync("sh", ["-c", `command -v ${shell}`], { encoding: "utf8" }).trim();
  // From a file: fish 3.6 cannot read its commands from the pipe Node gives a child ("Is a directory").
  const input = join(home, "typed");
  writeFileSync(input, shell === "fish" ? FISH_PRINT : PRINT);
  const stdin = openSync(input, "r");
  let r: ReturnType<typeof spawnSync>;
  try {
    r = spawnSync(shellPath, launch.args, { env, cwd: home, stdio: [stdin, "pipe", "pipe"], encoding: "utf8", timeout: 30_000 });
  } finally {
    closeSync(stdin);
  }
  const line = /<<(.*)>>/.exec(String(r.stdout))?.[1];
  assert.ok(line, `no output from ${shell}: ${r.stdout}\n${r.stderr}`);
  return [...line.split("|"), home];
}

describe("the Hybrid Env terminal's start-up files, after the user's rc files", () => {
  for (const shell of ["bash", "zsh", "fish"] as const) {
    test(shell, { skip: has(shell) ? false : `${shell} is not installed (scripts/vscode-deps.mjs installs it)` }, () => {
      const [path, pythonPath, venv, tricky, dataDirs, gone, rcRan, zdotdir, home] = run(shell);
      assert.equal(rcRan, shell === "fish" ? "config.fish" : `${shell}rc`, "the user's rc file ran");
      assert.equal(path, `/venv/bin:/nix/store/abc-shell/bin:${home}/.decoy/bin:/usr/bin:/bin`);
      assert.equal(pythonPath, `/nix/store/def-python/site-packages:${home}/.decoy/site`);
      assert.equal(venv, "/venv");
      assert.equal(tricky, TRICKY);
      assert.equal(dataDirs, "/usr/share:/nix/store/ghi/share");
      assert.equal(gone, "unset");
      if (shell === "zsh") assert.equal(zdotdir, home, "ZDOTDIR is the user's again");
    });
  }
});
