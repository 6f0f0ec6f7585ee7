/**
 * Recognises a file's format from its content, never from its name: each registered format
 * (registry.ts) sniffs the head of the file; the first that accepts it wins.
 */
import type { FormatId } from '../trace/trace';
import type { TraceReader } from './reader';
import { FORMATS, formatSpec } from './registry';
import type { ReaderOptions } from './reader-options';

/** Bytes of the file head examined. */
export const DETECT_SAMPLE_BYTES = 64 * 1024;

export type Detection = { readonly ok: true; readonly format: FormatId } | { readonly ok: false; readonly reason: string };

export function createReader(format: FormatId, options: ReaderOptions = {}): TraceReader {
  return formatSpec(format).createReader(options);
}

/**
 * Bytes of whole blank lines (nothing but spaces, tabs, CR) at the start of `buf`: text
 * formats are judged from the first line with something on it. `buf.length` when every byte is
 * blank (the caller reads on to find the first non-blank line: see `TextHead`).
 */
export function blankLinesLength(buf: Uint8Array): number {
  let lineStart = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i] as number;
    if (c === 0x0a) lineStart = i + 1;
    else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return lineStart;
  }
  return buf.length;
}

/** The file's bytes from `offset` (the start of its first non-blank line, found by the caller). */
export interface TextHead {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

/**
 * `head` is the start of the file (binary formats judge it as it is). Text formats judge up to
 * DETECT_SAMPLE_BYTES from the first non-blank line, cut at the last newline unless the sample
 * reaches the end of the file; when `head` is blank throughout, `textHead` gives the bytes from
 * the first non-blank line on.
 */
export function detectFormat(head: Uint8Array, fileSize: number, options: ReaderOptions = {}, textHead?: TextHead): Detection {
  if (fileSize === 0) return { ok: false, reason: 'the file is empty' };
  const sample = head.subarray(0, Math.min(head.length, DETECT_SAMPLE_BYTES));
  const text = textSample(textHead ?? { bytes: head, offset: 0 }, fileSize);
  const reasons: string[] = [];
  for (const f of FORMATS) {
    // Binary formats get the sample uncut: a pcapng's own magic is 0a 0d 0d 0a, and its
    // packets need not hold another 0x0a in the first 64 KiB.
    const why = f.sniff(f.lineKind === 'line' ? text.bytes : sample, fileSize, options);
    if (why === null) return { ok: true, format: f.id };
    reasons.push(`${f.id}: ${why}`);
  }
  const nul = sample.indexOf(0);
  if (nul >= 0) return { ok: false, reason: `binary data at byte offset ${nul} (NUL byte) and no binary trace or capture format matches` };
  const where = text.offset === 0 ? `the first ${text.bytes.length} bytes` : `bytes ${text.offset}..${text.offset + text.bytes.length} (after blank lines)`;
  return { ok: false, reason: `not a recognised trace in ${where}: ${reasons.join('; ')}` };
}

/** What the text formats sniff: whole lines from the first non-blank one, at most DETECT_SAMPLE_BYTES. */
function textSample(head: TextHead, fileSize: number): TextHead {
  const skip = blankLinesLength(head.bytes);
  const bytes = head.bytes.subarray(skip, skip + DETECT_SAMPLE_BYTES);
  const offset = head.offset + skip;
  if (offset + bytes.length >= fileSize) return { bytes, offset };
  const nl = bytes.lastIndexOf(0x0a);
  return { bytes: nl > 0 ? bytes.subarray(0, nl + 1) : bytes, offset };
}
