// Seed 004 (AF_XDP descriptor hunt): the quoted ftrace excerpts read exactly, event by event,
// as the write-up describes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFtraceFile } from '../helpers/read';
import { eventJson } from '../../src/core/formats/decode';
import { computeStats } from '../../src/core/analysis/stats';

test('FIFO-break excerpt: 5 kprobe hits, 7 markers, 1 xp_raw_get_data, on CPUs 1 and 2', () => {
  const t = readFtraceFile('test/fixtures/ftrace/seed004-fifo-break.trace');
  const s = computeStats(t);
  assert.deepEqual(Object.fromEntries(s.eventCounts), { tracing_mark_write: 7, __xsk_rcv_zc_L7: 5, xp_raw_get_data: 1 });
  assert.deepEqual(s.cpus, [1, 2]);
  assert.equal(t.meta.onlineCpus, 4);
  assert.equal(t.issueCount, 0);
  // The softirq moves from CPU 1 to CPU 2 between descriptors 0x160a100 and 0x13d3900.
  const rcv = [];
  for (let i = 0; i < t.length; i++) if (t.event(i) === '__xsk_rcv_zc_L7') rcv.push([eventJson(t, i).fields.addr, t.cpu(i)]);
  assert.deepEqual(rcv, [
    ['0x16ce900', 2],
    ['0x160a100', 1],
    ['0x13d3900', 2],
    ['0x1dba100', 2],
    ['0x1627100', 2],
  ]);
  const last = eventJson(t, t.length - 1);
  assert.match(last.fields.text ?? '', /^ingress q:1 0x1229100 FILL -> RX: expected 0x13d3900 remaining: \[1dba100, /);
  const raw = eventJson(t, 4);
  assert.equal(raw.event, 'xp_raw_get_data');
  assert.deepEqual(raw.probe, { symbol: 'xp_raw_get_data', offset: 0, size: 0x60 });
});

test('xsk_flush race excerpt: xsk_flush on CPU 0 and CPU 2 on the same socket', () => {
  const t = readFtraceFile('test/fixtures/ftrace/seed004-xsk-flush-race.trace');
  const flush = [];
  for (let i = 0; i < t.length; i++) {
    const e = eventJson(t, i);
    if (e.event === 'xsk_flush') flush.push({ cpu: e.cpu, comm: e.comm, xs: e.fields.xs, probe: e.probe });
  }
  assert.deepEqual(flush, [
    { cpu: 0, comm: 'flowtrackd-9chS', xs: '0xffff90fd32693c00', probe: { symbol: '__xsk_map_flush', offset: 0x4e, size: 0x180 } },
    { cpu: 2, comm: 'Iperf2', xs: '0xffff90fd32693c00', probe: { symbol: '__xsk_map_flush', offset: 0x4e, size: 0x180 } },
  ]);
  assert.match(eventJson(t, 5).fields.text ?? '', /0xdeadbeefdeadbeef FILL -> RX: expected 0x1000900/);
});
