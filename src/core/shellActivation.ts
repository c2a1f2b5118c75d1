// Shell start-up files that apply an environment AFTER the user's own rc files: what VS Code's
// shell integration does with the collection's applyAtShellIntegration entries, for the terminals
// where it is off or cannot run. The "Hybrid Env" terminal profile starts bash, zsh or fish on
// these (VS Code front end: platform/terminalProfile.ts):
// - bash: `bash --rcfile <dir>/bashrc`, which sources ~/.bashrc, then activate.sh;
// - zsh: ZDOTDIR=<dir>/zsh, whose files source the user's own (from $ZDOTDIR or ~), then
//   activate.sh, then give ZDOTDIR back — the way VS Code's own zsh integration is built;
// - fish: `fish -C 'source <dir>/activate.fish'` (-C runs after config.fish).
// activate.sh / activate.fish replay the environment's mutations in order on top of whatever the
// rc files left: the venv and the devShell's PATH entries go in front of pyenv's and conda's,
// while the rc files' own additions stay behind them.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite } from "./cache";
import type { Mutation } from "./mutations";

export type ActivationShell = "bash" | "zsh" | "fish";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A POSIX single-quoted word. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Inside double quotes: the separator of a prepend/append (`:` in practice). */
function shDouble(value: string): string {
  return value.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/** A fish single-quoted word. */
export function fishQuote(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export function posixActivation(mutations: readonly Mutation[]): string {
  const lines: string[] = [];
  for (const m of mutations) {
    if (!NAME.test(m.name)) continue;
    const n = m.name;
    switch (m.op) {
      case "replace":
        lines.push(`export ${n}=${shQuote(m.value)}`);
        break;
      case "prepend":
        lines.push(`export ${n}=${shQuote(m.value)}"\${${n}:+${shDouble(m.separator)}\$${n}}"`);
        break;
      case "append":
        lines.push(`export ${n}="\${${n}:+\$${n}${shDouble(m.separator)}}"${shQuote(m.value)}`);
        break;
      case "unset":
        lines.push(`unset ${n}`);
        break;
    }
  }
  return lines.join("\n") + "\n";
}

/** fish keeps variables ending in PATH as lists joined with ':' when exported: give it the elements. */
function isFishPathList(name: string, separator: string): boolean {
  return name.endsWith("PATH") && separator === ":";
}

export function fishActivation(mutations: readonly Mutation[]): string {
  const lines: string[] = [];
  const words = (value: string, name: string, sep = ":") => (isFishPathList(name, sep) ? value.split(":").filter(Boolean).map(fishQuote).join(" ") : fishQuote(value));
  for (const m of mutations) {
    if (!NAME.test(m.name)) continue;
    const n = m.name;
    switch (m.op) {
      case "replace":
        lines.push(`set -gx ${n} ${words(m.value, n)}`);
        break;
      case "prepend":
      case "append": {
        const mine = words(m.value, n, m.separator);
        if (isFishPathList(n, m.separator)) lines.push(m.op === "prepend" ? `set -gx ${n} ${mine} $${n}` : `set -gx ${n} $${n} ${mine}`);
        else {
          const joined = m.op === "prepend" ? `${mine}${fishQuote(m.separator)}"$${n}"` : `"$${n}"${fishQuote(m.separator)}${mine}`;
          lines.push(`if set -q ${n}; and test -n "$${n}"; set -gx ${n} ${joined}; else; set -gx ${n} ${mine}; end`);
        }
        break;
      }
      case "unset":
        lines.push(`set -e ${n}`);
        break;
    }
  }
  return lines.join("\n") + "\n";
}

/** One zsh start-up file: the user's own of that name, read with their ZDOTDIR, then `after`. */
function zshFile(name: string, zshDir: string, after: string): string {
  return `# Written by hybrid-env: reads your own ${name}, with your ZDOTDIR.
HYBRID_ENV_ZDOTDIR=${shQuote(zshDir)}
if [[ -f "\${HYBRID_ENV_USER_ZDOTDIR:-$HOME}/${name}" ]]; then
  ZDOTDIR="\${HYBRID_ENV_USER_ZDOTDIR:-$HOME}"
  . "$ZDOTDIR/${name}"
  HYBRID_ENV_USER_ZDOTDIR="$ZDOTDIR"
  ZDOTDIR="$HYBRID_ENV_ZDOTDIR"
fi
${after}`;
}

export interface ActivationFiles {
  readonly dir: string;
  readonly posix: string;
  readonly fish: string;
  readonly bashrc: string;
  readonly zshDir: string;
}

/** Writes the files into `dir` (an extension-private folder); returns where they are. */
export function writeActivationFiles(dir: string, mutations: readonly Mutation[], what: string): ActivationFiles {
  const zshDir = join(dir, "zsh");
  mkdirSync(zshDir, { recursive: true });
  const files: ActivationFiles = { dir, posix: join(dir, "activate.sh"), fish: join(dir, "activate.fish"), bashrc: join(dir, "bashrc"), zshDir };
  const header = `# Written by hybrid-env: ${what.replace(/\n/g, " ")}. Rewritten when a terminal is opened on it.\n`;
  atomicWrite(files.posix, header + posixActivation(mutations));
  atomicWrite(files.fish, header + fishActivation(mutations));
  atomicWrite(files.bashrc, `${header}[ -r "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n. ${shQuote(files.posix)}\n`);
  const activate = `. ${shQuote(files.posix)}\n`;
  // The last file zsh reads gives ZDOTDIR back: .zshrc for an interactive shell, .zlogin for a login one.
  const giveBack = 'ZDOTDIR="${HYBRID_ENV_USER_ZDOTDIR:-$HOME}"\nunset HYBRID_ENV_USER_ZDOTDIR HYBRID_ENV_ZDOTDIR\n';
  atomicWrite(join(zshDir, ".zshenv"), zshFile(".zshenv", zshDir, ""));
  atomicWrite(join(zshDir, ".zprofile"), zshFile(".zprofile", zshDir, ""));
  atomicWrite(join(zshDir, ".zshrc"), zshFile(".zshrc", zshDir, `${activate}if [[ ! -o login ]]; then\n${giveBack}fi\n`));
  atomicWrite(join(zshDir, ".zlogin"), zshFile(".zlogin", zshDir, `${activate}${giveBack}`));
  return files;
}

export interface ShellLaunch {
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** How to start `shell` on the files. `userZdotdir`: the user's own ZDOTDIR, if any. */
export function activationLaunch(shell: ActivationShell, files: ActivationFiles, userZdotdir: string | undefined): ShellLaunch {
  switch (shell) {
    case "bash":
      return { args: ["--rcfile", files.bashrc, "-i"], env: {} };
    case "zsh":
      return { args: ["-i"], env: { ZDOTDIR: files.zshDir, ...(userZdotdir ? { HYBRID_ENV_USER_ZDOTDIR: userZdotdir } : {}) } };
    case "fish":
      return { args: ["-i", "-C", `source ${fishQuote(files.fish)}`], env: {} };
  }
}
