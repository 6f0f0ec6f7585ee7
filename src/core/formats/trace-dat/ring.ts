/**
 * The per-CPU ring-buffer data of a trace.dat and its merge into one time-ordered stream.
 *
 * Each CPU's data is a sequence of pages copied from the kernel ring buffer
 * (kernel/trace/ring_buffer.c; described to user space by events/header_page and
 * events/header_event, which the file embeds):
 *   page    u64 timestamp | long commit (data length; bit 31 = events were missed before this
 *           page, bit 30 = their count is stored after the data) | data
 *   event   u32 header: type_len (5 bits) + time_delta (27 bits) (on big-endian machines the
 *           bitfield order is reversed), then
 *             type_len 1..28  payload of type_len * 4 bytes
 *             type_len 0      u32 length (includes itself), payload
 *             29 padding      u32 length of the discarded space (time_delta 0: rest of page)
 *             30 time extend  u32: time_delta += value << 27
 *             31 time stamp   u32: absolute time = value << 27 | time_delta
 * Timestamps accumulate per CPU from the page's. This follows libtraceevent's kbuffer (what
 * `trace-cmd report` uses), including adding a padding event's delta.
 *
 * Events are kept per CPU in compact typed-array blocks while the file is read (a CPU's data
 * comes whole before the next CPU's), then merged by timestamp: the earliest head wins, ties
 * go to the CPU listed first, as in trace-cmd.
 */
import type { Endian } from './bytes';
import type { CommonLayout, EventHeader, PageHeader } from './event-format';

const BLOCK = 1 << 14;

/** Missed-events bits of the page commit word (kernel RB_MISSED_EVENTS / RB_MISSED_STORED). */
const MISSED_EVENTS = 0x80000000;
const MISSED_STORED = 0x40000000;
const COMMIT_MASK = (1 << 27) - 1;
const TS_SHIFT = 134217728; // 2^27

export interface RingLayout {
  readonly endian: Endian;
  // Defaults until the file's header_page / header_event / common fields are read (the reader
  // fills them in as they arrive, before any CPU data is decoded with them).
  page: PageHeader;
  event: EventHeader;
  common: CommonLayout;
}

/** Time state shared by every CPU of a file: timestamps are kept relative to `base`. */
export interface TimeBase {
  base: bigint | null;
}

export interface RingIssue {
  /** File offset (uncompressed data) or the offset of the compressed chunk holding it. */
  readonly offset: number;
  readonly message: string;
}

/** Where a page's bytes are in the file, for issues: exact offsets, or inside a compressed chunk. */
export interface PageOrigin {
  /** File offset of the page (uncompressed) or of the compressed chunk. */
  readonly fileOffset: number;
  /** For compressed data: the page's offset within the decompressed chunk; null when exact. */
  readonly inChunk: number | null;
}

/** Events of one CPU of one buffer, in the order the file holds them. */
export class CpuEvents {
  count = 0;
  private readonly ts: Float64Array[] = [];
  private readonly addr: Float64Array[] = [];
  private readonly pid: Int32Array[] = [];
  /** type | flags << 16 | preempt_count << 24 */
  private readonly info: Uint32Array[] = [];
  /** Missed events before event `index` (count null when the kernel did not store it). */
  readonly lost: { index: number; count: number | null }[] = [];
  /** Largest timestamp seen so far, to report time going backwards once. */
  lastTs = -Infinity;
  backwards = 0;

  constructor(
    readonly cpu: number,
    /** Position of this CPU among all buffers' CPUs, for tie-breaking in the merge. */
    readonly order: number,
  ) {}

  push(ts: number, addr: number, pid: number, info: number): void {
    const k = this.count & (BLOCK - 1);
    if (k === 0) {
      this.ts.push(new Float64Array(BLOCK));
      this.addr.push(new Float64Array(BLOCK));
      this.pid.push(new Int32Array(BLOCK));
      this.info.push(new Uint32Array(BLOCK));
    }
    const b = this.count >>> 14;
    (this.ts[b] as Float64Array)[k] = ts;
    (this.addr[b] as Float64Array)[k] = addr;
    (this.pid[b] as Int32Array)[k] = pid;
    (this.info[b] as Uint32Array)[k] = info;
    this.count++;
    if (ts < this.lastTs) this.backwards++;
    else this.lastTs = ts;
  }

  tsAt(i: number): number {
    return (this.ts[i >>> 14] as Float64Array)[i & (BLOCK - 1)] as number;
  }
  addrAt(i: number): number {
    return (this.addr[i >>> 14] as Float64Array)[i & (BLOCK - 1)] as number;
  }
  pidAt(i: number): number {
    return (this.pid[i >>> 14] as Int32Array)[i & (BLOCK - 1)] as number;
  }
  infoAt(i: number): number {
    return (this.info[i >>> 14] as Uint32Array)[i & (BLOCK - 1)] as number;
  }

  /** Frees the blocks before event `i` (the merge has consumed them). */
  release(i: number): void {
    const upTo = i >>> 14;
    for (let b = 0; b < upTo; b++) {
      if (this.ts[b] === EMPTY_F64) continue;
      this.ts[b] = EMPTY_F64;
      this.addr[b] = EMPTY_F64;
      this.pid[b] = EMPTY_I32;
      this.info[b] = EMPTY_U32;
    }
  }
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_U32 = new Uint32Array(0);

/**
 * Parses one ring-buffer page. `b[at .. at + len)` holds the page (len may be short when the
 * file is cut); `addr` is the page's address in the record address space (the file offset, or
 * a virtual address inside decompressed data). Returns issues; events go to `out`.
 */
export function parsePage(b: Uint8Array, at: number, len: number, addr: number, L: RingLayout, time: TimeBase, out: CpuEvents, issues: RingIssue[], origin: PageOrigin): void {
  const e = L.endian;
  const where = (p: number): { offset: number; suffix: string } =>
    origin.inChunk === null ? { offset: origin.fileOffset + (p - at), suffix: '' } : { offset: origin.fileOffset, suffix: ` (byte ${origin.inChunk + (p - at)} of the compressed chunk at offset ${origin.fileOffset}, decompressed)` };
  const report = (p: number, message: string): void => {
    const w = where(p);
    issues.push({ offset: w.offset, message: message + w.suffix });
  };
  const P = L.page;
  if (len < P.dataOffset) {
    report(at, `CPU ${out.cpu}: ring-buffer page cut short (${len} bytes, the page header alone is ${P.dataOffset})`);
    return;
  }
  const pageTs = e.u64big(b, at + P.timestampOffset);
  const commitLo = P.commitSize === 8 && !e.little ? e.u32(b, at + P.commitOffset + 4) : e.u32(b, at + P.commitOffset);
  let size = commitLo & COMMIT_MASK;
  const avail = len - P.dataOffset;
  if (size > avail) {
    report(at, `CPU ${out.cpu}: page commit says ${size} bytes of events but the page holds ${avail}; reading what is there`);
    size = avail;
  }
  if (commitLo & MISSED_EVENTS) {
    let count: number | null = null;
    const cAt = at + P.dataOffset + size;
    if (commitLo & MISSED_STORED && size + P.commitSize <= avail) count = P.commitSize === 8 ? e.u64(b, cAt) : e.u32(b, cAt);
    out.lost.push({ index: out.count, count });
  }
  if (time.base === null) time.base = pageTs;
  let ts = Number(pageTs - time.base);
  const little = e.little;
  const H = L.event;
  const C = L.common;
  const end = at + P.dataOffset + size;
  let p = at + P.dataOffset;
  while (p + 4 <= end) {
    const word = e.u32(b, p);
    const typeLen = little ? word & 31 : word >>> 27;
    const delta = little ? word >>> 5 : word & 0x7ffffff;
    if (typeLen === H.padding) {
      // Discarded event (its length follows) or, with time_delta 0 at the end, the rest of the page.
      if (delta === 0 || p + 8 > end) break;
      ts += delta;
      p += 4 + e.u32(b, p + 4);
      continue;
    }
    if (typeLen === H.timeExtend || typeLen === H.timeStamp) {
      if (p + 8 > end) {
        report(p, `CPU ${out.cpu}: time ${typeLen === H.timeExtend ? 'extend' : 'stamp'} cut short at the end of the page`);
        break;
      }
      const hi = e.u32(b, p + 4);
      if (typeLen === H.timeExtend) ts += hi * TS_SHIFT + delta;
      else {
        // Absolute 59-bit time; the top bits come from the current time (kernel rb_fix_abs_ts).
        let abs = (BigInt(hi) << 27n) | BigInt(delta);
        const now = time.base + BigInt(Math.max(0, Math.round(ts)));
        abs |= now & ~((1n << 59n) - 1n);
        ts = Number(abs - time.base);
      }
      p += 8;
      continue;
    }
    let dataAt: number;
    let dataLen: number;
    if (typeLen === 0) {
      if (p + 8 > end) {
        report(p, `CPU ${out.cpu}: event length word cut short at the end of the page`);
        break;
      }
      const n = e.u32(b, p + 4);
      dataAt = p + 8;
      dataLen = n - 4;
      if (n < 4 || dataAt + dataLen > end) {
        report(p, `CPU ${out.cpu}: event says ${n} bytes, more than the ${end - p - 4} left in its page`);
        break;
      }
      p = dataAt + ((dataLen + 3) & ~3);
    } else if (typeLen <= H.dataMax) {
      dataAt = p + 4;
      dataLen = typeLen * 4;
      if (dataAt + dataLen > end) {
        report(p, `CPU ${out.cpu}: event of ${dataLen} bytes runs past the end of its page`);
        break;
      }
      p = dataAt + dataLen;
    } else {
      report(p, `CPU ${out.cpu}: unknown ring-buffer event type_len ${typeLen}`);
      break;
    }
    ts += delta;
    if (dataLen < C.pid.offset + 4 || dataLen < C.type.offset + C.type.size) {
      report(dataAt - 4, `CPU ${out.cpu}: event of ${dataLen} bytes is too short for the common fields`);
      continue;
    }
    const type = C.type.size === 2 ? e.u16(b, dataAt + C.type.offset) : C.type.size === 1 ? (b[dataAt + C.type.offset] as number) : e.u32(b, dataAt + C.type.offset) & 0xffff;
    const flags = C.flags ? (b[dataAt + C.flags.offset] as number) : 0;
    const preempt = C.preempt ? (b[dataAt + C.preempt.offset] as number) : 0;
    const pid = e.u32(b, dataAt + C.pid.offset) | 0;
    // Address of the event header: the record is re-read from there on demand.
    out.push(ts, addr + (dataAt - at) - (typeLen === 0 ? 8 : 4), pid, (type | (flags << 16) | (preempt << 24)) >>> 0);
  }
}

/** The header, payload offset and payload length of the event whose header is at `b[at]`. */
export function eventAt(b: Uint8Array, at: number, e: Endian): { dataAt: number; dataLen: number } | null {
  if (at + 4 > b.length) return null;
  const word = e.u32(b, at);
  const typeLen = e.little ? word & 31 : word >>> 27;
  if (typeLen === 0) {
    if (at + 8 > b.length) return null;
    const n = e.u32(b, at + 4);
    if (n < 4) return null;
    return { dataAt: at + 8, dataLen: Math.min(n - 4, b.length - at - 8) };
  }
  if (typeLen > 28) return null;
  return { dataAt: at + 4, dataLen: Math.min(typeLen * 4, b.length - at - 4) };
}

/** Calls `emit(cpuEvents, index)` for every event of every CPU in time order. */
export function mergeByTime(cpus: readonly CpuEvents[], emit: (c: CpuEvents, i: number) => void): void {
  const live = cpus.filter((c) => c.count > 0);
  const pos = new Array<number>(live.length).fill(0);
  // A binary heap of CPU slots keyed by (head timestamp, order).
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => {
    const ca = live[a] as CpuEvents;
    const cb = live[b] as CpuEvents;
    const ta = ca.tsAt(pos[a] as number);
    const tb = cb.tsAt(pos[b] as number);
    return ta < tb || (ta === tb && ca.order < cb.order);
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && less(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      const t = heap[i] as number;
      heap[i] = heap[m] as number;
      heap[m] = t;
      i = m;
    }
  };
  for (let k = 0; k < live.length; k++) heap.push(k);
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const k = heap[0] as number;
    const c = live[k] as CpuEvents;
    const i = pos[k] as number;
    emit(c, i);
    pos[k] = i + 1;
    if ((i & (BLOCK - 1)) === BLOCK - 1) c.release(i + 1);
    if (i + 1 >= c.count) {
      const last = heap.pop() as number;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    } else down(0);
  }
}
