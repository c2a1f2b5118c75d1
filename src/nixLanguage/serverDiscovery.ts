// Which Nix language server to start, without vscode: the setting's choice and path, then PATH,
// then the devShell's PATH (a flake that pins nixd or nil in its devShell gets that one).
import { basename, delimiter, join } from "node:path";
import { isExecutableFile } from "../core/tools";

export type NixServerChoice = "auto" | "nixd" | "nil" | "off";
export type NixServerKind = "nixd" | "nil";

export const NIX_SERVER_CHOICES: readonly NixServerChoice[] = ["auto", "nixd", "nil", "off"];

export interface NixServerSearch {
  /** hybridEnv.nixLanguageServer */
  readonly choice: NixServerChoice;
  /** hybridEnv.nixLanguageServerPath (~ and ${userHome} already expanded by config/paths.ts): a path, or a bare command name looked up like the others. */
  readonly configuredPath: string;
  /** PATH of the extension host. */
  readonly hostPath: string | undefined;
  /** PATH of the active folder's devShell environment (snapshot.resolved.PATH), once loaded. */
  readonly devShellPath: string | undefined;
}

export type NixServerFound = {
  readonly found: true;
  readonly kind: NixServerKind;
  readonly command: string;
  readonly from: "setting" | "PATH" | "devShell";
};

export type NixServerNotFound = {
  readonly found: false;
  /** For the log: why nothing starts. */
  readonly reason: string;
  readonly searched: readonly string[];
  /** The configured path does not work: worth telling the user (an empty search is not). */
  readonly misconfigured: boolean;
};

export type NixServerDiscovery = NixServerFound | NixServerNotFound;

export function parseServerChoice(value: unknown): NixServerChoice {
  return NIX_SERVER_CHOICES.includes(value as NixServerChoice) ? (value as NixServerChoice) : "auto";
}

/** The server binaries to look for, in order of preference. */
export function serverNames(choice: NixServerChoice): NixServerKind[] {
  return choice === "nixd" ? ["nixd"] : choice === "nil" ? ["nil"] : choice === "auto" ? ["nixd", "nil"] : [];
}

const splitPath = (value: string | undefined) => (value ?? "").split(delimiter).filter((d) => d.length > 0);

/** The kind a server binary is, by its name (a wrapper script named after it counts as it). */
export function kindOf(command: string, choice: NixServerChoice): NixServerKind {
  const name = basename(command);
  if (name.startsWith("nixd")) return "nixd";
  if (name.startsWith("nil")) return "nil";
  return choice === "nil" ? "nil" : "nixd";
}

export function findNixLanguageServer(search: NixServerSearch): NixServerDiscovery {
  const { choice } = search;
  if (choice === "off") return { found: false, reason: "hybridEnv.nixLanguageServer is off", searched: [], misconfigured: false };
  const hostDirs = splitPath(search.hostPath);
  const devShellDirs = splitPath(search.devShellPath).filter((d) => !hostDirs.includes(d));
  const configured = search.configuredPath.trim();

  if (configured.includes("/")) {
    const path = configured;
    if (isExecutableFile(path)) return { found: true, kind: kindOf(path, choice), command: path, from: "setting" };
    return { found: false, reason: `hybridEnv.nixLanguageServerPath is not an executable file: ${path}`, searched: [path], misconfigured: true };
  }

  // A bare name in the setting is looked up where the servers are; otherwise the choice's names.
  const names = configured ? [configured] : serverNames(choice);
  const searched: string[] = [];
  for (const [dirs, from] of [
    [hostDirs, "PATH"],
    [devShellDirs, "devShell"],
  ] as const) {
    for (const dir of dirs) {
      for (const name of names) {
        const candidate = join(dir, name);
        searched.push(candidate);
        if (isExecutableFile(candidate)) return { found: true, kind: kindOf(candidate, choice), command: candidate, from: configured ? "setting" : from };
      }
    }
  }
  return {
    found: false,
    reason: `no ${names.join(" or ")} on PATH${devShellDirs.length > 0 ? " or the devShell's PATH" : ""}`,
    searched,
    misconfigured: configured !== "",
  };
}
