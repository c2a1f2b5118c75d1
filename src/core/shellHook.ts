// Evaluates a devShell's shellHook the way `nix develop` does (in bash, with the devShell's
// variables, arrays and functions defined) and reports what the hook changed in the exported
// environment. The hook's own output goes to stderr so that it cannot corrupt the env dump.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevEnv } from "./devEnv";
import { ProcessFailedError } from "./errors";
import { diff, type EnvMap, type Mutation } from "./mutations";
import { NIX_TIMEOUT } from "./options";
import { shellQuote, type ProcessRunner } from "./process";

const SPLIT = "__HYBRID_ENV_AFTER_SHELL_HOOK__";
const END = "__HYBRID_ENV_END__";

/** Variables bash manages itself: assigning them fails or means nothing. */
const BASH_OWNED = new Set([
  "BASH", "BASHOPTS", "BASHPID", "BASH_ARGC", "BASH_ARGV", "BASH_LINENO", "BASH_SOURCE", "BASH_VERSINFO",
  "BASH_VERSION", "BASH_SUBSHELL", "BASH_COMMAND", "BASH_EXECUTION_STRING", "BASH_ALIASES", "BASH_CMDS",
  "COMP_WORDBREAKS", "DIRSTACK", "EPOCHREALTIME", "EPOCHSECONDS", "EUID", "FUNCNAME", "GROUPS", "HISTCMD",
  "HOSTNAME", "HOSTTYPE", "IFS", "LINENO", "MACHTYPE", "OPTERR", "OPTIND", "OSTYPE", "PIPESTATUS", "PPID",
  "PS4", "RANDOM", "SECONDS", "SHELLOPTS", "SHLVL", "SRANDOM", "UID", "_",
]);

/** Differences that come from running bash, not from the hook. */
const IGNORED_IN_DIFF = new Set(["_", "SHLVL", "PWD", "OLDPWD"]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

/**
 * The hook's output goes to hookLog, not to our pipes: a hook that starts a background process
 * (`postgres &`) would otherwise hold the pipes open and the evaluation would never end.
 */
export function shellHookScript(devEnv: DevEnv, hookLog: string): string {
  const lines = ["set +e +u"];
  for (const [name, v] of devEnv.variables) {
    if (!NAME.test(name) || BASH_OWNED.has(name) || v.type === "exported") continue;
    if (v.type === "var") lines.push(`${name}=${shellQuote(v.value)}`);
    else if (v.type === "array") lines.push(`declare -a ${name}=(${v.value.map(shellQuote).join(" ")})`);
    else {
      const pairs = Object.entries(v.value).map(([k, val]) => `[${shellQuote(k)}]=${shellQuote(val)}`);
      lines.push(`declare -A ${name}=(${pairs.join(" ")})`);
    }
  }
  for (const [name, body] of Object.entries(devEnv.bashFunctions)) {
    if (FUNCTION_NAME.test(name)) lines.push(`${name} ()\n{\n${body}}`);
  }
  lines.push(
    `__hybrid_env() { if [ -x /usr/bin/env ]; then /usr/bin/env -0; else env -0; fi; }`,
    `__hybrid_env`,
    `printf '%s\\0' ${SPLIT}`,
    `{ eval "$shellHook"; } >${shellQuote(hookLog)} 2>&1 </dev/null`,
    `__hybrid_env`,
    `printf '%s\\0' ${END}`,
  );
  return lines.join("\n") + "\n";
}

export interface ShellHookRun {
  readonly bash: string;
  readonly devEnv: DevEnv;
  /** The environment the hook starts from: the user's env with the devShell applied. */
  readonly env: EnvMap;
  readonly cwd: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  /** Receives what the hook printed (after it ran). */
  readonly onOutputLine?: (line: string) => void;
}

export async function evaluateShellHook(runner: ProcessRunner, run: ShellHookRun): Promise<Mutation[]> {
  const dir = mkdtempSync(join(tmpdir(), "hybrid-env-hook-"));
  const script = join(dir, "hook.sh");
  const hookLog = join(dir, "hook.log");
  try {
    writeFileSync(script, shellHookScript(run.devEnv, hookLog));
    const result = await runner.run(run.bash, ["--noprofile", "--norc", script], {
      what: "the devShell's shellHook",
      cwd: run.cwd,
      env: run.env,
      signal: run.signal,
      timeoutMs: run.timeoutMs,
      timeoutRaisedBy: NIX_TIMEOUT,
    });
    const hookOutput = readIfExists(hookLog);
    for (const line of hookOutput.split("\n")) if (line) run.onOutputLine?.(line);
    const parts = result.stdout.split(`\0${SPLIT}\0`);
    if (result.exitCode !== 0 || parts.length !== 2 || !parts[1]!.endsWith(`\0${END}\0`)) {
      // The hook called `exit` (or bash died) before the second dump.
      throw new ProcessFailedError(result.commandLine, result.exitCode, `shellHook did not finish:\n${hookOutput}${result.stderr}`);
    }
    return diff(parseEnvDump(parts[0]!), parseEnvDump(parts[1]!.slice(0, -(END.length + 2))), IGNORED_IN_DIFF);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses `env -0` output. */
export function parseEnvDump(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
