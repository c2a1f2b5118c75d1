// The native-library report as doctor findings: one per missing library (who needs it, the
// nixpkgs attribute, the fix), then one summary line with the combined flake edit.
import type { Finding } from "../doctor";
import type { HybridEnvironment } from "../environment";
import { CancelledError } from "../errors";
import { resolve, type EnvMap } from "../mutations";
import { planLibraryPath } from "./libraryPathEdit";
import { scanNativeLibraries, type MissingLibrary, type NativeLibraryReport } from "./scan";

export const NATIVE_CHECK = "native libraries";
const SHOWN_USERS = 3;

export function nativeLibraryFindings(report: NativeLibraryReport): Finding[] {
  if (report.missing.length === 0) {
    const scope = report.incomplete ? " (scan stopped early: the venv is very large)" : "";
    return [{ level: "ok", check: NATIVE_CHECK, message: `${report.checked} extension modules and libraries checked: every needed library is found${scope}` }];
  }
  const where = `LD_LIBRARY_PATH, RUNPATH, ${report.searched[0] ?? "the system's folders"}`;
  const findings: Finding[] = report.missing.map((m) => ({
    level: m.provider?.fromDriver ? "warn" : "error",
    check: NATIVE_CHECK,
    message: `${m.soname}, needed by ${users(m)}, is not found (searched ${where}): importing it fails with ImportError`,
    fix: fixFor(m),
  }));
  const plan = planLibraryPath(report.missing);
  if (plan.attributeSnippet && plan.attributes.length > 1) {
    findings.push({
      level: "warn",
      check: NATIVE_CHECK,
      message: `all ${plan.attributes.length} attributes at once, in the devShell of flake.nix: ${plan.attributeSnippet}`,
      fix: plan.attributeSnippet,
    });
  }
  return findings;
}

function users(m: MissingLibrary): string {
  const shown = m.neededBy.slice(0, SHOWN_USERS).join(", ");
  const more = m.neededBy.length - SHOWN_USERS;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function fixFor(m: MissingLibrary): string {
  const p = m.provider;
  if (p?.fromDriver) return `${p.note ?? "provided by the GPU driver"}; nothing to add to the flake`;
  if (p) {
    const note = p.note ? ` (${p.note})` : "";
    return `add nixpkgs' ${p.attribute}${note} to the devShell's library path in flake.nix: LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ pkgs.${p.attribute} ];`;
  }
  return `no curated nixpkgs attribute provides ${m.soname}: find the package with \`nix-locate -w lib/${m.soname}\` (nix-index), then add it to LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ … ]; in the devShell`;
}

/** The doctor's step: scans the loaded environment's venv with the environment's LD_LIBRARY_PATH. */
export async function checkNativeLibraries(environment: HybridEnvironment, baseEnv: EnvMap, signal?: AbortSignal): Promise<Finding[]> {
  const venvPython = environment.python.venvPython;
  if (!venvPython) return [];
  try {
    const report = await scanNativeLibraries({
      venvDir: environment.project.venvDir,
      interpreter: venvPython,
      ldLibraryPath: resolve(baseEnv, environment.mutations).LD_LIBRARY_PATH,
      signal,
    });
    return nativeLibraryFindings(report);
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return [{ level: "warn", check: NATIVE_CHECK, message: `could not scan the venv: ${(e as Error).message}` }];
  }
}
