/**
 * Which captured packet is which trace event: under a clock offset (capture wall clock - trace
 * clock, as align.ts estimates it or the user sets it), each Ethernet packet is linked to the
 * `net_dev_xmit` / `netif_receive_skb` / `netif_rx` event of its device and frame length
 * (align.ts's keys) nearest to it in time, within WINDOW_NS (the estimate's own window). Links
 * are one to one: the closest pairs are taken first, so of two packets of the same length
 * 10 µs apart each gets its own event. `net_dev_queue` counts for the estimate but is not
 * linked: the transmit of the same skb is the event the packet is.
 */
import type { Trace } from '../../trace/trace';
import { captureInfo } from '../../formats/capture/common';
import { packetKey, scanNetEvents, WINDOW_NS, type NetEventScan } from './align';
import { lowerBound } from '../timeline';

/** The events a packet is linked to. */
const LINKED_EVENTS = new Set(['net_dev_xmit', 'netif_receive_skb', 'netif_rx']);
/** Candidates kept per packet (the nearest ones): a burst of equal frames stays linear. */
const MAX_CANDIDATES = 8;

export interface PacketLink {
  /** Event index of the packet in the capture. */
  readonly packet: number;
  /** Event index in the trace. */
  readonly event: number;
  /** Packet time - event time on the trace clock, ns (|dtNs| <= WINDOW_NS). */
  readonly dtNs: number;
}

/** Links of `capture`'s packets to `trace`'s events under `offsetNs` (capture wall clock - trace clock), sorted by packet. */
export function linkPackets(trace: Trace, capture: Trace, offsetNs: bigint, scan: NetEventScan = scanNetEvents(trace), windowNs: bigint = WINDOW_NS): PacketLink[] {
  const info = captureInfo(capture);
  if (!info) return [];
  // Per key: the linkable events and their trace-relative times (exact float64 ns), in time order.
  const byKey = new Map<string, { index: number[]; ts: Float64Array }>();
  for (const [key, list] of scan.events) {
    const kept = list.filter((i) => LINKED_EVENTS.has(trace.event(i))).sort((a, b) => (trace.tsNs(a) as number) - (trace.tsNs(b) as number) || a - b);
    if (kept.length > 0) byKey.set(key, { index: kept, ts: Float64Array.from(kept, (i) => trace.tsNs(i) as number) });
  }
  const origLen = capture.extra('origLen');
  const window = Number(windowNs);
  const candidates: { packet: number; event: number; dt: number }[] = [];
  for (let p = 0; p < capture.length; p++) {
    const key = packetKey(capture, info, origLen, p);
    const events = key === null ? undefined : byKey.get(key);
    if (!events) continue;
    // The packet on the trace clock, relative to the trace's origin.
    const at = Number((capture.absNs(p) as bigint) - offsetNs - (trace.originNs as bigint));
    // Nearest events either side of `at`, outwards, while within the window.
    let hi = lowerBound(events.ts, at);
    let lo = hi - 1;
    for (let n = 0; n < MAX_CANDIDATES; n++) {
      const dLo = lo >= 0 ? at - (events.ts[lo] as number) : Infinity;
      const dHi = hi < events.ts.length ? (events.ts[hi] as number) - at : Infinity;
      const takeLo = dLo <= dHi;
      if (Math.min(dLo, dHi) > window) break;
      const k = takeLo ? lo-- : hi++;
      candidates.push({ packet: p, event: events.index[k] as number, dt: at - (events.ts[k] as number) });
    }
  }
  candidates.sort((a, b) => Math.abs(a.dt) - Math.abs(b.dt) || a.packet - b.packet || a.event - b.event);
  const usedPackets = new Set<number>();
  const usedEvents = new Set<number>();
  const links: PacketLink[] = [];
  for (const c of candidates) {
    if (usedPackets.has(c.packet) || usedEvents.has(c.event)) continue;
    usedPackets.add(c.packet);
    usedEvents.add(c.event);
    links.push({ packet: c.packet, event: c.event, dtNs: c.dt });
  }
  return links.sort((a, b) => a.packet - b.packet);
}
