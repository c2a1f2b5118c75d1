// The packages a folder lets uv install its own copy of although Nix provides them, remembered in
// the workspace state (the user's choice for this machine, not a project setting for everyone:
// settings.json is the project's, and this answer depends on the devShell at hand). And the
// warning, once per mismatch, that a Nix version does not satisfy the project.
import type { WorkspaceFolder } from "vscode";
import { mismatchWarning } from "../core/nixProvided/describe";
import { mismatchedPackages, type NixProvidedPackage, type NixProvidedReport } from "../core/nixProvided/report";
import { normalizeName } from "../core/packageName";
import type { StateStore, WindowApis } from "../platform/apis";

const INSTALLS_PREFIX = "hybridEnv.uvInstalls:";
const WARNED_PREFIX = "hybridEnv.nixMismatchWarned:";
export const LET_UV_INSTALL = "Let uv Install Its Own Copy";
export const KEEP_NIX = "Keep Nix's Copy";

export class UvInstallChoices {
  constructor(
    private readonly state: StateStore,
    private readonly window: Pick<WindowApis, "showWarningMessage">,
  ) {}

  /** The names, normalised and sorted (what the engine's cache key sees). */
  get(folder: WorkspaceFolder): string[] {
    const stored = this.state.get<unknown>(INSTALLS_PREFIX + folder.uri.toString());
    return Array.isArray(stored) ? [...new Set(stored.filter((n): n is string => typeof n === "string").map(normalizeName))].sort() : [];
  }

  /** Adds or removes one name; resolves to whether anything changed. */
  async set(folder: WorkspaceFolder, name: string, uvInstalls: boolean): Promise<boolean> {
    const current = this.get(folder);
    const n = normalizeName(name);
    const next = uvInstalls ? [...new Set([...current, n])].sort() : current.filter((c) => c !== n);
    if (next.length === current.length) return false;
    await this.state.update(INSTALLS_PREFIX + folder.uri.toString(), next.length > 0 ? next : undefined);
    return true;
  }

  /**
   * One warning per mismatch not warned about before (a package, its Nix version and what it does
   * not satisfy), with the choice. Resolves to the packages the user handed to uv (to reload).
   */
  async warnOnce(folder: WorkspaceFolder, report: NixProvidedReport | undefined): Promise<NixProvidedPackage[]> {
    const key = WARNED_PREFIX + folder.uri.toString();
    const warned = new Set(this.state.get<string[]>(key) ?? []);
    const fresh = mismatchedPackages(report).filter((p) => !p.uvInstalls && !warned.has(mismatchKey(p)));
    if (fresh.length === 0) return [];
    for (const p of fresh) warned.add(mismatchKey(p));
    await this.state.update(key, [...warned]);
    const handed: NixProvidedPackage[] = [];
    // One notification for all of them: a flake update can bring several at once.
    const names = fresh.map((p) => p.name).join(", ");
    const message =
      fresh.length === 1
        ? `Hybrid Env (${folder.name}): ${mismatchWarning(fresh[0]!)}. uv does not install its own copy; Python imports Nix's.`
        : `Hybrid Env (${folder.name}): Nix's versions of ${names} do not satisfy what the project needs (see the Packages view). uv does not install its own copies; Python imports Nix's.`;
    const choice = await this.window.showWarningMessage(message, fresh.length === 1 ? LET_UV_INSTALL : "Let uv Install Its Own Copies", KEEP_NIX);
    if (choice === LET_UV_INSTALL || choice === "Let uv Install Its Own Copies") {
      for (const p of fresh) if (await this.set(folder, p.name, true)) handed.push(p);
    }
    return handed;
  }
}

function mismatchKey(p: NixProvidedPackage): string {
  return `${p.name}@${p.nixVersion}:${p.requirements
    .filter((r) => !r.satisfied)
    .map((r) => r.specifier)
    .join(";")}`;
}
