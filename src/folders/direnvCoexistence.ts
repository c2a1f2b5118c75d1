// direnv and hybrid-env on one folder. When the folder's .envrc loads the same flake (`use flake`,
// `use nix`; core/direnv.ts) and direnv is active here (the direnv extension, mkhl.direnv, is
// installed, or the .envrc is allowed), both would set up the folder's terminals. What happens
// then, read from direnv-vscode's source (0.17) and VS Code's terminal code:
//   - direnv-vscode runs `direnv export json` in the first workspace folder and replaces each
//     variable in its window-wide environment variable collection (and in the extension host's
//     process.env, which hybrid-env starts nix and uv from);
//   - VS Code merges the extensions' collections in the order it holds them (read in its source,
//     MergedEnvironmentVariableCollection): per variable, the first collection's entry applies
//     last, so it has the final say, and once an entry is a replace, the collections after it
//     are skipped for that variable. So for PATH either hybrid-env's venv goes on top of
//     direnv's PATH (hybrid-env first) or only direnv's PATH applies (direnv first);
//   - that order changes as the two rewrite their collections (the direnv suite saw both orders
//     in one window, after a load of either).
// So the winner depends on timing: the user picks one, once per folder (workspace state). "Use
// direnv": hybrid-env leaves the folder's terminals alone and still configures Python.
import { join } from "node:path";
import type { WorkspaceFolder } from "vscode";
import type { LogChannel } from "../common/logger";
import { readEnvrc, type EnvrcUse } from "../core/direnv";
import { isEnvrcAllowed } from "../core/direnvAllow";
import type { EnvMap } from "../core/mutations";
import type { StateStore, TerminalEnvironment, WindowApis } from "../platform/apis";
import type { FolderRegistry } from "./model";

export type TerminalOwner = "hybrid-env" | "direnv";

export const USE_HYBRID = "Use hybrid-env";
export const USE_DIRENV = "Use direnv";
export const ASK_LATER = "Ask later";
const KEY_PREFIX = "hybridEnv.terminals:";

export interface CoexistenceDeps {
  readonly state: StateStore;
  readonly window: Pick<WindowApis, "showInformationMessage">;
  /** Shows a file in an editor (.envrc, for the `use hybrid` edit). */
  readonly openFile: (path: string) => void;
  readonly log: Pick<LogChannel, "info">;
  readonly hostEnv: EnvMap;
  /** Whether the direnv extension (mkhl.direnv) is installed and enabled. */
  readonly direnvExtension: () => boolean;
  /** Applies the folder's environment again (a cached load): after "Use hybrid-env". */
  readonly reapply: (folder: WorkspaceFolder) => void;
}

export class DirenvCoexistence {
  private readonly gates = new Map<string, TerminalEnvironment>();
  /** Folders asked (or found without a conflict) in this window. */
  private readonly considered = new Set<string>();

  constructor(private readonly deps: CoexistenceDeps) {}

  owner(folder: WorkspaceFolder): TerminalOwner {
    return this.deps.state.get<TerminalOwner>(KEY_PREFIX + folder.uri.toString()) === "direnv" ? "direnv" : "hybrid-env";
  }

  /** The folder's terminal environment, which stays empty while direnv owns its terminals. */
  terminalFor(folder: WorkspaceFolder, inner: TerminalEnvironment): TerminalEnvironment {
    const ours = () => this.owner(folder) === "hybrid-env";
    const gate: TerminalEnvironment = {
      describe: (text) => {
        if (ours()) inner.describe(text);
      },
      replace: (name, value) => {
        if (ours()) inner.replace(name, value);
      },
      prepend: (name, value) => {
        if (ours()) inner.prepend(name, value);
      },
      append: (name, value) => {
        if (ours()) inner.append(name, value);
      },
      clear: () => inner.clear(),
    };
    this.gates.set(folder.uri.toString(), gate);
    return gate;
  }

  /** Asks once per folder and window, when it is entered, if direnv applies the same environment. */
  watch(registry: Pick<FolderRegistry, "onDidChange" | "all">): { dispose(): void } {
    for (const s of registry.all()) if (s.state !== "idle") void this.consider(s.folder);
    return registry.onDidChange((s) => {
      if (s.state !== "idle") void this.consider(s.folder);
    });
  }

  async consider(folder: WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    if (this.considered.has(key)) return;
    this.considered.add(key);
    const use = this.conflict(folder);
    if (!use) return;
    const stored = this.deps.state.get<TerminalOwner>(KEY_PREFIX + key);
    if (stored) return this.deps.log.info(`[${folder.name}] .envrc loads this flake too; ${stored} sets up the terminals (your choice)`);
    const answer = await this.deps.window.showInformationMessage(questionText(folder, use.use, use.why), USE_HYBRID, USE_DIRENV, ASK_LATER);
    if (answer === USE_DIRENV) await this.choose(folder, "direnv", use.use);
    else if (answer === USE_HYBRID) await this.choose(folder, "hybrid-env", use.use);
  }

  /** Stores the choice and applies it to the folder's terminals now. */
  async choose(folder: WorkspaceFolder, owner: TerminalOwner, use?: EnvrcUse): Promise<void> {
    await this.deps.state.update(KEY_PREFIX + folder.uri.toString(), owner);
    this.deps.log.info(`[${folder.name}] terminals: ${owner} (chosen: .envrc loads the same flake)`);
    if (owner === "direnv") {
      this.gates.get(folder.uri.toString())?.clear();
      void this.deps.window.showInformationMessage(`direnv sets up ${folder.name}'s terminals now; Hybrid Env still selects the interpreter, and the venv's Python still sees the environment.`);
      return;
    }
    this.deps.reapply(folder);
    const line = use ? `line ${use.line} of .envrc` : "the `use flake` line of .envrc";
    const open = "Open .envrc";
    const answer = await this.deps.window.showInformationMessage(
      `Hybrid Env sets up ${folder.name}'s terminals. For direnv to give your own shells the same environment, replace ${line} with \`use hybrid\` (install it once: hybrid-env direnvrc > ~/.config/direnv/lib/hybrid-env.sh).`,
      open,
    );
    if (answer === open) this.deps.openFile(join(folder.uri.fsPath, ".envrc"));
  }

  /** The .envrc line that loads this folder's environment, when direnv is active for it. */
  private conflict(folder: WorkspaceFolder): { use: EnvrcUse; why: string } | undefined {
    const use = readEnvrc(folder.uri.fsPath)?.conflict;
    // `use hybrid` gives direnv the very environment hybrid-env applies: whichever wins, it is the same.
    if (!use || use.kind === "hybrid") return undefined;
    const why = [this.deps.direnvExtension() ? "the direnv extension is installed" : "", isEnvrcAllowed(folder.uri.fsPath, this.deps.hostEnv) ? "the .envrc is allowed" : ""].filter(Boolean);
    return why.length > 0 ? { use, why: why.join(" and ") } : undefined;
  }
}

export function questionText(folder: WorkspaceFolder, use: EnvrcUse, why: string): string {
  const how = use.kind === "flake" ? `\`use flake${use.ref && use.ref !== "." ? ` ${use.ref}` : ""}\`` : "`use nix`";
  return (
    `Hybrid Env (${folder.name}): .envrc line ${use.line} loads this folder's Nix environment too (${how}), and direnv applies it here (${why}). ` +
    "In a terminal VS Code then applies, for a variable both set, one of the two, depending on the order it holds them in, which changes as they reload. " +
    "Which one should set up this folder's terminals?"
  );
}
