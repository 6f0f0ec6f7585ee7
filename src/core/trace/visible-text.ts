/**
 * Trace text, file names and workspace settings are the attacker's. Characters that do not show
 * as themselves — C0 controls (line breaks, ESC for terminal sequences), DEL, C1 controls, the
 * zero-width and direction marks (U+200B–U+200F, the Arabic letter mark U+061C), the
 * line/paragraph separators (U+2028/2029), the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the
 * "Trojan Source" characters) and the BOM (U+FEFF) — are shown as escapes instead: `\n`, `\r`,
 * `\t`, `\x1b`, `\u202e`. The result is one line that reads in the order it is stored, so it is
 * inert in a shell comment and cannot reorder or hide the text around it in a table or a hover.
 *
 * One function for every side: core (generated scripts), the extension (hovers) and, through
 * src/protocol/visible-text.ts, the webview (webview/dom.ts puts every text through it).
 */

/** The characters `visibleText` escapes (one class, so the test and the replacement agree). */
const CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff]';
const ANY = new RegExp(CLASS);
const ALL = new RegExp(CLASS, 'g');

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `s` with every invisible or control character written as an escape (`\n`, `\x1b`, `\u202e`).
 * `keepLineBreaks`: `\n` stays a line break, for text shown on several lines on purpose (a
 * trace.dat `kernel_stack` event's frames in the details pane); `\r` and U+2028/2029 are still
 * escapes.
 */
export function visibleText(s: string, keepLineBreaks = false): string {
  // Fast path: the table redraws dozens of cells a frame and almost none hold such characters.
  if (!ANY.test(s)) return s;
  return s.replace(ALL, (c) => (keepLineBreaks && c === '\n' ? c : escape(c)));
}
