// Text output of the CLI.
import type { Finding } from "../core/doctor";
import type { Mutation } from "../core/mutations";
import { shellQuote } from "../core/process";
import type { PackageRecord } from "../core/provenance";
import { leftToNixNote } from "../core/nixProvided/describe";

/** `export`/`unset` lines for `eval "$(hybrid-env env)"`: only what differs from the caller's env. */
export function shellExports(mutations: readonly Mutation[], resolved: Readonly<Record<string, string>>): string {
  return mutations
    .map((m) => (m.op === "unset" ? `unset ${m.name}` : `export ${m.name}=${shellQuote(resolved[m.name] ?? "")}`))
    .join("\n");
}

export function packageTable(packages: readonly PackageRecord[]): string {
  const rows = [...packages]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.source < b.source ? -1 : 1))
    .map((p) => [
      p.name,
      p.version,
      p.shadowedBy ? `${p.source} (shadowed by ${p.shadowedBy.source} ${p.shadowedBy.version})` : p.nixProvided ? `${p.source} · ${leftToNixNote(p.nixProvided)}` : p.source,
      p.location,
    ]);
  const header = ["NAME", "VERSION", "SOURCE", "LOCATION"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

const MARK: Record<Finding["level"], string> = { ok: "✓", warn: "!", error: "✗" };

export function doctorReport(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${MARK[f.level]} ${f.check}: ${f.message}${f.fix && f.level !== "ok" ? `\n    fix: ${f.fix}` : ""}`)
    .join("\n");
}
