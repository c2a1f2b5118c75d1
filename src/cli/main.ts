// `hybrid-env`: the engine on the command line, for terminals and CI. stdout holds the answer only
// (JSON only with --json); progress and errors go to stderr.
import { existsSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { parseArgs } from "node:util";
import { keyFiles } from "../core/cache";
import { runDoctor } from "../core/doctor";
import { loadEnvironment, prepare, projectVenvDir, type LoadRequest } from "../core/engine";
import { STEP_TITLES } from "../core/environment";
import { HybridEnvError } from "../core/errors";
import { direnvLibrary } from "../core/direnvrc";
import { resolve } from "../core/mutations";
import { defaultOptions } from "../core/options";
import { ProcessRunner } from "../core/process";
import { scanProvenance } from "../core/provenance";
import { checkVenvDeletable, deleteVenv, folderSize, formatSize } from "../core/venv";
import { doctorReport, packageTable, shellExports } from "./format";
import { liveProgressFor, type LiveProgress } from "./liveProgress";
import { cliLogger } from "./log";
import { jupyterKernelCommand } from "./jupyterKernelCommand";
import { nixProvidedWarnings, parseUvInstalls } from "./nixProvidedOutput";
import type { HybridEnvironment } from "../core/environment";
import { isNixPackageCommand, NIX_PACKAGE_USAGE, runNixPackageCommand } from "./nixPackageCommands";
import { shellsCommand } from "./shellsCommand";
import { runUpdateCommand, UPDATE_USAGE } from "./updateCommand";

const USAGE = `Usage: hybrid-env <command> [options] [DIR]

Commands:
  env [--json] [DIR]         the environment a terminal in DIR gets (export lines, or JSON NAME → value)
  packages [--json] [DIR]    Python packages and where they come from (nix or uv), shadowing included
  doctor [DIR]               check nix, flakes, git tracking, the devShell's python, uv and the venv
  reset-venv --yes [DIR]     delete the project venv (only a real venv folder inside DIR) and sync again
  jupyter-kernel [--remove] [DIR]
                             register the folder's "Hybrid (Nix + uv)" Jupyter kernel (or remove it)
  shells [--json] [DIR]      the flake's devShells for this system (* marks the one --dev-shell selects)
  direnvrc                   print a direnv library: \`use hybrid\` in .envrc loads this environment
  watch-files [DIR]          the files whose change makes the environment stale, one per line
${NIX_PACKAGE_USAGE}${UPDATE_USAGE}
Options:
  --no-cache                 evaluate again even when a cached environment matches
  --skip-shell-hook          do not evaluate the devShell's shellHook
  --no-python-layer          take the Python layer out of the venv instead of writing it
  --uv-installs NAME[,NAME]  let uv install its own copy of NAME although Nix provides it (repeatable)
  --no-skip-nix-provided     let uv install every package of uv.lock, those Nix provides included
  --dev-shell NAME           devShells.<system>.NAME (default: default)
  --nix PATH, --uv PATH      the tools to use (default: search PATH and the usual install folders)
  --timeout SECONDS          per tool run, except doctor's version checks (default: 600)
  --verbose                  log every command line, and what nix, uv and the shellHook print, to stderr
  -h, --help                 this text
`;

const abort = new AbortController();
/** The live progress line on a terminal (none with --verbose, whose log lines would cut through it). */
let live: LiveProgress | undefined;
process.on("SIGINT", () => abort.abort());
process.on("SIGTERM", () => abort.abort());

export async function main(argv: readonly string[]): Promise<number> {
  if (isNixPackageCommand(argv[0])) {
    // Edits flake.nix only; with --reload it then shows the packages of the new environment.
    return (await runNixPackageCommand(argv, { signal: abort.signal, reload: (dir, flags) => main(["packages", ...flags, dir]) })).exitCode;
  }
  if (argv[0] === "update") return runUpdateCommand(argv.slice(1), { signal: abort.signal });
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      "no-cache": { type: "boolean" },
      "skip-shell-hook": { type: "boolean" },
      "dev-shell": { type: "string" },
      nix: { type: "string" },
      uv: { type: "string" },
      timeout: { type: "string" },
      verbose: { type: "boolean" },
      yes: { type: "boolean" },
      remove: { type: "boolean" },
      "no-python-layer": { type: "boolean" },
      "uv-installs": { type: "string", multiple: true },
      "no-skip-nix-provided": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, dirArg, ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 1;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  const timeoutMs = values.timeout ? Number(values.timeout) * 1000 : 600_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError("--timeout takes a number of seconds");
  const uvInstalls = parseUvInstalls(values["uv-installs"]);
  if (uvInstalls.invalid !== undefined) throw new UsageError(`--uv-installs takes package names: "${uvInstalls.invalid}" is not one`);

  const log = cliLogger(Boolean(values.verbose));
  live = values.verbose ? undefined : liveProgressFor(process.stderr, process.env);
  const req: LoadRequest = {
    dir: resolvePath(dirArg ?? "."),
    options: defaultOptions({
      devShell: values["dev-shell"] ?? "default",
      runShellHook: !values["skip-shell-hook"],
      nixPath: values.nix ?? "",
      uvPath: values.uv ?? "",
      nixTimeoutMs: timeoutMs,
      uvTimeoutMs: timeoutMs,
      useCache: !values["no-cache"],
      pythonLayer: !values["no-python-layer"],
      skipNixProvided: !values["no-skip-nix-provided"],
      uvInstalls: uvInstalls.names,
    }),
    baseEnv: process.env,
    runner: new ProcessRunner(log),
    log,
    signal: abort.signal,
    onStep: (step) => (live ? live.step(step) : step !== "done" && step !== "cache" && process.stderr.write(`hybrid-env: ${STEP_TITLES[step]}\n`)),
    onProgress: (progress) => live?.update(progress),
  };

  switch (command) {
    case "env":
      return envCommand(req, Boolean(values.json));
    case "packages":
      return packagesCommand(req, Boolean(values.json));
    case "doctor": {
      const findings = await runDoctor(req);
      process.stdout.write(doctorReport(findings) + "\n");
      return findings.some((f) => f.level === "error") ? 1 : 0;
    }
    case "direnvrc":
      // The library runs this very CLI (absolute paths: direnv's PATH may have no node).
      process.stdout.write(direnvLibrary([process.execPath, resolvePath(process.argv[1] ?? "hybrid-env")]));
      return 0;
    case "shells":
      return shellsCommand(req, Boolean(values.json));
    case "watch-files":
      return watchFilesCommand(req);
    case "reset-venv":
      if (!values.yes) throw new UsageError("reset-venv deletes the venv: add --yes to confirm");
      return resetVenvCommand(req);
    case "jupyter-kernel":
      return jupyterKernelCommand(req, Boolean(values.remove));
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

/** What direnv's `use hybrid` watches: the cache's key files, and the four names a project may gain. */
function watchFilesCommand(req: LoadRequest): number {
  const { project } = prepare(req);
  const standard = ["flake.nix", "flake.lock", "pyproject.toml", "uv.lock"].map((n) => join(project.dir, n));
  process.stdout.write([...new Set([...standard, ...keyFiles(project)])].join("\n") + "\n");
  return 0;
}

async function envCommand(req: LoadRequest, json: boolean): Promise<number> {
  const result = await loadEnvironment(req);
  warnAboutNixProvided(result.environment);
  const resolved = resolve(req.baseEnv, result.environment.mutations);
  process.stdout.write(json ? JSON.stringify(resolved, null, 2) + "\n" : shellExports(result.environment.mutations, resolved) + "\n");
  return reportFailure(result.failure, result.environment.createdAt);
}

async function packagesCommand(req: LoadRequest, json: boolean): Promise<number> {
  const result = await loadEnvironment(req);
  const env = result.environment;
  warnAboutNixProvided(env);
  const resolved = resolve(req.baseEnv, env.mutations);
  const provenance = scanProvenance({
    pythonPath: resolved.PYTHONPATH,
    venvDir: env.python.venvPython ? env.project.venvDir : undefined,
    uvLockPath: env.project.uvLockPath,
    nixProvided: env.nixProvided,
  });
  process.stdout.write(json ? JSON.stringify(provenance.packages, null, 2) + "\n" : packageTable(provenance.packages) + "\n");
  if (!json) {
    const c = provenance.counts;
    const left = env.nixProvided?.packages.filter((p) => !p.uvInstalls).length ?? 0;
    process.stderr.write(`hybrid-env: ${c.nix} from nix, ${c.uv} from uv, ${c.shadowed} shadowed${left > 0 ? `, ${left} not installed by uv (Nix provides them)` : ""}\n`);
  }
  return reportFailure(result.failure, env.createdAt);
}

async function resetVenvCommand(req: LoadRequest): Promise<number> {
  const { project } = prepare(req);
  // The devShell may have moved the venv (UV_PROJECT_ENVIRONMENT).
  const venvDir = await projectVenvDir(req);
  checkVenvDeletable(project.dir, venvDir);
  if (existsSync(venvDir)) process.stderr.write(`hybrid-env: deleting ${venvDir} (${formatSize(folderSize(venvDir))})\n`);
  const deleted = deleteVenv(project.dir, venvDir);
  if (!deleted) process.stderr.write(`hybrid-env: no venv at ${venvDir}\n`);
  const result = await loadEnvironment({ ...req, options: { ...req.options, useCache: false } });
  warnAboutNixProvided(result.environment);
  process.stderr.write(`hybrid-env: venv ready: ${result.environment.python.venvPython ?? "(no uv project)"}\n`);
  return reportFailure(result.failure, result.environment.createdAt);
}

function warnAboutNixProvided(environment: HybridEnvironment): void {
  live?.clear();
  for (const line of nixProvidedWarnings(environment.nixProvided)) process.stderr.write(`${line}\n`);
}

function reportFailure(failure: HybridEnvError | undefined, servedFrom: string): number {
  if (!failure) return 0;
  process.stderr.write(`hybrid-env: error: ${failure.message} (served the last good environment, from ${servedFrom})\n`);
  return 1;
}

class UsageError extends Error {}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      live?.clear();
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`hybrid-env: ${err instanceof UsageError ? `${message}\n\n${USAGE}` : `error: ${message}\n`}`);
      process.exit(1);
    },
  );
}
