// The Packages view's "Native libraries" group: one row per missing library of the active folder,
// with what needs it and the fix. Pure (no vscode import), like packagesTree.ts.
import { inlineCode } from "./markdown";
import type { NativeProblem } from "./nativeProblems";

export interface NativeGroupNode {
  readonly kind: "nativeGroup";
  readonly id: string;
  /** "Native libraries (1 missing)" */
  readonly label: string;
  readonly children: readonly NativeRowNode[];
}

export interface NativeRowNode {
  readonly kind: "nativeLibrary";
  readonly id: string;
  readonly parent: NativeGroupNode;
  /** The soname. */
  readonly label: string;
  /** "needed by hybglu 1.0 · fix: gfortran.cc.lib" */
  readonly description: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly problem: NativeProblem;
  /** The row's inline Fix adds `problem.attribute` to flake.nix. */
  readonly fixable: boolean;
}

export function buildNativeGroup(problems: readonly NativeProblem[]): NativeGroupNode | undefined {
  if (problems.length === 0) return undefined;
  const children: NativeRowNode[] = [];
  const group: NativeGroupNode = { kind: "nativeGroup", id: "group/native", label: `Native libraries (${problems.length} missing)`, children };
  for (const problem of problems) {
    const by = problem.distributions.length > 0 ? problem.distributions.join(", ") : (problem.neededBy[0] ?? "");
    children.push({
      kind: "nativeLibrary",
      id: `native/${problem.soname}`,
      parent: group,
      label: problem.soname,
      description: `needed by ${by}${problem.attribute ? ` · fix: ${problem.attribute}` : ""}`,
      tooltip: [
        `**${problem.soname}** is not found by the loader`,
        `Needed by ${problem.neededBy.map(inlineCode).join(", ")}.`,
        problem.attribute ? `Fix: add nixpkgs' ${inlineCode(problem.attribute)} to the devShell's library path in flake.nix (the row's Fix button).` : problem.message,
      ].join("\n\n"),
      problem,
      fixable: problem.attribute !== undefined,
    });
  }
  return group;
}
