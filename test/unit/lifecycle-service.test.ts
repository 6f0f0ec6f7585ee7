// The worker's lifecycle queries (src/worker/lifecycle-service.ts) over real traces: one cached
// analysis per model, the workspace's kernel-trace.json (its models, its problems, a changed file
// dropping its analyses), windows of lanes thinned to one segment per pixel column per lane, and
// the protocol guards of the new messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFtraceFile } from '../helpers/read';
import { LifecycleService } from '../../src/worker/lifecycle-service';
import { analyzeLifecycles, flightRecorder, laneSegments } from '../../src/core/analysis/lifecycle/analyze';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import { isWebviewToHost } from '../../src/protocol/guards';
import type { EventRow } from '../../src/protocol/messages';
import type { Trace } from '../../src/core/trace/trace';

const rowOf =
  (t: Trace) =>
  (i: number): EventRow => ({ index: i, line: t.line(i), tsNs: t.tsNs(i), cpu: t.cpu(i), pid: t.pid(i), tgid: null, comm: t.comm(i), flags: t.flags(i), event: t.event(i), text: t.payloadText(i) });

test('one analysis per model, computed once; findings placed on their lanes', () => {
  const t = readFtraceFile('test/fixtures/ftrace/seed004-fifo-break.trace');
  const svc = new LifecycleService(t);
  assert.equal(svc.analysis('builtin:af-xdp'), svc.analysis('builtin:af-xdp'));
  const s = svc.summary('builtin:af-xdp');
  const direct = analyzeLifecycles(t, builtinModel('af-xdp') as NonNullable<ReturnType<typeof builtinModel>>);
  assert.equal(s.objects, direct.objects.length);
  assert.deepEqual(
    s.findings.map((f) => [f.kind, f.key, f.line, f.event]),
    direct.findings.map((f) => [f.kind, f.key, f.line, t.event(f.eventIndex)]),
  );
  const f = s.findings[0];
  assert.ok(f);
  assert.equal(direct.objects[f.lane]?.key, f.key);
  assert.throws(() => svc.summary('builtin:nope'), /no lifecycle model "builtin:nope"; models: builtin:af-xdp, builtin:skb/);
  // The poison finding has no lane (no object has the poison key).
  const race = new LifecycleService(readFtraceFile('test/fixtures/ftrace/seed004-xsk-flush-race.trace'));
  assert.deepEqual(
    race.summary('builtin:af-xdp').findings.map((x) => [x.kind, x.lane]),
    [['poison', -1]],
  );
});

test('workspace models: listed, problems with JSON paths, a changed file is analysed again', () => {
  const t = readFtraceFile('test/fixtures/ftrace/lifecycle-veth-rps.trace');
  const svc = new LifecycleService(t);
  const row = rowOf(t);
  const good = { path: '.vscode/kernel-trace.json', text: readFileSync('test/fixtures/models/kernel-trace.json', 'utf8') };
  const r = svc.answer({ type: 'lifecycleModels', requestId: 1 }, good, row);
  assert.equal(r.type, 'lifecycleModels');
  if (r.type !== 'lifecycleModels') return;
  assert.deepEqual(
    r.models.map((m) => m.id),
    ['builtin:af-xdp', 'builtin:skb', 'workspace:skb-tx', 'workspace:ktl-markers'],
  );
  assert.deepEqual(r.problems, []);
  const first = svc.analysis('workspace:skb-tx');
  svc.answer({ type: 'lifecycleModels', requestId: 2 }, good, row);
  assert.equal(svc.analysis('workspace:skb-tx'), first, 'same file: the analysis is kept');

  const bad = { path: '.vscode/kernel-trace.json', text: readFileSync('test/fixtures/models/invalid.json', 'utf8') };
  const r2 = svc.answer({ type: 'lifecycleModels', requestId: 3 }, bad, row);
  if (r2.type !== 'lifecycleModels') return assert.fail(r2.type);
  assert.deepEqual(
    r2.models.map((m) => m.id),
    ['builtin:af-xdp', 'builtin:skb'],
  );
  assert.ok(r2.problems.some((p) => p.path === 'lifecycles[0].mappings[0].event'), JSON.stringify(r2.problems));
  assert.throws(() => svc.analysis('workspace:skb-tx'), /has \d+ problems/);
  const notJson = svc.answer({ type: 'lifecycleModels', requestId: 4 }, { path: 'k.json', text: '{ "lifecycles": [' }, row);
  if (notJson.type !== 'lifecycleModels') return assert.fail(notJson.type);
  assert.equal(notJson.problems[0]?.path, '(top level)');
  assert.match(notJson.problems[0]?.message ?? '', /not valid JSON/);
  // Back to the good file: analysed again (a new analysis object).
  svc.answer({ type: 'lifecycleModels', requestId: 5 }, good, row);
  assert.notEqual(svc.analysis('workspace:skb-tx'), first);
});

test('lanes: only the window asked for, at most one segment per pixel column per lane', () => {
  const t = readFtraceFile('test/fixtures/ftrace/lifecycle-veth-rps.trace');
  const svc = new LifecycleService(t);
  const a = svc.analysis('builtin:skb');
  let end = 0;
  for (let i = 0; i < t.length; i++) end = Math.max(end, t.tsNs(i));
  // The lanes with the most steps, so thinning has something to do.
  const busiest = [...a.objects].sort((x, y) => y.steps - x.steps)[0];
  assert.ok(busiest && busiest.steps >= 3);
  const first = Math.min(busiest.id, a.objects.length - 3);
  const full = laneSegments(a, t, [first, first + 1, first + 2], 0, end + 1, end);
  for (const res of [8192, 40, 2]) {
    const l = svc.lanes('builtin:skb', first, 3, 0, end + 1, res);
    assert.deepEqual(
      l.lanes.map((x) => x.key),
      [first, first + 1, first + 2].map((id) => a.objects[id]?.key),
    );
    const perLane = [0, 0, 0];
    for (let k = 0; k < l.segments.lane.length; k++) perLane[l.segments.lane[k] as number] = (perLane[l.segments.lane[k] as number] ?? 0) + 1;
    perLane.forEach((n) => assert.ok(n <= res + 1, `${n} segments at resolution ${res}`));
    // Thinning drops only what could not be seen: per lane, the pixel columns in which segments
    // end are the same as without thinning.
    const col = (ns: number): number => Math.floor((ns - 0) / ((end + 1) / res));
    const ends = (lanes: ArrayLike<number>, endNs: ArrayLike<number>, id: (k: number) => number): string[] =>
      [...new Set(Array.from({ length: lanes.length }, (_, k) => `${id(k)}:${col(endNs[k] as number)}`))].sort();
    assert.deepEqual(
      ends(l.segments.lane, l.segments.endNs, (k) => first + (l.segments.lane[k] as number)),
      ends(full.object, full.endNs, (k) => full.object[k] as number),
    );
    // Each kept segment is one of laneSegments', with its step's line and event.
    for (let k = 0; k < l.segments.lane.length; k++) {
      const i = l.segments.index[k] as number;
      assert.equal(l.segments.line[k], t.line(i));
      assert.equal(l.names[l.segments.name[k] as number], t.event(i));
    }
  }
  assert.throws(() => svc.lanes('builtin:skb', 0, 3, 5, 5, 10), /empty time range/);
  assert.equal(svc.lanes('builtin:skb', a.objects.length + 5, 3, 0, end + 1, 10).lanes.length, 0);
});

test('guards: the lifecycle and interleave requests are checked field by field', () => {
  const ok = [
    { type: 'lifecycleModels', requestId: 1 },
    { type: 'lifecycle', requestId: 1, model: 'builtin:af-xdp' },
    { type: 'lifecycleLanes', requestId: 1, model: 'builtin:skb', first: 0, count: 40, startNs: 0, endNs: 10, resolution: 800 },
    { type: 'flightRecorder', requestId: 1, index: 3, perCpu: 10 },
    { type: 'interleave', requestId: 1, key: 'xs=0x1', pair: null },
    { type: 'interleave', requestId: 1, key: 'xs=0x1', pair: { open: 'a', close: 'b' } },
    { type: 'revealEvent', line: 25, event: 'tracing_mark_write' },
  ];
  for (const m of ok) assert.equal(isWebviewToHost(m), true, JSON.stringify(m));
  const bad = [
    { type: 'lifecycle', requestId: 1 },
    { type: 'lifecycleLanes', requestId: 1, model: 'm', first: 0, count: 201, startNs: 0, endNs: 10, resolution: 800 },
    { type: 'lifecycleLanes', requestId: 1, model: 'm', first: 0, count: 4, startNs: 10, endNs: 10, resolution: 800 },
    { type: 'lifecycleLanes', requestId: 1, model: 'm', first: -1, count: 4, startNs: 0, endNs: 10, resolution: 800 },
    { type: 'flightRecorder', requestId: 1, index: 3, perCpu: 0 },
    { type: 'flightRecorder', requestId: 1, index: 3, perCpu: 100_000 },
    { type: 'interleave', requestId: 1, key: '', pair: null },
    { type: 'interleave', requestId: 1, key: 'x', pair: { open: '', close: 'b' } },
    { type: 'revealEvent', line: 0, event: 'x' },
    { type: 'revealEvent', line: 3 },
  ];
  for (const m of bad) assert.equal(isWebviewToHost(m), false, JSON.stringify(m));
});

test('interleave and flight recorder answers carry the rows the table shows', () => {
  const t = readFtraceFile('test/fixtures/ftrace/seed004-xsk-flush-race.trace');
  const svc = new LifecycleService(t);
  const row = rowOf(t);
  const d = svc.interleave('xs=0xffff90fd32693c00', { open: '__xsk_rcv_zc_L7', close: 'xsk_flush' }, row);
  assert.deepEqual(d.cpus, [0, 2]);
  // Seed 004's listing: __xsk_rcv_zc_L7 on CPU 0 and CPU 2, then each CPU's xsk_flush.
  assert.deepEqual(
    d.events.map((e) => [e.line, e.cpu, e.event]),
    [
      [1, 0, '__xsk_rcv_zc_L7'],
      [2, 2, '__xsk_rcv_zc_L7'],
      [3, 0, 'xsk_flush'],
      [5, 2, 'xsk_flush'],
    ],
  );
  assert.equal(d.windows.length, 1);
  assert.deepEqual(
    d.windows[0]?.inside.map((i) => t.line(i)),
    [3],
  );
  assert.throws(() => svc.interleave('=x', null, row), /expected FIELD=VALUE/);
  const fr = svc.answer({ type: 'flightRecorder', requestId: 9, index: 5, perCpu: 2 }, null, row);
  if (fr.type !== 'flightRecorder') return assert.fail(fr.type);
  assert.deepEqual(
    fr.columns.map((c) => [c.cpu, c.rows.map((r) => r.index)]),
    flightRecorder(t, 5, 2).map((c) => [c.cpu, c.events]),
  );
  // The poison marker (line 6, CPU 0) ends CPU 0's column; CPU 2's holds its last two events.
  assert.deepEqual(fr.columns[0]?.rows.at(-1)?.line, 6);
  assert.throws(() => svc.answer({ type: 'flightRecorder', requestId: 9, index: 99, perCpu: 2 }, null, row), /no event 99/);
});

test('lanes: a lane crossing a loss on its CPU sends "incomplete: events lost" segments and says it ends there (lost-events-pipe.trace)', async () => {
  const { LANE_LOST_STATE } = await import('../../src/protocol/messages');
  const t = readFtraceFile('test/fixtures/ftrace/lost-events-pipe.trace');
  const svc = new LifecycleService(t);
  const s = svc.summary('builtin:skb');
  const lost = s.findings.filter((f) => f.kind === 'events-lost');
  assert.equal(lost.length, 6, 'counted in the findings');
  const end = t.tsNs(t.length - 1);
  const l = svc.lanes('builtin:skb', 0, 200, 0, end + 1, 4000);
  const lostSegments: number[] = [];
  for (let k = 0; k < l.segments.state.length; k++) if (l.segments.state[k] === LANE_LOST_STATE) lostSegments.push(k);
  // One lost segment per crossing, each on a lane named by an events-lost finding, its line the LOST line.
  assert.equal(lostSegments.length, lost.length);
  const lanesWithFinding = new Set(lost.map((f) => f.lane));
  for (const k of lostSegments) {
    assert.ok(lanesWithFinding.has(l.first + (l.segments.lane[k] as number)));
    assert.ok([467, 572, 676, 783, 792].includes(l.segments.line[k] as number), `gap line ${l.segments.line[k]}`);
  }
  // 00000000358db741 was XMIT on CPU 1 when CPU 1 lost events at line 676 and never seen again: its lane ends lost.
  const x = l.lanes.filter((ln) => ln.key === '00000000358db741');
  assert.deepEqual(
    x.map((ln) => ln.lost),
    x.map((ln) => Math.abs(ln.lastTsNs - t.tsNs(t.length - 1)) > 0 && lanesWithFinding.has(ln.lane)),
  );
  assert.ok(x.some((ln) => ln.lost));
  assert.equal(l.lanes.filter((ln) => ln.lost).every((ln) => lanesWithFinding.has(ln.lane)), true);
});
