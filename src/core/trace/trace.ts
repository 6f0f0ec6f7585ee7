/**
 * The event model: one Trace = columnar tables in typed arrays, strings interned once.
 *
 * Time (time.ts): the trace keeps its absolute origin (the first event's time) as bigint
 * nanoseconds (AbsNs); each event carries a number of nanoseconds relative to it (RelNs), exact
 * for spans up to 104 days.
 * Events stay in file order; `tsNs` may go backwards where the file does (concatenated
 * traces, per-CPU buffers printed unmerged).
 */
import type { ByteSource } from './byte-source';
import { BLOCK_SIZE, float64Column, int32Column, uint16Column, uint32Column, type BlockColumn } from './columns';
import { StringTable } from './strings';
import { absAt, absNs, absFromSecNs, relNs, type AbsNs, type RelNs } from './time';
import { activeMemoryBudget, type MemoryBudget } from './memory-budget';

/** Every format a reader exists or is planned for (registry.ts maps each to its reader). */
export type FormatId = 'ftrace' | 'trace-cmd-dat' | 'trace-cmd-report' | 'perf-script' | 'strace' | 'printf' | 'pcap' | 'pcapng';

/** Where event times come from; shown to the user because it changes what a duration means. */
export type TimeSource =
  /** Timestamps printed by the kernel (seconds.fraction). */
  | 'timestamps'
  /** Integer timestamps of a counter clock (`trace_clock` counter, x86-tsc): units are ticks, not ns. */
  | 'counter'
  /** latency-format output: microseconds since the start of the latency trace. */
  | 'latency-us'
  /** function_graph without funcgraph-abstime: times estimated per CPU from call durations. */
  | 'funcgraph-durations'
  /** strace -t/-tt: the time of day as written (seconds since that day's local midnight, a passed midnight adds 86400); shown as HH:MM:SS.uuuuuu. */
  | 'time-of-day'
  /** No event carried a time (strace without -t/-tt/-ttt/-r, printf lines without one): all 0, file order only. */
  | 'none';

export interface TraceIssue {
  /** 1-based line number in the file. */
  readonly line: number;
  /** Byte offset of the start of that line. */
  readonly offset: number;
  readonly message: string;
}

export interface LostEvents {
  readonly cpu: number;
  /** Number of events the kernel dropped, or null when it did not say (`[LOST EVENTS]`). */
  readonly count: number | null;
  readonly line: number;
  /** Index of the first event after the gap. */
  readonly beforeEvent: number;
}

export interface BufferStart {
  readonly cpu: number;
  readonly line: number;
  readonly beforeEvent: number;
}

export interface TraceMeta {
  readonly format: FormatId;
  /** `# tracer: X` from the header, or null when the file has none (trace_pipe output). */
  tracer: string | null;
  /** `#P:N` from the header: CPUs the kernel had online. */
  onlineCpus: number | null;
  /** `entries-in-buffer/entries-written` from the header. */
  entriesInBuffer: number | null;
  entriesWritten: number | null;
  timeSource: TimeSource;
  /** True when some event line carried a record-tgid column. */
  hasTgid: boolean;
  /** What ended the recording, from a `# ktl: stopped by …` header line (core/record/trace-file.ts); absent without one (so dumps of other traces are unchanged). */
  stoppedBy?: string;
}

/** Per-event raw record: where its text lives in the source, for on-demand decoding. */
export interface RecordRange {
  readonly offset: number;
  readonly length: number;
  /** Offset of the payload (what follows `EVENT: `) within the record. */
  readonly payloadStart: number;
}

/** Events from `fromEvent` on count their lines (the `line` column) from `baseLine`. */
export interface LineSegment {
  readonly fromEvent: number;
  readonly baseLine: number;
}

/** Events beyond 2^53 ns of the origin whose exact times are kept (~100 bytes each). */
export const MAX_EXACT_TIMES = 1_000_000;

/** Cap on stored issues; the count of all issues is kept separately. */
export const MAX_STORED_ISSUES = 1000;

export class Trace {
  readonly strings: StringTable;
  readonly meta: TraceMeta;
  readonly originNs: AbsNs;
  readonly lost: readonly LostEvents[];
  readonly bufferStarts: readonly BufferStart[];
  readonly issues: readonly TraceIssue[];
  readonly issueCount: number;
  /** Bytes of input consumed (the whole file unless reading stopped early). */
  readonly bytesRead: number;
  private readonly cols: Columns;
  private readonly extras: ReadonlyMap<string, ExtraColumn>;
  /** Exact absolute times of the events too far from the origin for a float64 of ns (see absNs). */
  private readonly exactNs: ReadonlyMap<number, AbsNs>;
  /** Where the `line` column's counts start (see TraceBuilder.lineSegments). */
  private readonly lineSegments: readonly LineSegment[];
  private source: ByteSource | null;
  /** Events in this trace: all the builder's, or (a snapshot) those pushed when it was taken. */
  readonly length: number;
  /**
   * Null for a whole trace; for a snapshot of one still being read (TraceBuilder.snapshot), how
   * far the read had got: events below `settled` no longer change as more is read.
   */
  readonly partial: { readonly settled: number } | null;

  /** @internal built by TraceBuilder.finish and TraceBuilder.snapshot */
  constructor(b: TraceBuilder, source: ByteSource | null, frozen?: Frozen) {
    this.strings = b.strings;
    this.meta = frozen?.meta ?? b.meta;
    this.originNs = b.originNs ?? absNs(0n);
    this.lost = frozen?.lost ?? b.lost;
    this.bufferStarts = frozen?.bufferStarts ?? b.bufferStarts;
    this.issues = frozen?.issues ?? b.issues;
    this.issueCount = frozen?.issueCount ?? b.issueCount;
    this.bytesRead = frozen?.bytesRead ?? b.bytesRead;
    this.length = frozen?.length ?? b.length;
    this.partial = frozen ? { settled: frozen.settled } : null;
    this.cols = b.cols;
    this.extras = b.extras;
    this.exactNs = b.exactNs;
    this.lineSegments = b.lineSegments;
    this.source = source;
  }

  /**
   * Absolute time of event `i`, ns: exact at any distance from the origin (a capture whose
   * packets span more than 104 days keeps those packets' own times), where tsNs() is exact
   * within 2^53 ns of the origin only.
   */
  absNs(i: number): AbsNs {
    return this.exactNs.get(i) ?? absAt(this.originNs, relNs(Math.round(this.cols.tsNs.get(i))));
  }

  /**
   * A format-specific per-event column (e.g. a capture's original packet length), or
   * undefined when the reader did not make one. Values exist for every event.
   */
  extra(name: string): { get(i: number): number } | undefined {
    return this.extras.get(name);
  }

  tsNs(i: number): RelNs {
    return relNs(this.cols.tsNs.get(i));
  }
  cpu(i: number): number {
    return this.cols.cpu.get(i);
  }
  pid(i: number): number {
    return this.cols.pid.get(i);
  }
  /** Thread-group id from the record-tgid column; -1 when absent or printed as `(-------)`. */
  tgid(i: number): number {
    return this.cols.tgid.get(i);
  }
  commId(i: number): number {
    return this.cols.comm.get(i);
  }
  comm(i: number): string {
    return this.strings.get(this.cols.comm.get(i));
  }
  eventId(i: number): number {
    return this.cols.event.get(i);
  }
  event(i: number): string {
    return this.strings.get(this.cols.event.get(i));
  }
  flags(i: number): string {
    return this.strings.get(this.cols.flags.get(i));
  }
  /** 1-based line number of the event in the source file. */
  line(i: number): number {
    const segs = this.lineSegments;
    let s = segs.length - 1;
    if (s > 0) {
      // The last segment starting at or before i (a file has one unless it passes 2^32 lines).
      let lo = 0;
      while (lo < s) {
        const mid = (lo + s + 1) >>> 1;
        if ((segs[mid] as LineSegment).fromEvent <= i) lo = mid;
        else s = mid - 1;
      }
    }
    return (s >= 0 ? (segs[s] as LineSegment).baseLine : 0) + this.cols.line.get(i);
  }
  record(i: number): RecordRange {
    return { offset: this.cols.recOffset.get(i), length: this.cols.recLength.get(i), payloadStart: this.cols.payloadStart.get(i) };
  }

  /** The event's full record text (its line plus continuation lines such as stack frames). */
  recordText(i: number): string {
    const r = this.record(i);
    return this.decode(r.offset, r.length);
  }

  /** The payload text: what follows `EVENT: ` (continuation lines included). */
  payloadText(i: number): string {
    const r = this.record(i);
    return this.decode(r.offset + r.payloadStart, r.length - r.payloadStart);
  }

  /**
   * A column's blocks, for passes over many events (analysis/stats.ts): BLOCK_SIZE events per
   * block (columns.ts), the last one holding events up to `length` (a snapshot's blocks may
   * hold more, unsettled, past it). One typed-array load per value instead of a call; read only.
   */
  columnBlocks<K extends ColumnName>(name: K): readonly ColumnBlock<K>[] {
    return this.cols[name].blockList as readonly ColumnBlock<K>[];
  }

  /** Bytes held by the columns (not the string table). */
  columnBytes(): number {
    let n = 0;
    for (const c of Object.values(this.cols)) n += c.byteLength();
    return n;
  }

  /** @internal The columns themselves, for moving a trace read in another thread (trace-part.ts). */
  content(): { readonly cols: Columns; readonly extras: ReadonlyMap<string, ExtraColumn>; readonly exactNs: ReadonlyMap<number, AbsNs>; readonly lineSegments: readonly LineSegment[] } {
    return { cols: this.cols, extras: this.extras, exactNs: this.exactNs, lineSegments: this.lineSegments };
  }

  close(): void {
    this.source?.close();
    this.source = null;
  }

  private decode(offset: number, length: number): string {
    if (!this.source) throw new Error('trace source is closed');
    return utf8.decode(this.source.read(offset, length));
  }
}

const utf8 = new TextDecoder('utf-8');

/**
 * What a snapshot copies of a builder still being filled: the lists and counts that grow. The
 * columns, string table and exact times are shared, not copied: they are append-only, so a
 * snapshot is a length over them (an event's own values may still be completed in place, e.g.
 * continuation lines; `settled` says below which index they no longer are).
 */
interface Frozen {
  readonly length: number;
  readonly settled: number;
  readonly meta: TraceMeta;
  readonly lost: readonly LostEvents[];
  readonly bufferStarts: readonly BufferStart[];
  readonly issues: readonly TraceIssue[];
  readonly issueCount: number;
  readonly bytesRead: number;
}

function makeColumns() {
  return {
    tsNs: float64Column(),
    cpu: uint16Column(),
    pid: int32Column(),
    tgid: int32Column(),
    comm: uint32Column(),
    event: uint32Column(),
    flags: uint32Column(),
    line: uint32Column(),
    recOffset: float64Column(),
    recLength: uint32Column(),
    payloadStart: uint32Column(),
  };
}
export type Columns = ReturnType<typeof makeColumns>;
export type ColumnName = keyof Columns;
/** One block of a column: Float64Array for tsNs, Uint16Array for cpu, and so on. */
export type ColumnBlock<K extends ColumnName> = ReturnType<Columns[K]['appendBlock']>;
/** The block currently being filled, per column. */
type Blocks = { [K in keyof Columns]: ReturnType<Columns[K]['appendBlock']> };
/**
 * Events' values column by column, as a bulk reader stages them (the ftrace line scanner): the
 * `line` values are already relative to the current line segment (TraceBuilder.lineBase).
 */
export type ScannedColumns = Blocks;

export type ExtraColumn = BlockColumn<Float64Array> | BlockColumn<Int32Array> | BlockColumn<Uint32Array>;

/**
 * One event's columns as a reader hands them to TraceBuilder.push. A reader keeps one (from
 * newEventRecord) and refills it for every event: no object per event on the hot path. String
 * fields are ids from the builder's `strings`.
 */
export interface EventRecord {
  tsNs: RelNs;
  cpu: number;
  /** -1 when unknown. */
  pid: number;
  /** -1 when absent. */
  tgid: number;
  commId: number;
  eventId: number;
  flagsId: number;
  /** 1-based line number in the file (0 for binary formats). */
  line: number;
  /** Where the record's bytes are in the source, and where its payload starts within them. */
  recOffset: number;
  recLength: number;
  payloadStart: number;
}

export function newEventRecord(): EventRecord {
  return { tsNs: relNs(0), cpu: 0, pid: -1, tgid: -1, commId: 0, eventId: 0, flagsId: 0, line: 0, recOffset: 0, recLength: 0, payloadStart: 0 };
}

/** Accumulates events as a reader finds them; `finish` freezes them into a Trace. */
export class TraceBuilder {
  /** What this builder's columns and strings draw on (memory-budget.ts), if reading has a budget. */
  private readonly budget: MemoryBudget | null = activeMemoryBudget();
  readonly strings = new StringTable(this.budget);
  readonly cols: Columns = makeColumns();
  readonly extras = new Map<string, ExtraColumn>();
  readonly lost: LostEvents[] = [];
  readonly bufferStarts: BufferStart[] = [];
  readonly issues: TraceIssue[] = [];
  issueCount = 0;
  bytesRead = 0;
  originNs: AbsNs | null = null;
  /** Exact absolute times (ns) of events beyond 2^53 ns from the origin, at most MAX_EXACT_TIMES. */
  readonly exactNs = new Map<number, AbsNs>();
  /**
   * Line numbers: a file of 10 GB can pass 2^32 lines (blank and comment lines count too), so
   * the Uint32 `line` column holds each event's line minus the base line of its segment: a
   * segment starts at the first event and wherever an event's line is 2^32 or more past the
   * segment's base (or before it). One segment unless a file has 4 Gi lines; at most one more
   * per 4 GiB of newlines. Segments move with the column (trace-part.ts merges them).
   */
  readonly lineSegments: LineSegment[] = [];
  readonly meta: TraceMeta;
  /** Origin split as (whole seconds, nanoseconds) so per-event offsets need no bigint math. */
  private originSec = 0;
  private originFracNs = 0;
  /** The base line of the last line segment. */
  private segmentBase = 0;
  /** Events pushed, and the fill position in the current blocks (BLOCK_SIZE = start a new one). */
  private count = 0;
  private fill = BLOCK_SIZE;
  private w: Blocks | null = null;

  constructor(format: FormatId) {
    this.meta = {
      format,
      tracer: null,
      onlineCpus: null,
      entriesInBuffer: null,
      entriesWritten: null,
      timeSource: 'timestamps',
      hasTgid: false,
    };
    this.budget?.attach(this);
  }

  get length(): number {
    return this.count;
  }

  /**
   * Declares a format-specific per-event column. The reader pushes exactly one value per event
   * into it (finish checks), e.g. `caplen`/`origLen`/`interface` for captures.
   */
  extraColumn(name: string, kind: 'f64' | 'i32' | 'u32'): ExtraColumn {
    if (this.extras.has(name)) throw new Error(`extra column ${name} declared twice`);
    const col = kind === 'f64' ? float64Column() : kind === 'i32' ? int32Column() : uint32Column();
    this.extras.set(name, col);
    return col;
  }

  /**
   * Nanoseconds since the origin of an absolute time given as whole seconds + nanoseconds.
   * The first call sets the origin.
   */
  relativeNs(sec: number, fracNs: number): RelNs {
    if (this.originNs === null) {
      this.originNs = absFromSecNs(sec, fracNs);
      this.originSec = sec;
      this.originFracNs = fracNs;
    }
    return relNs((sec - this.originSec) * 1e9 + (fracNs - this.originFracNs));
  }

  /**
   * Keeps the exact time of event `index` when its offset from the origin is past what a
   * float64 of ns holds exactly (2^53 ns, 104 days). False once MAX_EXACT_TIMES are kept.
   */
  keepExactTime(index: number, sec: number, fracNs: number): boolean {
    if (this.exactNs.size >= MAX_EXACT_TIMES) return false;
    this.exactNs.set(index, absFromSecNs(sec, fracNs));
    return true;
  }

  /** Appends one event (the record is copied; the reader reuses it). Returns its index. */
  push(r: EventRecord): number {
    // All columns grow in lockstep: one block check per event, then plain typed-array stores.
    if (this.fill === BLOCK_SIZE) this.newBlocks();
    const k = this.fill++;
    const w = this.w as Blocks;
    w.tsNs[k] = r.tsNs;
    w.cpu[k] = r.cpu;
    w.pid[k] = r.pid;
    w.tgid[k] = r.tgid;
    w.comm[k] = r.commId;
    w.event[k] = r.eventId;
    w.flags[k] = r.flagsId;
    let dLine = r.line - this.segmentBase;
    if (!(dLine >= 0 && dLine <= 0xffffffff) || this.count === 0) {
      this.lineSegments.push({ fromEvent: this.count, baseLine: r.line });
      this.segmentBase = r.line;
      dLine = 0;
    }
    w.line[k] = dLine;
    w.recOffset[k] = r.recOffset;
    w.recLength[k] = r.recLength;
    // Readers that find the payload in decoded text convert its offset back to bytes; invalid
    // UTF-8 (decoded as U+FFFD) can push that past the record. Keep it inside.
    w.payloadStart[k] = Math.min(r.payloadStart, r.recLength);
    return this.count++;
  }

  /**
   * The `line` column's value for an event on `line`, when appendColumns may store `n` events on
   * the lines from `line` on in the current line segment; null when push must (the first event,
   * or a new segment).
   */
  lineBase(line: number, n: number): number | null {
    if (this.count === 0) return null;
    const d = line - this.segmentBase;
    return d >= 0 && d + n <= 0xffffffff ? d : null;
  }

  /**
   * Appends the first `n` events of `src` (what push would store for them, `line` from
   * lineBase), copying block by block. Readers with extra columns push instead.
   */
  appendColumns(src: ScannedColumns, n: number): void {
    if (this.extras.size > 0) throw new Error('appendColumns: this builder has extra columns');
    for (let from = 0; from < n; ) {
      if (this.fill === BLOCK_SIZE) this.newBlocks();
      const m = Math.min(n - from, BLOCK_SIZE - this.fill);
      const w = this.w as Blocks;
      const at = this.fill;
      w.tsNs.set(src.tsNs.subarray(from, from + m), at);
      w.cpu.set(src.cpu.subarray(from, from + m), at);
      w.pid.set(src.pid.subarray(from, from + m), at);
      w.tgid.set(src.tgid.subarray(from, from + m), at);
      w.comm.set(src.comm.subarray(from, from + m), at);
      w.event.set(src.event.subarray(from, from + m), at);
      w.flags.set(src.flags.subarray(from, from + m), at);
      w.line.set(src.line.subarray(from, from + m), at);
      w.recOffset.set(src.recOffset.subarray(from, from + m), at);
      w.recLength.set(src.recLength.subarray(from, from + m), at);
      w.payloadStart.set(src.payloadStart.subarray(from, from + m), at);
      this.fill += m;
      this.count += m;
      from += m;
    }
  }

  /**
   * Counts `bytes` of memory the reader holds besides the columns and names (the ftrace line
   * scanner's WebAssembly memory) in the read's budget, if it has one.
   */
  countReaderBytes(bytes: number): void {
    if (this.budget) this.budget.columnBytes += bytes;
  }

  /** The origin as relativeNs splits it (whole seconds, ns), once the first time set it; else null. */
  get originSplit(): readonly [number, number] | null {
    return this.originNs === null ? null : [this.originSec, this.originFracNs];
  }

  private newBlocks(): void {
    const c = this.cols;
    if (this.budget) {
      // Extra columns grow in lockstep (one value per event): count their next block now too.
      let rowBytes = 0;
      for (const col of Object.values(c)) rowBytes += col.bytesPerValue;
      for (const col of this.extras.values()) rowBytes += col.bytesPerValue;
      this.budget.columnBytes += rowBytes * BLOCK_SIZE;
    }
    this.w = {
      tsNs: c.tsNs.appendBlock(),
      cpu: c.cpu.appendBlock(),
      pid: c.pid.appendBlock(),
      tgid: c.tgid.appendBlock(),
      comm: c.comm.appendBlock(),
      event: c.event.appendBlock(),
      flags: c.flags.appendBlock(),
      line: c.line.appendBlock(),
      recOffset: c.recOffset.appendBlock(),
      recLength: c.recLength.appendBlock(),
      payloadStart: c.payloadStart.appendBlock(),
    };
    this.fill = 0;
  }

  /**
   * Extends the last event's record to `end` (continuation lines such as stack frames). Not past
   * 4 GiB - 1 bytes (the Uint32 length column): a record of more continuation lines than that
   * (a hostile file) keeps its first 4 GiB instead of wrapping to a length of a few bytes.
   */
  extendLast(end: number): void {
    const i = this.count - 1;
    if (i < 0) return;
    const length = end - this.cols.recOffset.get(i);
    if (length <= 0xffffffff) this.cols.recLength.set(i, length);
  }

  setTs(i: number, tsNs: RelNs): void {
    this.cols.tsNs.set(i, tsNs);
  }

  /**
   * Starts with the origin a reader of the file's head found (a byte range after it is read
   * apart, io/parallel-load.ts): relativeNs then gives what reading the whole file would.
   */
  seedOrigin(origin: AbsNs): void {
    const sec = origin / 1_000_000_000n;
    this.relativeNs(Number(sec), Number(origin - sec * 1_000_000_000n));
  }

  /**
   * @internal trace-part.ts appended `n` events to every column (`cols`, extras) itself, in
   * bulk: counts them. Only finish may follow (push would not know the columns' fill).
   */
  countAppended(n: number): void {
    this.count += n;
    this.fill = BLOCK_SIZE;
    this.w = null;
  }

  issue(line: number, offset: number, message: string): void {
    this.issueCount++;
    if (this.issues.length < MAX_STORED_ISSUES) this.issues.push({ line, offset, message });
  }

  /**
   * A Trace over the events pushed so far, while the reader goes on pushing (the first screen
   * of a file still being read). `meta` is what finish would make of the meta now (readers
   * settle some fields at the end); `settled` is the number of leading events whose values no
   * longer change (a reader may still extend the last record or complete an earlier call).
   * Costs the copy of the issue and gap lists, not of the columns.
   */
  snapshot(source: ByteSource | null, meta: TraceMeta = this.meta, settled = this.count): Trace {
    return new Trace(this, source, {
      length: this.count,
      settled: Math.max(0, Math.min(settled, this.count)),
      meta: { ...meta },
      lost: this.lost.slice(),
      bufferStarts: this.bufferStarts.slice(),
      issues: this.issues.slice(),
      issueCount: this.issueCount,
      bytesRead: this.bytesRead,
    });
  }

  finish(source: ByteSource | null): Trace {
    for (const c of Object.values(this.cols)) c.setLength(this.count);
    for (const [name, c] of this.extras) {
      if (c.length !== this.count) throw new Error(`extra column ${name} has ${c.length} values for ${this.count} events`);
    }
    return new Trace(this, source);
  }
}
