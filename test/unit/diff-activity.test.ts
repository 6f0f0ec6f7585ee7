/** Compare's stacked timelines: each side's events per bucket over its own span (core/analysis/diff/activity.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFtrace, readFtraceFile } from '../helpers/read';
import { activityDiff } from '../../src/core/analysis/diff/activity';
import { computeStats } from '../../src/core/analysis/stats';

test('before/after recordings: every row sums to its event count on each side, first times and spans from the files', () => {
  const a = readFtraceFile('test/fixtures/diff/drop-none.trace');
  const b = readFtraceFile('test/fixtures/diff/drop-half.trace');
  const d = activityDiff(a, b, 50, 4);
  const sum = (xs: readonly number[]): number => xs.reduce((x, y) => x + y, 0);
  assert.equal(d.rows.length, 5, 'all events + the 4 busiest');
  assert.equal(d.rows[0]?.event, null);
  assert.equal(sum(d.rows[0]?.a ?? []), a.length);
  assert.equal(sum(d.rows[0]?.b ?? []), b.length);
  const ca = new Map(computeStats(a).eventCounts);
  const cb = new Map(computeStats(b).eventCounts);
  for (const r of d.rows.slice(1)) {
    assert.equal(r.a.length, 50);
    assert.equal(sum(r.a), ca.get(r.event as string) ?? 0, `${r.event} in A`);
    assert.equal(sum(r.b), cb.get(r.event as string) ?? 0, `${r.event} in B`);
    // The first occurrence, by a scan of the trace itself.
    const first = (t: typeof a): number | null => {
      let lo = Infinity;
      let f: number | null = null;
      for (let i = 0; i < t.length; i++) lo = Math.min(lo, t.tsNs(i));
      for (let i = 0; i < t.length; i++) if (t.event(i) === r.event && (f === null || t.tsNs(i) - lo < f)) f = t.tsNs(i) - lo;
      return f;
    };
    assert.equal(r.firstA, first(a));
    assert.equal(r.firstB, first(b));
  }
  // The busiest names over both sides, busiest first.
  const totals = d.rows.slice(1).map((r) => sum(r.a) + sum(r.b));
  assert.deepEqual(totals, [...totals].sort((x, y) => y - x));
  const span = (t: typeof a): number => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < t.length; i++) {
      lo = Math.min(lo, t.tsNs(i));
      hi = Math.max(hi, t.tsNs(i));
    }
    return hi - lo;
  };
  assert.equal(d.spanA, span(a));
  assert.equal(d.spanB, span(b));
  // The last event lands in the last bucket, not past it.
  assert.ok((d.rows[0]?.a[49] ?? 0) > 0);
});

test('an event only one side has: zeros and a null first time on the other; one timestamp: one bucket', () => {
  const line = (ts: string, ev: string): string => `            ping-100     [000] .....   ${ts}: ${ev}: x=1`;
  const a = readFtrace([line('10.000000', 'only_a'), line('10.000500', 'both'), line('10.001000', 'both')].join('\n') + '\n');
  const b = readFtrace([line('20.000000', 'both'), line('20.000000', 'only_b')].join('\n') + '\n');
  const d = activityDiff(a, b, 10);
  const row = (ev: string) => d.rows.find((r) => r.event === ev);
  assert.deepEqual([row('only_a')?.firstA, row('only_a')?.firstB, row('only_a')?.b.every((x) => x === 0)], [0, null, true]);
  assert.deepEqual([row('only_b')?.firstA, row('only_b')?.firstB, row('only_a')?.a[0]], [null, 0, 1]);
  assert.deepEqual([row('both')?.firstA, row('both')?.a[5], row('both')?.a[9]], [500_000, 1, 1]);
  // B's events share one time: span 0, all in bucket 0.
  assert.equal(d.spanB, 0);
  assert.equal(d.rows[0]?.b[0], 2);
});
