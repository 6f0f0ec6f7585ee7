/**
 * A trace read from one byte range of a file, in a form that moves between threads, and the
 * merge of such parts, in file order, into one Trace (io/parallel-load.ts reads the ranges of
 * a text trace on several cores).
 *
 * A part's columns travel as their blocks' ArrayBuffers (moved with a transfer list, not
 * copied); its strings as a list in id order. Its byte offsets are already the file's (the
 * range reader starts its line splitter at the range's offset) and its times are relative to
 * the file's origin (the reader was seeded with it: TraceBuilder.seedOrigin); its line numbers
 * and event indices count from the range's start and are shifted here, its string ids are
 * remapped through the merged string table.
 */
import type { ByteSource } from './byte-source';
import { BLOCK_SIZE, type BlockColumn } from './columns';
import { MAX_EXACT_TIMES, MAX_STORED_ISSUES, TraceBuilder, type BufferStart, type ColumnName, type FormatId, type LostEvents, type Trace, type TraceIssue, type TraceMeta, type LineSegment } from './trace';
import { absNs, type AbsNs } from './time';

type Blocks = Float64Array | Int32Array | Uint32Array | Uint16Array;

/** Columns holding string ids (remapped through the merged string table). */
const STRING_COLUMNS: readonly ColumnName[] = ['comm', 'event', 'flags'];

export interface TracePart {
  readonly format: FormatId;
  readonly meta: TraceMeta;
  /** The origin the part's times are relative to (the file's), or null when it has no event with a time. */
  readonly originNs: AbsNs | null;
  readonly length: number;
  /** Lines in the range (newlines, plus a last line without one), for the next part's line numbers. */
  readonly lines: number;
  readonly bytesRead: number;
  readonly strings: readonly string[];
  readonly columns: { readonly [K in ColumnName]: readonly Blocks[] };
  readonly extras: readonly { readonly name: string; readonly blocks: readonly Blocks[] }[];
  readonly exactNs: readonly (readonly [number, AbsNs])[];
  /** Where its `line` column's counts start (event indices and lines from the range's start). */
  readonly lineSegments: readonly LineSegment[];
  readonly lost: readonly LostEvents[];
  readonly bufferStarts: readonly BufferStart[];
  readonly issues: readonly TraceIssue[];
  readonly issueCount: number;
  /**
   * Why this range cannot be read apart after all (it met state an earlier range sets, e.g.
   * function_graph nesting): the file is then read in order instead. Null when it could.
   */
  readonly inOrderOnly: string | null;
  /** The reader's boundary state (formats with a join, formats/range.ts), or null. */
  readonly boundary: unknown;
}

/**
 * `trace` (read from one range) as a part, and the buffers to transfer with it. `hasOrigin`:
 * whether the reader set an origin (Trace.originNs reads 0 without one).
 */
export function tracePart(
  trace: Trace,
  lines: number,
  hasOrigin: boolean,
  inOrderOnly: string | null,
  boundary: { readonly state: unknown; readonly transfer: readonly ArrayBuffer[] } | null = null,
): { part: TracePart; transfer: ArrayBuffer[] } {
  const { cols, extras, exactNs, lineSegments } = trace.content();
  const transfer: ArrayBuffer[] = [...(boundary?.transfer ?? [])];
  const blocksOf = (c: BlockColumn<Blocks>): Blocks[] => {
    const blocks = c.blockList.slice();
    for (const b of blocks) transfer.push(b.buffer as ArrayBuffer);
    return blocks;
  };
  const columns = {} as { [K in ColumnName]: Blocks[] };
  for (const name of Object.keys(cols) as ColumnName[]) columns[name] = blocksOf(cols[name] as BlockColumn<Blocks>);
  const strings: string[] = [];
  for (let id = 0; id < trace.strings.size; id++) strings.push(trace.strings.get(id));
  const part: TracePart = {
    format: trace.meta.format,
    meta: { ...trace.meta },
    originNs: hasOrigin ? trace.originNs : null,
    length: trace.length,
    lines,
    bytesRead: trace.bytesRead,
    strings,
    columns,
    extras: [...extras].map(([name, c]) => ({ name, blocks: blocksOf(c as BlockColumn<Blocks>) })),
    exactNs: [...exactNs],
    lineSegments: [...lineSegments],
    lost: trace.lost,
    bufferStarts: trace.bufferStarts,
    issues: trace.issues,
    issueCount: trace.issueCount,
    inOrderOnly,
    boundary: boundary?.state ?? null,
  };
  return { part, transfer };
}

/** How parts merge beyond what every text format shares. */
export interface MergeRules {
  /** Extra columns holding string ids (remapped like comm and event names). */
  readonly stringExtras?: readonly string[];
  /**
   * The string a part's string stands for (strace: a stand-in a range interned where reading in
   * order interns a name only an earlier range knows), interned in its place, so the merged
   * string table has reading in order's order.
   */
  readonly substitute?: (part: number, s: string) => string;
  /** After the parts' columns are merged, before the Trace is made: fixes what crossed the cuts. */
  readonly fixup?: (b: TraceBuilder, parts: readonly MergedPart[]) => void;
  /** Told where the parts went (their string ids in the merged table), once merged. */
  readonly placed?: (parts: readonly MergedPart[]) => void;
  /** The merged Trace is made (strace, printf: what their decoders keep beside it). */
  readonly finished?: (t: Trace, source: ByteSource | null) => void;
}

/** Where a part went in the merged trace. */
export interface MergedPart {
  readonly firstEvent: number;
  readonly length: number;
  /** Lines before the part's range. */
  readonly lineBase: number;
  /** The part's string ids to the merged table's. */
  readonly ids: Uint32Array;
  readonly boundary: unknown;
}

/**
 * One Trace of `parts` read from consecutive ranges of one file, as reading the file in one
 * go makes it. The first part's meta is the header's (only the first range has one); the
 * others add what their events showed (tgid columns, counter clocks, latency format). `parts`
 * is emptied as it goes. The parts' blocks are taken over, not copied (BlockColumn.takeBlocks):
 * the merge allocates no column memory.
 */
export function mergeTraceParts(parts: (TracePart | null)[], source: ByteSource | null, rules: MergeRules = {}): Trace {
  const first = parts[0];
  if (!first) throw new Error('mergeTraceParts needs a part');
  const b = new TraceBuilder(first.format);
  Object.assign(b.meta, first.meta);
  const stringExtras = new Set(rules.stringExtras ?? []);
  const extraCols = new Map<string, BlockColumn<Blocks>>();
  for (const e of first.extras) {
    const kind = e.blocks[0] instanceof Float64Array ? 'f64' : e.blocks[0] instanceof Int32Array ? 'i32' : 'u32';
    extraCols.set(e.name, b.extraColumn(e.name, kind) as BlockColumn<Blocks>);
  }
  let events = 0;
  let lineBase = 0;
  const merged: MergedPart[] = [];
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (!part) throw new Error(`part ${k} is missing`);
    parts[k] = null; // its blocks go as soon as they are copied
    if (b.originNs === null && part.originNs !== null) b.seedOrigin(absNs(part.originNs));
    mergeMeta(b.meta, part.meta);
    const ids = new Uint32Array(part.strings.length);
    let identity = true;
    for (let id = 0; id < part.strings.length; id++) {
      const s = part.strings[id] as string;
      ids[id] = b.strings.intern(rules.substitute ? rules.substitute(k, s) : s);
      if (ids[id] !== id) identity = false;
    }
    // Ids are Uint32 columns, rewritten in place: the blocks are this part's own (moved here, or
    // read in this thread). Line numbers are not rewritten: they count from line segments,
    // which are shifted instead (a Uint32 plus the lines before the range would wrap past 2^32).
    const shift = (blocks: readonly Blocks[], map: (block: Uint32Array, n: number) => void): readonly Blocks[] => {
      for (let k = 0; k < blocks.length; k++) map(blocks[k] as Uint32Array, Math.min(BLOCK_SIZE, part.length - k * BLOCK_SIZE));
      return blocks;
    };
    for (const name of Object.keys(b.cols) as ColumnName[]) {
      let blocks = part.columns[name];
      if (STRING_COLUMNS.includes(name) && !identity) blocks = shift(blocks, (x, n) => remap(x, n, ids));
      (b.cols[name] as BlockColumn<Blocks>).takeBlocks(blocks, part.length);
    }
    for (const e of part.extras) {
      const col = extraCols.get(e.name);
      if (!col) throw new Error(`extra column ${e.name} is missing from the first part`);
      col.takeBlocks(stringExtras.has(e.name) && !identity ? shift(e.blocks, (x, n) => remap(x, n, ids)) : e.blocks, part.length);
    }
    for (const [i, t] of part.exactNs) if (b.exactNs.size < MAX_EXACT_TIMES) b.exactNs.set(i + events, t);
    for (const seg of part.lineSegments) b.lineSegments.push({ fromEvent: seg.fromEvent + events, baseLine: seg.baseLine + lineBase });
    for (const l of part.lost) b.lost.push({ ...l, line: l.line + lineBase, beforeEvent: l.beforeEvent + events });
    for (const s of part.bufferStarts) b.bufferStarts.push({ ...s, line: s.line + lineBase, beforeEvent: s.beforeEvent + events });
    for (const i of part.issues) if (b.issues.length < MAX_STORED_ISSUES) b.issues.push({ ...i, line: i.line + lineBase });
    b.issueCount += part.issueCount;
    b.bytesRead = part.bytesRead;
    b.countAppended(part.length);
    merged.push({ firstEvent: events, length: part.length, lineBase, ids, boundary: part.boundary });
    events += part.length;
    lineBase += part.lines;
  }
  rules.placed?.(merged);
  rules.fixup?.(b, merged);
  const t = b.finish(source);
  rules.finished?.(t, source);
  return t;
}

/**
 * What a later range's meta adds to the merged one. Header fields (tracer, CPUs, buffer
 * statistics, what stopped a recording) come from the first range alone: the others start
 * after an event, where the readers ignore header lines. Event-borne fields compose as reading
 * on would: a tgid column anywhere sets hasTgid; a counter timestamp makes the clock a counter
 * whatever came before; latency-format lines say so unless the clock was already not the default.
 */
function mergeMeta(into: TraceMeta, m: TraceMeta): void {
  if (m.hasTgid) into.hasTgid = true;
  if (m.timeSource === 'counter') into.timeSource = 'counter';
  else if (m.timeSource !== 'timestamps' && into.timeSource === 'timestamps') into.timeSource = m.timeSource;
}

function remap(block: Uint32Array, n: number, ids: Uint32Array): void {
  for (let k = 0; k < n; k++) block[k] = ids[block[k] as number] as number;
}
