// What the status bar item and the Packages view's message say about one folder. Pure (no vscode
// import) so every state's wording is unit-tested; statusBar.ts and packagesView.ts only apply it.
import type { HybridEnvironment, LoadStep } from "../core/environment";
import type { Project } from "../core/detect";
import { describeStep, type LoadProgress } from "../core/progress/describe";
import type { Provenance } from "../core/provenance";
import type { FolderSnapshot, FolderState } from "../folders/model";
import { escapeMarkdown, firstLine, inlineCode } from "./markdown";
import { leftToNixSummary } from "../core/nixProvided/describe";
import { mismatchedPackages } from "../core/nixProvided/report";

/** The few snapshot fields the wording needs. */
export interface StatusFacts {
  readonly folderName: string;
  readonly state: FolderState;
  readonly step?: LoadStep;
  readonly project: Pick<Project, "kind" | "devShell" | "venvDir">;
  readonly environment?: Pick<HybridEnvironment, "python" | "createdAt" | "nixProvided">;
  readonly provenance?: Pick<Provenance, "counts">;
  readonly error?: Error;
  /** Whether the applied environment came from the cache (no evaluation ran). */
  readonly fromCache?: boolean;
  /** The running step's counters (Nix builds and downloads, uv's phase). */
  readonly progress?: LoadProgress;
}

export interface StatusPresentation {
  /** Status bar text, with $(icon) syntax. */
  readonly text: string;
  /** Markdown with theme icons and command links (see TOOLTIP_COMMANDS). */
  readonly tooltip: string;
  /** For screen readers: the text without icon syntax, with the state spelled out. */
  readonly accessibilityLabel: string;
  readonly severity: "none" | "warning" | "error";
}

/** The commands the tooltip links to; the MarkdownString must trust exactly these. */
export const TOOLTIP_COMMANDS: readonly string[] = [
  "hybridEnv.enter",
  "hybridEnv.reload",
  "hybridEnv.resetVenv",
  "hybridEnv.showProvenance",
  "hybridEnv.showLog",
  "hybridEnv.chooseDevShell",
];

const STATE_ICONS: Readonly<Record<FolderState, string>> = {
  idle: "$(circle-outline)",
  loading: "$(sync~spin)",
  ready: "$(check)",
  stale: "$(warning)",
  failed: "$(error)",
};

export function statusFactsOf(snapshot: FolderSnapshot): StatusFacts {
  return { ...snapshot, folderName: snapshot.folder.name };
}

export function presentStatus(facts: StatusFacts): StatusPresentation {
  const label = facts.state === "loading" ? stepTitle(facts.step, facts.progress) : (countsText(facts) ?? "Hybrid Env");
  const shadowed = facts.state !== "loading" ? (facts.provenance?.counts.shadowed ?? 0) : 0;
  // A devShell other than "default" is named in the text: with several, which one is on matters.
  const shell = namedDevShell(facts);
  const text = `${STATE_ICONS[facts.state]} ${shell ? `${shell} · ` : ""}${label}` + (shadowed > 0 ? ` $(warning) ${shadowed}` : "");
  const spokenShadowed = shadowed > 0 ? `, ${shadowed} shadowed` : "";
  return {
    text,
    tooltip: tooltipOf(facts),
    accessibilityLabel: `Hybrid Env, ${stateSentence(facts)}${shell ? `, devShell ${shell}` : ""}, ${label}${spokenShadowed}`,
    severity: facts.state === "failed" ? "error" : facts.state === "stale" ? "warning" : "none",
  };
}

/** The Packages view's message: what the list below it does not say by itself. */
export function packagesViewMessage(facts: StatusFacts): string | undefined {
  switch (facts.state) {
    case "loading":
      return `Loading… ${stepTitle(facts.step, facts.progress)}`;
    case "failed":
      return facts.error ? firstLine(facts.error) : "The last load failed.";
    case "stale":
      return "Project files changed since the last load: Reload to update.";
    case "ready":
      return facts.provenance && totalOf(facts.provenance) === 0 ? "No Python packages found." : undefined;
    case "idle":
      return undefined;
  }
}

function stepTitle(step: LoadStep | undefined, progress?: LoadProgress): string {
  return step ? describeStep(step, progress) : "Loading…";
}

/** The devShell's name when the project has a flake and it is not "default". */
export function namedDevShell(facts: Pick<StatusFacts, "project">): string | undefined {
  return facts.project.kind !== "uv-only" && facts.project.devShell !== "default" ? facts.project.devShell : undefined;
}

/** "Nix 42 · uv 17", only the sides the project has. */
function countsText(facts: StatusFacts): string | undefined {
  const counts = facts.provenance?.counts;
  if (!counts) return undefined;
  const parts: string[] = [];
  if (facts.project.kind !== "uv-only") parts.push(`Nix ${counts.nix}`);
  if (facts.project.kind !== "nix-only") parts.push(`uv ${counts.uv}`);
  return parts.join(" · ");
}

function totalOf(p: Pick<Provenance, "counts">): number {
  return p.counts.nix + p.counts.uv + p.counts.shadowed;
}

function stateSentence(facts: StatusFacts): string {
  switch (facts.state) {
    case "idle":
      return "not entered";
    case "loading":
      return "loading";
    case "ready":
      return "ready";
    case "stale":
      return "stale: project files changed since the last load";
    case "failed":
      return facts.environment ? "the last load failed, the last good environment stays applied" : "the last load failed";
  }
}

function tooltipOf(facts: StatusFacts): string {
  const { project, environment: env, provenance } = facts;
  const lines = [`**Hybrid Env** · ${escapeMarkdown(facts.folderName)}`];
  lines.push(`${STATE_ICONS[facts.state]} ${capitalise(stateSentence(facts))}`);
  if (facts.state === "loading") lines.push(escapeMarkdown(stepTitle(facts.step, facts.progress)));
  if (facts.error) lines.push(`Error: ${escapeMarkdown(firstLine(facts.error))}`);
  if (project.kind !== "uv-only") lines.push(`devShell: ${inlineCode(project.devShell)}`);
  if (env?.python.version) lines.push(`Python: ${escapeMarkdown(env.python.version)}`);
  if (project.kind !== "nix-only") lines.push(`venv: ${inlineCode(project.venvDir)}`);
  if (provenance) {
    const { nix, uv, shadowed } = provenance.counts;
    lines.push(`Packages: ${nix} from Nix · ${uv} from uv` + (shadowed > 0 ? ` · $(warning) ${shadowed} shadowed` : ""));
  }
  const leftToNix = leftToNixSummary(env?.nixProvided);
  if (leftToNix) lines.push(`uv.lock: ${leftToNix}` + (mismatchedPackages(env?.nixProvided).length > 0 ? " $(warning)" : ""));
  if (env) lines.push(`Evaluated: ${formatTime(env.createdAt)}` + (facts.fromCache ? " (from cache)" : ""));
  lines.push(commandLinks(facts).join(" · "));
  // Two trailing spaces: a hard line break, so each fact stays on its own line in the hover.
  return lines.join("  \n");
}

function commandLinks(facts: StatusFacts): string[] {
  const links = [facts.state === "idle" ? "[Enter](command:hybridEnv.enter)" : "[Reload](command:hybridEnv.reload)"];
  if (facts.project.kind !== "nix-only" && facts.state !== "idle") links.push("[Reset venv](command:hybridEnv.resetVenv)");
  if (facts.project.kind !== "uv-only") links.push("[devShell…](command:hybridEnv.chooseDevShell)");
  links.push("[Packages](command:hybridEnv.showProvenance)", "[Show log](command:hybridEnv.showLog)");
  return links;
}

/** Local "YYYY-MM-DD HH:MM": unambiguous and the same in every locale. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
