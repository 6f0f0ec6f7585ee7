// Interleavings (core/analysis/lifecycle/interleave.ts): what touches an object, how OPEN/CLOSE pair into
// per-CPU critical sections, which overlaps are windows and how they are ranked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFtrace } from '../helpers/read';
import { interleave, parseObjectKey, touchingEvents } from '../../src/core/analysis/lifecycle/interleave';

let clockUs = 0;
function ev(cpu: number, event: string, payload: string, us: number): string {
  clockUs = us;
  return `          iperf2-1217    [${String(cpu).padStart(3, '0')}] d.Z1. 609766.${String(clockUs).padStart(6, '0')}: ${event}: ${payload}`;
}
const open = (cpu: number, us: number, xs = '0xffff90fd32693c00'): string => ev(cpu, '__xsk_rcv_zc_L7', `(__xsk_rcv_zc+0x9b/0x250) addr=0xff0900 len=0x42 xs=${xs} fq=0xffff90fd03d66380`, us);
const close = (cpu: number, us: number, xs = '0xffff90fd32693c00'): string => ev(cpu, 'xsk_flush', `(__xsk_map_flush+0x4e/0x180) xs=${xs}`, us);
const pair = { open: '__xsk_rcv_zc_L7', close: 'xsk_flush' };
const XS = { field: 'xs', value: '0xffff90fd32693c00' };

test('parseObjectKey: FIELD=VALUE, a bare VALUE, nothing else', () => {
  assert.deepEqual(parseObjectKey('xs=0xffff90fd32693c00'), { field: 'xs', value: '0xffff90fd32693c00' });
  assert.deepEqual(parseObjectKey('skbaddr=00000000e52a997e'), { field: 'skbaddr', value: '00000000e52a997e' });
  assert.deepEqual(parseObjectKey('0x16ce900'), { field: null, value: '0x16ce900' });
  assert.equal(parseObjectKey('=x'), null);
  assert.equal(parseObjectKey(''), null);
});

test('touching: by field (hex compared as numbers), by any field, by whole word in marker text', () => {
  const t = readFtrace(
    [
      open(0, 100),
      open(1, 110, '0xffff90fd32693c04'),
      ev(0, 'tracing_mark_write', 'ingress q:1 0xff0900 FILL -> RX', 120),
      ev(0, 'tracing_mark_write', 'ingress q:1 0xff09000 FILL -> RX', 130),
      close(1, 140, '0xFFFF90FD32693C00'),
    ].join('\n'),
  );
  assert.deepEqual(touchingEvents(t, 'xs', '0xffff90fd32693c00'), [0, 4]);
  assert.deepEqual(touchingEvents(t, null, '0xff0900'), [0, 1, 2]);
  assert.deepEqual(touchingEvents(t, 'addr', '0x0ff0900'), [0, 1]);
});

test('sections: OPENs before the CLOSE join one section; a CLOSE with nothing open is counted, not paired', () => {
  const t = readFtrace([close(0, 90), open(0, 100), open(0, 105), close(0, 110), open(2, 200), close(2, 230)].join('\n'));
  const r = interleave(t, { ...XS, pair });
  assert.deepEqual(
    r.sections.map((s) => [s.cpu, s.open, s.close, s.opens, s.startTsNs, s.endTsNs]),
    [
      [0, 1, 3, 2, 10_000, 20_000],
      [2, 4, 5, 1, 110_000, 140_000],
    ],
  );
  assert.equal(r.unpairedCloses, 1);
  assert.deepEqual(r.windows, [], 'the sections never overlap');
});

test('windows: overlaps ranked largest first; near misses only when asked, after the overlaps', () => {
  const t = readFtrace(
    [
      open(0, 100), // CPU 0: [100, 130]
      open(2, 120), // CPU 2: [120, 200]  overlaps CPU 0 by 10 µs
      close(0, 130),
      open(1, 140), // CPU 1: [140, 150]  inside CPU 2's section: overlap 10 µs
      close(1, 150),
      close(2, 200),
      open(3, 203), // CPU 3: [203, 210]  misses CPU 2 by 3 µs
      close(3, 210),
    ].join('\n'),
  );
  const r = interleave(t, { ...XS, pair });
  assert.deepEqual(
    r.windows.map((w) => [w.a.cpu, w.b.cpu, w.overlapNs, w.distanceNs, w.inside.map((x) => [x.cpu, x.intoCpu])]),
    [
      [0, 2, 10_000, -10_000, [[0, 2]]],
      [2, 1, 10_000, -10_000, [[1, 2]]],
    ],
  );
  const near = interleave(t, { ...XS, pair, nearNs: 5_000 });
  assert.deepEqual(
    near.windows.map((w) => [w.a.cpu, w.b.cpu, w.overlapNs, w.gapNs, w.distanceNs]),
    [
      [0, 2, 10_000, 0, -10_000],
      [2, 1, 10_000, 0, -10_000],
      [2, 3, 0, 3_000, 3_000],
    ],
  );
});

test('open sections: kept until the end of the trace when CLOSE events exist, unknown otherwise', () => {
  const t = readFtrace([open(0, 100), open(2, 110), close(2, 120), ev(1, 'sched_switch', 'prev_comm=x', 300)].join('\n'));
  const r = interleave(t, { ...XS, pair });
  assert.deepEqual(
    r.sections.map((s) => [s.cpu, s.close, s.endTsNs]),
    [
      [0, null, 200_000],
      [2, 2, 20_000],
    ],
  );
  assert.deepEqual(
    r.windows.map((w) => [w.a.cpu, w.b.cpu, w.overlapNs, w.inside.map((x) => [x.cpu, x.intoCpu])]),
    [[0, 2, 10_000, [[2, 0]]]],
  );
  const noClose = readFtrace([open(0, 100), open(2, 110)].join('\n'));
  const r2 = interleave(noClose, { ...XS, pair });
  assert.deepEqual([r2.sections.length, r2.windows.length, r2.unclosed], [0, 0, 2]);
});

test('no pair: only the events, in time order (ties in trace order)', () => {
  const t = readFtrace([open(2, 120), open(0, 100), close(0, 100)].join('\n'));
  const r = interleave(t, XS);
  assert.deepEqual(r.events, [1, 2, 0]);
  assert.deepEqual(r.cpus, [0, 2]);
  assert.deepEqual([r.sections, r.windows], [[], []]);
});
