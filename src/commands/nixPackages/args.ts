// The arguments and the result of "Add Nix Package…" and "Remove Nix Package". All arguments are
// optional, in any order; each is recognised by its type:
//   hybridEnv.addNixPackage(name?: string, folder?: Uri, list?: number | string)
//   hybridEnv.removeNixPackage(package?: string | PackagesView row | PackageRecord, folder?: Uri, list?: number | string)
// The first string is the package name (skips the input box); a second string or a number picks
// the list (its 1-based number or exact label, as the CLI's --list). Both commands resolve to a
// NixPackageCommandResult, also when they fail (the failure is shown to the user as well).
import type { Uri } from "vscode";
import { isUri } from "../../platform/apis";

export interface NixPackageCommandResult {
  readonly changed: boolean;
  readonly message: string;
  /** The name as it was added or removed (the list's own spelling for a removal). */
  readonly name?: string;
  /** Add: the package's row was revealed in the Packages view after the reload. */
  readonly revealed?: boolean;
  /** Set when the command failed or was cancelled; the file is as it was. */
  readonly error?: string;
  /** The file that holds the list (relative to the folder): "nix/devshell.nix". */
  readonly file?: string;
  /** Said to the user besides the message: a rewritten name, a skipped or uncertain check. */
  readonly notes?: readonly string[];
  /** Add: what the look-up in the list's package set said (absent when it did not run). */
  readonly check?: "found" | "missing" | "skipped";
  /** Add, a name the package set lacks: the "did you mean" names offered. */
  readonly suggestions?: readonly string[];
  /** Add, from the quick pick: what it showed and how fast (for the benchmark). */
  readonly pick?: PickTimings;
}

export interface PickTimings {
  /** "nixpkgs", "local" or "none". */
  readonly source: string;
  readonly entries: number;
  /** The listing came from hybrid-env's cache (no evaluation). */
  readonly fromCache: boolean;
  /** Milliseconds from the command's start: the picker shown, and its items set. */
  readonly shownMs: number;
  readonly itemsMs: number;
}

export interface NixPackageArgs {
  name?: string;
  folder?: Uri;
  list?: number | string;
  /** Removal from a view row or a PackageRecord: a Python distribution name. */
  fromRow?: string;
}

export const CANCELLED: NixPackageCommandResult = { changed: false, message: "cancelled", error: "cancelled" };

export const cancelled = (fields: Partial<NixPackageCommandResult> = {}): NixPackageCommandResult => ({ ...CANCELLED, ...fields });

/** A failure whose message is all the user needs. */
export { NixEditError as UserError } from "../nixFileEdit";

export function failedResult(error: unknown): NixPackageCommandResult {
  const message = error instanceof Error ? error.message : String(error);
  return { changed: false, message, error: message };
}

export function parseNixPackageArgs(args: readonly unknown[]): NixPackageArgs {
  const parsed: NixPackageArgs = {};
  for (const arg of args) {
    if (isUri(arg)) parsed.folder ??= arg;
    else if (typeof arg === "number") parsed.list ??= arg;
    else if (typeof arg === "string") {
      if (parsed.name === undefined) parsed.name = arg.trim();
      else parsed.list ??= arg;
    } else if (typeof arg === "object" && arg !== null) {
      // A Packages view row ({ kind: "package", record }) or a PackageRecord.
      const record = "record" in arg ? (arg as { record: unknown }).record : arg;
      const name = (record as { name?: unknown }).name;
      if (typeof name === "string" && typeof (record as { metadataPath?: unknown }).metadataPath === "string") parsed.fromRow ??= name;
    }
  }
  return parsed;
}
