/**
 * A capture drawn on a trace's timeline (worker side). The capture is read into its own Trace;
 * its packets are indexed like a trace's events (TimelineService, one track per interface) and
 * queried in the capture's own relative time, shifted by
 *   d = trace.originNs + offsetNs - capture.originNs
 * (offsetNs = capture wall clock - trace clock), so a packet at capture-relative time c sits at
 * trace-relative time c - d. The tracks are appended to the trace's TimelineData with their
 * names merged and tracks `{ kind: 'attached', id: interface index }`.
 */
import type { CaptureOverlayInfo, TimelineData, TimelineTrack } from '../protocol/messages';
import { estimateClockOffset, type ClockEstimate } from '../core/analysis/capture/align';
import { interfacesJson } from '../core/formats/capture/common';
import type { Trace } from '../core/trace/trace';
import { TimelineService } from './timeline-service';

export class CaptureOverlay {
  private readonly timeline: TimelineService;
  private readonly estimate: ClockEstimate;
  private userOffset: bigint | null = null;

  constructor(
    private readonly trace: Trace,
    private readonly capture: Trace,
    private readonly name: string,
  ) {
    this.timeline = new TimelineService(capture);
    this.estimate = estimateClockOffset(trace, [capture]);
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
    return { ...data, names, tracks: [...data.tracks, ...tracks] };
  }

  dispose(): void {
    this.capture.close();
  }
}
