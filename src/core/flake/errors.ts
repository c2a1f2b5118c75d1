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
}

/** Several package lists and no choice made: the front end asks (quick pick, --list N). */
export class AmbiguousPackageListError extends HybridEnvError {
  readonly code = "ambiguous-package-list";
  constructor(readonly candidates: readonly CandidateSummary[]) {
    super(
      `flake.nix has ${candidates.length} Python package lists; choose one with --list N:\n` +
        candidates.map((c) => `  ${c.number}: ${c.label}`).join("\n"),
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
