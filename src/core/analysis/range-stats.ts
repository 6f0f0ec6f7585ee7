/**
 * What a time range holds (a brushed selection on the timeline): exact event counts per event
 * name, per CPU and per task, how long each task ran on each CPU (sched_switch slices clipped
 * to the range), and the first and last event. Over the per-CPU time-sorted index
 * (timeline.ts), so the cost is O(CPUs · log n + events in the range + slices in the range).
 *
 * Units: RelNs (nanoseconds from the trace origin); the range is half-open [startNs, endNs).
 */
import type { Trace } from '../trace/trace';
import { lowerBoundBy, type TaskSlices, type TimelineEvents } from './timeline';

export interface TaskCount {
  readonly comm: string;
  readonly pid: number;
  readonly count: number;
}

export interface CpuRunTime {
  readonly cpu: number;
  readonly comm: string;
  readonly pid: number;
  /** Time the task ran on the CPU inside the range, ns. */
  readonly runNs: number;
}

export interface RangeStats {
  readonly startNs: number;
  readonly endNs: number;
  readonly total: number;
  /** [event name, count], by descending count, then name. */
  readonly events: [string, number][];
  /** [cpu, count], by ascending CPU (CPUs with events in the range). */
  readonly cpus: [number, number][];
  /** By descending count, then pid. */
  readonly tasks: TaskCount[];
  /** By CPU, then descending run time; empty without sched_switch. */
  readonly runTime: CpuRunTime[];
  /** Event indexes of the first and last event in the range (time order; ties: file order); -1 when empty. */
  readonly first: number;
  readonly last: number;
}

export function rangeStats(trace: Trace, events: TimelineEvents, slices: TaskSlices, startNs: number, endNs: number): RangeStats {
  const perEvent = new Map<number, number>();
  const perTask = new Map<string, { comm: string; pid: number; count: number }>();
  const cpus: [number, number][] = [];
  let total = 0;
  let first = -1;
  let firstNs = Infinity;
  let last = -1;
  let lastNs = -Infinity;
  for (const c of events.cpus) {
    const lo = lowerBoundBy(c.ts, startNs, 0, c.order.length);
    const hi = lowerBoundBy(c.ts, endNs, lo, c.order.length);
    if (hi === lo) continue;
    cpus.push([c.cpu, hi - lo]);
    total += hi - lo;
    for (let k = lo; k < hi; k++) {
      const i = c.order[k] as number;
      const id = trace.eventId(i);
      perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
      const pid = trace.pid(i);
      const comm = trace.comm(i);
      const key = `${pid}\u0000${comm}`;
      const t = perTask.get(key);
      if (t) t.count++;
      else perTask.set(key, { comm, pid, count: 1 });
    }
    const a = c.order[lo] as number;
    const aNs = c.ts(lo);
    if (aNs < firstNs || (aNs === firstNs && a < first)) {
      first = a;
      firstNs = aNs;
    }
    const b = c.order[hi - 1] as number;
    const bNs = c.ts(hi - 1);
    if (bNs > lastNs || (bNs === lastNs && b > last)) {
      last = b;
      lastNs = bNs;
    }
  }
  const names = [...perEvent].map(([id, n]): [string, number] => [trace.strings.get(id), n]);
  names.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const tasks = [...perTask.values()].sort((x, y) => y.count - x.count || x.pid - y.pid || (x.comm < y.comm ? -1 : x.comm > y.comm ? 1 : 0));
  return { startNs, endNs, total, events: names, cpus, tasks, runTime: runTimes(slices, startNs, endNs), first, last };
}

/** Per CPU, each task's slices clipped to [startNs, endNs), summed. */
function runTimes(slices: TaskSlices, startNs: number, endNs: number): CpuRunTime[] {
  const out: CpuRunTime[] = [];
  for (const cpu of slices.cpus()) {
    const sum = new Map<number, number>();
    slices.forEach(cpu, startNs, endNs, (a, z, task) => {
      const ns = Math.min(endNs, z) - Math.max(startNs, a);
      if (ns > 0) sum.set(task, (sum.get(task) ?? 0) + ns);
    });
    const rows = [...sum].map(([task, runNs]) => ({ cpu, comm: slices.tasks[task]?.comm ?? '?', pid: slices.tasks[task]?.pid ?? -1, runNs }));
    rows.sort((x, y) => y.runNs - x.runNs || x.pid - y.pid);
    out.push(...rows);
  }
  return out;
}
