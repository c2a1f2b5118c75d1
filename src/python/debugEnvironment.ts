// What Run/Debug gets of the folder's environment: the devShell's variables (and the venv's) added
// to a debugpy launch's `env`, so that the debuggee sees what a terminal sees — without any
// settings write. The interpreter itself already carries Nix's packages and native libraries (the
// Python layer); this adds the rest (a devShell's FOO=bar, its tools on PATH).
//
// Merged as ms-python.debugpy merges (src/extension/debugger/configuration/resolvers/helper.ts,
// getDebugEnvironmentVariables): the env file's variables, then `env` over them, except PATH and
// PYTHONPATH, which it concatenates (env file first, then `env`, then the extension host's own)
// instead. So, to let the user's own choices win:
// - a variable the launch's `env` sets is left alone;
// - a variable the env file sets is left out (debugpy would let `env` override the file);
// - PATH and PYTHONPATH carry only what the environment puts in front (debugpy appends the host's
//   value itself), and the env file's still come first;
// - a value with `${` is left out: VS Code substitutes variables in the configuration after this.
import { delimiter } from "node:path";
import { resolve, type EnvMap, type Mutation } from "../core/mutations";

/** Concatenated by debugpy rather than overridden. */
const SEARCH_PATHS: ReadonlySet<string> = new Set(["PATH", "PYTHONPATH"]);

export interface DebugEnvironment {
  readonly env: Record<string, string>;
  /** Left out because the user's launch env or env file sets them. */
  readonly userWins: string[];
  /** Left out because VS Code would substitute `${…}` in them. */
  readonly substituted: string[];
}

export function debugEnvironment(
  mutations: readonly Mutation[],
  hostEnv: EnvMap,
  launchEnv: Readonly<Record<string, unknown>> | undefined,
  envFileNames: ReadonlySet<string>,
): DebugEnvironment {
  const resolved = resolve(hostEnv, mutations);
  const out: DebugEnvironment = { env: {}, userWins: [], substituted: [] };
  for (const name of new Set(mutations.map((m) => m.name))) {
    if ((launchEnv && name in launchEnv) || (envFileNames.has(name) && !SEARCH_PATHS.has(name))) {
      out.userWins.push(name);
      continue;
    }
    const value = valueFor(name, resolved[name], hostEnv[name]);
    if (value === undefined) continue;
    if (value.includes("${")) out.substituted.push(name);
    else out.env[name] = value;
  }
  return out;
}

function valueFor(name: string, wanted: string | undefined, host: string | undefined): string | undefined {
  // Unset by the environment: the empty value is what terminals get too (a collection cannot unset).
  if (wanted === undefined) return host === undefined ? undefined : "";
  if (!SEARCH_PATHS.has(name) || !host) return wanted;
  if (wanted === host) return undefined;
  return wanted.endsWith(delimiter + host) ? wanted.slice(0, -(delimiter.length + host.length)) : wanted;
}

/**
 * The names an env file defines, read as debugpy reads it (a NAME=value per line, values in
 * quotes may span lines; no `export`).
 */
export function envFileNames(text: string): Set<string> {
  const names = new Set<string>();
  let quote: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (quote) {
      if (closes(line, quote)) quote = undefined;
      continue;
    }
    const m = /^\s*(_*[a-zA-Z]\w*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    names.add(m[1]!);
    const value = m[2]!.trimEnd();
    const open = value[0];
    if ((open === '"' || open === "'") && !(value.length > 1 && closes(value.slice(1), open))) quote = open;
  }
  return names;
}

/** Whether `text` holds an unescaped `quote`. */
function closes(text: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== quote) continue;
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && text[j] === "\\"; j--) backslashes++;
    if (backslashes % 2 === 0) return true;
  }
  return false;
}
