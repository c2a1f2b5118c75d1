// `hybrid-env doctor`: checks each piece the environment depends on and says how to fix what fails.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironment, prepare, type LoadRequest } from "./engine";
import { nixProvidedFindings } from "./nixProvided/describe";
import { CancelledError, HybridEnvError, ToolNotFoundError, type TimeoutRaisedBy } from "./errors";
import { envrcFindings, readEnvrc } from "./direnv";
import { checkNativeLibraries } from "./native/findings";
import { NIX_FEATURE_ARGS } from "./nix";
import { atLeast, parseNixVersion, readsPathsWithSpaces, versionNote } from "./nixVersions";
import type { RunOptions } from "./process";
import { checkPythonLayer, pythonLayerConfig } from "./pythonLayer";
import { findNix, findUv } from "./tools";

export type FindingLevel = "ok" | "warn" | "error";

export interface Finding {
  readonly level: FindingLevel;
  readonly check: string;
  readonly message: string;
  readonly fix?: string;
}

/** Version checks answer at once; --timeout is for evaluations and syncs, not for these. */
const QUICK_CHECK_TIMEOUT_MS = 30_000;
const QUICK_CHECK: TimeoutRaisedBy = { fixed: "a version check answers at once" };

export async function runDoctor(req: LoadRequest, opts: { quickCheckTimeoutMs?: number } = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add: Add = (level, check, message, fix) => findings.push({ level, check, message, fix });
  const quick = { env: req.baseEnv, timeoutMs: opts.quickCheckTimeoutMs ?? QUICK_CHECK_TIMEOUT_MS, timeoutRaisedBy: QUICK_CHECK, signal: req.signal };

  let project;
  try {
    project = prepare(req).project;
  } catch (e) {
    add("error", "project", (e as Error).message);
    return findings;
  }
  add("ok", "project", `${project.kind} project in ${project.dir}`);
  findings.push(...envrcFindings(readEnvrc(project.dir), req.options.devShell));

  if (project.flakePath) {
    await checkNix(req, project.dir, quick, add);
    await checkGitTracking(req, project.dir, quick, add);
  }

  if (project.pyprojectPath) {
    try {
      const uv = findUv(req.options.uvPath, [], req.baseEnv);
      const v = await req.runner.run(uv, ["--version"], { ...quick, what: "uv --version" });
      add("ok", "uv", `${uv}: ${v.stdout.trim()}`);
    } catch (e) {
      // The devShell may still provide uv; the load below tells.
      add("warn", "uv", (e as Error).message);
    }
  }

  try {
    const result = await loadEnvironment(req);
    if (result.failure) {
      add("error", "load", result.failure.message, "The last good environment is still served.");
    } else {
      add("ok", "load", result.fromCache ? "environment loads (from cache)" : "environment loads");
    }
    const py = result.environment.python;
    if (py.devShellInterpreter) add("ok", "devShell python", `${py.devShellInterpreter} (Python ${py.version})`);
    if (py.venvPython) checkVenv(py.venvPython, add);
    for (const f of nixProvidedFindings(result.environment.nixProvided)) add(f.level, "uv and Nix", f.message, f.fix);
    findings.push(...(await checkNativeLibraries(result.environment, req.baseEnv, req.signal)));
    if (py.venvPython && existsSync(py.venvPython) && pythonLayerConfig(result.environment) && req.options.pythonLayer !== false) {
      const layer = await checkPythonLayer(req.runner, py.venvPython, req.signal);
      add(layer.ok ? "ok" : "warn", "python layer", layer.message, layer.ok ? undefined : "Reload (hybrid-env env), or HYBRID_ENV_DEBUG=1 .venv/bin/python -c pass to see why");
    }
  } catch (e) {
    add("error", "load", (e as Error).message, e instanceof HybridEnvError ? e.actions.map((a) => a.label).join(", ") || undefined : undefined);
  }
  return findings;
}

type Add = (level: FindingLevel, check: string, message: string, fix?: string) => void;

async function checkNix(req: LoadRequest, dir: string, quick: Omit<RunOptions, "what">, add: Add) {
  let nix: string;
  try {
    nix = findNix(req.options.nixPath, req.baseEnv);
  } catch (e) {
    add("error", "nix", (e as Error).message);
    return;
  }
  try {
    const v = await req.runner.run(nix, ["--version"], { ...quick, what: "nix --version" });
    checkNixVersion(nix, v.stdout, dir, add);
    const flakes = await req.runner.run(nix, [...NIX_FEATURE_ARGS, "flake", "--help"], { ...quick, what: "nix flake --help" });
    add(flakes.exitCode === 0 ? "ok" : "error", "flakes", flakes.exitCode === 0 ? "flakes are available" : "nix does not know flakes", "Upgrade Nix to ≥ 2.4.");
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    add("error", "nix", (e as Error).message);
  }
}

/** The version, whether hybrid-env is tested with it, and the limit of Nix before 2.19 that this folder hits. */
function checkNixVersion(nix: string, versionOutput: string, dir: string, add: Add) {
  const parsed = parseNixVersion(versionOutput);
  const tooOld = !parsed || !atLeast(parsed, 2, 4);
  const note = parsed && !tooOld ? ` — ${versionNote(parsed)}` : "";
  add(tooOld ? "error" : "ok", "nix", `${nix}: ${versionOutput.trim()}${note}`, tooOld ? "Nix ≥ 2.4 is needed for flakes." : undefined);
  if (!parsed || !/\s/.test(dir)) return;
  const reads = readsPathsWithSpaces(parsed);
  const what = `the folder path contains a space (${dir})`;
  if (reads === false) add("error", "path", `${what}: Nix ${parsed.version} cannot read such a flake; Nix 2.19 and later can`, "Upgrade Nix, or move the project to a path without spaces.");
  else if (reads === undefined) add("warn", "path", `${what}: Nix before 2.19 cannot read such a flake; not known for this Nix`, "If the load fails, move the project to a path without spaces.");
}

async function checkGitTracking(
  req: LoadRequest,
  dir: string,
  quick: Omit<RunOptions, "what">,
  add: Add,
) {
  let git;
  try {
    git = await req.runner.run("git", ["-C", dir, "ls-files", "--error-unmatch", "flake.nix"], { ...quick, what: "git ls-files" });
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    add("warn", "git", e instanceof ToolNotFoundError ? "git not found: cannot check whether flake.nix is tracked" : (e as Error).message);
    return;
  }
  if (git.exitCode === 0) add("ok", "git", "flake.nix is tracked by git");
  else if (/not a git repository/i.test(git.stderr)) add("ok", "git", "not a git repository (Nix reads the folder as is)");
  else add("error", "git", "flake.nix is not tracked by git, so Nix cannot see it", "git add -N flake.nix");
}

/** A venv whose base interpreter was garbage-collected from the store is the classic broken state. */
function checkVenv(venvPython: string, add: (l: FindingLevel, c: string, m: string, f?: string) => void) {
  const venvDir = join(venvPython, "..", "..");
  if (!existsSync(venvPython)) {
    add("error", "venv", `${venvPython} is missing`, "hybrid-env reset-venv --yes");
    return;
  }
  const cfg = safeRead(join(venvDir, "pyvenv.cfg"));
  const home = /^home\s*=\s*(.+)$/m.exec(cfg ?? "")?.[1]?.trim();
  if (home && !existsSync(home)) add("error", "venv", `the venv's base interpreter folder ${home} is gone`, "hybrid-env reset-venv --yes");
  else add("ok", "venv", `${venvDir} (base: ${home ?? "unknown"})`);
}

function safeRead(p: string): string | undefined {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
}
