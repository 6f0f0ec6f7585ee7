/**
 * Just the candidate definitions of a file, for the parser. A lookup of a few names in a
 * 300 KB file (net/core/dev.c) needs a few functions, not the file: parsing whole files was
 * 13 of the 23 s of a cold lookup of 1,000 names over a full kernel tree. The other lines are
 * emptied (their newlines kept), so every row tree-sitter reports is the file's own row and
 * nothing has to be shifted back.
 *
 * A span is found by kernel layout, which the candidate search already relies on: the
 * definition starts at column 0, the return type may be on the lines just above
 * (`static int\nfoo(`), and the body ends at the first `}` in column 0. A candidate that is
 * a prototype (`;` before any `{`) yields nothing worth parsing; a span that does not end
 * within MAX_SPAN_LINES makes the caller parse the whole file instead.
 */

/** Longest function body taken as a span (lines); the longest in Linux 6.1 is ~2,000. */
const MAX_SPAN_LINES = 8000;
/** Lines above a candidate that may hold its storage class and return type. */
const MAX_HEAD_LINES = 4;

/**
 * `text` with every line outside the spans of `candidateLines` (1-based) made empty, or null
 * when a span could not be delimited (parse the whole file).
 */
export function definitionSpansText(text: string, candidateLines: readonly number[]): string | null {
  const lines = text.split('\n');
  const keep = new Uint8Array(lines.length);
  for (const candidate of candidateLines) {
    const at = candidate - 1;
    if (at < 0 || at >= lines.length) continue;
    const span = spanAt(lines, at);
    if (span === null) return null;
    if (span === 'prototype') continue;
    keep.fill(1, span[0], span[1] + 1);
  }
  let out = '';
  for (let k = 0; k < lines.length; k++) {
    if (k > 0) out += '\n';
    if (keep[k] === 1) out += lines[k] as string;
  }
  return out;
}

/** [first, last] rows (0-based) of the definition whose name is on row `at`. */
function spanAt(lines: readonly string[], at: number): [number, number] | 'prototype' | null {
  let first = at;
  for (let k = at - 1; k >= 0 && at - k <= MAX_HEAD_LINES; k--) {
    const l = (lines[k] as string).trimEnd();
    // A blank line, a preprocessor line, the end of something else: the head stops above it.
    if (l === '' || l.startsWith('#') || /[;{}]$|\*\/$|\\$/.test(l)) break;
    first = k;
  }
  let opened = false;
  for (let k = at; k < lines.length && k - at <= MAX_SPAN_LINES; k++) {
    const l = lines[k] as string;
    if (opened && l.startsWith('}')) return [first, k];
    if (opened) continue;
    const brace = l.indexOf('{');
    if (brace >= 0) {
      opened = true;
      // A body on one line (`static inline int foo(void) { return 0; }`, common in headers).
      if (closesOnLine(l, brace)) return [first, k];
    } else if (/;\s*(?:\/\*.*|\/\/.*)?$/.test(l)) {
      // Before the body opens, a `;` ends a prototype (`int foo(int a);`, over several lines too).
      return 'prototype';
    }
  }
  return null;
}

/** Whether the braces opened at `from` are all closed again on this line. */
function closesOnLine(line: string, from: number): boolean {
  let depth = 0;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return true;
  }
  return false;
}

/**
 * The top-level block holding `line` (1-based) by kernel layout: from just after the previous
 * column-0 `}` to the column-0 `}` that closes the body around the line (whose `{` is in
 * column 0, as kernel style puts a function's). Null when the line is not inside such a body.
 * Returns 1-based [first, close].
 */
export function layoutBlockAround(text: string, line: number): [number, number] | null {
  const lines = text.split('\n');
  const at = line - 1;
  if (at < 0 || at >= lines.length) return null;
  let open = -1;
  for (let k = at; k >= 0 && at - k <= MAX_SPAN_LINES; k--) {
    const l = lines[k] as string;
    if (l.startsWith('}') && k !== at) return null;
    if (l.startsWith('{')) {
      open = k;
      break;
    }
  }
  if (open < 0) return null;
  let close = -1;
  for (let k = Math.max(at, open + 1); k < lines.length && k - open <= MAX_SPAN_LINES; k++) {
    if ((lines[k] as string).startsWith('}')) {
      close = k;
      break;
    }
  }
  if (close < 0) return null;
  let first = open;
  while (first > 0 && !(lines[first - 1] as string).startsWith('}')) first--;
  return [first + 1, close + 1];
}

/** `text` with only rows [first, last] (1-based) kept, the others emptied (rows stay where they are). */
export function keepRows(text: string, first: number, last: number): string {
  return text
    .split('\n')
    .map((l, k) => (k + 1 >= first && k + 1 <= last ? l : ''))
    .join('\n');
}
