// The words for a package uv left to Nix, shared by the CLI, the Packages view and the status bar
// so that all three say the same thing.
import { mismatchedPackages, skippedPackages, unmetRequirements, type NixProvidedPackage, type NixProvidedReport } from "./report";

/** "uv.lock wants 2.5.1 · not installed by uv", with the unmet requirement first when there is one. */
export function leftToNixNote(p: NixProvidedPackage): string {
  const parts = [`uv.lock wants ${p.lockedVersion}`];
  if (!p.satisfied) parts.push(`${unmetRequirements(p)}`);
  parts.push(p.uvInstalls ? "uv installs its own copy (your choice)" : "not installed by uv");
  return parts.join(" · ");
}

/** "torch 2.5.1 from Nix · uv.lock wants 2.5.1 · not installed by uv" */
export function leftToNixLine(p: NixProvidedPackage): string {
  return `${p.name} ${p.nixVersion} from Nix · ${leftToNixNote(p)}`;
}

/** The warning for a Nix version that does not satisfy what asks for it, without the choice (each front end words that). */
export function mismatchWarning(p: NixProvidedPackage): string {
  return `Nix's ${p.name} ${p.nixVersion} does not satisfy what the project needs (${unmetRequirements(p)})`;
}

/** "3 packages left to Nix" / "1 version mismatch", for one-line summaries; undefined when there is nothing to say. */
export function leftToNixSummary(report: NixProvidedReport | undefined): string | undefined {
  const skipped = skippedPackages(report).length;
  const mismatched = mismatchedPackages(report).length;
  if (skipped === 0 && mismatched === 0) return undefined;
  const parts = [`${skipped} not installed by uv (Nix provides ${skipped === 1 ? "it" : "them"})`];
  if (mismatched > 0) parts.push(`${mismatched} version mismatch${mismatched === 1 ? "" : "es"}`);
  return parts.join(" · ");
}

/** `hybrid-env doctor`'s lines: what uv left to Nix, and a warning per version that does not satisfy. */
export function nixProvidedFindings(report: NixProvidedReport | undefined): Array<{ level: "ok" | "warn"; message: string; fix?: string }> {
  const skipped = skippedPackages(report);
  const out: Array<{ level: "ok" | "warn"; message: string; fix?: string }> = [];
  if (skipped.length > 0) out.push({ level: "ok", message: `uv leaves ${skipped.length} package(s) of uv.lock to Nix: ${skipped.map((p) => `${p.name} ${p.nixVersion}`).join(", ")}` });
  for (const p of mismatchedPackages(report)) {
    out.push({ level: "warn", message: mismatchWarning(p), fix: p.uvInstalls ? undefined : `--uv-installs ${p.name} lets uv install its own copy (Python still imports Nix's first)` });
  }
  return out;
}
