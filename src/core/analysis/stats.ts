/**
 * Summary statistics of a trace: what `ktl stats` prints and the editor's summary shows.
 * One pass over the columns; no payload is decoded.
 */
import type { Trace } from '../trace/trace';

export interface TraceStats {
  readonly events: number;
  readonly cpus: number[];
  /** Event count per CPU. */
  readonly cpuCounts: Map<number, number>;
  /** Earliest and latest event time, ns relative to the origin (0/0 for an empty trace). */
  readonly firstTsNs: number;
  readonly lastTsNs: number;
  readonly durationNs: number;
  /** Event name -> count, by descending count then name. */
  readonly eventCounts: [string, number][];
  /** (comm, pid) -> count, by descending count. */
  readonly tasks: { comm: string; pid: number; count: number }[];
  /** Sum of the `[LOST N EVENTS]` counts (annotations without a count add nothing). */
  readonly lostEvents: number;
}

export function computeStats(trace: Trace): TraceStats {
  const n = trace.length;
  const byEvent = new Map<number, number>();
  const byCpu = new Map<number, number>();
  // Keyed by comm id * 2^23 + pid + 1: pids are below 2^22 (PID_MAX_LIMIT), -1 means unknown.
  const byTask = new Map<number, { comm: number; pid: number; count: number }>();
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const ev = trace.eventId(i);
    byEvent.set(ev, (byEvent.get(ev) ?? 0) + 1);
    const cpu = trace.cpu(i);
    byCpu.set(cpu, (byCpu.get(cpu) ?? 0) + 1);
    const comm = trace.commId(i);
    const pid = trace.pid(i);
    const key = comm * 8388608 + pid + 1;
    const t = byTask.get(key);
    if (t) t.count++;
    else byTask.set(key, { comm, pid, count: 1 });
    const ts = trace.tsNs(i);
    if (ts < first) first = ts;
    if (ts > last) last = ts;
  }
  if (n === 0) first = last = 0;
  const eventCounts = [...byEvent].map(([id, c]): [string, number] => [trace.strings.get(id), c]);
  eventCounts.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const tasks = [...byTask.values()].map((t) => ({ comm: trace.strings.get(t.comm), pid: t.pid, count: t.count }));
  tasks.sort((a, b) => b.count - a.count || a.pid - b.pid);
  let lost = 0;
  for (const l of trace.lost) lost += l.count ?? 0;
  return {
    events: n,
    cpus: [...byCpu.keys()].sort((a, b) => a - b),
    cpuCounts: byCpu,
    firstTsNs: first,
    lastTsNs: last,
    durationNs: last - first,
    eventCounts,
    tasks,
    lostEvents: lost,
  };
}
