/**
 * A loaded trace and the queries the editor makes of it: the summary and pages of filtered
 * rows. Runs in the worker (and in tests); filtered index lists are cached per filter, so
 * scrolling a filtered table costs one pass over the trace, not one per page. While the file is
 * read the trace is a snapshot, replaced by a longer one as reading goes on (`replace`): the
 * caches are of one trace, and go with it.
 */
import type { EventFilter, EventRow, RowSort, TraceSummary } from '../protocol/messages';
import { StatsCounter, countedStats, type TraceStats } from '../core/analysis/stats';
import { loadTraceFile, type LoadOptions } from '../core/io/file-source';
import type { Trace } from '../core/trace/trace';
import { eventText } from '../core/formats/decode';
import { formatSpec } from '../core/formats/registry';
import { timelineTracksByTask } from './timeline-service';
import { MAX_SUMMARY_GAPS, MAX_TASK_TRACKS } from '../protocol/messages';
import { traceGaps } from '../core/analysis/trace-gaps';
import { eventMatcher } from '../core/analysis/event-filter';
import { captureInfo, interfacesJson } from '../core/formats/capture/common';
import { decodePacket } from '../core/formats/capture/decode';
import { absNsText } from '../core/trace/time';
import { sortedRows } from './row-sort';
import { packetRow } from './packet-rows';

/** Errors listed in the summary; the count covers all of them. */
const SUMMARY_ERRORS = 50;
/** Tasks listed in the summary (by event count). */
const SUMMARY_TASKS = 500;
/** Filtered index lists kept. */
const FILTER_CACHE = 4;

export class TraceService {
  private readonly filterCache = new Map<string, Uint32Array>();
  private readonly sortCache = new Map<string, Uint32Array>();
  /**
   * The settled events' counts, carried from snapshot to snapshot: each summary counts only what
   * was read since the last (a snapshot's unsettled tail is counted on a copy).
   */
  private counter: StatsCounter | null = null;

  constructor(private trace: Trace) {}

  static async open(path: string, opts: LoadOptions = {}): Promise<TraceService> {
    return new TraceService(await loadTraceFile(path, opts));
  }

  /**
   * The trace read further (a longer snapshot, or the whole trace at the end of reading).
   * Filtered and sorted lists were of the old one: dropped, not extended, since a snapshot's
   * unsettled events (an unfinished call) may have changed since.
   */
  replace(trace: Trace): void {
    this.trace = trace;
    this.filterCache.clear();
    this.sortCache.clear();
  }

  get eventCount(): number {
    return this.trace.length;
  }

  /** `totalBytes`: the file's size, for the `reading` note of a snapshot's summary. */
  summary(fileName: string, totalBytes = 0): TraceSummary {
    const t = this.trace;
    const s = this.stats();
    return {
      ...(t.partial ? { reading: { bytesRead: t.bytesRead, totalBytes: Math.max(totalBytes, t.bytesRead) } } : {}),
      fileName,
      format: t.meta.format,
      tracer: t.meta.tracer,
      ...(t.meta.stoppedBy !== undefined ? { stoppedBy: t.meta.stoppedBy } : {}),
      events: s.events,
      cpus: s.cpus,
      firstTsNs: s.firstTsNs,
      durationNs: s.durationNs,
      originNs: absNsText(t.originNs),
      timeSource: t.meta.timeSource,
      lineKind: formatSpec(t.meta.format).lineKind,
      eventCounts: s.eventCounts.map(([name, count]) => ({ name, count })),
      cpuCounts: [...s.cpuCounts].sort((a, b) => a[0] - b[0]).map(([cpu, count]) => ({ name: String(cpu), count })),
      tasks: s.tasks.slice(0, SUMMARY_TASKS),
      lostEvents: s.lostEvents,
      ...(t.lost.length + t.bufferStarts.length > 0 ? { gaps: traceGaps(t).slice(0, MAX_SUMMARY_GAPS).map(({ beforeEvent: _b, ...g }) => g) } : {}),
      errorCount: t.issueCount,
      errors: t.issues.slice(0, SUMMARY_ERRORS).map((e) => ({ line: e.line, message: e.message })),
      // Captures name their tracks (interfaces) from the file: `veth-a`, not "CPU 2".
      ...interfaceNames(t),
      ...(timelineTracksByTask(t) ? { taskTracks: taskTracks(s.tasks) } : {}),
    };
  }

  /** The trace's statistics, counting on from the last summary's where the trace continues it. */
  private stats(): TraceStats {
    const t = this.trace;
    if (!this.counter?.continues(t)) this.counter = countedStats(t) ?? new StatsCounter(t.strings);
    const settled = t.partial ? Math.min(t.partial.settled, t.length) : t.length;
    this.counter.count(t, settled);
    if (settled === t.length) return this.counter.stats(t);
    const withTail = this.counter.clone();
    withTail.count(t, t.length);
    return withTail.stats(t);
  }

  rows(start: number, count: number, filter: EventFilter, sort?: RowSort): { total: number; rows: EventRow[] } {
    const index = this.list(filter, sort);
    const total = index ? index.length : this.trace.length;
    const rows: EventRow[] = [];
    const end = Math.min(total, start + count);
    // Captures: each packet's previous displayed one is in the filter's file-order list.
    const displayed = this.matching(filter);
    for (let k = start; k < end; k++) rows.push(this.row(index ? (index[k] as number) : k, displayed));
    return { total, rows };
  }

  /** Runs an analysis over the loaded trace (e.g. hit counts on the source). */
  withTrace<R>(analysis: (trace: Trace) => Promise<R>): Promise<R> {
    return analysis(this.trace);
  }

  dispose(): void {
    this.trace.close();
  }

  private row(i: number, displayed: Uint32Array | null = null): EventRow {
    const t = this.trace;
    const tgid = t.tgid(i);
    // A capture's packet is decoded once for its text (the summary) and its packet-list columns.
    const decoded = captureInfo(t) ? decodePacket(t, i) : null;
    const packet = decoded ? packetRow(t, i, displayed, decoded) : undefined;
    return {
      index: i,
      line: t.line(i),
      tsNs: t.tsNs(i),
      cpu: t.cpu(i),
      pid: t.pid(i),
      tgid: tgid >= 0 ? tgid : null,
      comm: t.comm(i),
      flags: t.flags(i),
      event: t.event(i),
      text: decoded ? decoded.summary : eventText(t, i),
      ...(packet ? { packet } : {}),
    };
  }

  /**
   * The table's list: indices of the events passing `filter`, in `sort` order (file order
   * without one); null when that is every event in file order. Cached like the filter.
   */
  list(filter: EventFilter, sort?: RowSort | null): Uint32Array | null {
    const matching = this.matching(filter);
    if (!sort) return matching;
    const key = JSON.stringify([filter, sort]);
    const cached = this.sortCache.get(key);
    if (cached) return cached;
    const sorted = sortedRows(this.trace, matching, sort);
    if (this.sortCache.size >= FILTER_CACHE) this.sortCache.delete(this.sortCache.keys().next().value as string);
    this.sortCache.set(key, sorted);
    return sorted;
  }

  /** Indices of the events passing `filter`, or null when the filter keeps everything. */
  private matching(filter: EventFilter): Uint32Array | null {
    const m = eventMatcher(this.trace, filter);
    if (!m) return null;
    const cached = this.filterCache.get(m.key);
    if (cached) return cached;
    let out = new Uint32Array(1024);
    let n = 0;
    for (let i = 0; i < this.trace.length; i++) {
      if (!m.test(i)) continue;
      if (n === out.length) {
        const grown = new Uint32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[n++] = i;
    }
    const result = out.slice(0, n);
    if (this.filterCache.size >= FILTER_CACHE) this.filterCache.delete(this.filterCache.keys().next().value as string);
    this.filterCache.set(m.key, result);
    return result;
  }
}

/** `interfaces` of a capture's summary (index, name, link type); nothing for other traces. */
function interfaceNames(t: Trace): Pick<TraceSummary, 'interfaces'> {
  const list = interfacesJson(t);
  return list ? { interfaces: list.map((i) => ({ index: i.index, name: i.name, linkType: i.linkType })) } : {};
}

/** The busiest tasks as timeline tracks, by pid (the id TimelineService gives their track). */
function taskTracks(tasks: readonly { readonly comm: string; readonly pid: number; readonly count: number }[]): { id: number; label: string }[] {
  // A pid that changed its comm (execve) is one track, named by its busiest comm.
  const byId = new Map<number, string>();
  for (const x of [...tasks].sort((a, b) => b.count - a.count || a.pid - b.pid)) {
    const id = Math.max(0, x.pid);
    if (byId.has(id)) continue;
    if (byId.size === MAX_TASK_TRACKS) break;
    byId.set(id, x.pid < 0 ? x.comm || 'task' : `${x.comm || '?'}-${x.pid}`);
  }
  return [...byId].sort((a, b) => a[0] - b[0]).map(([id, label]) => ({ id, label }));
}
