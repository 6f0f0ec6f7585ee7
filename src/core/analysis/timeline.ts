/**
 * The timeline's data: a per-CPU, time-sorted index of the events (built once), task slices
 * from sched_switch, and range queries that aggregate them into pixel buckets.
 *
 * Why an index: events are stored in file order. Per-CPU ftrace buffers are usually sorted,
 * the merged file mostly, but concatenated traces and unmerged buffers go backwards. Sorting
 * each CPU's events once makes a query two binary searches per bucket edge, so its cost is
 * O(buckets · log n + events drawn), never O(trace): 10 M events zoom like 10 k.
 *
 * Units: every time is `number` nanoseconds relative to the trace origin (`tsNs`), ranges are
 * half-open [startNs, endNs).
 */
import type { Trace } from '../trace/trace';

/** One CPU's events in time order (ties keep file order). */
export interface CpuEvents {
  readonly cpu: number;
  /** Event indices (file order positions) sorted by time. */
  readonly order: Uint32Array;
  /**
   * Time of the k-th of them (ascending in k), read from the trace's own column through
   * `order`: not copied per CPU (8 bytes per event, 600 MB at 10 GB of text; issue 17). A
   * query reads O(buckets · log n) of them.
   */
  ts(k: number): number;
}

export interface TimelineEvents {
  /** By ascending CPU number; only CPUs with at least one event. */
  readonly cpus: readonly CpuEvents[];
  /** Events indexed (after the filter, when one was given). */
  readonly count: number;
  /**
   * The event-name string id of event `i` (file order; the trace's own column). Not copied per
   * CPU: 4 bytes per event is 300 MB at 10 GB of text (issue 17), and only sampled events
   * (a bucket's dominant name, the listed events, brushed ranges) are looked up.
   */
  readonly eventId: (i: number) => number;
}

/** A task that ran on a CPU: one entry per (comm, pid) seen in sched_switch. */
export interface TaskRef {
  readonly comm: string;
  readonly pid: number;
}

/**
 * Builds the per-CPU time-sorted index of the events `keep` accepts (all when omitted).
 * `trackOf` puts events on tracks other than their CPU (strace: one track per task, the pid;
 * a non-negative integer) — the index's `cpu` is then that track.
 * One pass to count, one to fill; a CPU whose events are already in time order (the usual
 * case) is not sorted at all.
 */
export function buildTimelineEvents(trace: Trace, keep?: (i: number) => boolean, trackOf: (i: number) => number = (i) => trace.cpu(i)): TimelineEvents {
  const n = trace.length;
  const counts: number[] = [];
  const kept = keep ? new Uint8Array(n) : null;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (kept) {
      if (!(keep as (i: number) => boolean)(i)) continue;
      kept[i] = 1;
    }
    const c = trackOf(i);
    counts[c] = (counts[c] ?? 0) + 1;
    total++;
  }
  const byCpu: { cpu: number; order: Uint32Array; lastNs: number; fill: number; sorted: boolean }[] = [];
  const slot: number[] = [];
  counts.forEach((count, cpu) => {
    if (!count) return;
    slot[cpu] = byCpu.length;
    byCpu.push({ cpu, order: new Uint32Array(count), lastNs: -Infinity, fill: 0, sorted: true });
  });
  for (let i = 0; i < n; i++) {
    if (kept && kept[i] === 0) continue;
    const b = byCpu[slot[trackOf(i)] as number];
    if (!b) continue;
    const ts = trace.tsNs(i);
    if (ts < b.lastNs) b.sorted = false;
    b.lastNs = ts;
    b.order[b.fill++] = i;
  }
  const cpus: CpuEvents[] = byCpu.map((b) => {
    const order = b.order;
    // By time, file order (the index itself) breaking ties.
    if (!b.sorted) order.sort((x, y) => trace.tsNs(x) - trace.tsNs(y) || x - y);
    return { cpu: b.cpu, order, ts: (k) => trace.tsNs(order[k] as number) };
  });
  return { cpus, count: total, eventId: (i) => trace.eventId(i) };
}

/** First position in `ts[lo, hi)` whose time is >= `x` (ts ascending). */
export function lowerBound(ts: Float64Array, x: number, lo = 0, hi = ts.length): number {
  return lowerBoundBy((k) => ts[k] as number, x, lo, hi);
}

/** First position k in [lo, hi) whose `ts(k)` is >= `x` (ts ascending in k): lowerBound over an accessor. */
export function lowerBoundBy(ts: (k: number) => number, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts(mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// sched_switch payloads: the tracepoint's own printk (include/trace/events/sched.h)
//   prev_comm=bash prev_pid=23100 prev_prio=120 prev_state=S ==> next_comm=node next_pid=21848 next_prio=120
// and trace-cmd report's compact form (its sched_switch plugin)
//   bash:23100 [120] S ==> node:21848 [120]
// Comms may contain spaces ("Web Content"), so the fields are anchored on the next key.
const SWITCH_KV = /prev_comm=(.*?) prev_pid=(-?\d+) .*?==> next_comm=(.*?) next_pid=(-?\d+)/;
const SWITCH_REPORT = /^(.*?):(-?\d+) \[-?\d+\] .*?==> (.*?):(-?\d+) \[-?\d+\]/;

export interface SwitchFields {
  readonly prevComm: string;
  readonly prevPid: number;
  readonly nextComm: string;
  readonly nextPid: number;
}

export function parseSchedSwitch(payload: string): SwitchFields | null {
  const m = SWITCH_KV.exec(payload) ?? SWITCH_REPORT.exec(payload);
  if (!m) return null;
  return { prevComm: m[1] as string, prevPid: Number(m[2]), nextComm: m[3] as string, nextPid: Number(m[4]) };
}

/** One CPU's task slices, ascending and non-overlapping. */
export interface CpuSlices {
  readonly cpu: number;
  readonly startNs: Float64Array;
  readonly endNs: Float64Array;
  /** Index into TaskSlices.tasks. */
  readonly task: Uint32Array;
}

/** Switches whose task is not parsed yet / whose payload is not a sched_switch line. */
const UNPARSED = -2;
const UNPARSEABLE = -1;

/**
 * Walk limit over consecutive unparseable sched_switch events when looking for the one that
 * decides a slice: real traces have none; a hostile file made of them would otherwise cost
 * O(n) per bucket. Past it the bucket shows no task.
 */
const MAX_UNPARSEABLE_WALK = 4096;

/** One CPU's sched_switch events, as positions in its CpuEvents (time order). */
interface CpuSwitches {
  readonly events: CpuEvents;
  readonly at: Uint32Array;
  /** Per switch: the id of its `next` task once parsed, UNPARSED, or UNPARSEABLE. */
  readonly next: Int32Array;
  /** The first parseable switch (UNPARSED until looked for, -1 when none), and its `prev` task. */
  first: number;
  firstPrev: number;
}

/**
 * Task slices per CPU from sched_switch: each switch ends the slice of `prev` and starts one
 * of `next`. Before a CPU's first switch its `prev` task ran since the CPU's first event;
 * after the last switch `next` runs until the CPU's last event. Uses the time-sorted index,
 * so unsorted input gives the same slices.
 *
 * Why lazy (issue 17): a 10 GB trace holds ~25 M sched_switch events; parsing every payload
 * up front (read back from the file) took 73 s before the first timeline and ~1 GB of arrays.
 * Building this keeps only the positions of the switches (4 bytes each, one pass over the
 * event ids); a payload is parsed when a query first needs it (the slices it lists, the
 * switch before each bucket's middle) and its task kept (4 bytes), so a request costs
 * O(buckets · log n + slices listed) parses at most, whatever the trace's size.
 */
export class TaskSlices {
  /** Tasks met so far (grows as switches are parsed); slices refer to them by index. */
  readonly tasks: TaskRef[] = [];
  private readonly taskIds = new Map<string, number>();
  private readonly byCpu = new Map<number, CpuSwitches>();

  constructor(
    private readonly trace: Trace,
    events: TimelineEvents,
  ) {
    const switchId = trace.strings.find('sched_switch');
    if (switchId < 0) return;
    for (const c of events.cpus) {
      let m = 0;
      for (let k = 0; k < c.order.length; k++) if (trace.eventId(c.order[k] as number) === switchId) m++;
      if (m === 0) continue;
      const at = new Uint32Array(m);
      m = 0;
      for (let k = 0; k < c.order.length; k++) if (trace.eventId(c.order[k] as number) === switchId) at[m++] = k;
      this.byCpu.set(c.cpu, { events: c, at, next: new Int32Array(m).fill(UNPARSED), first: UNPARSED, firstPrev: UNPARSEABLE });
    }
  }

  /** CPUs with at least one parseable sched_switch, ascending. */
  cpus(): number[] {
    return [...this.byCpu.keys()].filter((cpu) => this.firstSwitch(this.byCpu.get(cpu) as CpuSwitches) >= 0).sort((a, b) => a - b);
  }

  /**
   * An upper bound on the slices of `cpu` overlapping [startNs, endNs) (the switches in it,
   * plus one), found by binary search: what decides between listing them and bucketing.
   */
  countAtMost(cpu: number, startNs: number, endNs: number): number {
    const s = this.byCpu.get(cpu);
    if (!s) return 0;
    const lo = this.switchUpperBound(s, startNs);
    return this.switchLowerBound(s, endNs, lo) - lo + 1;
  }

  /** Visits the slices of `cpu` overlapping [startNs, endNs) in time order. */
  forEach(cpu: number, startNs: number, endNs: number, visit: (startNs: number, endNs: number, task: number) => void): void {
    const s = this.byCpu.get(cpu);
    if (!s || this.firstSwitch(s) < 0) return;
    const cpuStart = s.events.ts(0);
    const cpuEnd = s.events.ts(s.events.order.length - 1);
    // The switch that starts the slice holding startNs (the last parseable one at or before it).
    let j = this.switchUpperBound(s, startNs) - 1;
    const from = this.parseableAtOrBefore(s, j);
    if (from === null) return; // a hostile run of unparseable switches: nothing to show
    let task = from >= 0 ? this.taskAfter(s, from) : s.firstPrev;
    let since = from >= 0 ? this.switchNs(s, from) : cpuStart;
    let unparseable = 0;
    for (j++; j < s.at.length; j++) {
      const ts = this.switchNs(s, j);
      const next = this.taskAfter(s, j);
      if (next === UNPARSEABLE) {
        if (++unparseable > MAX_UNPARSEABLE_WALK) return;
        continue;
      }
      unparseable = 0;
      // Slice [since, ts) overlaps the range when it ends after startNs (since < endNs holds).
      if (ts > since && ts > startNs) visit(since, ts, task);
      task = next;
      since = ts;
      if (since >= endNs) return;
    }
    if (cpuEnd > since && cpuEnd > startNs && since < endNs) visit(since, cpuEnd, task);
  }

  /** The task running on `cpu` at `ns` (index into `tasks`), or NONE. */
  taskAt(cpu: number, ns: number): number {
    const s = this.byCpu.get(cpu);
    if (!s || this.firstSwitch(s) < 0) return NONE;
    if (!(ns >= s.events.ts(0) && ns < s.events.ts(s.events.order.length - 1))) return NONE;
    const j = this.parseableAtOrBefore(s, this.switchUpperBound(s, ns) - 1);
    if (j === null) return NONE;
    return j >= 0 ? this.taskAfter(s, j) : s.firstPrev;
  }

  /** Every slice of `cpu` (tests and small traces: this parses every switch). */
  all(cpu: number): CpuSlices {
    const start: number[] = [];
    const end: number[] = [];
    const task: number[] = [];
    this.forEach(cpu, -Infinity, Infinity, (a, b, t) => {
      start.push(a);
      end.push(b);
      task.push(t);
    });
    return { cpu, startNs: Float64Array.from(start), endNs: Float64Array.from(end), task: Uint32Array.from(task) };
  }

  private switchNs(s: CpuSwitches, j: number): number {
    return s.events.ts(s.at[j] as number);
  }

  /** Switches at or before `ns`: the index of the first one after it. */
  private switchUpperBound(s: CpuSwitches, ns: number): number {
    let lo = 0;
    let hi = s.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.switchNs(s, mid) <= ns) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private switchLowerBound(s: CpuSwitches, ns: number, lo: number): number {
    let hi = s.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.switchNs(s, mid) < ns) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The `next` task of switch `j`, parsing it the first time; UNPARSEABLE when its payload is not a switch. */
  private taskAfter(s: CpuSwitches, j: number): number {
    let t = s.next[j] as number;
    if (t === UNPARSED) {
      const f = parseSchedSwitch(this.payloadOf(s, j));
      t = f ? this.taskOf(f.nextComm, f.nextPid) : UNPARSEABLE;
      s.next[j] = t;
    }
    return t;
  }

  private payloadOf(s: CpuSwitches, j: number): string {
    return this.trace.payloadText(s.events.order[s.at[j] as number] as number);
  }

  /** Index of the first parseable switch, -1 when there is none. */
  private firstSwitch(s: CpuSwitches): number {
    if (s.first !== UNPARSED) return s.first;
    s.first = -1;
    for (let j = 0; j < s.at.length; j++) {
      if (this.taskAfter(s, j) === UNPARSEABLE) continue;
      const f = parseSchedSwitch(this.payloadOf(s, j)) as SwitchFields;
      s.first = j;
      s.firstPrev = this.taskOf(f.prevComm, f.prevPid);
      break;
    }
    return s.first;
  }

  /**
   * The last parseable switch at or before `j`: -1 when it is before the first one (the
   * first slice, of the first switch's prev task), null past MAX_UNPARSEABLE_WALK.
   */
  private parseableAtOrBefore(s: CpuSwitches, j: number): number | null {
    const first = this.firstSwitch(s);
    if (j < first) return -1;
    for (let walked = 0; j >= first; j--, walked++) {
      if (walked > MAX_UNPARSEABLE_WALK) return null;
      if (this.taskAfter(s, j) !== UNPARSEABLE) return j;
    }
    return -1;
  }

  private taskOf(comm: string, pid: number): number {
    const key = `${pid}\u0000${comm}`;
    let id = this.taskIds.get(key);
    if (id === undefined) {
      id = this.tasks.length;
      this.tasks.push({ comm, pid });
      this.taskIds.set(key, id);
    }
    return id;
  }
}

/** The sched_switch index of `events` (parsed on demand; see TaskSlices). */
export function buildTaskSlices(trace: Trace, events: TimelineEvents): TaskSlices {
  return new TaskSlices(trace, events);
}

export interface TimelineQuery {
  readonly startNs: number;
  readonly endNs: number;
  /** Buckets across the range (the view's width in pixels). */
  readonly resolution: number;
  /** CPUs to answer for; null = every CPU with events or slices. */
  readonly cpus: readonly number[] | null;
  /** A track lists its events one by one only when the range holds at most this many. */
  readonly maxEvents: number;
  /** Likewise for task slices; above it a track gets the task per bucket instead. */
  readonly maxSlices: number;
}

/** No event / no task in this bucket. */
export const NONE = -1;

export interface TrackResult {
  readonly cpu: number;
  /** Events of this track in the range. */
  readonly total: number;
  /** Events per bucket. */
  readonly counts: Uint32Array;
  /** Per bucket, the most frequent event (index into `names`) among up to DOMINANT_SAMPLES evenly spaced ones; NONE when empty. */
  readonly dominant: Int32Array;
  /** The events one by one when total <= maxEvents, else null. */
  readonly events: { readonly tsNs: Float64Array; readonly name: Uint32Array; readonly index: Uint32Array } | null;
  /** Slices overlapping the range when there are at most maxSlices, else null. */
  readonly slices: { readonly startNs: Float64Array; readonly endNs: Float64Array; readonly task: Uint32Array } | null;
  /** When slices is null and the CPU has slices: the task running at each bucket's middle (index into `tasks`, NONE when none). */
  readonly sliceBuckets: Int32Array | null;
}

export interface TimelineResult {
  readonly startNs: number;
  readonly endNs: number;
  readonly resolution: number;
  /** Event names referred to by `dominant` and `events.name`. */
  readonly names: string[];
  /** Tasks referred to by slices. */
  readonly tasks: TaskRef[];
  readonly tracks: TrackResult[];
}

/** Samples per bucket for the dominant event: exact for sparse buckets, a fair estimate for dense ones. */
export const DOMINANT_SAMPLES = 16;

/**
 * Aggregates `events` (and `slices`) over [startNs, endNs) in `resolution` equal buckets.
 * Counts are exact (two binary searches per bucket edge); the dominant event of a bucket
 * looks at up to DOMINANT_SAMPLES of its events, so a query costs O(buckets + drawn).
 */
export function queryTimeline(events: TimelineEvents, slices: TaskSlices, q: TimelineQuery, nameOf: (eventId: number) => string): TimelineResult {
  const res = Math.max(1, Math.floor(q.resolution));
  const span = Math.max(q.endNs - q.startNs, Number.EPSILON);
  const bucketNs = span / res;
  const names: string[] = [];
  const nameIds = new Map<number, number>();
  const local = (id: number): number => {
    let k = nameIds.get(id);
    if (k === undefined) {
      k = names.length;
      names.push(nameOf(id));
      nameIds.set(id, k);
    }
    return k;
  };
  const tasks: TaskRef[] = [];
  const taskIds = new Map<number, number>();
  const localTask = (id: number): number => {
    let k = taskIds.get(id);
    if (k === undefined) {
      k = tasks.length;
      tasks.push(slices.tasks[id] as TaskRef);
      taskIds.set(id, k);
    }
    return k;
  };

  const wanted = q.cpus ? new Set(q.cpus) : null;
  const cpuList = new Set<number>();
  for (const c of events.cpus) cpuList.add(c.cpu);
  const sliceCpus = new Set(slices.cpus());
  for (const cpu of sliceCpus) cpuList.add(cpu);
  const tracks: TrackResult[] = [];
  const votes = new Map<number, number>();
  for (const cpu of [...cpuList].sort((a, b) => a - b)) {
    if (wanted && !wanted.has(cpu)) continue;
    const ev = events.cpus.find((c) => c.cpu === cpu);
    const counts = new Uint32Array(res);
    const dominant = new Int32Array(res).fill(NONE);
    let total = 0;
    let list: TrackResult['events'] = null;
    if (ev) {
      const n = ev.order.length;
      const lo = lowerBoundBy(ev.ts, q.startNs, 0, n);
      const hi = lowerBoundBy(ev.ts, q.endNs, lo, n);
      total = hi - lo;
      let from = lo;
      for (let b = 0; b < res && from < hi; b++) {
        const to = b === res - 1 ? hi : lowerBoundBy(ev.ts, q.startNs + (b + 1) * bucketNs, from, hi);
        const n = to - from;
        counts[b] = n;
        if (n > 0) dominant[b] = local(dominantId(ev.order, from, to, events.eventId, votes));
        from = to;
      }
      if (total <= q.maxEvents) {
        const tsNs = new Float64Array(total);
        for (let k = 0; k < total; k++) tsNs[k] = ev.ts(lo + k);
        const index = ev.order.slice(lo, hi);
        const name = new Uint32Array(total);
        for (let k = 0; k < total; k++) name[k] = local(events.eventId(ev.order[lo + k] as number));
        list = { tsNs, name, index };
      }
    }
    let sliceList: TrackResult['slices'] = null;
    let sliceBuckets: Int32Array | null = null;
    if (sliceCpus.has(cpu)) {
      if (slices.countAtMost(cpu, q.startNs, q.endNs) <= q.maxSlices) {
        const start: number[] = [];
        const end: number[] = [];
        const task: number[] = [];
        slices.forEach(cpu, q.startNs, q.endNs, (a, z, t) => {
          start.push(a);
          end.push(z);
          task.push(localTask(t));
        });
        sliceList = { startNs: Float64Array.from(start), endNs: Float64Array.from(end), task: Uint32Array.from(task) };
      } else {
        sliceBuckets = new Int32Array(res).fill(NONE);
        for (let b = 0; b < res; b++) {
          const t = slices.taskAt(cpu, q.startNs + (b + 0.5) * bucketNs);
          if (t !== NONE) sliceBuckets[b] = localTask(t);
        }
      }
    }
    tracks.push({ cpu, total, counts, dominant, events: list, slices: sliceList, sliceBuckets });
  }
  return { startNs: q.startNs, endNs: q.endNs, resolution: res, names, tasks, tracks };
}

/** The most frequent event id among up to DOMINANT_SAMPLES evenly spaced events of [from, to). */
function dominantId(order: Uint32Array, from: number, to: number, eventId: (i: number) => number, votes: Map<number, number>): number {
  const n = to - from;
  if (n === 1) return eventId(order[from] as number);
  votes.clear();
  const step = n <= DOMINANT_SAMPLES ? 1 : n / DOMINANT_SAMPLES;
  let best = eventId(order[from] as number);
  let bestVotes = 0;
  for (let s = 0; s < Math.min(n, DOMINANT_SAMPLES); s++) {
    const id = eventId(order[from + Math.floor(s * step)] as number);
    const v = (votes.get(id) ?? 0) + 1;
    votes.set(id, v);
    if (v > bestVotes) {
      best = id;
      bestVotes = v;
    }
  }
  return best;
}

export interface RangeCounts {
  readonly startNs: number;
  readonly endNs: number;
  readonly total: number;
  /** [cpu, events] by ascending CPU. */
  readonly cpus: [number, number][];
  /** [event name, count] by descending count, then name. */
  readonly events: [string, number][];
}

/** Exact counts of the indexed events in [startNs, endNs), per CPU and per event name. */
export function countRange(events: TimelineEvents, startNs: number, endNs: number, cpus: readonly number[] | null, nameOf: (eventId: number) => string): RangeCounts {
  const wanted = cpus ? new Set(cpus) : null;
  const perCpu: [number, number][] = [];
  const perEvent = new Map<number, number>();
  let total = 0;
  for (const c of events.cpus) {
    if (wanted && !wanted.has(c.cpu)) continue;
    const lo = lowerBoundBy(c.ts, startNs, 0, c.order.length);
    const hi = lowerBoundBy(c.ts, endNs, lo, c.order.length);
    perCpu.push([c.cpu, hi - lo]);
    total += hi - lo;
    for (let k = lo; k < hi; k++) {
      const id = events.eventId(c.order[k] as number);
      perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    }
  }
  const byName = [...perEvent].map(([id, n]): [string, number] => [nameOf(id), n]);
  byName.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { startNs, endNs, total, cpus: perCpu, events: byName };
}
