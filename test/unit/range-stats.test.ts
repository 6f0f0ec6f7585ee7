// The range panel's request (`rangeStats`, src/worker/webview-handlers.ts over
// core/analysis/range-stats.ts) on a real trace, against what `ktl events --json` lists for the
// same range counted here independently: per event, per CPU, per task, the first and last event;
// the run time per CPU against sched_switch lines read here by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { answerWebview } from '../../src/worker/webview-handlers';
import { Session } from '../../src/worker/session';
import { TraceService } from '../../src/worker/trace-service';
import { runKtl } from '../helpers/lifecycle-golden';
import type { RangeStatsView } from '../../src/protocol/messages';

const FILE = 'test/fixtures/ftrace/veth-ping.trace';

async function stats(startNs: number, endNs: number, filter = {}): Promise<RangeStatsView> {
  const svc = await TraceService.open(FILE);
  const reply = await answerWebview({ type: 'rangeStats', requestId: 7, startNs, endNs, filter }, new Session(svc, (svc as unknown as { trace: never }).trace, 'veth-ping.trace'), {});
  assert.equal(reply.type, 'rangeStats');
  assert.equal(reply.requestId, 7);
  return (reply as { stats: RangeStatsView }).stats;
}

interface KtlEvent {
  tsNs: number;
  cpu: number;
  pid: number;
  comm: string;
  event: string;
  line: number;
}

test('rangeStats: counts per event, CPU and task, first and last, equal ktl events over the same range', async () => {
  const all = runKtl(['events', FILE, '--json'])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as KtlEvent);
  // A range in the middle of the trace: the second quarter of its span.
  const span = all[all.length - 1]!.tsNs - all[0]!.tsNs;
  const startNs = all[0]!.tsNs + span / 4;
  const endNs = all[0]!.tsNs + span / 2;
  const inside = all.filter((e) => e.tsNs >= startNs && e.tsNs < endNs);
  assert.ok(inside.length > 50, 'the range holds events');
  const s = await stats(startNs, endNs);
  assert.equal(s.total, inside.length);
  const count = <K>(key: (e: KtlEvent) => K): Map<K, number> => {
    const m = new Map<K, number>();
    for (const e of inside) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
    return m;
  };
  assert.deepEqual(new Map(s.events.map((e) => [e.name, e.count])), count((e) => e.event));
  assert.deepEqual(new Map(s.cpus.map((c) => [Number(c.name), c.count])), count((e) => e.cpu));
  assert.deepEqual(new Map(s.tasks.map((t) => [`${t.comm}-${t.pid}`, t.count])), count((e) => `${e.comm}-${e.pid}`));
  for (let k = 1; k < s.events.length; k++) assert.ok(s.events[k - 1]!.count >= s.events[k]!.count, 'busiest first');
  const byTime = [...inside].sort((a, b) => a.tsNs - b.tsNs || a.line - b.line);
  assert.equal(s.first?.line, byTime[0]!.line);
  assert.equal(s.last?.line, byTime[byTime.length - 1]!.line);
});

test('rangeStats: run time per CPU from the sched_switch slices, clipped to the range', async () => {
  // Read the switches of CPU 0 by hand: who ran from one switch to the next.
  const lines = readFileSync(FILE, 'utf8').split('\n');
  const sw = lines
    .map((l) => /\[000\].* (\d+)\.(\d{6}): sched_switch: .*==> next_comm=(.+) next_pid=(\d+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ us: Number(m[1]) * 1e6 + Number(m[2]), comm: m[3]!, pid: Number(m[4]) }));
  assert.ok(sw.length > 4);
  // The range: from the second switch to the fourth, so exactly two whole slices.
  const svc = await TraceService.open(FILE);
  const origin = (svc as unknown as { trace: { originNs: bigint } }).trace.originNs;
  const rel = (us: number): number => Number(BigInt(us) * 1000n - origin);
  const s = await stats(rel(sw[1]!.us), rel(sw[3]!.us));
  const cpu0 = s.runTime.filter((r) => r.cpu === 0);
  const expected = new Map<string, number>();
  for (const k of [1, 2]) expected.set(`${sw[k]!.comm}-${sw[k]!.pid}`, (expected.get(`${sw[k]!.comm}-${sw[k]!.pid}`) ?? 0) + (sw[k + 1]!.us - sw[k]!.us) * 1000);
  assert.deepEqual(new Map(cpu0.map((r) => [`${r.comm}-${r.pid}`, r.runNs])), expected);
});

test('rangeStats: an empty range is an error, a range with nothing has no first/last', async () => {
  await assert.rejects(() => stats(10, 10), /empty time range/);
  const s = await stats(-1e12, -1e12 + 1);
  assert.equal(s.total, 0);
  assert.equal(s.first, null);
  assert.equal(s.last, null);
});

test('filter to a range: the table (rows) and rangeStats keep exactly the events in [startNs, endNs); the guard refuses a reversed range', async () => {
  const { isWebviewToHost } = await import('../../src/protocol/guards');
  const svc = await TraceService.open(FILE);
  const all = svc.rows(0, 5000, {}).rows;
  const a = all[100]!.tsNs;
  const b = all[400]!.tsNs;
  const want = all.filter((r) => r.tsNs >= a && r.tsNs < b).map((r) => r.index);
  const got = svc.rows(0, 5000, { timeRange: [a, b] });
  assert.equal(got.total, want.length);
  assert.deepEqual(
    got.rows.map((r) => r.index),
    want,
  );
  // Together with another part of the filter: both hold.
  const sw = svc.rows(0, 5000, { timeRange: [a, b], events: ['sched_switch'] });
  assert.deepEqual(
    sw.rows.map((r) => r.index),
    all.filter((r) => r.tsNs >= a && r.tsNs < b && r.event === 'sched_switch').map((r) => r.index),
  );
  assert.equal((await stats(a, b, { timeRange: [a, b] })).total, want.length);
  assert.equal(isWebviewToHost({ type: 'rows', requestId: 1, start: 0, count: 10, filter: { timeRange: [a, b] } }), true);
  assert.equal(isWebviewToHost({ type: 'rows', requestId: 1, start: 0, count: 10, filter: { timeRange: [b, a] } }), false);
  assert.equal(isWebviewToHost({ type: 'rows', requestId: 1, start: 0, count: 10, filter: { timeRange: [a, 'x'] } }), false);
});
