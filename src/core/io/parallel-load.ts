/**
 * Both cores for one text trace (issue 17): the file is cut into K byte ranges at line starts
 * (K = min(jobs, size / rangeBytes)); the first range is read by the calling thread's own
 * reader (file-source.ts: what it shows while reading stays what it shows), the others by
 * worker threads (parallel-worker.ts), and the parts are merged in file order
 * (trace/trace-part.ts) into the Trace one reader would have made.
 *
 * Which files: a format with range support (formats/range.ts) whose head allows it; ftrace text
 * with function_graph lines, systrace pages and every format without range support are read
 * in order. A later range that meets function_graph lines after all makes the whole file be
 * read again in order. The memory budget counts every thread's columns and names; cancelling
 * or reaching the budget stops every range, and the merge keeps the ranges before the first
 * that stopped (the events read up to a point, as reading in order would). A worker that fails
 * becomes an issue naming its byte range, where reading then stops.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileHandle } from 'node:fs/promises';
import type { FormatId, Trace } from '../trace/trace';
import type { ByteSource } from '../trace/byte-source';
import type { TraceReader } from '../formats/reader';
import type { ReaderOptions } from '../formats/reader-options';
import type { RangeReader, RangeSeed, RangeSupport } from '../formats/range';
import { formatSpec } from '../formats/registry';
import type { MemoryBudget } from '../trace/memory-budget';
import { mergeTraceParts, tracePart, type MergeRules, type MergedPart, type TracePart } from '../trace/trace-part';
import { countAll, readRange, type RangeProgress, type RangeTask } from './parallel-range';
import { StatsCounter, adoptStats, type StatsCounts } from '../analysis/stats';

/** Smallest range worth a thread: below it, starting a worker costs more than it saves. */
export const DEFAULT_RANGE_BYTES = 32 * 1024 * 1024;

/** Bytes scanned past a tentative cut for a line a range may start at before giving that cut up. */
const CUT_SCAN_BYTES = 8 << 20;
const CUT_WINDOW_BYTES = 1 << 20;

export interface ParallelOptions {
  /**
   * Threads reading the file (`ktl --jobs`, `kernelTrace.parseJobs`): 1 reads in order, as
   * before; undefined or 0: one per core.
   */
  jobs?: number;
  /** Smallest byte range given to a thread (default 32 MiB); tests force small ones. */
  rangeBytes?: number;
  /**
   * Where the later ranges are read: worker threads (default), or this thread one after another
   * (tests of the split and merge without a worker's start-up per file).
   */
  rangeRunner?: 'worker' | 'same-thread';
  /**
   * Tests: byte offsets to cut at (each moved on to the first line at or after it where a range
   * may start) instead of the shares of the file; one range more than cuts.
   */
  cutAt?: readonly number[];
  /** Told how the file is read: the ranges' start offsets, or why it is read in order. */
  onPlan?: (plan: ReadPlan) => void;
  /**
   * Count the summary statistics (analysis/stats.ts) of each range in the thread that read it,
   * and keep their sum with the trace (computeStats then counts nothing): for callers that show
   * them (`ktl stats`, the editor). Not for formats whose ranges are joined (strace, printf):
   * the join changes events after they are read.
   */
  countStats?: boolean;
}

export type ReadPlan = { readonly starts: readonly number[] } | { readonly inOrder: string };

/** What the loader needs besides ParallelOptions (a subset of file-source.ts's LoadOptions). */
export interface ParallelLoadOptions extends ParallelOptions {
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
  readerOptions?: ReaderOptions;
}

/** Whether a range may start at `line` (RangeSupport.canStartAt with the file's seed). */
type CanStartAt = (line: Uint8Array, previousBlank: boolean) => boolean;

type RunResult = { readonly part: TracePart; readonly stopped: boolean; readonly counts: StatsCounts | null } | { readonly error: string };

/** One later range being read, by a worker or in this thread. */
interface RangeRun {
  readonly start: number;
  readonly end: number;
  progress: RangeProgress;
  readonly result: Promise<RunResult>;
  stop(text: string): void;
  terminate(): void;
}

/** Most threads one file is read with: each holds an isolate of its own (tens of MiB). */
export const MAX_JOBS = 64;

/** How many threads `jobs` asks for (0 or undefined: the cores there are), at most MAX_JOBS. */
export function parseJobs(jobs: number | undefined): number {
  if (jobs === undefined || !Number.isFinite(jobs) || jobs <= 0) return Math.min(MAX_JOBS, availableParallelism());
  return Math.min(MAX_JOBS, Math.max(1, Math.floor(jobs)));
}

/**
 * Starts reading the ranges after the first, when the file and format allow it; null to read
 * the file in order. `head`: the file's first bytes (detection's sample).
 */
export async function startParallelRead(
  fh: FileHandle,
  path: string,
  size: number,
  head: Uint8Array,
  format: FormatId,
  budget: MemoryBudget,
  what: string,
  opts: ParallelLoadOptions,
): Promise<ParallelRead | null> {
  const inOrder = (why: string): null => {
    opts.onPlan?.({ inOrder: why });
    return null;
  };
  const jobs = parseJobs(opts.jobs);
  const rangeBytes = Math.max(1, opts.rangeBytes ?? DEFAULT_RANGE_BYTES);
  const k = opts.cutAt ? opts.cutAt.length + 1 : Math.min(jobs, Math.ceil(size / rangeBytes));
  if (jobs < 2) return inOrder('one job');
  if (k < 2) return inOrder(`smaller than two ranges of ${rangeBytes} bytes`);
  const support = formatSpec(format).ranges;
  if (!support) return inOrder(`${format} is read in order (its lines depend on the lines before them)`);
  const nl = head.lastIndexOf(0x0a);
  if (nl < 0) return inOrder('no whole line in the head');
  const plan = support.plan(head.subarray(0, nl + 1), opts.readerOptions ?? {});
  if (!plan.ok) return inOrder(plan.reason);
  const starts = await cutRanges(fh, size, k, plan.minStart, (line, previousBlank) => support.canStartAt(line, previousBlank, plan.seed), opts.cutAt);
  if (starts.length < 2) return inOrder('no line to start a second range at');
  opts.onPlan?.({ starts });
  return new ParallelRead(path, size, starts, format, plan.seed, support, budget, what, opts);
}

/**
 * Range starts: 0, then for each of the k - 1 cuts (at i/k of the file, or `cutAt`'s offsets) the
 * first line start at or after it (and after `minStart`) where the format lets a range begin;
 * cuts that find none within CUT_SCAN_BYTES, or land on an earlier cut, are dropped.
 */
export async function cutRanges(fh: FileHandle, size: number, k: number, minStart: number, canStartAt: CanStartAt, cutAt?: readonly number[]): Promise<number[]> {
  const starts = [0];
  const buf = new Uint8Array(CUT_WINDOW_BYTES);
  for (let i = 1; i < k; i++) {
    // Ranges of one size, the first too: the merge and what the caller then does with the trace
    // (`ktl stats`' counts) wait for every range, so a smaller first range gains nothing (at 0.85
    // of the others the calling thread sat idle 0.5 s of 3.5 s on 1 GiB waiting for the worker,
    // CPU profiles of `ktl stats --jobs 2`; at an equal size it waits 0.02 s).
    const share = i / k;
    const target = Math.max(minStart, cutAt ? (cutAt[i - 1] as number) : Math.floor(share * size), (starts.at(-1) as number) + 1);
    const at = await lineStartFrom(fh, buf, target, size, canStartAt);
    if (at !== null && at < size && at > (starts.at(-1) as number)) starts.push(at);
  }
  return starts;
}

/**
 * The first line start p > `from` at which `support` lets a range begin. The line ending at
 * the first newline at or after `from` is not judged (its start, before `from`, is unknown:
 * "previous line blank" needs the whole line).
 */
async function lineStartFrom(fh: FileHandle, buf: Uint8Array, from: number, size: number, canStartAt: CanStartAt): Promise<number | null> {
  let pos = from;
  let prevLineStart = -1; // file offset of the line before the candidate, once known
  let prevBlank = false;
  // Bytes of the line being scanned that lie in earlier windows (a line may straddle windows).
  let carry: Uint8Array | null = null;
  while (pos < size && pos - from < CUT_SCAN_BYTES) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
    if (bytesRead === 0) return null;
    const w = buf.subarray(0, bytesRead);
    let lineStart = 0;
    for (let nl = w.indexOf(0x0a); nl >= 0; nl = w.indexOf(0x0a, lineStart)) {
      const line = carry ? concat(carry, w.subarray(lineStart, nl)) : w.subarray(lineStart, nl);
      carry = null;
      if (prevLineStart >= 0 && canStartAt(line, prevBlank)) return pos + lineStart;
      // The first line is seen from `from` on only: whether it is blank is not known.
      prevBlank = prevLineStart >= 0 && isBlank(line);
      prevLineStart = pos + lineStart;
      lineStart = nl + 1;
    }
    if (lineStart < bytesRead) carry = carry ? concat(carry, w.subarray(lineStart)) : w.slice(lineStart);
    // A line longer than the scan is not judged: the candidate after it is.
    if (carry && carry.length > CUT_WINDOW_BYTES) carry = carry.slice(0, CUT_WINDOW_BYTES);
    pos += bytesRead;
  }
  // The last line of the file, without a newline: a range may start there too.
  if (pos >= size && carry && prevLineStart >= 0 && canStartAt(carry, prevBlank)) return size - carry.length;
  return null;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Nothing but spaces, tabs and a CR. */
function isBlank(line: Uint8Array): boolean {
  for (const c of line) if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  return true;
}

export class ParallelRead {
  /** Where the calling thread's reader stops: the second range's start. */
  readonly firstEnd: number;
  private readonly runs: RangeRun[];
  /** The later ranges, read once start() is called. */
  private readonly tasks: RangeTask[] = [];
  private started = false;
  /** Bytes the calling thread has read (its range), for progress. */
  private firstBytes = 0;
  private stopping = false;
  /** ParallelOptions.countStats, for a format whose ranges need no join. */
  private readonly countStats: boolean;
  private readonly onAbort = (): void => this.stopAll(`reading cancelled at byte offset {offset} of ${this.size}; the ${this.what} before it are kept`);

  constructor(
    private readonly path: string,
    private readonly size: number,
    starts: readonly number[],
    private readonly format: FormatId,
    seed: RangeSeed,
    private readonly support: RangeSupport,
    private readonly budget: MemoryBudget,
    private readonly what: string,
    private readonly opts: ParallelLoadOptions,
  ) {
    this.firstEnd = starts[1] as number;
    this.countStats = opts.countStats === true && support.join === undefined;
    // The budget's event count (its message) includes the other ranges' events.
    const runs: RangeRun[] = [];
    budget.attach({
      get length() {
        let n = 0;
        for (const r of runs) n += r.progress.events;
        return n;
      },
    });
    for (let i = 1; i < starts.length; i++) {
      this.tasks.push({ path, start: starts[i] as number, end: starts[i + 1] ?? size, format, readerOptions: opts.readerOptions ?? {}, seed, countStats: this.countStats });
    }
    this.runs = runs;
    opts.signal?.addEventListener('abort', this.onAbort);
  }

  /**
   * Starts reading the later ranges (once; finish() starts them if nobody did). The loader starts
   * them at once, or after its first snapshot when it shows one (file-source.ts).
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.stopping) return;
    for (const task of this.tasks) this.runs.push(this.opts.rangeRunner === 'same-thread' ? this.inThread(task) : this.inWorker(task));
  }

  /** After each chunk the calling thread pushes to the first range's reader. */
  firstChunk(chunk: Uint8Array): void {
    this.firstBytes += chunk.length;
  }

  /** Total bytes read by every thread. */
  get bytesRead(): number {
    let n = this.firstBytes;
    for (const r of this.runs) n += r.progress.bytes;
    return n;
  }

  /**
   * The calling thread read its range (`stopped`: it stopped early, cancelled or over budget).
   * Waits for the other ranges and merges them after the first; `reader` is the first range's.
   */
  async finish(reader: TraceReader, stopped: boolean, source: () => ByteSource): Promise<Trace> {
    if (stopped) {
      // The first range stopped short: nothing after it is kept (reading in order stops there too).
      this.abandon();
      return reader.finish(source());
    }
    this.start();
    // The first range is finished (and counted) while the other threads may still be reading.
    // The calling thread's reader is the format's own (createReader), which counts its lines as a range reader does.
    const first = reader as Partial<RangeReader>;
    const firstLines = first.linesSeen;
    if (typeof firstLines !== 'number') throw new Error(`the ${this.format} reader does not count its lines`);
    first.endRange?.();
    const firstTrace = reader.finish(null);
    const counts: (StatsCounts | null)[] = [this.countStats ? countAll(firstTrace) : null];
    const results = await Promise.all(this.runs.map((r) => r.result));
    this.done();
    const late = results.find((r) => 'part' in r && r.part.inOrderOnly !== null);
    if (late && 'part' in late) {
      // A later range met what only reading in order gets right (function_graph lines past the head).
      return this.readInOrder(late.part.inOrderOnly as string);
    }
    const parts: TracePart[] = [tracePart(firstTrace, firstLines, true, null, first.boundary?.() ?? null).part];
    for (let i = 0; i < results.length; i++) {
      const res = results[i] as RunResult;
      const run = this.runs[i] as RangeRun;
      if ('error' in res) {
        // Reading stops where the failed range starts; the issue goes on the part before it.
        const prev = parts.at(-1) as TracePart;
        const message = `reading bytes ${run.start}..${run.end} in a worker thread failed (${res.error}); the ${this.what} from there on are not read`;
        parts[parts.length - 1] = { ...prev, issues: [...prev.issues, { line: prev.lines + 1, offset: run.start, message }], issueCount: prev.issueCount + 1, bytesRead: run.start };
        break;
      }
      parts.push(res.part);
      counts.push(res.counts);
      if (res.stopped) break;
    }
    let rules: MergeRules = {};
    if (this.support.join) {
      // The sequential pass over what each range left open and did not know (strace, printf).
      const joined = this.support.join(parts, this.opts.readerOptions ?? {});
      if ('inOrder' in joined) return this.readInOrder(joined.inOrder);
      rules = joined;
    }
    let placed: readonly MergedPart[] = [];
    const trace = mergeTraceParts(parts, source(), { ...rules, stringExtras: this.support.stringExtras ?? [], placed: (merged) => (placed = merged) });
    if (this.countStats) keepCounts(trace, placed, counts);
    return trace;
  }

  /** What only reading in order gets right was met: the file is read again, in order. */
  private async readInOrder(why: string): Promise<Trace> {
    this.opts.onPlan?.({ inOrder: why });
    const { loadTraceFile } = await import('./file-source');
    return loadTraceFile(this.path, { ...this.opts, jobs: 1, onPlan: undefined });
  }

  /** Stops and ends every later range without waiting for it (the caller keeps only the first range's events). */
  abandon(): void {
    this.stopAll('');
    for (const r of this.runs) r.terminate();
    this.done();
  }

  private done(): void {
    this.opts.signal?.removeEventListener('abort', this.onAbort);
  }

  private stopAll(text: string): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const r of this.runs) r.stop(text);
  }

  /** A range's progress: counted into the budget, reported, and the budget checked. */
  private progressed(run: RangeRun, p: RangeProgress): void {
    this.budget.columnBytes += p.columnBytes - run.progress.columnBytes;
    this.budget.stringBytes += p.stringBytes - run.progress.stringBytes;
    run.progress = p;
    this.opts.onProgress?.(this.bytesRead, this.size);
    const over = this.budget.exceeded();
    if (over !== null) this.stopAll(`${over} at byte offset {offset}; the ${this.what} read so far are kept`);
  }

  private inWorker(task: RangeTask): RangeRun {
    const worker = spawnRangeWorker(task);
    let settled = false;
    const run: RangeRun = {
      start: task.start,
      end: task.end,
      progress: { bytes: 0, events: 0, columnBytes: 0, stringBytes: 0 },
      result: new Promise<RunResult>((resolve) => {
        const settle = (r: RunResult): void => {
          if (settled) return;
          settled = true;
          resolve(r);
          void worker.terminate();
        };
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') this.progressed(run, m);
          else if (m.type === 'done') settle({ part: m.part, stopped: m.stopped, counts: m.counts });
          else if (m.type === 'error') settle({ error: m.message });
        });
        worker.on('error', (e) => settle({ error: e.message }));
        // Messages posted before the exit are delivered first; give them that turn.
        worker.on('exit', (code) => setImmediate(() => settle({ error: `the worker exited with code ${code}` })));
      }),
      stop: (text) => worker.postMessage({ type: 'stop', text }),
      terminate: () => {
        settled = true;
        void worker.terminate();
      },
    };
    return run;
  }

  private inThread(task: RangeTask): RangeRun {
    let stopText: string | null = null;
    let terminated = false;
    const run: RangeRun = {
      start: task.start,
      end: task.end,
      progress: { bytes: 0, events: 0, columnBytes: 0, stringBytes: 0 },
      result: Promise.resolve().then(() =>
        readRange(task, { stopText: () => (terminated ? '' : stopText), progress: (p) => this.progressed(run, p) }).then(
          (r): RunResult => ({ part: r.part, stopped: r.stopped, counts: r.counts }),
          (e: unknown): RunResult => ({ error: e instanceof Error ? e.message : String(e) }),
        ),
      ),
      stop: (text) => {
        stopText = text;
      },
      terminate: () => {
        terminated = true;
      },
    };
    return run;
  }
}

/**
 * The parts' counts added up as the merged trace's (ids through the merge's), kept with it
 * (analysis/stats.ts adoptStats); nothing when a part has none or they do not add up.
 */
function keepCounts(trace: Trace, placed: readonly MergedPart[], counts: readonly (StatsCounts | null)[]): void {
  const parts: { counts: StatsCounts; ids: Uint32Array }[] = [];
  for (let k = 0; k < placed.length; k++) {
    const c = counts[k];
    if (!c) return;
    parts.push({ counts: c, ids: (placed[k] as MergedPart).ids });
  }
  const counter = StatsCounter.merged(trace.strings, parts);
  if (counter.counted === trace.length) adoptStats(trace, counter);
}

type WorkerMessage =
  | ({ type: 'progress' } & RangeProgress)
  | { type: 'done'; part: TracePart; stopped: boolean; counts: StatsCounts | null }
  | { type: 'error'; message: string };

/**
 * A worker reading `task`: dist/parallel-worker.js beside the bundle this code runs in; from
 * the TypeScript sources (tests, tsx), the entry beside this file through tsx's require hook.
 */
function spawnRangeWorker(task: RangeTask): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL('./parallel-worker.ts', here).pathname;
    return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData: task });
  }
  return new Worker(new URL('./parallel-worker.js', here), { workerData: task });
}
