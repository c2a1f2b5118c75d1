// The "user-machine" profile: a HOME for the server whose rc files do what `pyenv init`,
// `conda init`, `brew shellenv`, asdf and mise do on users' machines — put their own directory
// first on PATH — and, like many a hand-written .bashrc, put a directory of their own in front of
// PYTHONPATH. A terminal that runs these after VS Code applied hybrid-env's environment loses the
// venv's python to the decoy, which says so unmistakably.
//
// Every rc file records that it ran in DECOY_RC_RAN, so a suite can prove the rc files were read
// (a test that passes because no rc file ran proves nothing).
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const DECOY_MARK = "DECOY-PYTHON-FROM-RC-FILE";

const write = (path, text, mode) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (mode) chmodSync(path, mode);
};

const decoyPython = `#!/bin/sh
# A stand-in for ~/.pyenv/shims/python: first on PATH after the rc files ran.
echo "${DECOY_MARK}: $0 ran instead of the venv's python" >&2
echo "${DECOY_MARK}: $0 ran instead of the venv's python"
exit 97
`;

// POSIX sh, sourced by bash and zsh rc files with the rc file's name as $1.
const initSh = `# What pyenv init and friends do: their directory first on PATH.
export PATH="$HOME/.decoy/bin:$PATH"
export PYTHONPATH="$HOME/.decoy/site\${PYTHONPATH:+:$PYTHONPATH}"
export DECOY_RC_RAN="\${DECOY_RC_RAN:+$DECOY_RC_RAN,}$1"
`;

const rc = (name) => `. "$HOME/.decoy/init.sh" ${name}\n`;

/**
 * Writes the home folder; returns the environment entries that make the server use it.
 * @param {string} home
 */
export function makeUserMachineHome(home) {
  write(join(home, ".decoy", "bin", "python"), decoyPython, 0o755);
  write(join(home, ".decoy", "bin", "python3"), decoyPython, 0o755);
  write(join(home, ".decoy", "site", "shared_pkg", "__init__.py"), 'VERSION = "0.0"\nSOURCE = "decoy"\n');
  write(join(home, ".decoy", "init.sh"), initSh);
  write(join(home, ".bashrc"), rc("bashrc"));
  // Login bash reads the first of ~/.bash_profile, ~/.bash_login, ~/.profile: a common
  // .bash_profile hands over to .profile, which (as Debian's does) reads .bashrc for bash.
  write(join(home, ".bash_profile"), '[ -f "$HOME/.profile" ] && . "$HOME/.profile"\n');
  write(join(home, ".profile"), `${rc("profile")}if [ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi\n`);
  write(join(home, ".zshrc"), rc("zshrc"));
  write(join(home, ".zprofile"), rc("zprofile"));
  write(
    join(home, ".config", "fish", "config.fish"),
    [
      "# What `pyenv init - | source` does in fish.",
      "set -gx PATH $HOME/.decoy/bin $PATH",
      "set -gx PYTHONPATH $HOME/.decoy/site $PYTHONPATH",
      "if set -q DECOY_RC_RAN; set -gx DECOY_RC_RAN \"$DECOY_RC_RAN,config.fish\"; else; set -gx DECOY_RC_RAN config.fish; end",
      "set -g fish_greeting ''",
      "",
    ].join("\n"),
  );
  // The shells look for their files through these when set; on this machine they must be the home.
  return { HOME: home, ZDOTDIR: home, XDG_CONFIG_HOME: join(home, ".config") };
}
