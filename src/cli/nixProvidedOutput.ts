// What the CLI says on stderr about the packages uv left to Nix: a warning per Nix version that
// does not satisfy the project, with the flag that hands the package back to uv.
import { mismatchWarning } from "../core/nixProvided/describe";
import { mismatchedPackages, type NixProvidedReport } from "../core/nixProvided/report";

export function nixProvidedWarnings(report: NixProvidedReport | undefined): string[] {
  return mismatchedPackages(report).map((p) =>
    p.uvInstalls
      ? `hybrid-env: note: ${mismatchWarning(p)}; uv installs its own ${p.lockedVersion} as asked (--uv-installs), but Python imports Nix's copy first`
      : `hybrid-env: warning: ${mismatchWarning(p)}; uv does not install its own copy. To let it: --uv-installs ${p.name}`,
  );
}

/** `--uv-installs a,b --uv-installs c` → ["a", "b", "c"], each a distribution name (else undefined and the bad one). */
export function parseUvInstalls(values: readonly string[] | undefined): { names: string[]; invalid?: string } {
  const names = (values ?? []).flatMap((v) => v.split(",")).map((n) => n.trim()).filter((n) => n !== "");
  const invalid = names.find((n) => !/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(n));
  return invalid === undefined ? { names } : { names: [], invalid };
}
