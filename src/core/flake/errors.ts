// Failures of flake.nix editing. Invalid names and unusable --list choices are InvalidInputError
// (src/core/errors.ts); these carry what a front end needs beyond a message.
import { HybridEnvError, type SuggestedAction } from "../errors";

const openLog: SuggestedAction = { kind: "open-log", label: "Open log" };

/** The text is not Nix our tokenizer understands (unterminated string or comment, unbalanced brackets). */
export class NixSyntaxError extends HybridEnvError {
  readonly code = "nix-syntax";
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`flake.nix is not valid Nix: ${reason} at line ${line}, column ${column}. Fix it, then try again.`);
  }
}

export interface CandidateSummary {
  readonly number: number;
  readonly label: string;
  /** The outputs that use the list: ["devShells.default"]. */
  readonly usedBy?: readonly string[];
}

/** Several package lists and no choice made: the front end asks (quick pick, --list N). */
export class AmbiguousPackageListError extends HybridEnvError {
  readonly code = "ambiguous-package-list";
  constructor(
    readonly candidates: readonly CandidateSummary[],
    /** Why these are the choices: "that devShells.default uses". */
    readonly why = "",
    readonly file = "flake.nix",
  ) {
    super(
      `${file} has ${candidates.length} Python package lists${why ? ` ${why}` : ""}; choose one with --list N:\n` +
        candidates.map((c) => `  ${c.number}: ${c.label}${c.usedBy ? ` — used by ${c.usedBy.length > 0 ? c.usedBy.join(", ") : "no output"}` : ""}`).join("\n"),
    );
  }
}

/** No list hybrid-env can edit in the project's Nix files. */
export class NoPackageListError extends HybridEnvError {
  readonly code = "no-package-list";
  constructor(searched: readonly string[]) {
    super(
      `No Python package list found in ${searched.join(", ")}. hybrid-env edits lists like \`myPkgs = p: with p; [ … ];\` ` +
        "(used by python3.withPackages), `python3.withPackages (ps: with ps; [ … ])`, `(ps: [ ps.numpy ])` and `with pkgs.python3Packages; [ … ]`.",
    );
  }
}

/** The edited text (or the file itself) does not parse with real Nix; the file was left as it was. */
export class FlakeParseError extends HybridEnvError {
  readonly code = "flake-parse";
  constructor(message: string, detail: string) {
    super(message, { detail, actions: [openLog] });
  }
}

/** flake.nix changed on disk between reading and writing (an editor saved it); nothing was written. */
export class FlakeChangedError extends HybridEnvError {
  readonly code = "flake-changed";
  constructor(file: string) {
    super(`${file} changed while it was being edited; nothing was written. Try again.`);
  }
}

/** A typed name that cannot go into the chosen list: another Python's package set, a top-level package. */
export class PackageNameScopeError extends HybridEnvError {
  readonly code = "package-name-scope";
}

/** Evaluating a nixpkgs package set failed (the nixpkgs is broken here, or too old for the expression). */
export class PackageSetEvalError extends HybridEnvError {
  readonly code = "package-set-eval";
  constructor(message: string, detail: string) {
    super(`${message} See the log.`, { detail, actions: [openLog] });
  }
}

/** The name is not in the list's package set; nothing was written. */
export class UnknownPackageError extends HybridEnvError {
  readonly code = "unknown-package";
  constructor(
    message: string,
    readonly suggestions: readonly string[],
  ) {
    super(message);
  }
}
