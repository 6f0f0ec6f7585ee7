/**
 * Summary statistics of a trace: what `ktl stats` prints and the editor's summary shows.
 * One pass over the columns' blocks; no payload is decoded.
 *
 * The pass is a StatsCounter that can be carried on: while a file is read the editor shows a
 * summary of each snapshot (worker/trace-service.ts), and counting only the events read since
 * the last one keeps that O(new events), not O(events read) per snapshot.
 */
import { BLOCK_SIZE } from '../trace/columns';
import type { StringTable } from '../trace/strings';
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
  const counter = countedStats(trace) ?? new StatsCounter(trace.strings);
  counter.count(trace, trace.length);
  return counter.stats(trace);
}

/**
 * Counts made while the trace was read (io/parallel-load.ts: each range counted in the thread
 * that read it, merged with the ranges), by trace; weak, so they go with the trace.
 */
const readCounts = new WeakMap<Trace, StatsCounter>();

/** Keeps `counter` (every event of `trace` counted, ids of its string table) as the trace's. */
export function adoptStats(trace: Trace, counter: StatsCounter): void {
  if (counter.counted !== trace.length || !counter.continues(trace)) throw new Error(`adoptStats: ${counter.counted} of ${trace.length} events counted`);
  readCounts.set(trace, counter);
}

/** A copy of the counts made while `trace` was read, when there are any (then count() has nothing left to count). */
export function countedStats(trace: Trace): StatsCounter | null {
  return readCounts.get(trace)?.clone() ?? null;
}

/** A StatsCounter's counts as plain data: they move between threads (structured clone). */
export interface StatsCounts {
  readonly counted: number;
  readonly byEvent: Float64Array;
  readonly byCpu: Float64Array;
  /** (comm id, pid, count) triples. */
  readonly tasks: Float64Array;
  readonly first: number;
  readonly last: number;
}

type TaskCount = { comm: number; pid: number; count: number };

/** A task's key in StatsCounter's map: comm id * 2^23 + pid + 1 (pids are below 2^22, PID_MAX_LIMIT; -1 means unknown). */
function taskKey(comm: number, pid: number): number {
  return comm * 8388608 + pid + 1;
}

/** Slots of the per-pass cache of task counters (a power of two, minus one). */
const TASK_CACHE_MASK = 255;

/**
 * Counts of events [0, counted) of a trace, by event name, CPU and task, and their time span.
 * `count` goes on to a later index of the same trace or of a longer snapshot of it (events
 * already counted must not have changed: a snapshot's settled ones).
 */
export class StatsCounter {
  /** Events counted: [0, counted). */
  counted = 0;
  /** By string id and CPU number: no map lookup per event (grown as ids and CPUs appear). */
  private byEvent: Float64Array<ArrayBuffer> = new Float64Array(64);
  private byCpu: Float64Array<ArrayBuffer> = new Float64Array(8);
  /** Keyed by taskKey. */
  private readonly byTask = new Map<number, TaskCount>();
  private first = Infinity;
  private last = -Infinity;

  /** `strings`: the string table of the traces counted (ids are its). */
  constructor(readonly strings: StringTable) {}

  /** Whether `trace` continues what was counted (the same string table, at least as many events). */
  continues(trace: Trace): boolean {
    return trace.strings === this.strings && trace.length >= this.counted;
  }

  /** A copy to count on without changing this one (a snapshot's unsettled events). */
  clone(): StatsCounter {
    const c = new StatsCounter(this.strings);
    c.counted = this.counted;
    c.byEvent = this.byEvent.slice();
    c.byCpu = this.byCpu.slice();
    for (const [k, t] of this.byTask) c.byTask.set(k, { ...t });
    c.first = this.first;
    c.last = this.last;
    return c;
  }

  /** The counts as data (StatsCounter.merged adds them up). */
  counts(): StatsCounts {
    const tasks = new Float64Array(this.byTask.size * 3);
    let k = 0;
    for (const t of this.byTask.values()) {
      tasks[k++] = t.comm;
      tasks[k++] = t.pid;
      tasks[k++] = t.count;
    }
    return { counted: this.counted, byEvent: this.byEvent.slice(), byCpu: this.byCpu.slice(), tasks, first: this.first, last: this.last };
  }

  /**
   * The counts of consecutive parts of one trace added up, as the counter of the whole (whose
   * string table is `strings`): `ids` maps each part's string ids to the whole's.
   */
  static merged(strings: StringTable, parts: readonly { readonly counts: StatsCounts; readonly ids: Uint32Array }[]): StatsCounter {
    const c = new StatsCounter(strings);
    c.byEvent = new Float64Array(Math.max(1, strings.size));
    for (const { counts, ids } of parts) {
      c.counted += counts.counted;
      counts.byEvent.forEach((n, id) => {
        if (n > 0) (c.byEvent[ids[id] as number] as number) += n;
      });
      if (c.byCpu.length < counts.byCpu.length) c.byCpu = grown(c.byCpu, counts.byCpu.length);
      counts.byCpu.forEach((n, cpu) => {
        (c.byCpu[cpu] as number) += n;
      });
      for (let k = 0; k < counts.tasks.length; k += 3) {
        const comm = ids[counts.tasks[k] as number] as number;
        const pid = counts.tasks[k + 1] as number;
        const key = taskKey(comm, pid);
        const t = c.byTask.get(key);
        if (t) t.count += counts.tasks[k + 2] as number;
        else c.byTask.set(key, { comm, pid, count: counts.tasks[k + 2] as number });
      }
      if (counts.first < c.first) c.first = counts.first;
      if (counts.last > c.last) c.last = counts.last;
    }
    return c;
  }

  /** Counts events [counted, to) of `trace`. */
  count(trace: Trace, to: number): void {
    if (to <= this.counted) return;
    if (this.byEvent.length < trace.strings.size) this.byEvent = grown(this.byEvent, trace.strings.size);
    const ts = trace.columnBlocks('tsNs');
    const cpus = trace.columnBlocks('cpu');
    const pids = trace.columnBlocks('pid');
    const comms = trace.columnBlocks('comm');
    const events = trace.columnBlocks('event');
    let byEvent = this.byEvent;
    let byCpu = this.byCpu;
    const byTask = this.byTask;
    let lastComm = -1;
    let lastPid = -2;
    let lastTask: TaskCount | undefined;
    const recent: (TaskCount | undefined)[] = new Array<TaskCount | undefined>(TASK_CACHE_MASK + 1).fill(undefined);
    let first = this.first;
    let last = this.last;
    for (let b = Math.floor(this.counted / BLOCK_SIZE); b * BLOCK_SIZE < to; b++) {
      const base = b * BLOCK_SIZE;
      const tsB = ts[b] as Float64Array;
      const cpuB = cpus[b] as Uint16Array;
      const pidB = pids[b] as Int32Array;
      const commB = comms[b] as Uint32Array;
      const eventB = events[b] as Uint32Array;
      const end = Math.min(BLOCK_SIZE, to - base);
      for (let k = Math.max(0, this.counted - base); k < end; k++) {
        const ev = eventB[k] as number;
        if (ev >= byEvent.length) byEvent = grown(byEvent, ev + 1);
        (byEvent[ev] as number)++;
        const cpu = cpuB[k] as number;
        if (cpu >= byCpu.length) byCpu = grown(byCpu, cpu + 1);
        (byCpu[cpu] as number)++;
        const comm = commB[k] as number;
        const pid = pidB[k] as number;
        // The task's counter: the last one (runs of one task), else a small cache by comm and
        // pid (tasks interleave on several CPUs), else the map.
        if (comm !== lastComm || pid !== lastPid) {
          lastComm = comm;
          lastPid = pid;
          const slot = (comm * 31 + pid) & TASK_CACHE_MASK;
          const cached = recent[slot];
          if (cached !== undefined && cached.comm === comm && cached.pid === pid) lastTask = cached;
          else {
            const key = taskKey(comm, pid);
            lastTask = byTask.get(key);
            if (!lastTask) {
              lastTask = { comm, pid, count: 0 };
              byTask.set(key, lastTask);
            }
            recent[slot] = lastTask;
          }
        }
        (lastTask as TaskCount).count++;
        const t = tsB[k] as number;
        if (t < first) first = t;
        if (t > last) last = t;
      }
    }
    this.byEvent = byEvent;
    this.byCpu = byCpu;
    this.first = first;
    this.last = last;
    this.counted = to;
  }

  /** The statistics of the events counted (names from `trace`'s string table, lost events from its annotations). */
  stats(trace: Trace): TraceStats {
    const n = this.counted;
    const first = n === 0 ? 0 : this.first;
    const last = n === 0 ? 0 : this.last;
    const eventCounts: [string, number][] = [];
    this.byEvent.forEach((c, id) => {
      if (c > 0) eventCounts.push([trace.strings.get(id), c]);
    });
    const cpuCounts = new Map<number, number>();
    this.byCpu.forEach((c, cpu) => {
      if (c > 0) cpuCounts.set(cpu, c);
    });
    eventCounts.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const tasks = [...this.byTask.values()].map((t) => ({ comm: trace.strings.get(t.comm), pid: t.pid, count: t.count }));
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
}

/** `a` in a longer array (at least `need`, doubling): ids and CPU numbers only grow. */
function grown(a: Float64Array, need: number): Float64Array<ArrayBuffer> {
  let size = Math.max(1, a.length);
  while (size < need) size *= 2;
  const next = new Float64Array(size);
  next.set(a);
  return next;
}
