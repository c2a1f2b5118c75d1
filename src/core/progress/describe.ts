// One short line for a progress state, shared by the CLI's live line and (later) the VS Code
// notification and status bar: "building 3/12 (step-3) · downloading 412/1,204 MB".
import { STEP_TITLES, type LoadStep } from "../environment";
import type { NixProgress } from "./nixLog";
import type { UvProgress } from "./uvLog";

/** What the engine reports while a load runs, tagged by the tool that produced it. */
export type LoadProgress = { readonly tool: "nix"; readonly nix: NixProgress } | { readonly tool: "uv"; readonly uv: UvProgress };

export function describeLoadProgress(p: LoadProgress): string {
  return p.tool === "nix" ? describeNixProgress(p.nix) : describeUvProgress(p.uv);
}

const SHORT_STEP_TITLES: Partial<Record<LoadStep, string>> = { nix: "nix", uv: "uv sync" };

/**
 * The step and its counters in one line, for a status bar or a notification: "Evaluating flake…"
 * while there are none, then "nix · building 3/12 (step-3)" (the tool's name is title enough).
 */
export function describeStep(step: LoadStep, progress?: LoadProgress): string {
  const detail = progress && (progress.tool === "nix" ? step === "nix" : step === "uv") ? describeLoadProgress(progress) : "";
  return detail ? `${SHORT_STEP_TITLES[step] ?? STEP_TITLES[step]} · ${detail}` : STEP_TITLES[step];
}

export function describeNixProgress(p: NixProgress): string {
  const parts: string[] = [];
  const b = p.builds;
  if (b.expected > 0) {
    // The build under way counts: "building 3/5" while the third runs, "built 5/5" at the end.
    const started = Math.min(b.done + b.running, b.expected);
    const verb = b.running > 0 || started < b.expected ? "building" : "built";
    const name = b.running > 0 && p.running[0] ? ` (${p.running[0]})` : "";
    parts.push(`${verb} ${started}/${b.expected}${name}${b.failed > 0 ? `, ${b.failed} failed` : ""}`);
  }
  if (p.download.expected > 0) parts.push(`downloading ${megabytes(p.download.done, p.download.expected)}`);
  else if (p.copyPaths.expected > 0) parts.push(`copying ${p.copyPaths.done}/${p.copyPaths.expected} paths`);
  if (parts.length > 0) return parts.join(" · ");
  return p.evaluatedFiles > 0 ? `evaluating (${p.evaluatedFiles.toLocaleString("en-US")} files)` : "evaluating";
}

export function describeUvProgress(p: UvProgress): string {
  switch (p.phase) {
    case "starting":
    case "resolving":
      return "resolving dependencies";
    case "preparing": {
      const busy = [...p.downloading.map((d) => `downloading ${d}`), ...p.building.map((b) => `building ${b}`)];
      return [`resolved ${p.resolved ?? 0}`, ...(busy.length > 0 ? busy : ["preparing"])].join(" · ");
    }
    case "installing":
      return p.prepared !== undefined ? `prepared ${p.prepared} · installing` : "installing";
    case "done":
      return p.installed ? `installed ${p.installed}` : "up to date";
  }
}

/** "5.7/34.3 MB" below 10 MB expected, else "412/1,204 MB" (decimal megabytes, as download sizes are quoted). */
export function megabytes(done: number, expected: number): string {
  const mb = (n: number) => n / 1e6;
  const fmt = (n: number) => (expected < 10e6 ? mb(n).toFixed(1) : Math.round(mb(n)).toLocaleString("en-US"));
  return `${fmt(done)}/${fmt(expected)} MB`;
}
