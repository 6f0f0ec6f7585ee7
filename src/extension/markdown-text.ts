/**
 * Untrusted text as plain Markdown, for hovers: no vscode here, so the unit test reads it. Trace
 * text first goes through core's visibleText (control, zero-width and bidirectional characters
 * as escapes such as `\n`, `\x1b`, `\u202e`: a U+202E cannot reverse the hover's words, a line
 * break cannot start a heading), then every ASCII punctuation character is backslash-escaped, so
 * nothing can format, link or inject HTML.
 */
import { visibleText } from '../core/trace/visible-text';

/** Characters of one value shown in a hover before it is cut with `…`. */
const MAX_TEXT = 80;

/** Plain text for a Markdown paragraph or table cell: nothing in it can format, link or inject HTML. */
export function escapeMd(text: string, max = MAX_TEXT): string {
  const flat = visibleText(text);
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/[\\`*_{}[\]()#+\-.!|<>~&:;"'=$%^@?/,]/g, '\\$&');
}
