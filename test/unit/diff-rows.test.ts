import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCounts, rateSpans } from '../../src/core/analysis/diff/count-rows';
import { diffFindings, findingShape } from '../../src/core/analysis/diff/finding-diff';
import { diffHits, hitsDiffByLine } from '../../src/core/analysis/diff/hits-diff';
import type { HitEntry } from '../../src/core/analysis/hits';

test('compareCounts: every key of either side, biggest change first, ratio null when A is 0', () => {
  const rows = compareCounts(
    new Map([
      ['x', 10],
      ['y', 5],
      ['z', 3],
    ]),
    new Map([
      ['x', 9],
      ['y', 0],
      ['w', 7],
    ]),
  );
  assert.deepEqual(
    rows.map((r) => [r.key, r.a, r.b, r.diff, r.ratio]),
    [
      ['w', 0, 7, 7, null],
      ['y', 5, 0, -5, 0],
      ['z', 3, 0, -3, 0],
      ['x', 10, 9, -1, 0.9],
    ],
  );
});

test('rateSpans: rates only when the spans differ by more than 1% and both are timed', () => {
  assert.equal(rateSpans(1e9, 1.005e9), null);
  assert.equal(rateSpans(0, 2e9), null);
  assert.deepEqual(rateSpans(1e9, 2e9), { aSec: 1, bSec: 2 });
  const [r] = compareCounts(new Map([['e', 10]]), new Map([['e', 10]]), rateSpans(1e9, 2e9));
  assert.deepEqual([r?.rateA, r?.rateB], [10, 5]);
});

test('diffFindings: findings compared by shape (numbers and addresses masked), one-sided shapes listed', () => {
  const f = (kind: string, message: string): { kind: string; message: string } => ({ kind, message });
  assert.equal(findingShape(f('fifo-order', 'rx (queue 3): 0xffff8881 left before ffff8882 at line 12')), 'fifo-order: rx (queue #): # left before # at line #');
  const d = diffFindings([f('fifo-order', 'q: 0xab left before 0xcd'), f('fifo-order', 'q: 0x12 left before 0x34'), f('lost-events', 'CPU 1 lost 5 events here')], [f('lost-events', 'CPU 0 lost 7 events here'), f('poison', 'poison value 0xdead seen')]);
  assert.deepEqual(
    d.onlyA.map((s) => [s.kind, s.a]),
    [['fifo-order', 2]],
  );
  assert.deepEqual(
    d.onlyB.map((s) => [s.kind, s.b]),
    [['poison', 1]],
  );
  assert.deepEqual(d.kinds.find((k) => k.kind === 'lost-events'), { kind: 'lost-events', a: 1, b: 1, diff: 0 });
});

test('diffHits: per (file, line, event), summed per line for the gutter', () => {
  const h = (file: string, line: number, event: string, count: number): HitEntry => ({ event, file, line, function: 'f', count, cpus: {}, tasks: {}, mapping: 'probe-line', ambiguous: false, note: null, vars: {} });
  const rows = diffHits([h('a.c', 10, 'p1', 5), h('a.c', 10, 'p2', 1), h('b.c', 3, 'p3', 2)], [h('a.c', 10, 'p2', 4), h('b.c', 3, 'p3', 2)]);
  assert.deepEqual(
    rows.map((r) => [r.file, r.line, r.event, r.a, r.b, r.diff]),
    [
      ['a.c', 10, 'p1', 5, 0, -5],
      ['a.c', 10, 'p2', 1, 4, 3],
      ['b.c', 3, 'p3', 2, 2, 0],
    ],
  );
  assert.deepEqual([...hitsDiffByLine(rows, 'a.c')], [[10, { a: 6, b: 4 }]]);
});
