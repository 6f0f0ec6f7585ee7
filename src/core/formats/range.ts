/**
 * Reading a text trace in byte ranges, one per core (io/parallel-load.ts), for the formats whose
 * lines stand on their own. What a format tells the loader: whether a file may be read so, from
 * its head; where a range may start; and a reader that starts a range as if it had read every
 * byte before it (the head's header and origin seeded into it).
 */
import type { AbsNs } from '../trace/time';
import type { TraceReader } from './reader';
import type { ReaderOptions } from './reader-options';

/** What a reader of a later range needs to know of the file's head. */
export interface RangeSeed {
  /** The file's origin: the first event's time. */
  readonly originNs: AbsNs;
  /** `# tracer:` of the header (ftrace: the function tracer's payloads are classified by it). */
  readonly tracer: string | null;
  /** perf script: whether the samples carry the time column (the first sample decides). */
  readonly timed?: boolean;
}

/** Where a later range starts: a line start past the first event, and the head's seed. */
export interface RangeStart {
  readonly offset: number;
  readonly seed: RangeSeed;
}

/** A reader of a later range: it says when the range met state an earlier range would have set. */
export interface RangeReader extends TraceReader {
  /** Why the range cannot be read apart after all (function_graph lines met), or null. */
  readonly inOrderOnly: string | null;
  /** Lines read so far (a last line without a newline counts once finished): the next range's first line number follows. */
  readonly linesSeen: number;
}

export type RangePlan =
  | { readonly ok: true; readonly seed: RangeSeed; /** The first byte a later range may start at: past the first event's line. */ readonly minStart: number }
  | { readonly ok: false; readonly reason: string };

export interface RangeSupport {
  /** Whether the file whose first bytes are `head` (cut at a line end) may be read in ranges. */
  plan(head: Uint8Array, options: ReaderOptions): RangePlan;
  /**
   * Whether a range may start at the line `line` (without its newline): not at a line that
   * continues the record before it (a stack frame, a perf script callchain). `previousBlank`:
   * the line before it was blank.
   */
  canStartAt(line: Uint8Array, previousBlank: boolean, seed: RangeSeed): boolean;
  createRangeReader(options: ReaderOptions, start: RangeStart): RangeReader;
  /** Extra columns that hold string ids (remapped when the ranges' string tables are merged). */
  readonly stringExtras?: readonly string[];
}
