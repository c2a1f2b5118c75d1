// Adding and removing one name in a package list found by findPackageLists, as a person would:
// inline lists stay inline, one-per-line lists get a new line indented like the last element (with
// the file's own line ending), and every changed byte lies between the list's brackets.
import { InvalidInputError } from "../errors";
import { PackageNameScopeError } from "./errors";
import { reconcileName, type ReconciledName } from "./nameScope";
import { elementIsPackage, relocateCandidate, type ListElement, type PackageListCandidate } from "./packageLists";
import { tokenize } from "./tokenizer";

export interface EditResult {
  readonly changed: boolean;
  readonly text: string;
  readonly message: string;
}

const NIX_KEYWORDS = new Set(["assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with"]);
const ATTR_SEGMENT = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const MAX_NAME_LENGTH = 200;

/** Why `name` is not a Nix attribute path (`numpy`, `python3Packages.numpy`), or undefined if it is one. */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0) return "The package name is empty.";
  if (name.length > MAX_NAME_LENGTH) return `The package name is longer than ${MAX_NAME_LENGTH} characters.`;
  const segments = name.split(".");
  if (!segments.every((s) => ATTR_SEGMENT.test(s))) {
    return (
      `${JSON.stringify(name)} is not a Nix attribute path: use letters, digits, _, ' and -, ` +
      `not starting with a digit or -, with dots between parts (numpy, python3Packages.numpy).`
    );
  }
  const keyword = segments.find((s) => NIX_KEYWORDS.has(s));
  return keyword ? `${JSON.stringify(keyword)} is a Nix keyword, not a package name.` : undefined;
}

export function assertValidPackageName(name: string): void {
  const problem = packageNameProblem(name);
  if (problem) throw new InvalidInputError(problem);
}

/** The typed name as this list writes it; throws PackageNameScopeError when it cannot go there. */
export function nameForList(text: string, candidate: PackageListCandidate, name: string): Extract<ReconciledName, { ok: true }> {
  assertValidPackageName(name);
  const reconciled = reconcileName(candidate, name, text);
  if (!reconciled.ok) throw new PackageNameScopeError(reconciled.problem);
  return reconciled;
}

export function addPackage(text: string, candidate: PackageListCandidate, name: string): EditResult {
  const { attribute, element } = nameForList(text, candidate, name);
  assertFoundIn(text, candidate);
  if (candidate.elements.some((e) => elementIsPackage(candidate, e, attribute))) {
    return { changed: false, text, message: `${attribute} is already in ${candidate.label}: no change.` };
  }
  const splice = candidate.elements.length === 0 ? insertIntoEmpty(text, candidate, element) : insertAfterLast(text, candidate, element);
  const result = text.slice(0, splice.from) + splice.insert + text.slice(splice.to);
  assertOnlyListChanged(text, result, candidate);
  return { changed: true, text: result, message: `Added ${element} to ${candidate.label}.` };
}

export function removePackage(text: string, candidate: PackageListCandidate, typed: string): EditResult {
  const name = nameForList(text, candidate, typed).attribute;
  assertFoundIn(text, candidate);
  const removed: string[] = [];
  let result = text;
  let list = candidate;
  // One occurrence at a time, the last first, looking at the list afresh each time: neighbouring
  // duplicates would otherwise both claim the space between them.
  for (;;) {
    const match = [...list.elements].reverse().find((e) => elementIsPackage(candidate, e, name));
    if (!match) break;
    const range = removalRange(result, list, match);
    result = result.slice(0, range.from) + result.slice(range.to);
    removed.push(match.text);
    list = relocateCandidate(result, list);
  }
  if (removed.length === 0) return { changed: false, text, message: `${name} is not in ${candidate.label}: no change.` };
  assertOnlyListChanged(text, result, candidate);
  return { changed: true, text: result, message: `Removed ${removed.reverse().join(", ")} from ${candidate.label}.` };
}

interface Splice {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

function assertFoundIn(text: string, c: PackageListCandidate): void {
  if (text[c.listStart] !== "[" || text[c.listEnd - 1] !== "]") throw new Error("the package list was found in another version of the text");
}

/** The promise to the user, checked rather than assumed: no byte outside the brackets changed. */
function assertOnlyListChanged(before: string, after: string, c: PackageListCandidate): void {
  const tail = before.length - (c.listEnd - 1);
  if (after.slice(0, c.listStart + 1) !== before.slice(0, c.listStart + 1) || after.slice(after.length - tail) !== before.slice(c.listEnd - 1)) {
    throw new Error(`internal error: an edit of ${c.label} reached outside the list; nothing was changed`);
  }
}

const lineStartOf = (text: string, pos: number) => text.lastIndexOf("\n", pos - 1) + 1;
const isBlank = (s: string) => /^[ \t]*$/.test(s);
/** Offset of the "\n" ending the line that holds pos (or the end of the text). */
function lineEndOf(text: string, pos: number): number {
  const i = text.indexOf("\n", pos);
  return i === -1 ? text.length : i;
}
const indentOf = (text: string, pos: number) => /^[ \t]*/.exec(text.slice(lineStartOf(text, pos)))![0];
/** The line ending to reuse for a line that ends at `newline`: CRLF files stay CRLF. */
const lineBreakAt = (text: string, newline: number) => (text[newline - 1] === "\r" ? "\r\n" : "\n");

/**
 * True when the "\n" at `newline` is real whitespace, not inside a block comment that goes on
 * past the line (cutting or splitting such a line would break the comment).
 */
function newlineOutsideComments(text: string, from: number, newline: number, listEnd: number): boolean {
  if (newline >= text.length) return false;
  const holder = tokenize(text.slice(from, listEnd - 1)).find((t) => t.start <= newline - from && newline - from < t.end);
  return holder?.kind === "whitespace";
}

/** Whether `element` (and possibly a trailing comment) is all there is on its line(s). */
function aloneOnLine(text: string, c: PackageListCandidate, element: ListElement): boolean {
  const start = lineStartOf(text, element.start);
  const end = lineEndOf(text, element.end);
  return (
    start > c.listStart &&
    end < c.listEnd - 1 &&
    isBlank(text.slice(start, element.start)) &&
    !c.elements.some((e) => e !== element && e.end > start && e.start <= end) &&
    newlineOutsideComments(text, element.end, end, c.listEnd)
  );
}

function insertAfterLast(text: string, c: PackageListCandidate, element: string): Splice {
  const last = c.elements.at(-1)!;
  if (!aloneOnLine(text, c, last)) return { from: last.end, to: last.end, insert: ` ${element}` };
  // A new line below the last element's line (below its trailing comment), indented like it.
  const newline = lineEndOf(text, last.end);
  const lineBreak = lineBreakAt(text, newline);
  const at = newline - (lineBreak.length - 1);
  return { from: at, to: at, insert: `${lineBreak}${indentOf(text, last.start)}${element}` };
}

function insertIntoEmpty(text: string, c: PackageListCandidate, element: string): Splice {
  const close = c.listEnd - 1;
  const inner = text.slice(c.listStart + 1, close);
  if (!inner.includes("\n") && isBlank(inner)) {
    // `[]` → `[numpy]`, `[ ]` → `[ numpy ]`.
    const space = inner.length > 0 ? " " : "";
    return { from: c.listStart + 1, to: close, insert: `${space}${element}${space}` };
  }
  const closeLineStart = lineStartOf(text, close);
  if (closeLineStart > c.listStart && isBlank(text.slice(closeLineStart, close))) {
    // `[\n  # comment\n]`: a line above "]", indented like the first line inside, else one step deeper than "]".
    const closeIndent = indentOf(text, close);
    const firstInner = innerLines(text, c.listStart, closeLineStart).find((l) => !isBlank(l));
    const indent = firstInner ? /^[ \t]*/.exec(firstInner)![0] : closeIndent + (closeIndent.includes("\t") ? "\t" : "  ");
    return { from: closeLineStart, to: closeLineStart, insert: `${indent}${element}${lineBreakAt(text, closeLineStart - 1)}` };
  }
  // Only comments inside, on the bracket's line: `[ /* none yet */ ]`.
  const spaceBefore = /[ \t]/.test(text[close - 1] ?? "");
  return { from: close, to: close, insert: spaceBefore ? `${element} ` : ` ${element}` };
}

/** Whole lines strictly between the line of "[" and the line starting at `end`, without line breaks. */
function innerLines(text: string, listStart: number, end: number): string[] {
  const first = lineEndOf(text, listStart) + 1;
  return first >= end ? [] : text.slice(first, end).split("\n").map((l) => l.replace(/\r$/, ""));
}

/**
 * What to cut for one element: its whole line when it is alone there (a trailing comment goes with
 * it; comments on other lines stay), else the element and the space that separated it.
 */
function removalRange(text: string, c: PackageListCandidate, element: ListElement): { from: number; to: number } {
  const lineStart = lineStartOf(text, element.start);
  if (aloneOnLine(text, c, element)) return { from: lineStart, to: lineEndOf(text, element.end) + 1 };
  let from = element.start;
  while (from > lineStart && /[ \t]/.test(text[from - 1]!)) from--;
  let to = element.end;
  while (/[ \t]/.test(text[to] ?? "")) to++;
  const somethingBefore = from > lineStart && text[from - 1] !== "[";
  const lineGoesOn = to < text.length && text[to] !== "\n" && text[to] !== "\r";
  if (somethingBefore && from < element.start) return { from, to: element.end }; // "a b" → "a"
  if (lineGoesOn) return { from: element.start, to }; // "[a b]" → "[b]", "[ a ]" → "[ ]"
  return { from, to: element.end }; // "[ a⏎" → "[⏎": no trailing space left behind
}
