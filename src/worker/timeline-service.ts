/**
 * The timeline's queries over a loaded trace (worker side): aggregated tracks for a range,
 * exact counts of a brushed range, and one event with its position in the filtered table.
 *
 * The per-CPU time-sorted index is built on the first request (one pass), and once more per
 * filter (cached, a few filters at most), so a query costs O(buckets + events drawn).
 * The filter means exactly what it means for the table (TraceService.rows).
 */
import type { EventFilter, EventRow, TimelineData, TimelineToHost, TimelineToWebview, TrackId } from '../protocol/messages';
import { MAX_RANGE_ROWS, MAX_TIMELINE_EVENTS, MAX_TIMELINE_RESOLUTION, MAX_TIMELINE_SLICES } from '../protocol/messages';
import { rangeStats } from '../core/analysis/range-stats';
import { buildTaskSlices, buildTimelineEvents, countRange, queryTimeline, type TaskSlices, type TimelineEvents } from '../core/analysis/timeline';
import type { Trace } from '../core/trace/trace';
import { eventMatcher } from '../core/analysis/event-filter';
import { isCapture } from '../core/formats/capture/common';

/** Filtered indexes kept (each is ~16 bytes per matching event). */
const FILTER_CACHE = 4;

interface Filtered {
  readonly events: TimelineEvents;
  /** Matching event indices in file order (the table's list), or null for "all events". */
  readonly fileOrder: Uint32Array | null;
}

export class TimelineService {
  private all: Filtered | null = null;
  private slices: TaskSlices | null = null;
  private readonly cache = new Map<string, Filtered>();

  /** strace has no CPUs worth a track (all 0): one track per task instead (pid; 0 when strace printed none). */
  private readonly trackOf: ((i: number) => number) | undefined;

  /** What this trace's track numbers are. */
  private readonly trackKind: TrackId['kind'];

  constructor(private readonly trace: Trace) {
    this.trackOf = timelineTracksByTask(trace) ? (i) => Math.max(0, trace.pid(i)) : undefined;
    this.trackKind = this.trackOf ? 'task' : isCapture(trace.meta.format) ? 'interface' : 'cpu';
  }

  /** Answers one timeline request (throws on a bad request; the caller turns it into requestError). */
  answer(msg: TimelineToHost, row: (index: number) => EventRow): TimelineToWebview {
    switch (msg.type) {
      case 'timeline':
        return { type: 'timeline', requestId: msg.requestId, data: this.query(msg.startNs, msg.endNs, msg.resolution, msg.cpus, msg.filter) };
      case 'timelineRange': {
        const r = countRange(this.filtered(msg.filter).events, msg.startNs, msg.endNs, msg.cpus, (id) => this.trace.strings.get(id));
        return {
          type: 'timelineRange',
          requestId: msg.requestId,
          startNs: r.startNs,
          endNs: r.endNs,
          total: r.total,
          cpus: r.cpus.map(([cpu, count]) => ({ name: String(cpu), count })),
          events: r.events.map(([name, count]) => ({ name, count })),
        };
      }
      case 'rangeStats': {
        if (!(msg.endNs > msg.startNs)) throw new Error('empty time range');
        const r = rangeStats(this.trace, this.filtered(msg.filter).events, this.taskSlices(), msg.startNs, msg.endNs);
        return {
          type: 'rangeStats',
          requestId: msg.requestId,
          stats: {
            startNs: r.startNs,
            endNs: r.endNs,
            total: r.total,
            events: r.events.slice(0, MAX_RANGE_ROWS).map(([name, count]) => ({ name, count })),
            cpus: r.cpus.slice(0, MAX_RANGE_ROWS).map(([cpu, count]) => ({ name: String(cpu), count })),
            tasks: r.tasks.slice(0, MAX_RANGE_ROWS).map((t) => ({ ...t })),
            runTime: r.runTime.slice(0, MAX_RANGE_ROWS).map((t) => ({ ...t })),
            first: r.first >= 0 ? row(r.first) : null,
            last: r.last >= 0 ? row(r.last) : null,
          },
        };
      }
      case 'eventAt': {
        if (msg.index >= this.trace.length) throw new Error(`no event ${msg.index} (the trace has ${this.trace.length})`);
        return { type: 'eventAt', requestId: msg.requestId, row: row(msg.index), position: this.position(msg.index, msg.filter) };
      }
    }
  }

  query(startNs: number, endNs: number, resolution: number, cpus: readonly number[] | null, filter: EventFilter): TimelineData {
    if (!(endNs > startNs)) throw new Error('empty time range');
    const res = Math.min(MAX_TIMELINE_RESOLUTION, Math.max(1, Math.floor(resolution)));
    const r = queryTimeline(
      this.filtered(filter).events,
      this.taskSlices(),
      { startNs, endNs, resolution: res, cpus, maxEvents: MAX_TIMELINE_EVENTS, maxSlices: MAX_TIMELINE_SLICES },
      (id) => this.trace.strings.get(id),
    );
    // The core numbers tracks as the trace's cpu column (or pid); the wire says what they are.
    const kind = this.trackKind;
    return { ...r, tracks: r.tracks.map(({ cpu, ...t }) => ({ track: { kind, id: cpu }, ...t })) };
  }

  /** Position of event `index` in the filtered file-order list, null when the filter hides it. */
  position(index: number, filter: EventFilter): number | null {
    const f = this.filtered(filter);
    if (!f.fileOrder) return index;
    const list = f.fileOrder;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as number) < index) lo = mid + 1;
      else hi = mid;
    }
    return list[lo] === index ? lo : null;
  }

  private taskSlices(): TaskSlices {
    if (!this.slices) this.slices = buildTaskSlices(this.trace, this.filtered({}).events);
    return this.slices;
  }

  private filtered(filter: EventFilter): Filtered {
    const keep = eventMatcher(this.trace, filter);
    if (!keep) {
      if (!this.all) this.all = { events: buildTimelineEvents(this.trace, undefined, this.trackOf), fileOrder: null };
      return this.all;
    }
    const cached = this.cache.get(keep.key);
    if (cached) return cached;
    const n = this.trace.length;
    let order = new Uint32Array(1024);
    let count = 0;
    const events = buildTimelineEvents(this.trace, (i) => {
      if (!keep.test(i)) return false;
      if (count === order.length) {
        const grown = new Uint32Array(Math.min(n, order.length * 2));
        grown.set(order);
        order = grown;
      }
      order[count++] = i;
      return true;
    }, this.trackOf);
    const f: Filtered = { events, fileOrder: order.slice(0, count) };
    if (this.cache.size >= FILTER_CACHE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(keep.key, f);
    return f;
  }
}

/** Whether the timeline's tracks are tasks rather than CPUs (strace: every call is on "CPU 0"). */
export function timelineTracksByTask(trace: Trace): boolean {
  return trace.meta.format === 'strace';
}
