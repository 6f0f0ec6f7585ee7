/**
 * Reads one byte range of a text trace apart from the rest (a worker thread runs this; tests
 * may run it in the calling thread): the format's range reader over the file's bytes
 * [start, end), in chunks, until the end or until told to stop. Returns the range as a
 * TracePart whose column buffers can be transferred.
 */
import { open } from 'node:fs/promises';
import type { FormatId, Trace } from '../trace/trace';
import type { ReaderOptions } from '../formats/reader-options';
import type { RangeSeed } from '../formats/range';
import { formatSpec } from '../formats/registry';
import { MemoryBudget, withMemoryBudget } from '../trace/memory-budget';
import { tracePart, type TracePart } from '../trace/trace-part';
import { StatsCounter, type StatsCounts } from '../analysis/stats';
import './node-byte-search';

/** Read size, as the calling thread reads (file-source.ts). */
const CHUNK_BYTES = 1 << 20;

/** What a range's reader is given (structured-clonable: it is a worker's workerData). */
export interface RangeTask {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly format: FormatId;
  readonly readerOptions: ReaderOptions;
  readonly seed: RangeSeed;
  /** Whether to count the range's events for the summary statistics too (ParallelOptions.countStats). */
  readonly countStats: boolean;
}

/** What the range's reader has taken so far (bytes of the file, of columns, of names), after each chunk. */
export interface RangeProgress {
  readonly bytes: number;
  readonly events: number;
  readonly columnBytes: number;
  readonly stringBytes: number;
}

export interface RangeControl {
  /** Why to stop now (`{offset}` stands for the byte offset reached), or null to go on. */
  stopText(): string | null;
  progress(p: RangeProgress): void;
}

export interface RangeResult {
  readonly part: TracePart;
  /** Buffers to move with the part (its column blocks). */
  readonly transfer: ArrayBuffer[];
  /** Whether reading stopped before the range's end (cancelled, memory budget). */
  readonly stopped: boolean;
  /** The range's statistics counts (string ids the part's), when the task asked for them. */
  readonly counts: StatsCounts | null;
}

export async function readRange(task: RangeTask, control: RangeControl): Promise<RangeResult> {
  const support = formatSpec(task.format).ranges;
  if (!support) throw new Error(`${task.format} is not read in ranges`);
  // Counts what this thread allocates; the loader adds it to the file's budget and decides.
  const budget = new MemoryBudget(Infinity);
  const reader = withMemoryBudget(budget, () => support.createRangeReader(task.readerOptions, { offset: task.start, seed: task.seed }));
  const fh = await open(task.path, 'r');
  let stopped = false;
  let pos = task.start;
  /** The read in flight, if any: settled before the file is closed. */
  let next: Promise<{ bytesRead: number }> | null = null;
  try {
    // Two buffers: the next read runs on the thread pool while the reader parses this chunk (one
    // buffer left this thread idle 0.5 s of 2.9 s on a 512 MiB range, waiting for each read; the
    // reader copies whatever it keeps past a push, so a buffer is free once pushed).
    const bufs: [Uint8Array, Uint8Array] = [new Uint8Array(CHUNK_BYTES), new Uint8Array(CHUNK_BYTES)];
    let k = 0;
    const readAt = (at: number) => fh.read(bufs[k === 0 ? 0 : 1], 0, Math.min(CHUNK_BYTES, task.end - at), at);
    if (pos < task.end) next = readAt(pos);
    while (next) {
      const why = control.stopText();
      if (why !== null) {
        reader.stop(why.replace('{offset}', String(pos)));
        stopped = true;
        break;
      }
      const { bytesRead }: { bytesRead: number } = await next;
      next = null;
      if (bytesRead === 0) break;
      const chunk = bufs[k === 0 ? 0 : 1].subarray(0, bytesRead);
      k ^= 1;
      if (pos + bytesRead < task.end) next = readAt(pos + bytesRead);
      reader.push(chunk);
      pos += bytesRead;
      control.progress({ bytes: pos - task.start, events: budget.events, columnBytes: budget.columnBytes, stringBytes: budget.stringBytes });
    }
  } finally {
    await next?.catch(() => undefined);
    await fh.close();
  }
  const trace = reader.finish(null);
  const counts = task.countStats ? countAll(trace) : null;
  const { part, transfer } = tracePart(trace, reader.linesSeen, true, reader.inOrderOnly, reader.boundary?.() ?? null);
  return { part, transfer, stopped, counts };
}

/** Every event of `trace` counted (analysis/stats.ts), as data. */
export function countAll(trace: Trace): StatsCounts {
  const counter = new StatsCounter(trace.strings);
  counter.count(trace, trace.length);
  return counter.counts();
}
