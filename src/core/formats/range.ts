/**
 * Reading a text trace in byte ranges, one per core (io/parallel-load.ts), for the formats whose
 * lines stand on their own. What a format tells the loader: whether a file may be read so, from
 * its head; where a range may start; and a reader that starts a range as if it had read every
 * byte before it (the head's header and origin seeded into it).
 */
import type { AbsNs } from '../trace/time';
import type { MergeRules, TracePart } from '../trace/trace-part';
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
  /**
   * strace: the first task's pid (lines without a pid column are its) when the head learnt it;
   * -1 when the head did not (a later range assumes -1, and the join checks that it was).
   */
  readonly firstPid?: number;
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
  /**
   * Formats with a join (RangeSupport.join): told before finish that the reader's range is not
   * the file's end (the calling thread's reader of the first range), so what the end of the file
   * reports is left to the join.
   */
  endRange?(): void;
  /** Formats with a join: what the range left open at its end and did not know at its start, after finish. */
  boundary?(): RangeBoundary;
}

/** A range's boundary state (structured-clonable) and the buffers in it to move, not copy. */
export interface RangeBoundary {
  readonly state: unknown;
  readonly transfer: readonly ArrayBuffer[];
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
  /**
   * Formats whose lines depend on earlier lines (strace, printf): the sequential pass, in file
   * order, over the parts' boundary states (TracePart.boundary) before they are merged. It may
   * replace parts (their issue lists) and returns what the merge must do besides concatenating
   * (stand-in strings, columns to fix), or why the file must be read in order after all.
   */
  join?(parts: TracePart[], options: ReaderOptions): MergeRules | { readonly inOrder: string };
}
