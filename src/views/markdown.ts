// Markdown helpers for tooltips built outside VS Code (pure, so unit tests can check the text).
// Paths and error messages are user data: without escaping, an `_` or `*` in them would render as
// emphasis and a `[` could start a link.

/** The characters VS Code's MarkdownString.appendText escapes. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!~|<>]/g, "\\$&");
}

/** An inline code span that survives backticks in the text. */
export function inlineCode(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** The first non-empty line of an error message: long Nix traces do not fit a tooltip or a view message. */
export function firstLine(error: Error): string {
  const line = error.message.split(/\r?\n/).find((l) => l.trim() !== "");
  return line?.trim() ?? error.name;
}
