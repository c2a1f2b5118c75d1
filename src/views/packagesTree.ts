// The Packages view's model, built once per provenance scan so that the tree provider only hands
// out ready arrays: a devShell with thousands of packages must not be re-sorted on every expand.
// Pure (no vscode import) so it is unit-tested and timed without an extension host.
import type { PackageCopy, PackageRecord, Provenance } from "../core/provenance";
import { inlineCode } from "./markdown";
import { leftToNixNote } from "../core/nixProvided/describe";
import { unmetRequirements } from "../core/nixProvided/report";

export type PackageGroupKind = "nix" | "uv" | "shadowed";

export interface PackageGroupNode {
  readonly kind: "group";
  /** Unique in the tree; also the TreeItem id, so expansion survives a refresh. */
  readonly id: string;
  readonly group: PackageGroupKind;
  /** "From Nix (42)" */
  readonly label: string;
  readonly children: readonly PackageRowNode[];
}

export interface PackageRowNode {
  readonly kind: "package";
  readonly id: string;
  readonly group: PackageGroupKind;
  readonly parent: PackageGroupNode;
  readonly name: string;
  /** "1.26.4", or for a shadowed copy "nix 1.26.4 wins over uv 2.0.1". */
  readonly description: string;
  /** Markdown. */
  readonly tooltip: string;
  /** The copy this row is about: the imported one in the Nix/uv groups, the hidden one under Shadowed. */
  readonly record: PackageRecord;
  /** The venv's copy disagrees with uv.lock (other version, or not locked at all). */
  readonly lockDrift: boolean;
  /** A Nix copy the lock wants too: uv left it to Nix ("leftToNix") or installs its own by choice ("uvInstalls"). */
  readonly leftToNix?: "leftToNix" | "uvInstalls";
  /** That Nix copy's version does not satisfy what asks for it: a warning mark. */
  readonly nixMismatch: boolean;
}

export interface PackagesTree {
  /** Non-empty groups in the order Nix, uv, Shadowed. */
  readonly roots: readonly PackageGroupNode[];
  readonly packageCount: number;
  /** The row of the copy Python imports, by normalised name (what reveal goes to). */
  rowFor(name: string): PackageRowNode | undefined;
}

const GROUP_TITLES: Readonly<Record<PackageGroupKind, string>> = {
  nix: "From Nix",
  uv: "From uv",
  shadowed: "Shadowed",
};

const SOURCE_TITLES = { nix: "Nix", uv: "uv" } as const;

export function buildPackagesTree(provenance: Provenance | undefined): PackagesTree {
  const packages = sortPackages(provenance?.packages ?? []);
  const lockKnown = hasUvLock(packages);
  // Every copy a name's winner hides, so the winner's tooltip can list them.
  const hidden = new Map<string, PackageRecord[]>();
  for (const p of packages) {
    if (!p.shadowedBy) continue;
    const list = hidden.get(p.name);
    if (list) list.push(p);
    else hidden.set(p.name, [p]);
  }

  const rows: Record<PackageGroupKind, PackageRowNode[]> = { nix: [], uv: [], shadowed: [] };
  const groups = (["nix", "uv", "shadowed"] as const).map((group) => ({
    kind: "group" as const,
    id: `group/${group}`,
    group,
    label: GROUP_TITLES[group], // the count is added once the rows are in
    children: rows[group],
  }));
  const groupOf = { nix: groups[0]!, uv: groups[1]!, shadowed: groups[2]! };
  const byName = new Map<string, PackageRowNode>();
  const seen = new Map<string, number>(); // copies per name, to keep the Shadowed row ids unique

  for (const record of packages) {
    const group: PackageGroupKind = record.shadowedBy ? "shadowed" : record.source;
    const parent = groupOf[group];
    const copy = (seen.get(record.name) ?? 0) + 1;
    seen.set(record.name, copy);
    const drift = lockKnown && lockNote(record) !== undefined;
    const row: PackageRowNode = {
      kind: "package",
      id: group === "shadowed" ? `shadowed/${record.name}/${copy}` : `${group}/${record.name}`,
      group,
      parent,
      name: record.name,
      description: rowDescription(record, drift),
      tooltip: rowTooltip(record, record.shadowedBy ? [] : (hidden.get(record.name) ?? []), lockKnown),
      record,
      lockDrift: drift,
      ...(record.nixProvided && !record.shadowedBy ? { leftToNix: record.nixProvided.uvInstalls ? ("uvInstalls" as const) : ("leftToNix" as const) } : {}),
      nixMismatch: record.nixProvided !== undefined && !record.nixProvided.satisfied,
    };
    rows[group].push(row);
    if (!record.shadowedBy) byName.set(record.name, row);
  }
  for (const g of groups) g.label = `${GROUP_TITLES[g.group]} (${g.children.length})`;
  return {
    roots: groups.filter((g) => g.children.length > 0),
    packageCount: packages.length,
    rowFor: (name) => byName.get(name),
  };
}

/** By name, keeping import order among copies of one name (the first is the one Python imports). */
export function sortPackages(packages: readonly PackageRecord[]): PackageRecord[] {
  // Names are PEP 503 normalised (lower case ASCII), so a plain comparison is enough and much
  // faster than localeCompare; Array.prototype.sort is stable.
  return [...packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Whether the scan saw a uv.lock. Provenance does not say so directly; a venv uv synced from a lock
 * holds at least one locked package, and without a lock "not in uv.lock" on every row is noise.
 */
export function hasUvLock(packages: readonly PackageRecord[]): boolean {
  return packages.some((p) => p.source === "uv" && p.lockedVersion !== undefined);
}

/** Why a uv copy disagrees with uv.lock, or undefined when it agrees (or is not from uv). */
export function lockNote(record: PackageRecord): string | undefined {
  if (record.source !== "uv") return undefined;
  if (record.lockedVersion === undefined) return "not in uv.lock";
  return record.lockedVersion === record.version ? undefined : `uv.lock ${record.lockedVersion}`;
}

/** "nix 1.26.4" */
export function copyLabel(copy: PackageCopy): string {
  return `${copy.source} ${copy.version}`;
}

export function requirementOf(record: Pick<PackageRecord, "name" | "version">): string {
  return `${record.name}==${record.version}`;
}

function rowDescription(record: PackageRecord, drift: boolean): string {
  const base = record.shadowedBy ? `${copyLabel(record.shadowedBy)} wins over ${copyLabel(record)}` : record.version;
  // "2.5.1 · uv.lock wants 2.5.1 · not installed by uv"
  if (record.nixProvided && !record.shadowedBy) return `${base} · ${leftToNixNote(record.nixProvided)}`;
  return drift ? `${base} · ${lockNote(record)}` : base;
}

function rowTooltip(record: PackageRecord, hides: readonly PackageRecord[], lockKnown: boolean): string {
  const lines = [`**${record.name}** ${record.version} from ${SOURCE_TITLES[record.source]}`, inlineCode(record.location)];
  if (record.source === "uv" && lockKnown) {
    const note = lockNote(record);
    lines.push(
      note === undefined
        ? `Matches uv.lock (${record.lockedVersion}).`
        : record.lockedVersion === undefined
          ? "$(warning) Not in uv.lock: installed by hand, or uv.lock changed since the last sync."
          : `$(warning) uv.lock asks for ${record.lockedVersion}: Reload to sync the venv.`,
    );
  }
  const left = record.nixProvided;
  if (left) {
    lines.push(
      left.uvInstalls
        ? `uv.lock wants ${left.lockedVersion} too; uv installs its own copy as you chose (Python still imports this one first).`
        : `uv.lock wants ${left.lockedVersion} too; uv does not install it, because Nix provides it.`,
    );
    if (!left.satisfied) lines.push(`$(warning) ${left.nixVersion} does not satisfy what asks for it: ${unmetRequirements(left)}.`);
    const met = left.requirements.filter((r) => r.satisfied).map((r) => `${r.by} asks ${r.specifier}`);
    if (met.length > 0) lines.push(`Satisfies: ${met.join(", ")}.`);
  }
  const winner = record.shadowedBy;
  if (winner) {
    lines.push(
      `$(warning) Shadowed: Python imports ${SOURCE_TITLES[winner.source]}'s ${winner.version} from ${inlineCode(winner.location)}` +
        (winner.source === "nix" && record.source === "uv" ? ", because PYTHONPATH comes before the venv's site-packages." : "."),
    );
  }
  for (const h of hides) {
    lines.push(`Hides ${copyLabel(h)} in ${inlineCode(h.location)}.`);
  }
  return lines.join("\n\n");
}
