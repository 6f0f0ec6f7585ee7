// The worker's side of issue 14 (src/worker/query-service.ts, row-sort.ts, the rows request's
// sort): checked against plain computations over a real trace written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TraceService } from '../../src/worker/trace-service';
import { checkQuery, findRow, logHistogram, positionOf, LatencyService } from '../../src/worker/query-service';
import { isWebviewToHost } from '../../src/protocol/guards';
import { eventMatcher } from '../../src/core/analysis/event-filter';
import { pairLatency } from '../../src/core/analysis/latency';

const FIXTURE = join('test', 'fixtures', 'ftrace', 'veth-ping.trace');

test('rows sorted by comm, event, cpu, ts: stable, both ways, filtered', async () => {
  const s = await TraceService.open(FIXTURE);
  const t = await s.withTrace(async (x) => x);
  const all = Array.from({ length: t.length }, (_, i) => i);
  const by = (key: (i: number) => string | number) => (a: number, b: number) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : a - b;
  };
  const rowsOf = (sort: Parameters<TraceService['rows']>[3], filter = {}) => s.rows(0, t.length, filter, sort).rows.map((r) => r.index);
  assert.deepEqual(rowsOf({ column: 'comm', descending: false }), [...all].sort(by((i) => t.comm(i))));
  assert.deepEqual(rowsOf({ column: 'event', descending: false }), [...all].sort(by((i) => t.event(i))));
  const descCpu = [...all].sort((a, b) => t.cpu(b) - t.cpu(a) || a - b);
  assert.deepEqual(rowsOf({ column: 'cpu', descending: true }), descCpu);
  const m = eventMatcher(t, { expr: 'len > 60' });
  assert.ok(m);
  const kept = all.filter((i) => m.test(i));
  assert.deepEqual(rowsOf({ column: 'ts', descending: true }, { expr: 'len > 60' }), [...kept].sort((a, b) => t.tsNs(b) - t.tsNs(a) || a - b));
  // positionOf agrees with the list.
  const list = s.list({ expr: 'len > 60' }, { column: 'cpu', descending: true });
  assert.ok(list);
  for (const k of [0, 5, list.length - 1]) assert.equal(positionOf(t, list, list[k] as number), k);
  assert.equal(positionOf(t, list, all.find((i) => !m.test(i)) as number), null);
  s.dispose();
});

test('find: next/previous with wrap, text and expression, problems', async () => {
  const s = await TraceService.open(FIXTURE);
  const t = await s.withTrace(async (x) => x);
  assert.equal(checkQuery(t, 'len > 1'), null);
  assert.deepEqual(checkQuery(t, 'len >'), { message: 'expected a value at column 6', column: 6 });
  const m = eventMatcher(t, { expr: 'event == net_dev_xmit' });
  assert.ok(m);
  const hits = Array.from({ length: t.length }, (_, i) => i).filter((i) => m.test(i));
  assert.ok(hits.length > 2);
  assert.deepEqual(findRow(t, null, 'event == net_dev_xmit', '', -1, 1), { position: hits[0], index: hits[0] });
  assert.deepEqual(findRow(t, null, 'event == net_dev_xmit', '', hits[0] as number, 1), { position: hits[1], index: hits[1] });
  assert.deepEqual(findRow(t, null, 'event == net_dev_xmit', '', hits[0] as number, -1), { position: hits.at(-1), index: hits.at(-1) });
  assert.equal(findRow(t, null, 'event == no_such_event', '', -1, 1), null);
  assert.equal(findRow(t, null, '', '', -1, 1), null);
  // In a filtered list, positions are the list's.
  const list = s.list({ expr: 'cpu == 1' });
  assert.ok(list);
  const hit = findRow(t, list, '', 'SKBADDR=', -1, 1);
  assert.ok(hit && list[hit.position] === hit.index && t.cpu(hit.index) === 1);
  s.dispose();
});

test('latency histogram: log bins hold every pair; brushed instances are those in range', async () => {
  const s = await TraceService.open(FIXTURE);
  const t = await s.withTrace(async (x) => x);
  const q = { open: 'sched_wakeup', close: 'sched_switch', openKey: 'pid', closeKey: 'next_pid' };
  const svc = new LatencyService(t);
  const d = svc.latency(q);
  assert.ok(d.count > 10);
  assert.equal(d.histogram.counts.reduce((a, b) => a + b, 0), d.count);
  assert.equal(d.histogram.edgesNs.length, d.histogram.counts.length + 1);
  for (let k = 1; k < d.histogram.edgesNs.length; k++) assert.ok((d.histogram.edgesNs[k] as number) > (d.histogram.edgesNs[k - 1] as number));
  // The first edge is at or under the shortest duration of 1 ns or more (shorter ones share the first bin).
  const pairs = svc.instances(q, -Infinity, Infinity);
  assert.equal(pairs.total, d.count);
  const shortest = Math.min(...pairLatency(t, q).durNs.filter((x) => x >= 1));
  assert.ok((d.histogram.edgesNs[0] as number) <= shortest && (d.histogram.edgesNs.at(-1) as number) > (d.maxNs as number));
  const lo = d.p50Ns as number;
  const hi = d.p90Ns as number;
  const r = svc.instances(q, lo, hi);
  assert.ok(r.total > 0);
  assert.ok(r.instances.every((p) => p.durNs >= lo && p.durNs <= hi && t.event(p.open) === 'sched_wakeup' && t.event(p.close) === 'sched_switch'));
  assert.deepEqual(logHistogram(new Float64Array([0, 1, 10, 100])).counts.reduce((a, b) => a + b, 0), 4);
  assert.deepEqual(logHistogram(new Float64Array([])), { edgesNs: [], counts: [] });
  s.dispose();
});

test('guards: the new requests are checked field by field', () => {
  assert.ok(isWebviewToHost({ type: 'checkQuery', requestId: 1, expr: 'len > 1' }));
  assert.ok(!isWebviewToHost({ type: 'checkQuery', requestId: 1, expr: 'x'.repeat(5000) }));
  assert.ok(isWebviewToHost({ type: 'find', requestId: 1, filter: {}, sort: null, expr: '', text: 'x', from: -1, direction: 1 }));
  assert.ok(!isWebviewToHost({ type: 'find', requestId: 1, filter: {}, sort: null, expr: '', text: 'x', from: -2, direction: 1 }));
  assert.ok(!isWebviewToHost({ type: 'find', requestId: 1, filter: {}, sort: { column: 'payload', descending: false }, expr: '', text: 'x', from: 0, direction: 1 }));
  assert.ok(!isWebviewToHost({ type: 'find', requestId: 1, filter: {}, sort: null, expr: '', text: 'x', from: 0, direction: 2 }));
  assert.ok(isWebviewToHost({ type: 'rows', requestId: 1, start: 0, count: 10, filter: {}, sort: { column: 'ts', descending: true } }));
  assert.ok(!isWebviewToHost({ type: 'rows', requestId: 1, start: 0, count: 10, filter: {}, sort: { column: 'ts' } }));
  assert.ok(isWebviewToHost({ type: 'latency', requestId: 1, open: 'a', close: 'b', openKey: null, closeKey: null }));
  assert.ok(!isWebviewToHost({ type: 'latency', requestId: 1, open: '', close: 'b', openKey: null, closeKey: null }));
  assert.ok(!isWebviewToHost({ type: 'latencyInstances', requestId: 1, open: 'a', close: 'b', openKey: null, closeKey: null, loNs: NaN, hiNs: 1 }));
  assert.ok(isWebviewToHost({ type: 'positionOf', requestId: 1, filter: {}, sort: null, index: 3 }));
});
