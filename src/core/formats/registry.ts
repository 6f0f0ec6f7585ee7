/**
 * Every format the readers know, in detection order. Adding a format = a room (FORMAT/ with its
 * reader, payload decoder and index.ts exporting its FormatSpec), one entry in FORMATS here, and
 * its FormatId in trace/trace.ts; detect.ts, decode.ts, the worker and `ktl` need no change.
 */
import type { FormatId, Trace } from '../trace/trace';
import type { TraceReader } from './reader';
import type { ReaderOptions } from './reader-options';
import type { DecodedPayload } from './decoded';
import type { RangeSupport } from './range';
import { PCAP, PCAPNG } from './capture';
import { TRACE_CMD_DAT } from './trace-dat';
import { TRACE_CMD_REPORT } from './trace-cmd-report';
import { FTRACE } from './ftrace';
import { PERF_SCRIPT } from './perf-script';
import { STRACE } from './strace';
import { PRINTF } from './printf';

/** What Trace.line(i) is for a format: a line of a text file, a packet number, or nothing. */
export type LineKind = 'line' | 'packet' | 'none';

export interface FormatSpec {
  readonly id: FormatId;
  readonly lineKind: LineKind;
  /**
   * Whether `head` (the first bytes of the file, cut at a line end for text formats unless it
   * is the whole file) is this format. Returns null when it is, or why it is not.
   */
  sniff(head: Uint8Array, fileSize: number, options: ReaderOptions): string | null;
  createReader(options: ReaderOptions): TraceReader;
  /**
   * What reading needs loaded first, awaited before the reader is created (trace.dat: the
   * WebAssembly zstd decoder). Never rejects; a reader created without it still works.
   */
  prepare?(): Promise<void>;
  /** Fields of event `i`, decoded on demand from the bytes the reader left in the trace. */
  decode(trace: Trace, i: number): DecodedPayload;
  /**
   * One line of display text for event `i` (the table's "Fields" column, its text filter).
   * Absent: the payload text as the file has it. Binary formats whose payload is not text
   * (packets) say something readable instead.
   */
  text?(trace: Trace, i: number): string;
  /** Reading in byte ranges on several cores (range.ts); absent: the file is read in order. */
  readonly ranges?: RangeSupport;
}

/** In detection order: captures and trace.dat by their magic, then the text formats, printf last. */
export const FORMATS: readonly FormatSpec[] = [PCAP, PCAPNG, TRACE_CMD_DAT, TRACE_CMD_REPORT, FTRACE, PERF_SCRIPT, STRACE, PRINTF];

export function formatSpec(id: FormatId): FormatSpec {
  const spec = FORMATS.find((f) => f.id === id);
  if (!spec) throw new Error(`no reader registered for format ${id}`);
  return spec;
}
