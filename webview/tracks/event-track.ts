/**
 * One timeline track (a CPU, a task, a capture interface): sched_switch task slices on top,
 * event marks below. Marks are one 2 px bar per event when the reply lists events one by one,
 * else one bar per pixel bucket, its height by log(count), coloured by the bucket's dominant
 * event. Where the CPU lost events (or its buffer started), a warning-coloured line across the
 * track with a flag on top. Task and event names are trace text: drawn on the canvas, never as HTML.
 */
import type { TimelineData, TimelineTrack, TraceGapView } from '../../src/protocol/messages';
import { formatTask } from '../format';
import type { TimeScale } from '../timeline-scale';
import { colourOf } from './colours';
import type { Track, TrackId, TrackRenderContext } from './track';

/** Layout inside the track, CSS px: the slices lane, and the marks lane at its least (a taller track's box gives it the rest). */
export const SLICE_PX = 12;
export const MARK_PX = 20;
/** Space between two tracks (a separator line in its middle), CSS px. */
export const TRACK_GAP_PX = 6;
/** Width of a lost-events line, CSS px. */
export const GAP_LINE_PX = 2;

/** The track's part of one timeline reply. */
export interface TrackData {
  readonly data: TimelineData;
  readonly track: TimelineTrack;
}

export class EventTrack implements Track {
  /** Set by the view when a reply arrives (null: nothing for this track yet). */
  current: TrackData | null = null;

  /** Where this track's CPU is missing events (summary.gaps of its CPU), in time order. */
  gaps: readonly TraceGapView[] = [];

  constructor(readonly id: TrackId) {}

  render(rc: TrackRenderContext): void {
    const d = this.current;
    if (d) {
      this.drawSlices(rc, d.data, d.track);
      this.drawMarks(rc, d.data, d.track, rc.top + SLICE_PX + 1, Math.max(MARK_PX, rc.size.height - SLICE_PX));
    }
    this.drawGaps(rc);
  }

  /** The gap mark nearest `x` within `maxPx` (null: none). */
  gapAt(scale: TimeScale, x: number, maxPx: number): TraceGapView | null {
    let best: TraceGapView | null = null;
    let bestPx = maxPx + 1;
    for (const g of this.gaps) {
      const d = Math.abs(scale.toPx(g.tsNs) - x);
      if (d < bestPx) {
        bestPx = d;
        best = g;
      }
    }
    return best;
  }

  private drawGaps(rc: TrackRenderContext): void {
    const { ctx, scale, colours: c, top } = rc;
    const w = scale.width;
    const h = rc.size.height;
    ctx.fillStyle = c.warning || c.error || c.fg;
    for (const g of this.gaps) {
      const x = Math.round(scale.toPx(g.tsNs));
      if (x < -4 || x > w + 4) continue;
      // A 2 px line through the track and a flag on top: the events between are not in the trace.
      ctx.fillRect(x - 1, top, GAP_LINE_PX, h);
      ctx.beginPath();
      ctx.moveTo(x - 4, top);
      ctx.lineTo(x + 4, top);
      ctx.lineTo(x, top + 5);
      ctx.closePath();
      ctx.fill();
    }
  }

  /** The listed event nearest to `x` (CSS px) within `maxPx`, as an index into track.events; -1 when none. */
  nearestEvent(scale: TimeScale, x: number, maxPx: number): number {
    const ev = this.current?.track.events;
    if (!ev) return -1;
    let best = -1;
    let bestPx = maxPx + 1;
    for (let k = 0; k < ev.tsNs.length; k++) {
      const d = Math.abs(scale.toPx(ev.tsNs[k] as number) - x);
      if (d < bestPx) {
        bestPx = d;
        best = k;
      }
    }
    return best;
  }

  /** The task slice covering `ns`, when slices are listed. */
  sliceAt(ns: number): { startNs: number; endNs: number; comm: string; pid: number } | null {
    const d = this.current;
    const sl = d?.track.slices;
    if (!d || !sl) return null;
    for (let k = 0; k < sl.startNs.length; k++) {
      const a = sl.startNs[k] as number;
      const b = sl.endNs[k] as number;
      const task = d.data.tasks[sl.task[k] as number];
      if (ns < a || ns >= b || !task) continue;
      return { startNs: a, endNs: b, comm: task.comm, pid: task.pid };
    }
    return null;
  }

  /** The aggregated bucket under `x`: its event count, dominant event and width in ns. */
  bucketAt(scale: TimeScale, x: number): { count: number; dominant: string; bucketNs: number } | null {
    const d = this.current;
    if (!d) return null;
    const { data, track } = d;
    const k = Math.floor(((x - scale.toPx(data.startNs)) / (scale.toPx(data.endNs) - scale.toPx(data.startNs))) * track.counts.length);
    const count = track.counts[k] ?? 0;
    if (count === 0) return null;
    return { count, dominant: data.names[track.dominant[k] as number] ?? '', bucketNs: (data.endNs - data.startNs) / track.counts.length };
  }

  private drawSlices(rc: TrackRenderContext, data: TimelineData, track: TimelineTrack): void {
    const { ctx, scale, colours: c, top } = rc;
    const w = scale.width;
    const h = SLICE_PX - 2;
    ctx.font = c.font;
    ctx.textBaseline = 'middle';
    if (track.slices) {
      const s = track.slices;
      for (let k = 0; k < s.startNs.length; k++) {
        const x0 = Math.max(-1, scale.toPx(s.startNs[k] as number));
        const x1 = Math.min(w + 1, scale.toPx(s.endNs[k] as number));
        if (x1 < 0 || x0 > w) continue;
        const task = data.tasks[s.task[k] as number];
        if (!task) continue;
        const idle = task.pid === 0;
        ctx.globalAlpha = idle ? 0.12 : 0.45;
        ctx.fillStyle = idle ? c.muted : (c.events[colourOf(task.comm)] ?? c.fg);
        ctx.fillRect(x0, top, Math.max(1, x1 - x0 - 0.5), h);
        ctx.globalAlpha = 1;
        if (!idle && x1 - x0 > 40) {
          ctx.fillStyle = c.fg;
          ctx.save();
          ctx.beginPath();
          ctx.rect(x0, top, x1 - x0, h);
          ctx.clip();
          ctx.fillText(formatTask(task.comm, task.pid), Math.max(x0, 0) + 3, top + h / 2 + 0.5);
          ctx.restore();
        }
      }
    } else if (track.sliceBuckets) {
      const sb = track.sliceBuckets;
      const bw = (scale.toPx(data.endNs) - scale.toPx(data.startNs)) / sb.length;
      const x0 = scale.toPx(data.startNs);
      for (let k = 0; k < sb.length; k++) {
        const task = data.tasks[sb[k] as number];
        if (!task) continue;
        const idle = task.pid === 0;
        ctx.globalAlpha = idle ? 0.12 : 0.45;
        ctx.fillStyle = idle ? c.muted : (c.events[colourOf(task.comm)] ?? c.fg);
        ctx.fillRect(x0 + k * bw, top, Math.max(1, bw), h);
      }
      ctx.globalAlpha = 1;
    }
  }

  /** The marks lane: from `top`, `markPx` tall (CSS px). */
  private drawMarks(rc: TrackRenderContext, data: TimelineData, track: TimelineTrack, top: number, markPx: number): void {
    const { ctx, scale, colours: c } = rc;
    const w = scale.width;
    if (track.events) {
      const ev = track.events;
      for (let k = 0; k < ev.tsNs.length; k++) {
        const x = scale.toPx(ev.tsNs[k] as number);
        if (x < -2 || x > w + 2) continue;
        const name = data.names[ev.name[k] as number] ?? '';
        ctx.fillStyle = c.events[colourOf(name)] ?? c.fg;
        ctx.fillRect(Math.round(x) - 1, top + 2, 2, markPx - 4);
      }
      return;
    }
    // Aggregated: one bar per bucket, height by log(count), coloured by its dominant event.
    const counts = track.counts;
    let max = 1;
    for (let k = 0; k < counts.length; k++) max = Math.max(max, counts[k] as number);
    const x0 = scale.toPx(data.startNs);
    const bw = (scale.toPx(data.endNs) - x0) / counts.length;
    const logMax = Math.log1p(max);
    for (let k = 0; k < counts.length; k++) {
      const n = counts[k] as number;
      if (n === 0) continue;
      const x = x0 + k * bw;
      if (x + bw < 0 || x > w) continue;
      const h = Math.max(3, ((markPx - 2) * Math.log1p(n)) / logMax);
      const name = data.names[track.dominant[k] as number] ?? '';
      ctx.fillStyle = c.events[colourOf(name)] ?? c.fg;
      ctx.fillRect(x, top + markPx - 1 - h, Math.max(1, bw - (bw > 3 ? 0.5 : 0)), h);
    }
  }
}
