// The smallest replacement that turns one flake.nix text into another, for a WorkspaceEdit: the
// core's add/remove change only bytes inside the list's brackets, so this span lies there too, and
// an editor keeps its cursors, folds and other unsaved edits around it.

export interface TextReplacement {
  /** Offsets in the old text (UTF-16 code units, like TextDocument.positionAt). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function minimalReplacement(before: string, after: string): TextReplacement {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Never split a CRLF or a surrogate pair: VS Code positions cannot point between them.
  const splits = (text: string, at: number) => {
    const a = text.charCodeAt(at - 1);
    const b = text.charCodeAt(at);
    return (a === 13 && b === 10) || (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff);
  };
  while (prefix > 0 && (splits(before, prefix) || splits(after, prefix))) prefix--;
  while (suffix > 0 && (splits(before, before.length - suffix) || splits(after, after.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

export function applyReplacement(text: string, r: TextReplacement): string {
  return text.slice(0, r.start) + r.text + text.slice(r.end);
}
