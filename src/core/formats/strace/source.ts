/**
 * The byte source of each strace trace, for decoding the resumed half of a split call
 * (its bytes are elsewhere in the file than the event's record). Held weakly: it goes
 * with the trace.
 */
import type { ByteSource } from '../../trace/byte-source';
import type { Trace } from '../../trace/trace';

const sources = new WeakMap<Trace, ByteSource>();

export function rememberSource(trace: Trace, source: ByteSource): void {
  sources.set(trace, source);
}

const utf8 = new TextDecoder('utf-8');

/** Text of bytes [offset, offset + length) of the trace's file, or null when unavailable. */
export function readTraceText(trace: Trace, offset: number, length: number): string | null {
  const src = sources.get(trace);
  if (!src || offset < 0) return null;
  try {
    return utf8.decode(src.read(offset, length));
  } catch {
    return null;
  }
}
