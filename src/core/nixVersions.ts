// Which Nix `nix --version` names, and what is known about it: the versions the tests run against
// (scripts/test-all.mjs: Debian's 2.8.0 and 2.30.5), the limits of older ones, and what the public
// release notes of Lix and Determinate Nix say (the README's "Nix versions" section cites them).

/** The versions every release of hybrid-env is tested with, against the real Nix. */
export const TESTED_NIX_VERSIONS: readonly string[] = ["2.8.0", "2.30.5"];

export type NixFlavour = "nix" | "lix" | "determinate";

export interface NixVersion {
  readonly flavour: NixFlavour;
  /** The Nix version number it reports (for Determinate Nix, the upstream one it is based on). */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
}

/**
 * `nix --version` output: "nix (Nix) 2.30.5", "nix (Lix, like Nix) 2.91.1",
 * "nix (Determinate Nix 3.6.2) 2.29.0".
 */
export function parseNixVersion(output: string): NixVersion | undefined {
  const m = /\(([^)]*)\)\s+(\d+)\.(\d+)(\.\d+)?/.exec(output) ?? /(?:^|\s)()(\d+)\.(\d+)(\.\d+)?/.exec(output);
  if (!m) return undefined;
  const label = m[1] ?? "";
  const flavour: NixFlavour = /lix/i.test(label) ? "lix" : /determinate/i.test(label) ? "determinate" : "nix";
  return { flavour, version: `${m[2]}.${m[3]}${m[4] ?? ""}`, major: Number(m[2]), minor: Number(m[3]) };
}

export function atLeast(v: NixVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** One line for `doctor`: whether this Nix is a tested one, and what to expect otherwise. */
export function versionNote(v: NixVersion): string {
  const tested = `tested: Nix ${TESTED_NIX_VERSIONS.join(" and ")}`;
  if (v.flavour === "lix") {
    return `Lix is not tested (${tested}); it forked from Nix 2.18, so expect 2.18's behaviour and messages`;
  }
  if (v.flavour === "determinate") {
    return `Determinate Nix is not tested (${tested}); it is based on Nix ${v.version}, with stable flakes and lazy trees on by default (evaluation errors may then not be placed at their line)`;
  }
  if (TESTED_NIX_VERSIONS.includes(v.version)) return `a version hybrid-env is tested with (${tested})`;
  return `not a tested version (${tested}); messages hybrid-env does not recognise are shown as Nix prints them`;
}

/**
 * Nix before 2.19 cannot express a folder path with a space as a flake reference (2.19 release
 * notes: path-like flake references accept arbitrary characters except # and ?). Lix forked from
 * 2.18: not known.
 */
export function readsPathsWithSpaces(v: NixVersion): boolean | undefined {
  if (v.flavour === "lix") return undefined;
  return atLeast(v, 2, 19);
}
