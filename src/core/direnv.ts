// Does the folder's .envrc load the same Nix environment hybrid-env loads? Then direnv (and the
// direnv VS Code extension) and hybrid-env would both apply it to the same terminals, and a front
// end has to say which one wins. Pure: .envrc is never run, only read; lines are split into shell
// words the way bash would (quotes, comments, `;`/`&&`/`||`), which covers how direnv's `use`
// lines are written; anything computed at run time (an `if`, a variable) is read as written.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "./doctor";

export type EnvrcKind = "flake" | "nix" | "hybrid";

export interface EnvrcUse {
  readonly kind: EnvrcKind;
  /** 1-based line number in .envrc. */
  readonly line: number;
  /** `use flake`'s flake reference as written ("." when none was given). */
  readonly ref?: string;
  /** The devShell it selects ("default" when the reference names none). */
  readonly devShell?: string;
  /** It loads this folder's own Nix environment (not another flake, not `use nix -p …`). */
  readonly sameEnvironment: boolean;
}

export interface EnvrcDetection {
  readonly uses: readonly EnvrcUse[];
  /** nix-direnv is sourced or configured (its `use flake` caches and keeps GC roots). */
  readonly nixDirenv: boolean;
  /** The first use that loads this folder's environment: what conflicts with hybrid-env. */
  readonly conflict?: EnvrcUse;
}

/** How .envrc files name their own folder (direnv runs them there). */
const THIS_FOLDER = new Set(["", ".", "./", "$PWD", "${PWD}", "$(pwd)", "$PWD/", "${PWD}/"]);
const MAX_ENVRC_BYTES = 256 * 1024;

/** `dir`, when given, also recognises the folder's absolute path as a reference to it. */
export function detectEnvrc(text: string, dir?: string): EnvrcDetection {
  const uses: EnvrcUse[] = [];
  let nixDirenv = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/nix[-_]direnv/.test(raw.replace(/#.*$/, ""))) nixDirenv = true;
    for (const words of commands(raw)) {
      const use = useOf(words, i + 1, dir);
      if (use) uses.push(use);
    }
  });
  return { uses, nixDirenv, conflict: uses.find((u) => u.sameEnvironment) };
}

/** DIR/.envrc, if there is a readable one of sane size. */
export function readEnvrc(dir: string): EnvrcDetection | undefined {
  const file = join(dir, ".envrc");
  try {
    if (statSync(file).size > MAX_ENVRC_BYTES) return undefined;
    return detectEnvrc(readFileSync(file, "utf8"), dir);
  } catch {
    return undefined;
  }
}

function useOf(words: readonly string[], line: number, dir: string | undefined): EnvrcUse | undefined {
  let kind: string | undefined;
  let args: readonly string[];
  if (words[0] === "use" && words[1]) [kind, args] = [words[1], words.slice(2)];
  else if (/^use_(flake|nix|hybrid)$/.test(words[0] ?? "")) [kind, args] = [words[0]!.slice(4), words.slice(1)];
  else return undefined;
  if (kind === "hybrid") {
    const i = args.indexOf("--dev-shell");
    return { kind, line, devShell: i >= 0 ? args[i + 1] : "default", sameEnvironment: true };
  }
  if (kind === "nix") {
    // `use nix` loads shell.nix or default.nix of the folder; `-p` or another file loads something else.
    const other = args.some((a) => a === "-p" || a === "--packages" || (!a.startsWith("-") && !/^(\.\/)?(shell|default)\.nix$/.test(a)));
    return { kind, line, sameEnvironment: !other };
  }
  if (kind !== "flake") return undefined;
  const ref = args.find((a) => !a.startsWith("-")) ?? ".";
  const hash = ref.indexOf("#");
  const base = hash >= 0 ? ref.slice(0, hash) : ref;
  const devShell = hash >= 0 ? ref.slice(hash + 1).replace(/^devShells\.[^.]+\./, "") || "default" : "default";
  return { kind, line, ref, devShell, sameEnvironment: isThisFolder(base, dir) };
}

function isThisFolder(ref: string, dir: string | undefined): boolean {
  const path = ref.replace(/^(path:|git\+file:(\/\/)?)/, "").replace(/\?.*$/, "");
  return THIS_FOLDER.has(path) || (dir !== undefined && path.replace(/\/$/, "") === dir.replace(/\/$/, ""));
}

/** The simple commands of one line, as word lists: quotes removed, comments dropped. */
export function commands(line: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) out.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      word += line.slice(i + 1, end < 0 ? line.length : end);
      inWord = true;
      i = end < 0 ? line.length : end;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === "#" && !inWord) break;
    else if (c === ";" || c === "&" || c === "|") endCommand();
    else if (c === " " || c === "\t") endWord();
    else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return out;
}

/** What `hybrid-env doctor` says about the folder's .envrc (nothing when there is none). */
export function envrcFindings(detection: EnvrcDetection | undefined, devShell: string): Finding[] {
  const use = detection?.conflict;
  if (!detection || !use) return [];
  const check = "direnv";
  if (use.kind === "hybrid") {
    return [{ level: "ok", check, message: `.envrc line ${use.line} says \`use hybrid\`: shells in this folder get the same environment as hybrid-env` }];
  }
  const how = use.kind === "flake" ? `\`use flake${use.ref === "." ? "" : ` ${use.ref}`}\`${detection.nixDirenv ? " (nix-direnv)" : ""}` : "`use nix`";
  const shell = use.devShell && use.devShell !== devShell ? ` — its devShell "${use.devShell}", not "${devShell}"` : "";
  return [
    {
      level: "warn",
      check,
      message: `.envrc line ${use.line} loads this folder's Nix environment with ${how}${shell}; where direnv applies it too (its shell hook, the direnv extension), the two environments stack up`,
      fix: "use one of them: replace that line with `use hybrid` (install it with `hybrid-env direnvrc`), or leave the folder to direnv",
    },
  ];
}
