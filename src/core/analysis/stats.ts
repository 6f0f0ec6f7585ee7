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
  // Counters indexed by string id and CPU number: no map lookup per event.
  const byEvent = new Float64Array(trace.strings.size);
  const byCpu: number[] = [];
  // Keyed by comm id * 2^23 + pid + 1: pids are below 2^22 (PID_MAX_LIMIT), -1 means unknown.
  type TaskCount = { comm: number; pid: number; count: number };
  const byTask = new Map<number, TaskCount>();
  let lastKey = -1;
  let lastTask: TaskCount | undefined;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    (byEvent[trace.eventId(i)] as number)++;
    const cpu = trace.cpu(i);
    byCpu[cpu] = (byCpu[cpu] ?? 0) + 1;
    const comm = trace.commId(i);
    const pid = trace.pid(i);
    const key = comm * 8388608 + pid + 1;
    // Consecutive events mostly come from one task: skip the map for runs.
    if (key !== lastKey) {
      lastKey = key;
      lastTask = byTask.get(key);
      if (!lastTask) {
        lastTask = { comm, pid, count: 0 };
        byTask.set(key, lastTask);
      }
    }
    (lastTask as TaskCount).count++;
    const ts = trace.tsNs(i);
    if (ts < first) first = ts;
    if (ts > last) last = ts;
  }
  if (n === 0) first = last = 0;
  const eventCounts: [string, number][] = [];
  byEvent.forEach((c, id) => {
    if (c > 0) eventCounts.push([trace.strings.get(id), c]);
  });
  const cpuCounts = new Map<number, number>();
  byCpu.forEach((c, cpu) => cpuCounts.set(cpu, c));
  eventCounts.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const tasks = [...byTask.values()].map((t) => ({ comm: trace.strings.get(t.comm), pid: t.pid, count: t.count }));
  tasks.sort((a, b) => b.count - a.count || a.pid - b.pid);
  let lost = 0;
  for (const l of trace.lost) lost += l.count ?? 0;
  return {
    events: n,
    cpus: [...cpuCounts.keys()],
    cpuCounts,
    firstTsNs: first,
    lastTsNs: last,
    durationNs: last - first,
    eventCounts,
    tasks,
    lostEvents: lost,
  };
}
