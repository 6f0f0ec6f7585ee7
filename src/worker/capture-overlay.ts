/**
 * A capture drawn on a trace's timeline (worker side). The capture is read into its own Trace;
 * its packets are indexed like a trace's events (TimelineService, one track per interface) and
 * queried in the capture's own relative time, shifted by
 *   d = trace.originNs + offsetNs - capture.originNs
 * (offsetNs = capture wall clock - trace clock), so a packet at capture-relative time c sits at
 * trace-relative time c - d. The tracks are appended to the trace's TimelineData with their
 * names merged and tracks `{ kind: 'attached', id: interface index }`, and the packets linked to
 * their net_dev_xmit / netif_receive_skb events (packet-links.ts) where either end is in range.
 */
import { MAX_TIMELINE_LINKS, type CaptureOverlayInfo, type TimelineData, type TimelineLinks, type TimelineTrack } from '../protocol/messages';
import { estimateClockOffset, scanNetEvents, WINDOW_NS, type ClockEstimate, type NetEventScan } from '../core/analysis/capture/align';
import { linkPackets } from '../core/analysis/capture/packet-links';
import { lowerBound } from '../core/analysis/timeline';
import { interfacesJson } from '../core/formats/capture/common';
import type { Trace } from '../core/trace/trace';
import { TimelineService } from './timeline-service';

export class CaptureOverlay {
  private readonly timeline: TimelineService;
  private readonly estimate: ClockEstimate;
  private userOffset: bigint | null = null;
  /** The trace's net events, read once for the estimate and every link computation. */
  private readonly scan: NetEventScan;
  /** Links under the offset they were made for, ordered by the event's trace-relative time. */
  private links: { offsetNs: bigint; byEventTs: { packet: number; event: number; eventTsNs: number; packetTsNs: number }[]; eventTsNs: Float64Array } | null = null;

  constructor(
    private readonly trace: Trace,
    private readonly capture: Trace,
    private readonly name: string,
  ) {
    this.timeline = new TimelineService(capture);
    this.scan = scanNetEvents(trace);
    this.estimate = estimateClockOffset(trace, [capture], this.scan);
  }

  /** Offset in use: the user's, else the estimate's, else the one that puts the first packet on the first event. */
  get offsetNs(): bigint {
    if (this.userOffset !== null) return this.userOffset;
    if (this.estimate.method !== 'none') return BigInt(this.estimate.offsetNs);
    return this.capture.originNs - this.trace.originNs;
  }

  setOffset(offsetNs: bigint | null): void {
    this.userOffset = offsetNs;
  }

  info(): CaptureOverlayInfo {
    const e = this.estimate;
    return {
      name: this.name,
      packets: this.capture.length,
      interfaces: (interfacesJson(this.capture) ?? []).map((i) => i.name),
      estimate: e.method === 'none' ? null : { offsetNs: e.offsetNs, method: e.method, matches: e.matches, residualNs: e.residualNs },
      offsetNs: this.offsetNs.toString(),
      userSet: this.userOffset !== null,
    };
  }

  /** Trace-relative ns to add to a capture-relative time. */
  private shiftNs(): number {
    return Number(this.capture.originNs - (this.trace.originNs + this.offsetNs));
  }

  /** `data` (the trace's answer) with the capture's interface tracks over the same range and buckets. */
  addTracks(data: TimelineData): TimelineData {
    const shift = this.shiftNs();
    // Capture-relative range of the same instants.
    const c = this.timeline.query(data.startNs - shift, data.endNs - shift, data.resolution, null, {});
    const names = [...data.names];
    const base = names.length;
    names.push(...c.names);
    const tracks: TimelineTrack[] = c.tracks.map((t) => ({
      track: { kind: 'attached', id: t.track.id },
      total: t.total,
      counts: t.counts,
      dominant: t.dominant.map((n) => (n < 0 ? n : n + base)),
      events: t.events ? { tsNs: t.events.tsNs.map((ts) => ts + shift), name: t.events.name.map((n) => n + base), index: t.events.index } : null,
      slices: null,
      sliceBuckets: null,
    }));
    return { ...data, names, tracks: [...data.tracks, ...tracks], links: this.linksIn(data.startNs, data.endNs, shift) };
  }

  /** The links with either end in [startNs, endNs) (trace-relative ns); their columns empty beyond MAX_TIMELINE_LINKS. */
  private linksIn(startNs: number, endNs: number, shift: number): TimelineLinks {
    const offset = this.offsetNs;
    if (this.links?.offsetNs !== offset) {
      const byEventTs = linkPackets(this.trace, this.capture, offset, this.scan).map((l) => ({
        packet: l.packet,
        event: l.event,
        eventTsNs: this.trace.tsNs(l.event) as number,
        packetTsNs: (this.capture.tsNs(l.packet) as number) + shift,
      }));
      byEventTs.sort((a, b) => a.eventTsNs - b.eventTsNs);
      this.links = { offsetNs: offset, byEventTs, eventTsNs: Float64Array.from(byEventTs, (l) => l.eventTsNs) };
    }
    const all = this.links.byEventTs;
    // Both ends are within WINDOW_NS of each other: the event is within it of the range.
    const reach = Number(WINDOW_NS);
    let k = lowerBound(this.links.eventTsNs, startNs - reach);
    const shown: typeof all = [];
    let total = 0;
    for (; k < all.length && (all[k] as (typeof all)[number]).eventTsNs < endNs + reach; k++) {
      const l = all[k] as (typeof all)[number];
      const inside = (t: number): boolean => t >= startNs && t < endNs;
      if (!inside(l.eventTsNs) && !inside(l.packetTsNs)) continue;
      total++;
      if (shown.length <= MAX_TIMELINE_LINKS) shown.push(l);
    }
    const list = total > MAX_TIMELINE_LINKS ? [] : shown;
    return {
      total,
      packet: Uint32Array.from(list, (l) => l.packet),
      iface: Uint32Array.from(list, (l) => this.capture.cpu(l.packet)),
      packetTsNs: Float64Array.from(list, (l) => l.packetTsNs),
      event: Uint32Array.from(list, (l) => l.event),
      cpu: Uint32Array.from(list, (l) => this.trace.cpu(l.event)),
      eventTsNs: Float64Array.from(list, (l) => l.eventTsNs),
    };
  }

  dispose(): void {
    this.capture.close();
  }
}
