/**
 * What pcap and pcapng readers share: how a packet becomes an event in the Trace, the capture
 * metadata the columnar model has no place for (interfaces, sections, comments, name
 * resolution), and timestamp arithmetic.
 *
 * Packets as events (DESIGN.md "The model"), one event per captured packet:
 *   tsNs       time relative to the first packet (the origin is absolute wall-clock ns)
 *   cpu        interface index, global over the file (pcapng sections numbered in order), so an
 *              interface is a track just as a CPU is
 *   comm       interface name (`if_name`; `if<N>` when the file names none)
 *   pid, tgid  -1
 *   event      top protocol, classified cheaply while reading (`icmp`, `tcp`, `arp`, `ospf`, ...)
 *   flags      direction when the file says: `in`/`out` (EPB flags, SLL packet type), else empty
 *   line       1-based packet number (Wireshark's frame number)
 *   record     the captured packet bytes in the file (offset, caplen); payloadStart 0
 * Extra columns: `caplen`, `origLen`, `linkType`, `interface`.
 * Issues: `line` is the packet number the issue is about (0 for file-level issues), `offset`
 * the byte offset in the file.
 */
import { MAX_EXACT_TIMES, TraceBuilder, newEventRecord, type FormatId, type Trace } from '../../trace/trace';
import type { ExtraColumn } from '../../trace/trace';
import type { ByteSource } from '../../trace/byte-source';
import { classifyPacket } from '../../net/dissect';
import { linkTypeName } from '../../net/link';

export interface CaptureInterface {
  /** Global index: the event's `cpu` column. */
  readonly index: number;
  /** pcapng section (0-based) and interface id within it; pcap: 0/0. */
  readonly section: number;
  readonly localId: number;
  /** `if_name`, or `if<index>` when the file has none (`named` says which). */
  readonly name: string;
  readonly named: boolean;
  readonly description: string | null;
  readonly linkType: number;
  readonly linkTypeName: string;
  readonly snaplen: number;
  /** Timestamp resolution as written: `10^-6`, `10^-9`, `2^-8`. */
  readonly tsresol: string;
  /** if_tsoffset: seconds added to every timestamp. */
  readonly tsOffsetSec: number;
  readonly filter: string | null;
  readonly os: string | null;
  readonly hardware: string | null;
  readonly addresses: string[];
  readonly comments: string[];
  /** Interface statistics from the last ISB for it (isb_ifrecv, isb_ifdrop, ...), as decimal strings. */
  stats: Record<string, string> | null;
  /** Packets read for this interface. */
  packets: number;
}

export interface CaptureSection {
  readonly offset: number;
  readonly byteOrder: 'little' | 'big';
  readonly version: string;
  readonly hardware: string | null;
  readonly os: string | null;
  readonly userAppl: string | null;
  readonly comments: string[];
  /** True when the section was skipped (unsupported version). */
  readonly skipped: boolean;
}

export interface CaptureInfo {
  readonly format: 'pcap' | 'pcapng';
  /** pcap: the file's; pcapng: the first section's. */
  byteOrder: 'little' | 'big';
  version: string;
  /** pcap only: nanosecond magic, Kuznetsov modified format. */
  nanosecond: boolean;
  modified: boolean;
  readonly interfaces: CaptureInterface[];
  readonly sections: CaptureSection[];
  /** Packet index (0-based) -> its comments. */
  readonly packetComments: Map<number, string[]>;
  /** Name Resolution Block entries (capped). */
  readonly names: { address: string; names: string[] }[];
  /** Blocks seen, by name (pcapng). */
  readonly blockCounts: Record<string, number>;
}

const infos = new WeakMap<Trace, CaptureInfo>();
const sources = new WeakMap<Trace, ByteSource>();

/**
 * The captured bytes of packet `i` (a view valid until the next read from the same trace), or
 * null when the trace has no source (read with `finish(null)`) or is not a capture.
 */
export function packetBytes(trace: Trace, i: number): Uint8Array | null {
  const src = sources.get(trace);
  if (!src) return null;
  const r = trace.record(i);
  return src.read(r.offset, r.length);
}

/** The capture metadata of a trace read from pcap/pcapng, or undefined for other traces. */
export function captureInfo(trace: Trace): CaptureInfo | undefined {
  return infos.get(trace);
}

export function isCapture(format: FormatId): boolean {
  return format === 'pcap' || format === 'pcapng';
}

/** `interfaces` of `ktl stats`: one entry per interface. */
export function interfacesJson(trace: Trace): { index: number; name: string; linkType: string; linkTypeNumber: number; packets: number; snaplen: number }[] | undefined {
  const info = infos.get(trace);
  if (!info) return undefined;
  return info.interfaces.map((i) => ({ index: i.index, name: i.name, linkType: i.linkTypeName, linkTypeNumber: i.linkType, packets: i.packets, snaplen: i.snaplen }));
}

/** Bytes of each packet handed to the classifier: enough for stacked tags, IPv4 options, IPv6 headers. */
export const CLASSIFY_BYTES = 512;

const MAX_NAMES = 10000;
/** Relative times beyond 2^53 ns (104 days) lose nanoseconds in a float64. */
const MAX_EXACT_NS = 2 ** 53;
const MAX_COMMENT_PACKETS = 100000;

/** Builds the Trace of a capture: interfaces, packets as events, issues. */
export class CaptureSink {
  readonly b: TraceBuilder;
  /** The one record refilled for every packet (TraceBuilder.push copies it). */
  private readonly rec = newEventRecord();
  readonly info: CaptureInfo;
  private readonly caplen: ExtraColumn;
  private readonly origLen: ExtraColumn;
  private readonly linkType: ExtraColumn;
  private readonly iface: ExtraColumn;
  private readonly nameIds: number[] = [];
  private readonly protoIds = new Map<string, number>();
  private readonly flagIds: number[];
  packets = 0;
  private warnedRange = false;

  constructor(format: 'pcap' | 'pcapng') {
    this.b = new TraceBuilder(format);
    this.info = {
      format,
      byteOrder: 'little',
      version: '',
      nanosecond: false,
      modified: false,
      interfaces: [],
      sections: [],
      packetComments: new Map(),
      names: [],
      blockCounts: {},
    };
    this.caplen = this.b.extraColumn('caplen', 'u32');
    this.origLen = this.b.extraColumn('origLen', 'u32');
    this.linkType = this.b.extraColumn('linkType', 'u32');
    this.iface = this.b.extraColumn('interface', 'u32');
    this.flagIds = ['', 'in', 'out'].map((f) => this.b.strings.intern(f));
  }

  addInterface(i: Omit<CaptureInterface, 'index' | 'name' | 'named' | 'packets' | 'stats' | 'linkTypeName'> & { name: string | null }): CaptureInterface {
    const index = this.info.interfaces.length;
    const name = i.name ?? `if${index}`;
    const full: CaptureInterface = { ...i, index, name, named: i.name !== null, linkTypeName: linkTypeName(i.linkType), packets: 0, stats: null };
    this.info.interfaces.push(full);
    this.nameIds.push(this.b.strings.intern(name));
    return full;
  }

  /**
   * One packet. `sec`/`fracNs` absolute time; `dataOffset` where its bytes start in the file;
   * `prefix[start, end)` its first captured bytes (at most CLASSIFY_BYTES are looked at);
   * `direction` 0 unknown, 1 inbound, 2 outbound.
   */
  packet(iface: CaptureInterface, sec: number, fracNs: number, caplen: number, origLen: number, dataOffset: number, prefix: Uint8Array, start: number, end: number, direction: number): void {
    const lt = iface.linkType;
    const proto = classifyPacket(prefix, start, Math.min(end, start + CLASSIFY_BYTES), lt, origLen);
    let eventId = this.protoIds.get(proto);
    if (eventId === undefined) {
      eventId = this.b.strings.intern(proto);
      this.protoIds.set(proto, eventId);
    }
    // Linux cooked captures say the direction in the packet type (4 = outgoing).
    if (direction === 0 && (lt === 113 || lt === 276) && end - start >= 11) {
      const pkttype = lt === 113 ? prefix[start + 1] : prefix[start + 10];
      direction = pkttype === 4 ? 2 : 1;
    }
    const b = this.b;
    const tsNs = b.relativeNs(sec, fracNs);
    const r = this.rec;
    r.tsNs = tsNs;
    r.cpu = iface.index;
    r.pid = -1;
    r.tgid = -1;
    r.commId = this.nameIds[iface.index] as number;
    r.eventId = eventId;
    r.flagsId = this.flagIds[direction] as number;
    r.line = ++this.packets;
    r.recOffset = dataOffset;
    r.recLength = caplen;
    r.payloadStart = 0;
    const index = b.push(r);
    // Past 2^53 ns (104 days) from the first packet a float64 of ns is no longer exact: keep
    // the packet's own time beside it, as tshark prints it.
    if (Math.abs(tsNs) > MAX_EXACT_NS && !b.keepExactTime(index, sec, fracNs) && !this.warnedRange) {
      this.warnedRange = true;
      this.issue(this.packets, dataOffset, `packet ${this.packets}: more than ${MAX_EXACT_TIMES.toLocaleString('en-US')} packets are over 104 days from the first one; from here their times are rounded to a few ns`);
    }
    this.caplen.push(caplen);
    this.origLen.push(origLen);
    this.linkType.push(lt);
    this.iface.push(iface.index);
    iface.packets++;
  }

  comment(packetIndex: number, text: string): void {
    const list = this.info.packetComments.get(packetIndex);
    if (list) list.push(text);
    else if (this.info.packetComments.size < MAX_COMMENT_PACKETS) this.info.packetComments.set(packetIndex, [text]);
  }

  name(address: string, names: string[]): void {
    if (this.info.names.length < MAX_NAMES) this.info.names.push({ address, names });
  }

  block(name: string, n = 1): void {
    this.info.blockCounts[name] = (this.info.blockCounts[name] ?? 0) + n;
  }

  /** An issue about packet `packet` (1-based; 0 = the file) at byte `offset`. */
  issue(packet: number, offset: number, message: string): void {
    this.b.issue(packet, offset, message);
  }

  finish(source: ByteSource | null, bytesRead: number): Trace {
    this.b.bytesRead = bytesRead;
    return this.remember(this.b.finish(source), source);
  }

  /** The packets read so far (each is whole once pushed: all settled). */
  snapshot(source: ByteSource | null, bytesRead: number): Trace {
    this.b.bytesRead = bytesRead;
    return this.remember(this.b.snapshot(source), source);
  }

  private remember(t: Trace, source: ByteSource | null): Trace {
    infos.set(t, this.info);
    if (source) sources.set(t, source);
    return t;
  }
}

/**
 * Splits a timestamp counted in units of 10^-k s (k <= 9) or 2^-k s, given as two 32-bit
 * halves, into whole seconds and nanoseconds, exactly (no bigint on the common paths: a
 * nanosecond count since 1970 is above 2^53).
 */
export class TimestampUnit {
  /** Units per second when decimal (10^k), else 0. */
  private readonly perSec: number;
  private readonly nsPerUnit: number;
  private readonly binaryShift: number;
  readonly text: string;

  /** `tsresol` byte as in pcapng if_tsresol: MSB 0 = 10^-v, MSB 1 = 2^-(v & 0x7f). */
  constructor(tsresol: number) {
    if (tsresol & 0x80) {
      this.binaryShift = tsresol & 0x7f;
      this.perSec = 0;
      this.nsPerUnit = 0;
      this.text = `2^-${this.binaryShift}`;
    } else {
      this.binaryShift = -1;
      this.perSec = 10 ** tsresol;
      this.nsPerUnit = tsresol <= 9 ? 10 ** (9 - tsresol) : 0;
      this.text = `10^-${tsresol}`;
    }
  }

  /** Writes seconds and nanoseconds of the timestamp hi:lo into out[0], out[1]. */
  split(hi: number, lo: number, out: Float64Array): void {
    const u = this.perSec;
    if (u > 0 && u <= 1e9) {
      // (hi * 2^32 + lo) / u without leaving exact double range: divide in 16-bit steps.
      const q1 = Math.floor(hi / u);
      const r1 = hi - q1 * u;
      const a = r1 * 65536 + (lo >>> 16);
      const qa = Math.floor(a / u);
      const ra = a - qa * u;
      const c = ra * 65536 + (lo & 0xffff);
      const qc = Math.floor(c / u);
      const rc = c - qc * u;
      out[0] = q1 * 4294967296 + qa * 65536 + qc;
      out[1] = rc * this.nsPerUnit;
      return;
    }
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    if (u > 0) {
      const U = BigInt(u);
      out[0] = Number(ticks / U);
      out[1] = Number(((ticks % U) * 1_000_000_000n) / U);
      return;
    }
    const k = BigInt(this.binaryShift);
    out[0] = Number(ticks >> k);
    const frac = ticks & ((1n << k) - 1n);
    out[1] = Number((frac * 1_000_000_000n) >> k);
  }
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 text of an option value, without trailing NULs (some writers include them). */
export function optionText(b: Uint8Array, off: number, len: number): string {
  // Text ends at the first NUL (writers pad with NULs; Wireshark also stops there).
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return utf8.decode(b.subarray(off, end));
}
