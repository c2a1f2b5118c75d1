// The engine's result: everything a front end needs to apply the environment and to explain it.
import type { Project } from "./detect";
import type { Mutation } from "./mutations";
import type { NixProvidedReport } from "./nixProvided/report";

export interface PythonSummary {
  /** The devShell's python3 (undefined for uv-only projects). */
  readonly devShellInterpreter?: string;
  readonly version?: string;
  /** What uv was given (the base interpreter when the devShell's is a wrapper). */
  readonly uvInterpreter?: string;
  /** <venv>/bin/python, what editors should select. */
  readonly venvPython?: string;
}

export interface HybridEnvironment {
  readonly project: Project;
  /** Changes to the user's environment, one per variable, in the order to apply them. */
  readonly mutations: readonly Mutation[];
  readonly python: PythonSummary;
  /** ISO time of the evaluation. */
  readonly createdAt: string;
  /** Milliseconds per step of the evaluation that produced it. */
  readonly timings: Readonly<Record<string, number>>;
  /** The profile that keeps the devShell's closure alive as a GC root. */
  readonly gcRoot?: string;
  /** The lock's packages that Nix provides and uv was told not to install (undefined: none, or the feature is off). */
  readonly nixProvided?: NixProvidedReport;
}

export type LoadStep = "cache" | "nix" | "shellHook" | "python" | "uv" | "done";

export const STEP_TITLES: Readonly<Record<LoadStep, string>> = {
  cache: "Reading cache…",
  nix: "Evaluating flake…",
  shellHook: "Running shellHook…",
  python: "Inspecting Python…",
  uv: "uv sync…",
  done: "Done",
};
