/**
 * Node file access for the readers: the only place in core that touches the file system
 * (ESLint keeps `node:` imports out of the rest of core). Used by the worker, the CLI and tests.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../trace/byte-source';
import type { Trace } from '../trace/trace';
import { DETECT_SAMPLE_BYTES, blankLinesLength, createReader, detectFormat, type TextHead } from '../formats/detect';
import type { ReaderOptions } from '../formats/reader-options';
import { formatSpec } from '../formats/registry';
import { MemoryBudget, defaultMemoryBudgetBytes, withMemoryBudget } from '../trace/memory-budget';
import { startParallelRead, type ParallelOptions } from './parallel-load';
import './node-byte-search';

/** Read size: large enough that per-call overhead vanishes, small enough to stay in cache. */
const CHUNK_BYTES = 1 << 20;

/**
 * The first read is smaller: its snapshot is the first screen (and `ktl events --limit 10`
 * needs a few lines), so it should come after parsing KiBs, not a MiB with a cold JIT.
 */
const FIRST_CHUNK_BYTES = 64 * 1024;

/** Bytes read around each request: sequential scans (filters, exports) hit the window. */
const WINDOW_BYTES = 256 * 1024;

/**
 * Bytes read for a request far from the last window (a page): random access, such as the
 * timeline's one sched_switch per bucket across a 10 GB trace, would otherwise read a whole
 * WINDOW_BYTES per record (1400 buckets: 350 MB per request).
 */
const RANDOM_READ_BYTES = 4096;

export class FileByteSource implements ByteSource {
  private fd: number | null;
  readonly size: number;
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.size, offset + length);
    if (offset >= this.windowStart && end <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, end - this.windowStart);
    }
    // Sequential when it starts where the last window ends (a scan reading on); anything further
    // is a jump (per-bucket records across a range are KiBs to MiBs apart).
    const sequential = offset >= this.windowStart && offset <= this.windowStart + this.window.length + RANDOM_READ_BYTES;
    this.window = this.readAt(offset, Math.max(end - offset, sequential ? WINDOW_BYTES : RANDOM_READ_BYTES));
    this.windowStart = offset;
    return this.window.subarray(0, Math.max(0, end - offset));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private readAt(offset: number, length: number): Uint8Array {
    if (this.fd === null) throw new Error('file source is closed');
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = readSync(this.fd, buf, got, n - got, offset + got);
      if (r === 0) break;
      got += r;
    }
    return got === n ? buf : buf.subarray(0, got);
  }
}

export interface LoadOptions extends ParallelOptions {
  /** Called after each chunk with bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stops reading; the trace keeps what was read and records where it stopped. */
  signal?: AbortSignal;
  /** The user's reader options (`.vscode/kernel-trace.json`), for detection and reading. */
  readerOptions?: ReaderOptions;
  /**
   * Memory budget in bytes for the columns and string table (`ktl --max-memory`,
   * `kernelTrace.maxMemory`); default half of the machine's memory, at most 8 GiB.
   */
  maxMemoryBytes?: number;
  /**
   * Called with what is read so far (a Trace with `partial` set, sharing the reader's columns):
   * after the first chunk, then no more often than every `snapshotIntervalMs`, nor before as
   * long again as the read had taken at the last one, and only once the time spent showing the
   * last one (this call, and the requests answered between chunks since) is at most a tenth of
   * the time since it: the snapshots grow rarer as the trace and its summary grow (snapshotDue).
   * Formats without a partial view (trace.dat) are never snapshot.
   * Returning 'stop' ends the read there: loadTraceFile returns a snapshot of what was read.
   */
  onSnapshot?: (trace: Trace) => 'stop' | undefined;
  /** Minimum ms between snapshots after the first (0: after every chunk, unthrottled: `ktl events --limit`). */
  snapshotIntervalMs?: number;
  /** Bytes per read (default CHUNK_BYTES); tests read small fixtures in several chunks. */
  chunkBytes?: number;
}

/** Default for LoadOptions.snapshotIntervalMs: the editor fills in at most about once a second. */
export const SNAPSHOT_INTERVAL_MS = 1000;

/** Time since the last snapshot, as a multiple of the time showing it took, before the next. */
const SHOWN_SHARE = 10;

/**
 * A yield between chunks shorter than this (ms) answered nothing worth counting as showing: while
 * both cores parse, a yield with nothing to answer is now and then preempted (0.07 ms at the
 * median, 0.4 ms at p90 over a 300 MB read, up to 9 ms), and counting those made the snapshots
 * ever rarer — with ftrace's line scanner, 300 MB showed its first 511 events until the end.
 */
const ANSWERED_MS = 1;

/**
 * Whether the next snapshot is due `sinceMs` after the last, which took `shownMs` to show (its
 * call and the yields since that answered something), `readingMs` into the read: after
 * `intervalMs` (0: at once), after SHOWN_SHARE times the showing, and after as long as the read
 * had taken when the last was made — the gaps at least double, so a snapshot's cost, which grows
 * with what is read (the page asks for the summary, rows and timeline of it), stays a bounded
 * share of the read, and the first screen is drawn before the second snapshot comes (at 300 ms
 * after it, the 1 GiB bench drew its first rows 0.12 s later and read 26 % slower).
 */
export function snapshotDue(sinceMs: number, intervalMs: number, shownMs: number, readingMs: number): boolean {
  return intervalMs === 0 || sinceMs >= Math.max(intervalMs, SHOWN_SHARE * shownMs, readingMs);
}

/** The file's bytes for snapshots: they must not close the source the finished trace owns. */
function borrowed(source: ByteSource): ByteSource {
  return { size: source.size, read: (offset, length) => source.read(offset, length), close: () => undefined };
}

export class NotATraceError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'NotATraceError';
  }
}

/**
 * When the file starts with blank lines, the DETECT_SAMPLE_BYTES from the first non-blank line
 * (a text trace after more than 64 KiB of blank lines is still recognised); else undefined.
 * Scans on in CHUNK_BYTES reads while everything is blank: no more than reading would.
 */
async function textHeadAfterBlankLines(fh: FileHandle, head: Uint8Array, size: number): Promise<TextHead | undefined> {
  let skip = blankLinesLength(head);
  if (skip === 0 || head.length >= size) return undefined;
  if (skip === head.length) {
    // Blank throughout: find the first byte that is not blank; its line starts after the last
    // newline before it (possibly in an earlier chunk).
    const buf = new Uint8Array(CHUNK_BYTES);
    let lineStart = head.lastIndexOf(0x0a) + 1;
    let found = false;
    for (let pos = head.length; pos < size && !found; ) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      const n = blankLinesLength(chunk);
      found = n < bytesRead;
      const nl = found ? n - 1 : chunk.lastIndexOf(0x0a);
      if (nl >= 0) lineStart = pos + nl + 1;
      pos += bytesRead;
    }
    if (!found) return undefined; // blank throughout: detection refuses it from the head
    skip = lineStart;
  }
  const bytes = new Uint8Array(DETECT_SAMPLE_BYTES);
  const { bytesRead } = await fh.read(bytes, 0, DETECT_SAMPLE_BYTES, skip);
  return { bytes: bytes.subarray(0, bytesRead), offset: skip };
}

/**
 * Detects the format of the file at `path` and reads it in chunks. Throws NotATraceError when
 * the content is not a known format and the file system's errors (ENOENT, EACCES, EISDIR)
 * as they are; everything wrong *inside* a trace becomes issues on the returned Trace.
 */
export async function loadTraceFile(path: string, opts: LoadOptions = {}): Promise<Trace> {
  const fh = await open(path, 'r');
  /** The read in flight, if any: settled before the file is closed. */
  let next: Promise<{ bytesRead: number }> | null = null;
  /** Random access for the trace's records, until the trace returned owns it. */
  let source: FileByteSource | null = null;
  try {
    const { size } = await fh.stat();
    // Two buffers: the next read runs on the thread pool while the reader parses the current
    // chunk (readers copy whatever they keep past a push, so a buffer is free once pushed).
    const chunkBytes = Math.max(1, opts.chunkBytes ?? CHUNK_BYTES);
    const bufs: [Uint8Array, Uint8Array] = [new Uint8Array(Math.max(chunkBytes, DETECT_SAMPLE_BYTES)), new Uint8Array(chunkBytes)];
    const head = await fh.read(bufs[0], 0, DETECT_SAMPLE_BYTES, 0);
    const headBytes = bufs[0].subarray(0, head.bytesRead);
    const textHead = await textHeadAfterBlankLines(fh, headBytes, size);
    const detection = detectFormat(headBytes, size, opts.readerOptions, textHead);
    if (!detection.ok) throw new NotATraceError(path, detection.reason);
    await formatSpec(detection.format).prepare?.();
    // Names live in the JS heap, whose limit (V8's, per thread) is far below the machine's memory.
    const budget = new MemoryBudget(opts.maxMemoryBytes ?? defaultMemoryBudgetBytes(totalmem()), getHeapStatistics().heap_size_limit / 2);
    const reader = withMemoryBudget(budget, () => createReader(detection.format, opts.readerOptions));
    const what = formatSpec(detection.format).lineKind === 'packet' ? 'packets' : 'events';
    // Text traces on several cores: this thread reads the first range, workers the others.
    const par = await startParallelRead(fh, path, size, headBytes.slice(), detection.format, budget, what, opts);
    const end = par?.firstEnd ?? size;
    let stopped = false;
    let pos = 0;
    let k = 0;
    const snapshots = opts.onSnapshot && reader.snapshot ? { onSnapshot: opts.onSnapshot, take: reader.snapshot.bind(reader) } : null;
    const intervalMs = opts.snapshotIntervalMs ?? SNAPSHOT_INTERVAL_MS;
    /** When the last snapshot was done (performance.now() ms); null before the first. */
    let lastSnapshotMs: number | null = null;
    /**
     * ms the read lost to showing the prefix since the last snapshot: the snapshot call itself
     * and the yields between chunks, where the requests over it are answered (not the waits for reads).
     */
    let shownMs = 0;
    /** When reading began (performance.now() ms). */
    const readStartMs = performance.now();
    if (snapshots) source = new FileByteSource(path);
    // The other ranges start at once, or, when the reader shows what it reads, after the first
    // snapshot: the first screen does not wait for their threads' start-up, and a read that stops
    // there (`ktl events --limit`) starts none.
    else par?.start();
    next = fh.read(bufs[0], 0, Math.min(snapshots ? Math.min(chunkBytes, FIRST_CHUNK_BYTES) : chunkBytes, end), 0);
    for (;;) {
      if (snapshots) {
        // Let messages in (requests over the snapshot) between chunks: a read that completed
        // while the last chunk was parsed resolves without returning to the event loop. The
        // requests are answered in this turn: its time is what the read lost to showing.
        const y0 = performance.now();
        await new Promise<void>((resolve) => setImmediate(resolve));
        const yieldMs = performance.now() - y0;
        if (yieldMs >= ANSWERED_MS) shownMs += yieldMs;
      }
      // Waiting for the read is not counted (a cold disk; a pool thread waiting for a core while
      // both are parsing): counted, it made the snapshots ever rarer.
      const { bytesRead }: { bytesRead: number } = await next;
      next = null;
      if (bytesRead === 0) break;
      if (opts.signal?.aborted) {
        reader.stop(`reading cancelled at byte offset ${pos} of ${size}; the events before it are kept`);
        stopped = true;
        break;
      }
      const chunk = (k === 0 ? bufs[0] : bufs[1]).subarray(0, bytesRead);
      k ^= 1;
      next = fh.read(k === 0 ? bufs[0] : bufs[1], 0, Math.min(chunkBytes, end - pos - bytesRead), pos + bytesRead);
      reader.push(chunk);
      pos += bytesRead;
      par?.firstChunk(chunk);
      opts.onProgress?.(par?.bytesRead ?? pos, size);
      const overBudget = budget.exceeded();
      if (overBudget !== null) {
        reader.stop(`${overBudget} at byte offset ${pos} (${budget.events.toLocaleString('en-US')} ${what} read); the ${what} read so far are kept`);
        stopped = true;
        break;
      }
      // The next snapshot once the interval has passed and showing the last one (its summary,
      // the pages and timeline asked of it) took at most a tenth of the time since (the garbage
      // it leaves costs about as much again, measured: bench/first-screen.bench.mjs).
      const t0 = performance.now();
      const due = lastSnapshotMs === null || snapshotDue(t0 - lastSnapshotMs, intervalMs, shownMs, lastSnapshotMs - readStartMs);
      // With ranges read by workers, the snapshots are of the first range (until the merge).
      if (snapshots && source && pos < end && due) {
        if (snapshots.onSnapshot(snapshots.take(borrowed(source))) === 'stop') {
          par?.abandon();
          const owner = source;
          source = null;
          return snapshots.take(owner);
        }
        lastSnapshotMs = performance.now();
        shownMs = lastSnapshotMs - t0;
        par?.start();
      }
    }
    const owner = source ?? new FileByteSource(path);
    source = null;
    if (par) return await par.finish(reader, stopped, () => owner);
    return reader.finish(owner);
  } finally {
    source?.close();
    await next?.catch(() => undefined);
    await fh.close();
  }
}
