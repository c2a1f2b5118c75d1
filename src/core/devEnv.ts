// The output of `nix print-dev-env --json`: the raw builder environment of a devShell.
// Shape (Nix ≥ 2.4): { variables: { NAME: { type, value } }, bashFunctions: { name: body },
// structuredAttrs?: {...} (≥ 2.19) }. Only "exported" variables reach child processes.
import { HybridEnvError } from "./errors";

export type DevEnvVariable =
  | { readonly type: "exported"; readonly value: string }
  | { readonly type: "var"; readonly value: string }
  | { readonly type: "array"; readonly value: readonly string[] }
  | { readonly type: "associative"; readonly value: Readonly<Record<string, string>> };

export interface DevEnv {
  readonly variables: ReadonlyMap<string, DevEnvVariable>;
  /** Function bodies without the surrounding braces, as Nix prints them. */
  readonly bashFunctions: Readonly<Record<string, string>>;
  readonly structuredAttrs?: unknown;
}

/** nix print-dev-env printed something other than its JSON: a Nix format we do not know, or noise on stdout. */
export class DevEnvParseError extends HybridEnvError {
  readonly code = "nix-output";
  constructor(problem: string, output: string) {
    super(
      `nix print-dev-env printed ${problem}. Run \`nix print-dev-env --json\` in the project folder to see what it prints ` +
        "(a wrapper around nix must not write to stdout), then reload.",
      { detail: `nix print-dev-env printed:\n${output.slice(0, 4000)}`, actions: [{ kind: "open-log", label: "Open log" }] },
    );
  }
}

export function parseDevEnv(text: string): DevEnv {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DevEnvParseError(`invalid JSON: ${(e as Error).message}`, text);
  }
  if (!isObject(raw) || !isObject(raw.variables)) {
    throw new DevEnvParseError('JSON with no "variables" object', text);
  }
  const variables = new Map<string, DevEnvVariable>();
  for (const [name, v] of Object.entries(raw.variables)) {
    const parsed = parseVariable(v);
    if (parsed) variables.set(name, parsed);
  }
  const bashFunctions: Record<string, string> = {};
  if (isObject(raw.bashFunctions)) {
    for (const [name, body] of Object.entries(raw.bashFunctions)) {
      if (typeof body === "string") bashFunctions[name] = body;
    }
  }
  return { variables, bashFunctions, structuredAttrs: raw.structuredAttrs };
}

/** Unknown types (a future Nix) are skipped rather than failing the whole environment. */
function parseVariable(v: unknown): DevEnvVariable | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case "exported":
    case "var":
      return typeof v.value === "string" ? { type: v.type, value: v.value } : undefined;
    case "array":
      return Array.isArray(v.value) && v.value.every((x) => typeof x === "string")
        ? { type: "array", value: v.value as string[] }
        : undefined;
    case "associative":
      return isObject(v.value) && Object.values(v.value).every((x) => typeof x === "string")
        ? { type: "associative", value: v.value as Record<string, string> }
        : undefined;
    default:
      return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Variables that describe the builder, not the shell: `nix develop` never hands them to the user
 * (its ignoreVars), plus nixpkgs' build-only Python settings. shellHook is a script, not an
 * environment: its effects are applied by evaluating it, so terminals do not need it.
 */
export const BUILD_ONLY_VARIABLES: ReadonlySet<string> = new Set([
  "BASHOPTS",
  "HOME",
  "NIX_BUILD_TOP",
  "NIX_ENFORCE_PURITY",
  "NIX_LOG_FD",
  "NIX_REMOTE",
  "PPID",
  "SHELL",
  "SHELLOPTS",
  "SSL_CERT_FILE",
  "TEMP",
  "TEMPDIR",
  "TERM",
  "TMP",
  "TMPDIR",
  "TZ",
  "UID",
  "OLDPWD",
  "PYTHONHASHSEED",
  "DETERMINISTIC_BUILD",
  "shellHook",
]);

/** Exported variables that a user's shell would receive, in name order. */
export function exportedVariables(devEnv: DevEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, v] of [...devEnv.variables].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (v.type === "exported" && !BUILD_ONLY_VARIABLES.has(name)) out.set(name, v.value);
  }
  return out;
}

export function shellHookOf(devEnv: DevEnv): string {
  const v = devEnv.variables.get("shellHook");
  return v && (v.type === "exported" || v.type === "var") ? v.value : "";
}
