// The one settings write hybrid-env cannot avoid, kept honest: the real Python Environments saves
// the selection made through its public setEnvironment (there is no way to select without
// saving) as `python-envs.defaultEnvManager`/`defaultPackageManager` in the folder's
// .vscode/settings.json (a `pythonProjects` entry in a multi-root workspace). Without it Python
// Environments, and the Python extension, Pylance and debugpy that follow it, would not use the
// Hybrid environment. So: the values before the first Enter are remembered (workspace state,
// surviving reloads), the user is told once what was written and why, and Exit puts them back —
// which also matters for behaviour, since a setting naming our manager after Exit would leave the
// folder with no environment in Python Environments.
import type { WorkspaceFolder } from "vscode";
import type { LogChannel } from "../common/logger";
import type { EnvsManagerSettings } from "../config/foreignSettings";
import type { StateStore, WindowApis } from "../platform/apis";

export interface EnvsSettingsAccess {
  read(folder: WorkspaceFolder): EnvsManagerSettings;
  write(folder: WorkspaceFolder, wanted: EnvsManagerSettings): Promise<void>;
  /** Opens the file the values live in (the notice's button). */
  open(folder: WorkspaceFolder): void;
}

const BEFORE_KEY = "hybridEnv.pythonEnvsSettingsBefore:";
/** Set once the user was told about a folder's write (cleared by Exit). */
const TOLD_KEY = "hybridEnv.pythonEnvsSettingsTold:";
export const NOTICE_DISMISSED_KEY = "hybridEnv.pythonEnvsSettingsNotice.dismissed";
const OPEN = "Open settings.json";
const DONT_SHOW = "Don't Show Again";

/** Whether any of the values names our manager. */
export function namesManager(s: EnvsManagerSettings, managerId: string): boolean {
  return s.defaultEnvManager === managerId || s.defaultPackageManager === managerId || (s.pythonProjects ?? []).some((p) => p.envManager === managerId || p.packageManager === managerId);
}

/** The settings with our manager's values replaced by what was there before (or removed). */
export function withoutManager(now: EnvsManagerSettings, before: EnvsManagerSettings, managerId: string): EnvsManagerSettings {
  const back = (key: "defaultEnvManager" | "defaultPackageManager") => (now[key] === managerId ? (before[key] === managerId ? undefined : before[key]) : now[key]);
  let projects = now.pythonProjects;
  if (projects?.some((p) => p.envManager === managerId)) {
    const earlier = new Map((before.pythonProjects ?? []).filter((p) => p.envManager !== managerId).map((p) => [p.path, p]));
    projects = projects.flatMap((p) => (p.envManager === managerId ? (earlier.has(p.path) ? [earlier.get(p.path)!] : []) : [p]));
    if (projects.length === 0 && before.pythonProjects === undefined) projects = undefined;
  }
  return { defaultEnvManager: back("defaultEnvManager"), defaultPackageManager: back("defaultPackageManager"), pythonProjects: projects };
}

export class EnvsSettingsKeeper {
  constructor(
    private readonly access: EnvsSettingsAccess,
    private readonly workspaceState: StateStore,
    private readonly globalState: StateStore,
    private readonly window: Pick<WindowApis, "showInformationMessage">,
    private readonly log: LogChannel,
    private readonly managerId: string,
  ) {}

  /** Before our setEnvironment: remembers the folder's values, once (a later Enter keeps the first). */
  async beforeSelect(folder: WorkspaceFolder): Promise<void> {
    const key = BEFORE_KEY + folder.uri.toString();
    if (this.workspaceState.get(key) !== undefined) return;
    const now = this.access.read(folder);
    // Already ours (an earlier version, or state lost): there is nothing of the user's to keep.
    await this.workspaceState.update(key, namesManager(now, this.managerId) ? {} : now);
  }

  /** After it: says once what Python Environments wrote, the first time it names us. */
  afterSelect(folder: WorkspaceFolder): void {
    const now = this.access.read(folder);
    const before = this.workspaceState.get<EnvsManagerSettings>(BEFORE_KEY + folder.uri.toString()) ?? {};
    const told = TOLD_KEY + folder.uri.toString();
    if (!namesManager(now, this.managerId) || namesManager(before, this.managerId) || this.workspaceState.get(told) === true) return;
    void this.workspaceState.update(told, true);
    const keys = now.pythonProjects?.some((p) => p.envManager === this.managerId) ? "python-envs.pythonProjects" : "python-envs.defaultEnvManager and python-envs.defaultPackageManager";
    const text = `Python Environments saved its selection of the Hybrid (Nix + uv) environment for ${folder.name} in its .vscode/settings.json (${keys}): its setEnvironment always saves. Hybrid Env: Exit puts the previous values back.`;
    this.log.info(text);
    if (this.globalState.get(NOTICE_DISMISSED_KEY) === true) return;
    void this.window.showInformationMessage(text, OPEN, DONT_SHOW).then((choice) => {
      if (choice === OPEN) this.access.open(folder);
      if (choice === DONT_SHOW) void this.globalState.update(NOTICE_DISMISSED_KEY, true);
    });
  }

  /** Exit: the values the folder had before the first Enter, where ours are still there. */
  async restore(folder: WorkspaceFolder): Promise<void> {
    const key = BEFORE_KEY + folder.uri.toString();
    const before = this.workspaceState.get<EnvsManagerSettings>(key) ?? {};
    const now = this.access.read(folder);
    if (namesManager(now, this.managerId)) {
      await this.access.write(folder, withoutManager(now, before, this.managerId));
      this.log.info(`Python Environments: put back ${folder.name}'s python-envs settings of before Enter`);
    }
    await this.workspaceState.update(key, undefined);
    await this.workspaceState.update(TOLD_KEY + folder.uri.toString(), undefined);
  }
}
