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

export function detectFormat(head: Uint8Array, fileSize: number, options: ReaderOptions = {}): Detection {
  if (fileSize === 0) return { ok: false, reason: 'the file is empty' };
  const sample = head.subarray(0, Math.min(head.length, DETECT_SAMPLE_BYTES));
  // Text formats judge whole lines: cut the sample at its last newline unless it is the whole file.
  let end = sample.length;
  if (sample.length < fileSize) {
    const nl = sample.lastIndexOf(0x0a);
    if (nl > 0) end = nl + 1;
  }
  const reasons: string[] = [];
  for (const f of FORMATS) {
    const why = f.sniff(sample.subarray(0, end), fileSize, options);
    if (why === null) return { ok: true, format: f.id };
    reasons.push(`${f.id}: ${why}`);
  }
  const nul = sample.indexOf(0);
  if (nul >= 0) return { ok: false, reason: `binary data at byte offset ${nul} (NUL byte) and no binary trace or capture format matches` };
  return { ok: false, reason: `not a recognised trace in the first ${end} bytes: ${reasons.join('; ')}` };
}
