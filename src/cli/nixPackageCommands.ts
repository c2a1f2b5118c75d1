// `hybrid-env add-nix-package NAME [DIR]` and `hybrid-env remove-nix-package NAME [DIR]`: edit the
// Python package list of DIR's flake (flake.nix or a file it imports; shell.nix / default.nix
// without a flake), check that the package set has the name and that real Nix parses the result,
// write it. They parse their own arguments (NAME comes before DIR, and --list/--reload/--no-check
// are theirs), so main.ts hands them the whole argv. Exit 0 also when nothing had to change; 1
// with every file untouched otherwise.
import { resolve as resolvePath } from "node:path";
import { parseArgs } from "node:util";
import { HybridEnvError } from "../core/errors";
import type { FlakeEditOp } from "../core/flake/check";
import { editProjectPackage } from "../core/flake/projectEdit";
import { cliLogger } from "./log";
import { ProcessRunner } from "../core/process";

export const NIX_PACKAGE_COMMANDS: Readonly<Record<string, FlakeEditOp>> = {
  "add-nix-package": "add",
  "remove-nix-package": "remove",
};

export const NIX_PACKAGE_USAGE = `  add-nix-package NAME [DIR]     add NAME (numpy, python3Packages.numpy) to the Python package list of
                                 DIR's flake.nix or a file it imports (shell.nix / default.nix without a flake)
  remove-nix-package NAME [DIR]  remove it; both check the result with nix-instantiate --parse
      --list N|FILE:LINE         which list, when several remain after preferring the --dev-shell's
      --no-check                 add NAME without checking that the list's package set has it
      --reload                   then evaluate the environment (otherwise the flake is not evaluated)
`;

export function isNixPackageCommand(command: string | undefined): boolean {
  return command !== undefined && Object.hasOwn(NIX_PACKAGE_COMMANDS, command);
}

export interface NixPackageCommandResult {
  readonly exitCode: number;
  readonly op: FlakeEditOp;
  readonly changed: boolean;
  /** --reload was given: the caller evaluates the environment of `dir` (only after a successful edit). */
  readonly reload: boolean;
  readonly dir: string;
  /** Options to hand on to the reload command (--nix, --uv, --dev-shell, …), as given. */
  readonly passThroughArgs: readonly string[];
  readonly message: string;
}

export interface NixPackageCommandIo {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly writeStderr?: (text: string) => void;
  readonly signal?: AbortSignal;
  /** Where package set listings are cached (default ~/.cache/hybrid-env). */
  readonly cacheDir?: string;
  /** Evaluates the environment after an edit when --reload is given; its exit code becomes ours. */
  readonly reload?: (dir: string, passThroughArgs: readonly string[]) => Promise<number>;
}

/** Options of the load commands, accepted here so that --reload can hand them on. */
const PASS_THROUGH = { "no-cache": "boolean", "skip-shell-hook": "boolean", "dev-shell": "string", uv: "string" } as const;

/** Runs `add-nix-package …` / `remove-nix-package …`; `argv` starts with the command name. Never throws. */
export async function runNixPackageCommand(argv: readonly string[], io: NixPackageCommandIo = {}): Promise<NixPackageCommandResult> {
  const writeStderr = io.writeStderr ?? ((text: string) => process.stderr.write(text));
  const op = NIX_PACKAGE_COMMANDS[argv[0] ?? ""];
  const failed = (message: string, dir = "", fields: Partial<NixPackageCommandResult> = {}): NixPackageCommandResult => {
    writeStderr(`hybrid-env: error: ${message}\n`);
    return { exitCode: 1, op: op ?? "add", changed: false, reload: false, dir, passThroughArgs: [], message, ...fields };
  };
  if (!op) return failed(`not a nix package command: ${argv[0] ?? "(none)"}`);

  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: {
        list: { type: "string" },
        reload: { type: "boolean" },
        "no-check": { type: "boolean" },
        nix: { type: "string" },
        timeout: { type: "string" },
        verbose: { type: "boolean" },
        ...Object.fromEntries(Object.entries(PASS_THROUGH).map(([k, type]) => [k, { type }])),
      },
    });
  } catch (err) {
    return failed(`${(err as Error).message}\nUsage:\n${NIX_PACKAGE_USAGE}`);
  }
  const { values, positionals } = parsed;
  const [name, dirArg, ...extra] = positionals;
  if (name === undefined || extra.length > 0) return failed(`usage: hybrid-env ${argv[0]} NAME [DIR] [--list N] [--no-check] [--reload]`);
  const dir = resolvePath(dirArg ?? ".");
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout) * 1000;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) return failed("--timeout takes a number of seconds", dir);
  const passThroughArgs = passThrough(values as Record<string, string | boolean | undefined>);

  const log = cliLogger(Boolean(values.verbose), writeStderr);
  try {
    const env = io.env ?? process.env;
    const outcome = await editProjectPackage(dir, op, name, {
      runner: new ProcessRunner(log),
      env,
      nixPath: typeof values.nix === "string" ? values.nix : "",
      list: typeof values.list === "string" ? values.list : undefined,
      devShell: stringOption(values, "dev-shell"),
      checkExists: !values["no-check"],
      cacheDir: io.cacheDir,
      signal: io.signal,
      timeoutMs,
      timeoutRaisedBy: { flag: "--timeout" },
    });
    for (const note of outcome.notes) writeStderr(`hybrid-env: note: ${note}\n`);
    writeStderr(`hybrid-env: ${outcome.changed ? outcome.message : `no change: ${outcome.message}`}\n`);
    const reload = Boolean(values.reload);
    // The environment cache's key covers the files the flake imports (nix/devshell.nix too), so
    // the reload after an edit anywhere in them is a cache miss by itself.
    const result = { exitCode: 0, op, changed: outcome.changed, reload, dir, passThroughArgs, message: outcome.message };
    if (reload && io.reload) return { ...result, exitCode: await io.reload(dir, passThroughArgs) };
    return result;
  } catch (err) {
    // HybridEnvErrors (AmbiguousPackageListError lists the choices) carry a message meant for the user.
    if (err instanceof HybridEnvError) return failed(err.message, dir);
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return failed(`${dir} does not exist`, dir);
    return failed(err instanceof Error ? err.message : String(err), dir);
  }
}

function stringOption(values: object, key: string): string | undefined {
  const value = (values as Record<string, unknown>)[key];
  return typeof value === "string" ? value : undefined;
}

function passThrough(values: Record<string, string | boolean | undefined>): string[] {
  const args: string[] = [];
  for (const key of [...Object.keys(PASS_THROUGH), "nix", "timeout", "verbose"]) {
    const value = values[key];
    if (value === true) args.push(`--${key}`);
    else if (typeof value === "string") args.push(`--${key}`, value);
  }
  return args;
}
