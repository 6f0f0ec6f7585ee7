/**
 * Small helpers the text readers share: their push/stop/finish over a LineSplitter feeding a
 * TraceBuilder are the same for every line format.
 */
import type { LineSplitter } from './line-splitter';
import type { TraceBuilder } from '../trace/trace';

/** Feeds a chunk to the splitter; the builder's byte count follows what has been consumed. */
export function pushLines(splitter: LineSplitter, b: TraceBuilder, chunk: Uint8Array): void {
  splitter.push(chunk);
  b.bytesRead = splitter.bytesConsumed;
}

/**
 * A read stopped early (cancelled, over budget): the line it stopped in is dropped (only part of
 * it was read; finishing would take it for a last line cut short), and the issue names that line
 * and the byte offset it starts at.
 */
export function stopLines(splitter: LineSplitter, b: TraceBuilder, message: string): void {
  splitter.abandonPartial();
  b.bytesRead = splitter.bytesConsumed;
  b.issue(splitter.linesSeen + 1, splitter.bytesConsumed, message);
}

/**
 * Ends the lines: the last one is flushed, and when the file ends without a newline the issue
 * raised on that last line says it was cut short (a trace copied while still being written).
 */
export function finishLines(splitter: LineSplitter, b: TraceBuilder): void {
  splitter.finish();
  const last = b.issues.at(-1);
  if (splitter.endedWithoutNewline && last && last.line === splitter.linesSeen) {
    b.issues[b.issues.length - 1] = { ...last, message: `last line is cut short (no newline at end of file): ${last.message}` };
  }
  b.bytesRead = splitter.bytesConsumed;
}

/** UTF-8 byte length of the first `n` UTF-16 units of `s` (a decoded offset back to bytes). */
export function utf8Length(s: string, n: number = s.length): number {
  let bytes = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      k++;
    } else bytes += 3;
  }
  return bytes;
}

/** A line cut to 80 characters for an issue message. */
export function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The first line of a record (continuation lines such as stack frames follow it). */
export function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}

/**
 * C escapes back to their characters (`\n`, `\t`, `\x41`, `\101`, `\\`, `\"`): as trace.dat's
 * printk_formats and print fmt strings write them, and as strace quotes the buffers it prints.
 */
export function unescapeC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return /^[0-7]+$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

/**
 * Seconds a time of day (`sec`, seconds since midnight) gains over the one before it (`last`;
 * negative: none yet): a day when it jumps back by more than 12 h, i.e. midnight passed (strace
 * -t/-tt, printf times of day). The readers and their range joins (ranges.ts) share the rule:
 * reading in ranges must pass the same midnights as reading in order.
 */
export function midnightSec(last: number, sec: number): number {
  return last >= 0 && sec + 43200 < last ? 86400 : 0;
}
