// What the editor says about each missing native library, and where. Pure (no vscode import):
// unit-tested on texts. The place follows the fix:
//   - a library nixpkgs provides (the curated map) goes on flake.nix, at the devShell's
//     LD_LIBRARY_PATH (else the devShell's first line): that is the line the Quick Fix edits;
//   - one nobody curated, or one only a GPU driver provides, goes on pyproject.toml, at the
//     dependency that installed the module: that is what brought the problem in, and no flake
//     edit is known that fixes it.
import type { Project } from "../core/detect";
import { lineColumn } from "../core/flake/tokenizer";
import { findDevShellSite } from "../core/native/flakeLibraryPath";
import type { Distribution } from "../core/native/owners";
import type { MissingLibrary, NativeLibraryReport } from "../core/native/scan";

export interface Position {
  /** 0-based, as VS Code counts. */
  readonly line: number;
  readonly character: number;
}

export interface NativeProblem {
  readonly soname: string;
  /** Absolute path of flake.nix or pyproject.toml. */
  readonly file: string;
  readonly where: "flake.nix" | "pyproject.toml";
  readonly start: Position;
  readonly end: Position;
  readonly severity: "error" | "warning";
  readonly message: string;
  /** What the one-click fix adds to the devShell's library path (problems on flake.nix only). */
  readonly attribute?: string;
  /** Site-packages-relative files that need the library. */
  readonly neededBy: readonly string[];
  /** "hybglu 1.0": the installed distributions those files belong to. */
  readonly distributions: readonly string[];
}

export interface NativeProblemsInput {
  readonly report: NativeLibraryReport;
  readonly project: Pick<Project, "flakePath" | "pyprojectPath" | "devShell">;
  /** The file's text as the editor has it (unsaved changes included), or undefined. */
  readonly readText: (file: string) => string | undefined;
  /** Owner of each `neededBy` file (core/native/owners). */
  readonly owners: ReadonlyMap<string, Distribution>;
  readonly system?: string;
}

const SHOWN_USERS = 3;

export function nativeProblems(input: NativeProblemsInput): NativeProblem[] {
  const { project } = input;
  const flakeText = project.flakePath ? input.readText(project.flakePath) : undefined;
  const site = flakeText !== undefined ? findDevShellSite(flakeText, project.devShell, input.system) : undefined;
  const pyprojectText = project.pyprojectPath ? input.readText(project.pyprojectPath) : undefined;
  const problems: NativeProblem[] = [];
  for (const m of input.report.missing) {
    const dists = [...new Set(m.neededBy.map((f) => input.owners.get(f)).filter((d): d is Distribution => d !== undefined).map((d) => `${d.name} ${d.version}`))];
    const users = usersText(m, dists);
    const attribute = m.provider && !m.provider.fromDriver && m.provider.attribute ? m.provider.attribute : undefined;
    if (attribute && project.flakePath && flakeText !== undefined) {
      const [from, to] = site?.libraryPath ?? (site ? firstLineOf(flakeText, site.set[0]) : [0, 0]);
      problems.push({
        soname: m.soname,
        file: project.flakePath,
        where: "flake.nix",
        ...span(flakeText, from, to),
        severity: "error",
        message:
          `${m.soname} is not found: ${users} cannot be imported (ImportError). nixpkgs' ${attribute}${m.provider?.note ? ` (${m.provider.note})` : ""} provides it; ` +
          `the Quick Fix adds it to the library path of the devShell "${project.devShell}" — shown here because that is where it belongs.`,
        attribute,
        neededBy: m.neededBy,
        distributions: dists,
      });
    } else if (project.pyprojectPath && pyprojectText !== undefined) {
      const owner = m.neededBy.map((f) => input.owners.get(f)).find((d) => d !== undefined);
      const [from, to] = dependencySpan(pyprojectText, owner?.name);
      const why = owner ? `shown here because the dependency ${owner.name} installed it` : "shown here because a dependency installed it";
      problems.push({
        soname: m.soname,
        file: project.pyprojectPath,
        where: "pyproject.toml",
        ...span(pyprojectText, from, to),
        severity: m.provider?.fromDriver ? "warning" : "error",
        message: `${m.soname} is not found: ${users} cannot be imported (ImportError). ${remedy(m)} (${why}).`,
        neededBy: m.neededBy,
        distributions: dists,
      });
    }
  }
  return problems;
}

function usersText(m: MissingLibrary, dists: readonly string[]): string {
  const shown = m.neededBy.slice(0, SHOWN_USERS).join(", ");
  const more = m.neededBy.length > SHOWN_USERS ? ` and ${m.neededBy.length - SHOWN_USERS} more` : "";
  return `${shown}${more}${dists.length > 0 ? ` (from ${dists.join(", ")})` : ""}`;
}

function remedy(m: MissingLibrary): string {
  if (m.provider?.fromDriver) return `${m.provider.note ?? "The GPU driver provides it"}; nothing to add to flake.nix`;
  if (m.provider) return `nixpkgs' ${m.provider.attribute} provides it: add it to LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ … ] in the devShell of flake.nix`;
  return `No curated nixpkgs attribute provides it: find the package with \`nix-locate -w lib/${m.soname}\`, then add it to LD_LIBRARY_PATH = pkgs.lib.makeLibraryPath [ … ] in the devShell of flake.nix`;
}

function span(text: string, from: number, to: number): { start: Position; end: Position } {
  const pos = (offset: number): Position => {
    const { line, column } = lineColumn(text, offset);
    return { line: line - 1, character: column - 1 };
  };
  return { start: pos(from), end: pos(Math.max(from, to)) };
}

/** From the first non-blank character of the line holding `offset` up to `offset` + 1. */
function firstLineOf(text: string, offset: number): [number, number] {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0].length;
  return [lineStart + indent, offset + 1];
}

/** The requirement string of `name` in pyproject.toml (any spelling PEP 503 equates), else its `dependencies` key, else the start. */
export function dependencySpan(text: string, name: string | undefined): [number, number] {
  if (name) {
    const spelled = name.split("-").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[-_.]+");
    const m = new RegExp(`(["'])\\s*(${spelled})\\s*(?=[\\[<>=!~;@ ]|\\1)[^"'\\n]*\\1`, "i").exec(text);
    if (m) return [m.index, m.index + m[0].length];
  }
  const deps = /^\s*dependencies\s*=/m.exec(text);
  if (deps) {
    const at = deps.index + deps[0].indexOf("dependencies");
    return [at, at + "dependencies".length];
  }
  return [0, 0];
}
