/**
 * What every trace reader looks like: bytes are pushed in chunks of any size (1 byte or
 * 4 MiB give the same result), `finish` returns the trace with whatever was read, and bad
 * input becomes issues on the trace (line/offset + message), never an exception. Line and
 * packet readers also show what is read so far (`snapshot`), for a first screen while reading.
 */
import type { ByteSource } from '../trace/byte-source';
import type { Trace } from '../trace/trace';

export interface TraceReader {
  push(chunk: Uint8Array): void;
  /** Reading stops early (cancelled, read error): records why, at the current position. */
  stop(message: string): void;
  /** Ends the input. `source` gives later on-demand access to the same bytes. */
  finish(source: ByteSource | null): Trace;
  /**
   * What has been read so far as a Trace (`trace.partial` set), while pushing goes on; absent
   * for formats that cannot show a prefix honestly (trace.dat builds its events at the end).
   */
  snapshot?(source: ByteSource | null): Trace;
}
