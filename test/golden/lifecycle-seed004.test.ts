// Seed 004 (AF_XDP): the built-in af-xdp model and the interleaving of one socket over the two
// excerpts of the write-up. Each excerpt's anomaly must be found, and nothing else:
//   - seed004-fifo-break.trace: the FIFO break (expected 0x13d3900, got 0x1229100) and no other
//     finding. Objects at the excerpt's edges are not findings: 0x13d3900, 0x1dba100 and
//     0x1627100 end in RX (the kernel produced them, the excerpt stops before the application
//     reads them), 0x160a100 and 0x1229100 end in RX too; the af-xdp model reports RX only after
//     1 s of silence while the trace goes on, and this excerpt lasts 119 µs. Their first steps
//     are starts (the kernel's FILL -> RX), never judged against a past the excerpt does not have.
//   - seed004-xsk-flush-race.trace: the poison value, carrying the FIFO's expectation
//     (0x1000900), as one finding; and on xs=0xffff90fd32693c00 exactly one window where CPU 0
//     and CPU 2 were both between __xsk_rcv_zc_L7 and xsk_flush.
// Snapshots: test/golden/snapshots/lifecycle-seed004-*.json (UPDATE_GOLDEN=1 rewrites them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFtrace, readFtraceFile } from '../helpers/read';
import { analyzeLifecycles, flightRecorder } from '../../src/core/analysis/lifecycle/analyze';
import { interleaveJson, lifecycleJson } from '../../src/core/analysis/lifecycle/json';
import { interleave } from '../../src/core/analysis/lifecycle/interleave';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import { checkSnapshot, runKtl } from '../helpers/lifecycle-golden';

const FIFO = 'test/fixtures/ftrace/seed004-fifo-break.trace';
const RACE = 'test/fixtures/ftrace/seed004-xsk-flush-race.trace';
const afxdp = builtinModel('af-xdp');
assert.ok(afxdp);

test('seed 004 FIFO break: exactly one finding, fifo-order expected 0x13d3900 got 0x1229100', () => {
  const t = readFtraceFile(FIFO);
  const a = analyzeLifecycles(t, afxdp);
  assert.deepEqual(
    a.findings.map((f) => ({ kind: f.kind, key: f.key, expected: f.expected, line: f.line, cpu: f.cpu, fifo: f.fifo, queue: f.queue })),
    [{ kind: 'fifo-order', key: '0x1229100', expected: '0x13d3900', line: 25, cpu: 1, fifo: 'rx-ring', queue: '0xffffa0c6e26ab400' }],
  );
  const f = a.findings[0];
  assert.ok(f);
  assert.equal(f.tsNs, t.tsNs(f.eventIndex));
  assert.match(t.payloadText(f.eventIndex), /^ingress q:1 0x1229100 FILL -> RX: expected 0x13d3900 /, 'the application logged the same expectation');
});

test('seed 004 FIFO break: descriptor 0x16ce900 goes RX (kernel, CPU 2) -> RX (app, CPU 1) -> TX -> TX (kernel) -> COMP -> FILL', () => {
  const j = lifecycleJson(readFtraceFile(FIFO), analyzeLifecycles(readFtraceFile(FIFO), afxdp), { keys: ['0x16ce900'] });
  assert.equal(j.objects.length, 1);
  const o = j.objects[0];
  assert.deepEqual(
    o?.history?.map((s) => [s.state, s.kind, s.from ?? null, s.cpu, s.line, s.event]),
    [
      ['RX', 'start', 'FILL', 2, 13, '__xsk_rcv_zc_L7'],
      ['RX', 'witness', 'FILL', 1, 14, 'tracing_mark_write'],
      ['TX', 'transition', 'RX', 1, 16, 'tracing_mark_write'],
      ['TX', 'witness', null, 1, 17, 'xp_raw_get_data'],
      ['COMP', 'transition', 'TX', 1, 20, 'tracing_mark_write'],
      ['FILL', 'transition', 'COMP', 1, 21, 'tracing_mark_write'],
    ],
  );
  assert.deepEqual(o?.cpus, [2, 1]);
  assert.equal(o?.state, 'FILL');
});

test('seed 004 FIFO break: objects at the excerpt edge are listed, not reported', () => {
  const t = readFtraceFile(FIFO);
  const a = analyzeLifecycles(t, afxdp);
  assert.deepEqual(
    a.objects.map((o) => [o.key, afxdp.states[o.state]]),
    [
      ['0x16ce900', 'FILL'],
      ['0x160a100', 'RX'],
      ['0x13d3900', 'RX'],
      ['0x1dba100', 'RX'],
      ['0x1627100', 'RX'],
      ['0x1229100', 'RX'],
    ],
  );
  assert.equal(a.findings.filter((f) => f.kind === 'incomplete').length, 0);
  assert.deepEqual(a.transitions.filter((x) => x.legal === false), []);
});

test('seed 004 FIFO break: the flight recorder of the finding holds the last events of every CPU', () => {
  const t = readFtraceFile(FIFO);
  const f = analyzeLifecycles(t, afxdp).findings[0];
  assert.ok(f);
  const rec = flightRecorder(t, f.eventIndex, 3);
  assert.deepEqual(
    rec.map((r) => ({ cpu: r.cpu, lines: r.events.map((i) => t.line(i)) })),
    [
      { cpu: 1, lines: [21, 22, 25] },
      { cpu: 2, lines: [19, 23, 24] },
    ],
  );
});

test('seed 004 xsk_flush race: exactly one finding, poison 0xdeadbeefdeadbeef where 0x1000900 was expected', () => {
  const t = readFtraceFile(RACE);
  const a = analyzeLifecycles(t, afxdp);
  assert.deepEqual(
    a.findings.map((f) => ({ kind: f.kind, key: f.key, expected: f.expected, line: f.line, cpu: f.cpu, fifo: f.fifo })),
    [{ kind: 'poison', key: '0xdeadbeefdeadbeef', expected: '0x1000900', line: 6, cpu: 0, fifo: 'rx-ring' }],
  );
  // The poison is not an object; the two descriptors are.
  assert.deepEqual(
    a.objects.map((o) => o.key),
    ['0xff0900', '0x1000900'],
  );
});

test('seed 004 xsk_flush race: one window, CPU 0 flushes while CPU 2 is between __xsk_rcv_zc_L7 and its flush', () => {
  const t = readFtraceFile(RACE);
  const q = { field: 'xs', value: '0xffff90fd32693c00', pair: { open: '__xsk_rcv_zc_L7', close: 'xsk_flush' } };
  const j = interleaveJson(t, q, interleave(t, q));
  assert.deepEqual(
    j.events.map((e) => [e.line, e.cpu, e.event]),
    [
      [1, 0, '__xsk_rcv_zc_L7'],
      [2, 2, '__xsk_rcv_zc_L7'],
      [3, 0, 'xsk_flush'],
      [5, 2, 'xsk_flush'],
    ],
  );
  assert.deepEqual(j.cpus, [0, 2]);
  assert.equal(j.windows.length, 1);
  const w = j.windows[0];
  assert.deepEqual(w?.cpus, [0, 2]);
  assert.equal(w?.overlapNs, 5000, 'from CPU 2 entering (.698523) to CPU 0 flushing (.698528)');
  assert.deepEqual(
    w?.inside.map((x) => [x.cpu, x.line, x.event, x.intoCpu]),
    [[0, 3, 'xsk_flush', 2]],
  );
  assert.deepEqual([w?.a.open.line, w?.a.close?.line, w?.b.open.line, w?.b.close?.line], [1, 3, 2, 5]);
  assert.equal(j.unpairedCloses, 0);
  assert.equal(j.unclosed, 0);
});

test('seed 004 FIFO break: the socket is touched from CPUs 1 and 2; without an xsk_flush probe no window is claimed', () => {
  const t = readFtraceFile(FIFO);
  const q = { field: 'xs', value: '0xffffa0c6e26ab400', pair: { open: '__xsk_rcv_zc_L7', close: 'xsk_flush' } };
  const r = interleave(t, q);
  assert.deepEqual(
    r.events.map((i) => [t.line(i), t.cpu(i)]),
    [
      [13, 2],
      [18, 1],
      [19, 2],
      [23, 2],
      [24, 2],
    ],
  );
  assert.deepEqual(r.windows, []);
  assert.equal(r.unclosed, 2, 'CPUs 1 and 2 opened sections the excerpt never closes, and no xsk_flush exists to say when');
});

test('seed 004: the bare value 0x16ce900 finds its kprobe and marker events', () => {
  const t = readFtraceFile(FIFO);
  const r = interleave(t, { field: null, value: '0x16ce900' });
  assert.deepEqual(
    r.events.map((i) => t.line(i)),
    [13, 14, 15, 16, 17, 20, 21],
  );
});

test('seed 004: snapshots of ktl lifecycle / interleave JSON', () => {
  for (const [name, file] of [
    ['fifo-break', FIFO],
    ['xsk-flush-race', RACE],
  ] as const) {
    const t = readFtraceFile(file);
    checkSnapshot(`lifecycle-seed004-${name}.af-xdp.json`, lifecycleJson(t, analyzeLifecycles(t, afxdp), { flight: 4 }));
  }
  const t = readFtraceFile(RACE);
  const q = { field: 'xs', value: '0xffff90fd32693c00', pair: { open: '__xsk_rcv_zc_L7', close: 'xsk_flush' } };
  checkSnapshot('interleave-seed004-xsk-flush-race.json', interleaveJson(t, q, interleave(t, q)));
});

test('seed 004: the same answers when the excerpts are read in 1- and 7-byte chunks', () => {
  for (const file of [FIFO, RACE]) {
    const bytes = new Uint8Array(readFileSync(file));
    const whole = lifecycleJson(readFtrace(bytes), analyzeLifecycles(readFtrace(bytes), afxdp));
    for (const chunk of [1, 7]) {
      const t = readFtrace(bytes, chunk);
      assert.deepEqual(lifecycleJson(t, analyzeLifecycles(t, afxdp)), whole, `${file} in ${chunk}-byte chunks`);
    }
  }
});

test('ktl lifecycle / ktl interleave --json on the seed 004 excerpts', () => {
  const life = JSON.parse(runKtl(['lifecycle', FIFO, '--model', 'af-xdp', '--json'])) as { objects: unknown[]; transitions: unknown[]; findings: { kind: string; key: string; expected: string; tsNs: number; cpu: number; line: number }[] };
  assert.ok(Array.isArray(life.objects) && Array.isArray(life.transitions));
  assert.deepEqual(
    life.findings.map((f) => [f.kind, f.key, f.expected, f.cpu, f.line, typeof f.tsNs]),
    [['fifo-order', '0x1229100', '0x13d3900', 1, 25, 'number']],
  );
  const il = JSON.parse(runKtl(['interleave', RACE, '--key', 'xs=0xffff90fd32693c00', '--pair', '__xsk_rcv_zc_L7,xsk_flush', '--json'])) as { events: { cpu: number }[]; windows: { cpus: number[]; overlapNs: number }[] };
  assert.deepEqual(
    il.events.map((e) => e.cpu),
    [0, 2, 0, 2],
  );
  assert.deepEqual(
    il.windows.map((w) => [w.cpus, w.overlapNs]),
    [[[0, 2], 5000]],
  );
});
