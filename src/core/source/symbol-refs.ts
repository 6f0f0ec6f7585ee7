/**
 * Where a text (a trace, an oops, a log) names kernel code: `sym+0xoff/0xsize` (kprobe
 * payloads, oopses, stack traces; `foo.isra.0+0x1c/0x40`) and raw x86-64 kernel text addresses
 * (`ffffffff81a2b3c4`, `[<ffffffff...>]`), for the editor's links.
 *
 * The text is the attacker's and the scan runs on the extension host's only thread, so it is
 * bounded and linear: lines are scanned up to MAX_LINE_CHARS, the document up to
 * MAX_SCAN_CHARS, and scanning stops at MAX_LINKS. `sym+0x` is found with indexOf and the
 * symbol is walked back at most MAX_SYMBOL_CHARS, so no input makes it backtrack (a regex with
 * `(?:\.[A-Za-z0-9_]+)*` overflowed the stack on `a.` × 8 M after 3.8 s).
 */

/** Links per document; a huge log stops being scanned after this many. */
export const MAX_LINKS = 5000;
/** Characters of a document scanned for links (UTF-16 code units). */
export const MAX_SCAN_CHARS = 16 * 1024 * 1024;
/** Characters of one line scanned; the rest of a longer line is not. */
export const MAX_LINE_CHARS = 16 * 1024;
/** KSYM_NAME_LEN (512 since Linux 6.1): a longer run of name characters is not a symbol. */
export const MAX_SYMBOL_CHARS = 512;

/** One reference, on a 0-based line, columns [start, end) in UTF-16 code units. */
export interface SymbolRef {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** `sym+0xoff/0xsize`: the symbol and the offset (`0x1c`); a raw address: '' and ''. */
  readonly symbol: string;
  readonly offset: string;
  /** The raw address (lower case, no `0x`), or null for `sym+0xoff/0xsize`. */
  readonly address: string | null;
}

export interface SymbolRefScan {
  readonly refs: SymbolRef[];
  /** Why the scan did not cover the whole text, for the user; null when it did. */
  readonly limited: string | null;
}

export interface ScanOptions {
  /** Also raw kernel text addresses (only useful with a kallsyms file). */
  readonly addresses: boolean;
  readonly maxLinks?: number;
  readonly maxChars?: number;
  readonly maxLineChars?: number;
  /** Polled every few thousand lines. */
  readonly cancelled?: () => boolean;
}

/**
 * Kernel text and module addresses on x86-64 (`ffffffff80000000` and up), 16 hex digits, with or
 * without `0x`. Data pointers (`ffff88...` direct map, `ffffc9...` vmalloc, hashed `ffff90fd...`)
 * stay plain text: they are never code. Fixed length, so linear.
 */
const RAW_ADDRESS = /(?<![\w.$+])(?:0x)?(ffffffff[89a-f][0-9a-f]{7})(?![\w+])/gi;

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f; // a-z A-Z 0-9 _
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** End of `0x<hex>+` at `i`, or -1. */
function hexNumberEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== 0x30 || s.charCodeAt(i + 1) !== 0x78) return -1; // "0x"
  let j = i + 2;
  while (j < s.length && isHex(s.charCodeAt(j))) j++;
  return j > i + 2 ? j : -1;
}

/**
 * Start of the symbol that ends just before `plus`, or -1: `[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*`,
 * not preceded by a name character, `.` or `$`.
 */
function symbolStart(s: string, plus: number): number {
  let i = plus;
  const floor = Math.max(0, plus - MAX_SYMBOL_CHARS);
  while (i > floor && (isNameChar(s.charCodeAt(i - 1)) || s.charCodeAt(i - 1) === 0x2e)) i--;
  if (i === plus) return -1;
  const before = i > 0 ? s.charCodeAt(i - 1) : -1;
  if (isNameChar(before) || before === 0x2e || before === 0x24) return -1; // too long, or glued to `.`/`$`
  const first = s.charCodeAt(i);
  if (!(isNameChar(first) && !(first >= 0x30 && first <= 0x39))) return -1; // starts with a letter or _
  for (let k = i; k < plus; k++) {
    // Every `.` is followed by a name character: no `..`, no trailing `.`.
    if (s.charCodeAt(k) === 0x2e && (k + 1 === plus || s.charCodeAt(k + 1) === 0x2e)) return -1;
  }
  return i;
}

function scanLine(line: string, lineNo: number, addresses: boolean, out: SymbolRef[], max: number): void {
  for (let plus = line.indexOf('+0x'); plus !== -1 && out.length < max; plus = line.indexOf('+0x', plus + 1)) {
    const start = symbolStart(line, plus);
    if (start < 0) continue;
    const offEnd = hexNumberEnd(line, plus + 1);
    if (offEnd < 0 || line.charCodeAt(offEnd) !== 0x2f) continue; // "/"
    const end = hexNumberEnd(line, offEnd + 1);
    if (end < 0) continue;
    out.push({ line: lineNo, start, end, symbol: line.slice(start, plus), offset: line.slice(plus + 1, offEnd), address: null });
  }
  if (!addresses) return;
  RAW_ADDRESS.lastIndex = 0;
  for (let m = RAW_ADDRESS.exec(line); m !== null && out.length < max; m = RAW_ADDRESS.exec(line)) {
    out.push({ line: lineNo, start: m.index, end: m.index + m[0].length, symbol: '', offset: '', address: (m[1] as string).toLowerCase() });
  }
}

/** The references of `text`, line by line, within the bounds above (each overridable for tests). */
export function scanSymbolRefs(text: string, opts: ScanOptions): SymbolRefScan {
  const maxLinks = opts.maxLinks ?? MAX_LINKS;
  const maxChars = opts.maxChars ?? MAX_SCAN_CHARS;
  const maxLine = opts.maxLineChars ?? MAX_LINE_CHARS;
  const refs: SymbolRef[] = [];
  const stop = Math.min(text.length, maxChars);
  let cut = 0;
  let lineNo = 0;
  let at = 0;
  while (at < stop) {
    if (lineNo % 4096 === 0 && opts.cancelled?.() === true) return { refs, limited: 'cancelled' };
    const nl = text.indexOf('\n', at);
    const lineEnd = nl < 0 ? text.length : nl;
    // A line is scanned up to the per-line and the document bounds, whichever comes first.
    const scanEnd = Math.min(lineEnd, at + maxLine, stop);
    if (lineEnd - at > maxLine) cut++;
    scanLine(text.slice(at, scanEnd), lineNo, opts.addresses, refs, maxLinks);
    if (refs.length >= maxLinks) return { refs, limited: `links stop after ${maxLinks} (the first ${lineNo + 1} lines)` };
    at = lineEnd + 1;
    lineNo++;
  }
  const parts: string[] = [];
  if (text.length > maxChars) parts.push(`only the first ${maxChars} characters (${lineNo} lines) are scanned for links`);
  if (cut > 0) parts.push(`${cut} line${cut === 1 ? '' : 's'} longer than ${maxLine} characters scanned only to there`);
  return { refs, limited: parts.length > 0 ? parts.join('; ') : null };
}
