/**
 * Recognises a file's format from its content, never from its name. A sample of the head of
 * the file is run through each text reader; the format whose reader accepts the sample wins.
 */
import { FtraceTextReader } from './ftrace-text';
import type { FormatId } from '../trace/trace';
import type { TraceReader } from './reader';

/** Bytes of the file head examined. */
export const DETECT_SAMPLE_BYTES = 64 * 1024;

export type Detection = { readonly ok: true; readonly format: FormatId } | { readonly ok: false; readonly reason: string };

export function createReader(format: FormatId): TraceReader {
  switch (format) {
    case 'ftrace':
      return new FtraceTextReader();
  }
}

export function detectFormat(head: Uint8Array, fileSize: number): Detection {
  if (fileSize === 0) return { ok: false, reason: 'the file is empty' };
  const sample = head.subarray(0, Math.min(head.length, DETECT_SAMPLE_BYTES));
  const nul = sample.indexOf(0);
  if (nul >= 0) return { ok: false, reason: `binary data at byte offset ${nul} (NUL byte): not a text trace, and no binary trace format matches` };
  // Judge whole lines only: cut the sample at its last newline unless it is the whole file.
  let end = sample.length;
  if (sample.length < fileSize) {
    const nl = sample.lastIndexOf(0x0a);
    if (nl > 0) end = nl + 1;
  }
  const reader = new FtraceTextReader();
  reader.push(sample.subarray(0, end));
  const t = reader.finish(null);
  if (t.length > 0 && t.issueCount <= t.length) return { ok: true, format: 'ftrace' };
  if (t.length === 0 && t.meta.tracer !== null && t.issueCount === 0) return { ok: true, format: 'ftrace' };
  const first = t.issues[0];
  const detail = first ? ` (line ${first.line}: ${first.message})` : '';
  return { ok: false, reason: `not a recognised trace: no ftrace event lines in the first ${end} bytes${detail}` };
}
