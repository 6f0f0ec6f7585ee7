// The timeline index and queries (src/core/analysis/timeline.ts) on real ftrace captures,
// checked against direct passes over the same trace: bucket counts, listed events, task
// slices from sched_switch, brushed-range counts; and unsorted input (per-CPU buffers
// printed one after the other) giving the same answers as the merged file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTraceFile } from '../../src/core/io/file-source';
import type { Trace } from '../../src/core/trace/trace';
import { buildTaskSlices, buildTimelineEvents, countRange, parseSchedSwitch, queryTimeline, NONE } from '../../src/core/analysis/timeline';
import { TimelineService } from '../../src/worker/timeline-service';
import { TraceService } from '../../src/worker/trace-service';

const FILE = 'test/fixtures/ftrace/veth-ping.trace';

function span(t: Trace): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < t.length; i++) {
    lo = Math.min(lo, t.tsNs(i));
    hi = Math.max(hi, t.tsNs(i));
  }
  return [lo, hi + 1];
}

const q = (startNs: number, endNs: number, resolution: number, maxEvents = 100_000) => ({ startNs, endNs, resolution, cpus: null, maxEvents, maxSlices: 100_000 });

test('per-CPU index is time-sorted and covers every event once', async () => {
  const t = await loadTraceFile(FILE);
  const ev = buildTimelineEvents(t);
  assert.deepEqual(
    ev.cpus.map((c) => c.cpu),
    [0, 1],
  );
  assert.equal(ev.count, t.length);
  const seen = new Set<number>();
  for (const c of ev.cpus) {
    for (let k = 0; k < c.order.length; k++) {
      const i = c.order[k] as number;
      assert.equal(t.cpu(i), c.cpu);
      assert.equal(t.tsNs(i), c.ts(k));
      if (k > 0) assert.ok(c.ts(k - 1) <= c.ts(k));
      seen.add(i);
    }
  }
  assert.equal(seen.size, t.length);
});

test('bucket counts and listed events match a direct pass, at several zoom levels', async () => {
  const t = await loadTraceFile(FILE);
  const ev = buildTimelineEvents(t);
  const sl = buildTaskSlices(t, ev);
  const [first, end] = span(t);
  const name = (id: number) => t.strings.get(id);
  for (const [a, b, res] of [
    [first, end, 800],
    [first, end, 7],
    [first + (end - first) * 0.3, first + (end - first) * 0.35, 500],
    [first + 1234, first + 99_999, 64],
  ] as [number, number, number][]) {
    const r = queryTimeline(ev, sl, q(a, b, res), name);
    assert.equal(r.resolution, res);
    const bucketNs = (b - a) / res;
    for (const track of r.tracks) {
      const want = new Uint32Array(res);
      const listed: number[] = [];
      for (let i = 0; i < t.length; i++) {
        const ts = t.tsNs(i);
        if (t.cpu(i) !== track.cpu || ts < a || ts >= b) continue;
        want[Math.min(res - 1, Math.floor((ts - a) / bucketNs))]!++;
        listed.push(i);
      }
      // Bucket edges are computed the same way on both sides except for rounding at an edge.
      const total = want.reduce((x, y) => x + y, 0);
      assert.equal(track.total, total, `cpu ${track.cpu} total in [${a}, ${b})`);
      assert.equal(
        track.counts.reduce((x, y) => x + y, 0),
        total,
      );
      let off = 0;
      for (let k = 0; k < res; k++) off += Math.abs((track.counts[k] as number) - (want[k] as number));
      assert.ok(off <= 2, `cpu ${track.cpu}: ${off} events in another bucket`);
      for (let k = 0; k < res; k++) assert.equal(track.dominant[k] === NONE, track.counts[k] === 0);
      assert.ok(track.events);
      assert.deepEqual([...track.events.index].sort((x, y) => x - y), listed);
      for (let k = 0; k < track.events.index.length; k++) {
        const i = track.events.index[k] as number;
        assert.equal(track.events.tsNs[k], t.tsNs(i));
        assert.equal(r.names[track.events.name[k] as number], t.event(i));
      }
    }
  }
});

test('dominant event of a one-event-name bucket is that name; above maxEvents no list', async () => {
  const t = await loadTraceFile(FILE);
  const ev = buildTimelineEvents(t, (i) => t.event(i) === 'sched_switch');
  const sl = buildTaskSlices(t, buildTimelineEvents(t));
  const [first, end] = span(t);
  const r = queryTimeline(ev, sl, q(first, end, 50, 10), (id) => t.strings.get(id));
  assert.deepEqual(r.names, ['sched_switch']);
  for (const track of r.tracks) {
    assert.equal(track.events, null);
    for (let k = 0; k < 50; k++) assert.equal(track.dominant[k], track.counts[k] ? 0 : NONE);
  }
});

test('task slices follow sched_switch per CPU: contiguous, prev ends where next starts', async () => {
  const t = await loadTraceFile(FILE);
  const ev = buildTimelineEvents(t);
  const sl = buildTaskSlices(t, ev);
  assert.deepEqual(sl.cpus(), [0, 1]);
  for (const c of sl.cpus().map((cpu) => sl.all(cpu))) {
    const switches: { ts: number; prev: string; next: string }[] = [];
    for (let i = 0; i < t.length; i++) {
      if (t.cpu(i) !== c.cpu || t.event(i) !== 'sched_switch') continue;
      const f = parseSchedSwitch(t.payloadText(i));
      assert.ok(f, t.payloadText(i));
      switches.push({ ts: t.tsNs(i), prev: `${f.prevComm}-${f.prevPid}`, next: `${f.nextComm}-${f.nextPid}` });
    }
    switches.sort((x, y) => x.ts - y.ts);
    assert.ok(switches.length > 10);
    // Every switch time is a slice boundary, and the slice after it runs `next`.
    for (const s of switches) {
      const k = [...c.startNs].indexOf(s.ts);
      if (k < 0) continue; // a zero-length slice (two switches at one timestamp)
      const task = sl.tasks[c.task[k] as number];
      assert.ok(task);
      const later = switches.filter((x) => x.ts === s.ts);
      assert.equal(`${task.comm}-${task.pid}`, later[later.length - 1]?.next);
    }
    for (let k = 1; k < c.startNs.length; k++) assert.equal(c.startNs[k], c.endNs[k - 1]);
    // Before the first switch runs its prev task (when the CPU has events before it).
    const firstTask = sl.tasks[c.task[0] as number];
    const s0 = switches[0] as (typeof switches)[number];
    assert.equal(`${firstTask?.comm}-${firstTask?.pid}`, (c.startNs[0] as number) < s0.ts ? s0.prev : s0.next);
  }
  assert.deepEqual(parseSchedSwitch('Web Content:2711 [120] S ==> swapper/1:0 [120]'), { prevComm: 'Web Content', prevPid: 2711, nextComm: 'swapper/1', nextPid: 0 });
});

test('range counts (a brushed selection) match a direct pass', async () => {
  const t = await loadTraceFile(FILE);
  const ev = buildTimelineEvents(t);
  const [first, end] = span(t);
  const a = first + (end - first) * 0.2;
  const b = first + (end - first) * 0.6;
  const r = countRange(ev, a, b, null, (id) => t.strings.get(id));
  const cpus = new Map<number, number>();
  const names = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    if (t.tsNs(i) < a || t.tsNs(i) >= b) continue;
    total++;
    cpus.set(t.cpu(i), (cpus.get(t.cpu(i)) ?? 0) + 1);
    names.set(t.event(i), (names.get(t.event(i)) ?? 0) + 1);
  }
  assert.equal(r.total, total);
  assert.deepEqual(new Map(r.cpus), cpus);
  assert.deepEqual(new Map(r.events), names);
});

test('unsorted input (per-CPU buffers one after the other) gives the same timeline', async () => {
  const text = readFileSync(FILE, 'utf8').split('\n');
  const header = text.filter((l) => l.startsWith('#'));
  const body = text.filter((l) => l && !l.startsWith('#'));
  const cpu1 = body.filter((l) => l.includes('[001]'));
  const cpu0 = body.filter((l) => l.includes('[000]'));
  // CPU 1 first, and CPU 0 reversed: both the merge order and one CPU's own order are broken.
  const dir = mkdtempSync(join(tmpdir(), 'ktl-timeline-'));
  const shuffled = join(dir, 'unsorted.trace');
  writeFileSync(shuffled, [...header, ...cpu1, ...[...cpu0].reverse(), ''].join('\n'));
  try {
    const a = await loadTraceFile(FILE);
    const b = await loadTraceFile(shuffled);
    assert.equal(b.length, a.length);
    // Both files have the same first timestamp only by accident; compare absolute times.
    const shift = Number(b.originNs - a.originNs);
    const [first, end] = span(a);
    const ra = queryTimeline(buildTimelineEvents(a), buildTaskSlices(a, buildTimelineEvents(a)), q(first, end, 300), (id) => a.strings.get(id));
    const evB = buildTimelineEvents(b);
    const rb = queryTimeline(evB, buildTaskSlices(b, evB), q(first - shift, end - shift, 300), (id) => b.strings.get(id));
    assert.deepEqual(
      rb.tracks.map((x) => [x.cpu, x.total, [...x.counts]]),
      ra.tracks.map((x) => [x.cpu, x.total, [...x.counts]]),
    );
    const slicesOf = (r: typeof ra) => r.tracks.map((x) => [...(x.slices?.task ?? [])].map((k) => `${r.tasks[k]?.comm}-${r.tasks[k]?.pid}`));
    assert.deepEqual(slicesOf(rb), slicesOf(ra));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TimelineService: filters like the table, positions in the filtered list, bounded replies', async () => {
  const t = await loadTraceFile(FILE);
  const svc = new TimelineService(t);
  const [first, end] = span(t);
  const data = svc.query(first, end, 100_000, null, { events: ['sched_switch'], cpus: [1] });
  assert.equal(data.resolution, 8192);
  assert.deepEqual(
    data.tracks.map((x) => x.track.id),
    [0, 1],
  );
  let want = 0;
  let firstSwitchOn1 = -1;
  for (let i = 0; i < t.length; i++) {
    if (t.event(i) === 'sched_switch' && t.cpu(i) === 1) {
      want++;
      if (firstSwitchOn1 < 0) firstSwitchOn1 = i;
    }
  }
  assert.equal(data.tracks[0]?.total, 0);
  assert.equal(data.tracks[1]?.total, want);
  assert.equal(svc.position(firstSwitchOn1, { events: ['sched_switch'], cpus: [1] }), 0);
  assert.equal(svc.position(firstSwitchOn1, {}), firstSwitchOn1);
  const other = [...Array(t.length).keys()].find((i) => t.event(i) !== 'sched_switch') as number;
  assert.equal(svc.position(other, { events: ['sched_switch'] }), null);
  assert.throws(() => svc.query(5, 5, 10, null, {}));
});

test('above maxSlices a track gets the task running at each bucket middle', async () => {
  const t = await loadTraceFile(FILE);
  const ev = buildTimelineEvents(t);
  const sl = buildTaskSlices(t, ev);
  const [first, end] = span(t);
  const res = 500;
  const r = queryTimeline(ev, sl, { startNs: first, endNs: end, resolution: res, cpus: [1], maxEvents: 0, maxSlices: 0 }, (id) => t.strings.get(id));
  assert.equal(r.tracks.length, 1);
  const track = r.tracks[0];
  assert.ok(track && track.slices === null && track.sliceBuckets && track.events === null);
  const c = sl.all(1);
  const bucketNs = (end - first) / res;
  for (let b = 0; b < res; b++) {
    const mid = first + (b + 0.5) * bucketNs;
    let want = 'none';
    for (let k = 0; k < c.startNs.length; k++) {
      if ((c.startNs[k] as number) <= mid && mid < (c.endNs[k] as number)) {
        const task = sl.tasks[c.task[k] as number];
        want = `${task?.comm}-${task?.pid}`;
      }
    }
    const got = track.sliceBuckets[b] as number;
    assert.equal(got === NONE ? 'none' : `${r.tasks[got]?.comm}-${r.tasks[got]?.pid}`, want, `bucket ${b}`);
  }
});

test('strace: one track per task (pid), each with exactly that task\'s calls; the summary names them', async () => {
  for (const file of ['test/fixtures/strace/ospf-hello-raw.strace', 'test/fixtures/strace/ospf-hello-untimed.strace']) {
    const service = await TraceService.open(file);
    try {
      const t = await service.withTrace(async (x) => x);
      const perTask = new Map<number, number>();
      for (let i = 0; i < t.length; i++) perTask.set(Math.max(0, t.pid(i)), (perTask.get(Math.max(0, t.pid(i))) ?? 0) + 1);
      const span = t.tsNs(t.length - 1) + 1;
      const data = new TimelineService(t).query(0, Math.max(span, 1), 500, null, {});
      assert.deepEqual(new Map(data.tracks.map((tr) => [tr.track.id, tr.total])), perTask, file);
      const summary = service.summary(file);
      assert.deepEqual(
        summary.taskTracks?.map((x) => x.id),
        [...perTask.keys()].sort((a, b) => a - b),
      );
      if (file.endsWith('raw.strace')) {
        assert.ok(perTask.size >= 2, 'the raw capture follows the receiver thread (-f)');
        assert.ok(summary.taskTracks?.every((x) => x.label === `python3-${x.id}`), JSON.stringify(summary.taskTracks));
      }
    } finally {
      service.dispose();
    }
  }
});

/**
 * The slices as the timeline built them before issue 17 (every switch parsed up front, in time
 * order): the reference the on-demand TaskSlices must equal.
 */
function eagerSlices(t: Trace, cpu: number): string[] {
  const ev = buildTimelineEvents(t).cpus.find((c) => c.cpu === cpu);
  if (!ev) return [];
  const out: string[] = [];
  let current: string | null = null;
  let since = ev.ts(0);
  let any = false;
  for (let k = 0; k < ev.order.length; k++) {
    if (t.event(ev.order[k] as number) !== 'sched_switch') continue;
    const f = parseSchedSwitch(t.payloadText(ev.order[k] as number));
    if (!f) continue;
    any = true;
    const ts = ev.ts(k);
    if (ts > since) out.push(`${since}-${ts}:${current ?? `${f.prevComm}-${f.prevPid}`}`);
    current = `${f.nextComm}-${f.nextPid}`;
    since = ts;
  }
  const last = ev.ts(ev.order.length - 1);
  if (any && last > since) out.push(`${since}-${last}:${current}`);
  return out;
}

function lazySlices(sl: ReturnType<typeof buildTaskSlices>, cpu: number, a = -Infinity, b = Infinity): string[] {
  const out: string[] = [];
  sl.forEach(cpu, a, b, (s, e, task) => out.push(`${s}-${e}:${sl.tasks[task]?.comm}-${sl.tasks[task]?.pid}`));
  return out;
}

test('on-demand task slices equal the slices of every switch parsed up front, in any window', async () => {
  // A switch whose payload is not a sched_switch line is skipped; two switches at one time
  // leave no zero-length slice; a CPU whose only switch is broken has no slices.
  const dir = mkdtempSync(join(tmpdir(), 'ktl-slices-'));
  const odd = join(dir, 'odd.trace');
  writeFileSync(
    odd,
    [
      '          a-1     [000] d..2.   100.000001: sched_wakeup: comm=b pid=2 prio=120 target_cpu=000',
      '          a-1     [000] d..2.   100.000002: sched_switch: prev_comm=a prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=b next_pid=2 next_prio=120',
      '          b-2     [000] d..2.   100.000005: sched_switch: garbled',
      '          b-2     [000] d..2.   100.000009: sched_switch: prev_comm=b prev_pid=2 prev_prio=120 prev_state=S ==> next_comm=c next_pid=3 next_prio=120',
      '          c-3     [000] d..2.   100.000009: sched_switch: prev_comm=c prev_pid=3 prev_prio=120 prev_state=S ==> next_comm=d next_pid=4 next_prio=120',
      '          d-4     [001] d..2.   100.000010: sched_switch: not one either',
      '          d-4     [000] d..2.   100.000020: sched_wakeup: comm=a pid=1 prio=120 target_cpu=000',
      '          d-4     [001] d..2.   100.000030: sched_wakeup: comm=a pid=1 prio=120 target_cpu=001',
      '',
    ].join('\n'),
  );
  try {
    for (const file of [FILE, 'test/fixtures/ftrace/veth-ping-tgid.trace', odd]) {
      const t = await loadTraceFile(file);
      const sl = buildTaskSlices(t, buildTimelineEvents(t));
      const [first, end] = span(t);
      for (const cpu of [0, 1]) {
        const want = eagerSlices(t, cpu);
        assert.deepEqual(lazySlices(sl, cpu), want, `${file} cpu ${cpu}`);
        assert.equal(sl.cpus().includes(cpu), want.length > 0);
        // Windows: exactly the slices that overlap them, wherever they start.
        for (let w = 0; w < 40; w++) {
          const a = first + ((end - first) * ((w * 7919) % 97)) / 97;
          const b = a + ((end - first) * (1 + (w % 5))) / 23;
          const fresh = buildTaskSlices(t, buildTimelineEvents(t));
          const inWindow = want.filter((s) => {
            const [x, y] = s.split(':')[0]!.split('-').map(Number) as [number, number];
            return y > a && x < b;
          });
          assert.deepEqual(lazySlices(fresh, cpu, a, b), inWindow, `${file} cpu ${cpu} [${a}, ${b})`);
          assert.ok(fresh.countAtMost(cpu, a, b) >= inWindow.length);
        }
      }
    }
    const t = await loadTraceFile(odd);
    assert.deepEqual(eagerSlices(t, 0), ['0-1000:a-1', '1000-8000:b-2', '8000-19000:d-4']);
    assert.deepEqual(eagerSlices(t, 1), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a timeline request parses only the switches it shows, not the whole trace (issue 17: bounded per request)', async () => {
  const t = await loadTraceFile(FILE);
  const ev = buildTimelineEvents(t);
  const switches = ev.cpus.map((c) => [...c.order].filter((i) => t.event(i) === 'sched_switch').length).reduce((x, y) => x + y, 0);
  let parsed = 0;
  const payloadText = t.payloadText.bind(t);
  t.payloadText = (i: number) => (parsed++, payloadText(i));
  const sl = buildTaskSlices(t, ev);
  assert.equal(parsed, 0, 'building the index parses nothing');
  const [first, end] = span(t);
  const name = (id: number) => t.strings.get(id);
  // Bucketed (more switches than maxSlices): at most one switch per bucket middle and CPU, plus each CPU's first.
  queryTimeline(ev, sl, { startNs: first, endNs: end, resolution: 20, cpus: null, maxEvents: 0, maxSlices: 10 }, name);
  assert.ok(parsed <= 2 * (20 + 2), `${parsed} payloads parsed for 20 buckets on 2 CPUs (the trace has ${switches} switches)`);
  // Zoomed in: the listed slices' switches, plus the one before the window.
  parsed = 0;
  const mid = (first + end) / 2;
  const r = queryTimeline(ev, sl, { startNs: mid, endNs: mid + (end - first) / 50, resolution: 100, cpus: null, maxEvents: 0, maxSlices: 10_000 }, name);
  const listed = r.tracks.reduce((n, x) => n + (x.slices?.task.length ?? 0), 0);
  assert.ok(listed > 0 && parsed <= listed + 4, `${parsed} payloads parsed to list ${listed} slices`);
  assert.ok(switches > 200);
});
