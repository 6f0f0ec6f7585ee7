/**
 * Clock alignment between a kernel trace and packet captures (DESIGN.md: analysis/align).
 * Captures carry wall-clock time; ftrace carries a kernel clock (`local`, `mono`, ...). The
 * offset (capture time - trace time) is estimated two ways:
 *   events   net_dev_xmit / net_dev_queue / netif_receive_skb events matched to captured packets
 *            on the interface of the same name (any device when the capture names none, as a
 *            classic pcap) with a compatible length (transmit: the frame length; receive: the
 *            frame less its 14-byte Ethernet header). Every pair proposes an
 *            offset; the densest 1 ms window of proposals wins, refined to the median of its
 *            pairs; the residual is their median absolute deviation.
 *   markers  `ktl-wallclock <ns since 1970> ...` trace_marker lines (written by the capture
 *            script): wall time minus the marker's trace time, median over markers.
 * The events estimate is preferred when it has at least 3 matches; the user can override it.
 */
import type { Trace } from '../../trace/trace';
import { captureInfo, type CaptureInfo } from '../../formats/capture/common';
import { decodeEvent } from '../../formats/decode';

export interface ClockEstimate {
  /** Add to a trace time (absolute ns of the trace clock) to get capture wall-clock ns. */
  readonly offsetNs: string;
  readonly method: 'events' | 'markers' | 'none';
  /** Pairs (events) or markers the estimate rests on. */
  readonly matches: number;
  /** Median |pair offset - estimate|, ns. */
  readonly residualNs: number;
  readonly events: { readonly offsetNs: string; readonly matches: number; readonly residualNs: number } | null;
  readonly markers: { readonly offsetNs: string; readonly count: number; readonly spreadNs: number } | null;
}

/** The device key of packets from a capture that names no interface (classic pcap): not a valid device name (IFNAMSIZ, no '|'). */
const ANY_DEVICE = '|any';
const NET_EVENTS = new Set(['net_dev_xmit', 'net_dev_queue', 'netif_receive_skb', 'netif_rx']);
/** Width of the window of offset proposals that wins (ns); also how far a packet link may stretch. */
export const WINDOW_NS = 1_000_000n;
const MAX_PAIRS_PER_BUCKET = 40_000;
const MARKER = /^ktl-wallclock (\d{10,20})\b/;

function median(xs: readonly bigint[]): bigint {
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return s[Math.floor(s.length / 2)] as bigint;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/**
 * The trace's side of a match, read once (decoding fields) and shared by the estimate and the
 * packet links: its net events (trace indices in file order) by `device|frame length` and
 * `|any|frame length`, and its wall-clock markers' offsets.
 */
export interface NetEventScan {
  readonly events: ReadonlyMap<string, readonly number[]>;
  readonly markerOffsets: readonly bigint[];
}

export function scanNetEvents(trace: Trace): NetEventScan {
  const events = new Map<string, number[]>();
  const markerOffsets: bigint[] = [];
  for (let i = 0; i < trace.length; i++) {
    const ev = trace.event(i);
    if (ev === 'tracing_mark_write' || ev === 'print') {
      const m = MARKER.exec(decodeEvent(trace, i).fields.text ?? '');
      if (m) markerOffsets.push(BigInt(m[1] as string) - trace.absNs(i));
      continue;
    }
    if (!NET_EVENTS.has(ev)) continue;
    const f = decodeEvent(trace, i).fields;
    const dev = f.dev ?? f.name;
    const len = Number(f.len);
    if (!dev || !Number.isFinite(len)) continue;
    const rx = ev === 'netif_receive_skb' || ev === 'netif_rx';
    const frameLen = rx ? len + 14 : len;
    for (const key of [`${dev}|${frameLen}`, `${ANY_DEVICE}|${frameLen}`]) {
      const list = events.get(key);
      if (list) list.push(i);
      else events.set(key, [i]);
    }
  }
  return { events, markerOffsets };
}

/**
 * The key of packet `i` of capture `c` in a NetEventScan (its interface's name, or any device
 * for a capture that names none, and its length on the wire); null: not an Ethernet packet.
 */
export function packetKey(c: Trace, info: CaptureInfo, origLen: { get(i: number): number } | undefined, i: number): string | null {
  const iface = info.interfaces[c.cpu(i)];
  if (!iface || iface.linkType !== 1) return null;
  // A classic pcap names no interface: its packets match events of any device by length
  // (the densest window of proposals is then the one the order of packets agrees on).
  return `${iface.named ? iface.name : ANY_DEVICE}|${origLen?.get(i)}`;
}

export function estimateClockOffset(trace: Trace, captures: readonly Trace[], scan: NetEventScan = scanNetEvents(trace)): ClockEstimate {
  // Trace side: (device, length, rx?) -> absolute trace-clock times.
  const traceEvents = new Map<string, bigint[]>();
  for (const [key, list] of scan.events) traceEvents.set(key, list.map((i) => trace.absNs(i)));
  const markerOffsets = scan.markerOffsets;
  // Capture side: every packet's proposals against trace events of its device and length.
  const proposals: bigint[] = [];
  for (const c of captures) {
    const info = captureInfo(c);
    if (!info) continue;
    const perBucket = new Map<string, number>();
    const origLen = c.extra('origLen');
    for (let i = 0; i < c.length; i++) {
      const key = packetKey(c, info, origLen, i);
      const times = key === null ? undefined : traceEvents.get(key);
      if (key === null || !times) continue;
      const used = perBucket.get(key) ?? 0;
      if (used > MAX_PAIRS_PER_BUCKET) continue;
      perBucket.set(key, used + times.length);
      const wall = c.absNs(i);
      for (const t of times) proposals.push(wall - t);
    }
  }
  let events: ClockEstimate['events'] = null;
  if (proposals.length > 0) {
    proposals.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let best = 0;
    let bestStart = 0;
    for (let lo = 0, hi = 0; hi < proposals.length; hi++) {
      while ((proposals[hi] as bigint) - (proposals[lo] as bigint) > WINDOW_NS) lo++;
      if (hi - lo + 1 > best) {
        best = hi - lo + 1;
        bestStart = lo;
      }
    }
    const win = proposals.slice(bestStart, bestStart + best);
    const offset = median(win);
    const residual = median(win.map((x) => abs(x - offset)));
    events = { offsetNs: offset.toString(), matches: best, residualNs: Number(residual) };
  }
  let markers: ClockEstimate['markers'] = null;
  if (markerOffsets.length > 0) {
    const m = median(markerOffsets);
    const spread = markerOffsets.reduce((mx, x) => (abs(x - m) > mx ? abs(x - m) : mx), 0n);
    markers = { offsetNs: m.toString(), count: markerOffsets.length, spreadNs: Number(spread) };
  }
  if (events && events.matches >= 3) return { offsetNs: events.offsetNs, method: 'events', matches: events.matches, residualNs: events.residualNs, events, markers };
  if (markers) return { offsetNs: markers.offsetNs, method: 'markers', matches: markers.count, residualNs: markers.spreadNs, events, markers };
  return { offsetNs: '0', method: 'none', matches: 0, residualNs: 0, events, markers };
}
