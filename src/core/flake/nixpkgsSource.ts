// Where the project's own nixpkgs is, when it is already on this machine: the flake's locked
// nixpkgs input (its source path computed from flake.lock's narHash), or for shell.nix /
// default.nix projects `<nixpkgs>` from NIX_PATH. Nothing is fetched: an input that is not in the
// store is reported as such, with why, and the caller says the check was skipped.
import { NIX_TIMEOUT } from "../options";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { lockedInputs, resolveInput, sourceStorePath } from "../flakeLock";
import type { ProcessRunner } from "../process";
import type { ProjectKind } from "./projectFiles";

export type NixpkgsSource =
  | {
      readonly available: true;
      /** The folder holding nixpkgs' default.nix. */
      readonly path: string;
      /** Identifies this nixpkgs for caches: the lock's narHash, or the real path of <nixpkgs>. */
      readonly key: string;
      /** For people: "the locked input nixpkgs (github:NixOS/nixpkgs 1a2b3c4, 2024-05-01)". */
      readonly description: string;
      readonly lastModified?: number;
    }
  | { readonly available: false; readonly reason: string };

export interface LocateNixpkgsOptions {
  readonly dir: string;
  readonly kind: ProjectKind;
  /** The project's Nix file texts, to see how a shell.nix gets its nixpkgs. */
  readonly texts?: readonly string[];
  /** For `<nixpkgs>`: nix-instantiate --find-file. */
  readonly runner?: ProcessRunner;
  readonly nixInstantiate?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Which flake input is nixpkgs, when it is not called "nixpkgs". */
  readonly input?: string;
}

export async function locateNixpkgs(opts: LocateNixpkgsOptions): Promise<NixpkgsSource> {
  if (opts.kind === "flake") return locateLockedNixpkgs(opts.dir, opts.input);
  const texts = opts.texts ?? [];
  if (texts.some((t) => /fetchTarball|fetchFromGitHub|fetchgit|npins|niv|sources\.nix/.test(t))) {
    return { available: false, reason: "the project pins its nixpkgs with a fetcher (fetchTarball, niv, npins), which hybrid-env does not evaluate" };
  }
  if (!texts.some((t) => t.includes("<nixpkgs>"))) return { available: false, reason: "the project does not say which nixpkgs it uses" };
  return locateChannelNixpkgs(opts);
}

export function locateLockedNixpkgs(dir: string, input?: string): NixpkgsSource {
  const lockPath = join(dir, "flake.lock");
  if (!existsSync(lockPath)) return { available: false, reason: "the flake has no flake.lock yet (run hybrid-env update, or nix flake lock)" };
  const text = readFileSync(lockPath, "utf8");
  let chosen;
  try {
    chosen = input ? resolveInput(text, input) : (resolveInput(text, "nixpkgs") ?? lockedInputs(text).find((i) => !i.path.includes("/") && (i.repo === "NixOS/nixpkgs" || /nixpkgs/i.test(i.path))));
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  }
  if (!chosen) return { available: false, reason: `flake.lock has no ${input ? `input ${input}` : "nixpkgs input"}` };
  const path = chosen.narHash ? sourceStorePath(chosen.narHash) : undefined;
  const what = `the locked input ${chosen.path} (${chosen.url}${chosen.rev ? ` ${chosen.rev.slice(0, 7)}` : ""})`;
  if (!path) return { available: false, reason: `${what} has no narHash in flake.lock` };
  if (!existsSync(join(path, "default.nix"))) {
    return { available: false, reason: `${what} is not in the Nix store on this machine (${path}); it is fetched by the first \`nix develop\` or environment load` };
  }
  return { available: true, path, key: chosen.narHash!, description: what, lastModified: chosen.lastModified };
}

async function locateChannelNixpkgs(opts: LocateNixpkgsOptions): Promise<NixpkgsSource> {
  if (!opts.runner || !opts.nixInstantiate || !opts.env) return { available: false, reason: "<nixpkgs> was not looked up" };
  const result = await opts.runner.run(opts.nixInstantiate, ["--find-file", "nixpkgs"], {
    what: "nix-instantiate --find-file nixpkgs",
    cwd: opts.dir,
    env: opts.env,
    signal: opts.signal,
    timeoutMs: 10_000,
    timeoutRaisedBy: NIX_TIMEOUT,
  });
  const found = result.stdout.trim();
  if (result.exitCode !== 0 || !found || !existsSync(join(found, "default.nix"))) {
    return { available: false, reason: "<nixpkgs> is not on NIX_PATH here (no channel)" };
  }
  const real = realpathSync(found);
  return { available: true, path: real, key: real, description: `<nixpkgs> (${real})` };
}
