// The lifecycle rules one by one (core/analysis/lifecycle/analyze.ts), on small traces written in the
// shape of the real ones (seed 004 kprobes and markers, net/skb tracepoints): starts,
// witnesses, repeats, declared `from`, terminal states and generations, reuse, gaps, FIFO sync
// and disorder, poison, batches by task and by CPU, incomplete objects, the flight recorder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFtrace } from '../helpers/read';
import { analyzeLifecycles, flightRecorder, laneSegments, objectAttrs, stepsByObject, type Finding } from '../../src/core/analysis/lifecycle/analyze';
import { compileModel, type LifecycleModelJson } from '../../src/core/analysis/lifecycle/model';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import type { Trace } from '../../src/core/trace/trace';

let clockUs = 0;
/** One ftrace line; times advance 10 µs per line unless given. */
function ev(cpu: number, task: string, event: string, payload: string, us?: number): string {
  clockUs = us ?? clockUs + 10;
  const ts = `${100 + Math.floor(clockUs / 1e6)}.${String(clockUs % 1e6).padStart(6, '0')}`;
  return `${task.padStart(22)} [${String(cpu).padStart(3, '0')}] d.Z1. ${ts}: ${event}: ${payload}`;
}
function trace(...lines: string[]): Trace {
  clockUs = 0;
  return readFtrace(`${lines.join('\n')}\n`);
}
const rcv = (cpu: number, addr: string, xs = '0xffffa0c6e26ab400'): string => ev(cpu, 'iperf2-127018', '__xsk_rcv_zc_L7', `(__xsk_rcv_zc+0x9b/0x250) addr=${addr} len=0x4e xs=${xs} fq=0xffffa0c72db94c40`);
const mark = (text: string, cpu = 1, task = 'flowtrackd-p9zw-209120'): string => ev(cpu, task, 'tracing_mark_write', text);
const raw = (addr: string): string => ev(1, 'flowtrackd-p9zw-209120', 'xp_raw_get_data', `(xp_raw_get_data+0x0/0x60) addr=${addr}`);
const brief = (f: readonly Finding[]): unknown[] => f.map((x) => ({ kind: x.kind, key: x.key, line: x.line, ...(x.from !== undefined ? { from: x.from } : {}), ...(x.to !== undefined ? { to: x.to } : {}), ...(x.claimedFrom ? { claimedFrom: x.claimedFrom } : {}), ...(x.expected !== undefined ? { expected: x.expected } : {}) }));

const afxdp = builtinModel('af-xdp') as NonNullable<ReturnType<typeof builtinModel>>;
const skb = builtinModel('skb') as NonNullable<ReturnType<typeof builtinModel>>;

test('a full descriptor cycle, kernel and application both reporting, is clean', () => {
  const t = trace(
    rcv(2, '0x100'),
    mark('ingress q:1 0x100 FILL -> RX'),
    mark('egress q:1 0x100 RX -> TX'),
    raw('0x100'),
    mark('egress q:1 0x100 TX -> COMP'),
    mark('ingress q:1 0x100 COMP -> FILL'),
    rcv(2, '0x100'),
    mark('ingress q:1 0x100 FILL -> RX'),
    mark('ingress q:1 0x100 RX -> FILL'),
  );
  const a = analyzeLifecycles(t, afxdp);
  assert.deepEqual(a.findings, []);
  assert.equal(a.objects.length, 1);
  const steps = [...stepsByObject(a)(0)].map((s) => [afxdp.states[a.steps.state(s)], ['start', 'transition', 'witness'][a.steps.kind(s)]]);
  assert.deepEqual(steps, [
    ['RX', 'start'],
    ['RX', 'witness'],
    ['TX', 'transition'],
    ['TX', 'witness'],
    ['COMP', 'transition'],
    ['FILL', 'transition'],
    ['RX', 'transition'],
    ['RX', 'witness'],
    ['FILL', 'transition'],
  ]);
});

test('invalid transitions: the seed\'s "Fill to Tx", "Comp to Rx", "Tx to Rx"', () => {
  const t = trace(
    mark('ingress q:1 0x10 RX -> FILL'),
    mark('egress q:1 0x10 FILL -> TX'), // the application says FILL -> TX: illegal on its own
    mark('egress q:1 0x20 TX -> COMP'),
    rcv(2, '0x20'), // the kernel takes a descriptor the application holds from COMP
    mark('egress q:1 0x30 RX -> TX'),
    rcv(2, '0x30'), // the kernel puts a descriptor that is in TX into RX
  );
  assert.deepEqual(brief(analyzeLifecycles(t, afxdp).findings), [
    { kind: 'invalid-transition', key: '0x10', line: 2, from: 'FILL', to: 'TX' },
    { kind: 'invalid-transition', key: '0x20', line: 4, from: 'COMP', to: 'RX', claimedFrom: 'FILL' },
    { kind: 'invalid-transition', key: '0x30', line: 6, from: 'TX', to: 'RX', claimedFrom: 'FILL' },
  ]);
});

test('a declared from that disagrees with the trace is a finding even when the move itself is legal', () => {
  const t = trace(mark('egress q:1 0x10 RX -> TX'), raw('0x10'), mark('egress q:1 0x10 TX -> COMP'), mark('ingress q:1 0x10 RX -> FILL'));
  assert.deepEqual(brief(analyzeLifecycles(t, afxdp).findings), [{ kind: 'invalid-transition', key: '0x10', line: 4, from: 'COMP', to: 'FILL', claimedFrom: 'RX' }]);
});

test('the same observer reporting the same state twice is S -> S (the kernel producing one descriptor twice)', () => {
  const t = trace(rcv(2, '0x10'), rcv(2, '0x10'));
  const f = analyzeLifecycles(t, afxdp).findings;
  assert.deepEqual(
    f.map((x) => [x.kind, x.line, x.from, x.to]),
    [
      ['invalid-transition', 2, 'RX', 'RX'],
      ['fifo-order', 2, undefined, undefined],
      ['duplicate-in-batch', 2, undefined, undefined],
    ],
  );
  assert.match(f[1]?.message ?? '', /entered again while still queued \(entered at line 1\)/);
  assert.equal(f[2]?.firstLine, 1);
});

test('FIFO: nothing is said before the queue is in sync; disorder after it names the expected key once', () => {
  const t = trace(
    rcv(2, '0xa'),
    rcv(2, '0xb'),
    rcv(2, '0xc'),
    mark('ingress q:1 0x9 FILL -> RX'), // entered before the trace: not judged (not in sync yet)
    mark('ingress q:1 0xa FILL -> RX'), // head: now in sync
    mark('ingress q:1 0xc FILL -> RX'), // 0xb skipped: expected 0xb
    mark('ingress q:1 0xd FILL -> RX'), // never entered, queue empty
    mark('ingress q:1 0xb FILL -> RX'), // the skipped one, late: not queued any more
  );
  const a = analyzeLifecycles(t, afxdp);
  assert.deepEqual(
    a.findings.map((f) => [f.kind, f.key, f.line, f.expected]),
    [
      ['fifo-order', '0xc', 6, '0xb'],
      ['fifo-order', '0xd', 7, null],
      ['fifo-order', '0xb', 8, null],
    ],
  );
  assert.equal(a.fifoSkipped, 1);
});

test('FIFO: queues are per socket; a leave queue name is linked to the queue its first object entered', () => {
  const t = trace(
    rcv(2, '0xa', '0xs1'),
    rcv(3, '0xb', '0xs2'),
    mark('ingress q:1 0xa FILL -> RX'), // links q:1 -> xs 0xs1
    mark('ingress q:2 0xb FILL -> RX'), // links q:2 -> xs 0xs2
    rcv(3, '0xc', '0xs2'),
    rcv(2, '0xd', '0xs1'),
    mark('ingress q:1 0xd FILL -> RX'),
    mark('ingress q:2 0xc FILL -> RX'),
  );
  assert.deepEqual(analyzeLifecycles(t, afxdp).findings, []);
});

test('poison: one finding with what the FIFO expected; the poisoned slot consumes the head', () => {
  const t = trace(rcv(0, '0x1'), rcv(2, '0x2'), rcv(2, '0x3'), mark('ingress q:1 0x1 FILL -> RX', 0), mark('ingress q:1 0xdeadbeefdeadbeef FILL -> RX', 0), mark('ingress q:1 0x3 FILL -> RX', 0));
  const a = analyzeLifecycles(t, afxdp);
  assert.deepEqual(brief(a.findings), [{ kind: 'poison', key: '0xdeadbeefdeadbeef', line: 5, to: 'RX', expected: '0x2' }]);
  assert.ok(!a.objects.some((o) => o.key === '0xdeadbeefdeadbeef'));
});

test('poison before the FIFO is in sync: reported without an expectation', () => {
  const t = trace(mark('ingress q:1 0xDEADBEEFDEADBEEF FILL -> RX'));
  const f = analyzeLifecycles(t, afxdp).findings;
  assert.deepEqual(brief(f), [{ kind: 'poison', key: '0xdeadbeefdeadbeef', line: 1, to: 'RX' }]);
});

test('batches: a task\'s run of RX reads, ended by any other event of that task', () => {
  const t = trace(
    mark('ingress q:1 0x1 FILL -> RX'),
    ev(2, 'iperf2-127018', 'sched_switch', 'prev_comm=iperf2 prev_pid=127018'), // another task: the run goes on
    mark('ingress q:1 0x1 FILL -> RX'), // same batch: duplicate
    mark('0x1 egress_tx_queue forward'), // the task did something else: the batch ends
    mark('ingress q:1 0x1 FILL -> RX'),
  );
  const f = analyzeLifecycles(t, afxdp).findings.filter((x) => x.kind === 'duplicate-in-batch');
  assert.deepEqual(
    f.map((x) => [x.key, x.line, x.firstLine, x.batch]),
    [['0x1', 3, 1, 'app-rx']],
  );
});

test('batches: a descriptor that went round its cycle inside one long run is not a duplicate', () => {
  // CPU 2 records nothing but these kprobes, so its run never ends; 0x100 was read, sent,
  // completed and refilled by the application in between.
  const t = trace(rcv(2, '0x100'), mark('ingress q:1 0x100 FILL -> RX'), mark('ingress q:1 0x100 RX -> FILL'), rcv(2, '0x100'));
  assert.deepEqual(analyzeLifecycles(t, afxdp).findings, []);
});

test('batches by CPU: the kernel\'s RX production until the CPU does anything else', () => {
  const t = trace(rcv(2, '0x1'), rcv(2, '0x2'), ev(2, 'iperf2-127018', 'xsk_flush', '(__xsk_map_flush+0x4e/0x180) xs=0xffffa0c6e26ab400'), rcv(2, '0x3'));
  assert.deepEqual(
    analyzeLifecycles(t, afxdp).findings.filter((x) => x.kind === 'duplicate-in-batch'),
    [],
  );
});

const skbLine = (cpu: number, event: string, addr: string, rest = ''): string => ev(cpu, 'ping-23137', event, `${event.startsWith('net') ? 'dev=ktlft-a ' : ''}skbaddr=${addr} ${rest}`.trim());

test('skb: a free ends the object; the same address is a new generation, and after a read TCP reuse is one too', () => {
  const t = trace(
    skbLine(1, 'net_dev_queue', 'aa', 'len=98'),
    skbLine(1, 'netif_rx', 'aa', 'len=84'),
    skbLine(1, 'net_dev_xmit', 'aa', 'len=98 rc=0'),
    skbLine(0, 'netif_receive_skb', 'aa', 'len=84'),
    ev(0, 'ping-23137', 'kfree_skb', 'skbaddr=aa rx_sk=0000000000000000 protocol=2048 location=ping_rcv+0xab/0xd0 reason: NO_SOCKET'),
    ev(0, 'node-1', 'skb_copy_datagram_iovec', 'skbaddr=aa len=10'),
    skbLine(0, 'net_dev_queue', 'aa', 'len=66'),
    skbLine(0, 'netif_rx', 'aa', 'len=52'),
  );
  const a = analyzeLifecycles(t, skb);
  assert.deepEqual(a.findings, []);
  assert.deepEqual(
    a.objects.map((o) => [o.key, o.generation, o.origin, skb.states[o.state], o.cpus, objectAttrs(t, a, o.id)]),
    [
      ['aa', 0, 'first-seen', 'DROPPED', [1, 0], { location: 'ping_rcv+0xab/0xd0', reason: 'NO_SOCKET', protocol: '2048' }],
      ['aa', 1, 'after-terminal', 'COPIED', [0], { len: '10' }],
      ['aa', 2, 'reused', 'RX', [0], { dev: 'ktlft-a', len: '52' }],
    ],
  );
});

test('skb: illegal moves (into a backlog twice, transmitted from a backlog)', () => {
  const t = trace(skbLine(0, 'netif_rx', 'bb'), skbLine(0, 'netif_rx', 'bb'), skbLine(0, 'net_dev_queue', 'bb'));
  assert.deepEqual(brief(analyzeLifecycles(t, skb).findings), [
    { kind: 'invalid-transition', key: 'bb', line: 2, from: 'RX', to: 'RX' },
    { kind: 'invalid-transition', key: 'bb', line: 3, from: 'RX', to: 'QUEUED' },
  ]);
});

test('gaps: no transition and no FIFO judgement across LOST events or a late CPU buffer', () => {
  const t = trace(skbLine(0, 'netif_rx', 'cc'), 'CPU:0 [LOST 12 EVENTS]', skbLine(0, 'netif_rx', 'cc'), '##### CPU 1 buffer started ####', skbLine(1, 'net_dev_queue', 'cc'));
  const a = analyzeLifecycles(t, skb);
  // No judgement; only that the skb, RX on CPU 0 when CPU 0 lost events, is incomplete there.
  assert.deepEqual(
    a.findings.map((f) => [f.kind, f.key, f.state, f.gapLine]),
    [['events-lost', 'cc', 'RX', 2]],
  );
  assert.equal(a.objects.length, 1, 'still one object: the gap hides what happened, it does not free it');
  const t2 = trace(rcv(2, '0xa'), rcv(2, '0xb'), mark('ingress q:1 0xa FILL -> RX'), 'CPU:1 [LOST 3 EVENTS]', mark('ingress q:1 0xc FILL -> RX'));
  assert.deepEqual(
    analyzeLifecycles(t2, afxdp).findings.filter((f) => f.kind !== 'events-lost'),
    [],
    'after the gap the queue is out of sync again',
  );
});

test('incomplete: only after afterNs of silence while the trace goes on, never at the end of an excerpt', () => {
  const stuck = trace(skbLine(0, 'net_dev_queue', 'dd', 'len=1'), ev(1, 'x-1', 'sched_switch', 'prev_comm=x', 2_000_000));
  assert.deepEqual(
    analyzeLifecycles(stuck, skb).findings.map((f) => [f.kind, f.key, f.state, f.idleNs, f.line]),
    [['incomplete', 'dd', 'QUEUED', 1_999_990_000, 1]],
  );
  const edge = trace(skbLine(0, 'net_dev_queue', 'dd', 'len=1'), ev(1, 'x-1', 'sched_switch', 'prev_comm=x', 500_000));
  assert.deepEqual(analyzeLifecycles(edge, skb).findings, []);
  const gap = trace(skbLine(0, 'net_dev_queue', 'dd', 'len=1'), 'CPU:0 [LOST 1 EVENTS]', ev(1, 'x-1', 'sched_switch', 'prev_comm=x', 2_000_000));
  assert.deepEqual(
    analyzeLifecycles(gap, skb).findings.map((f) => f.kind),
    ['events-lost'],
    'not incomplete: its next step may be among the lost events (which is what events-lost says)',
  );
});

test('user model: decimal keys, a transition pattern with capitalised states, a FIFO over one queue', () => {
  const json: LifecycleModelJson = {
    name: 'desc',
    states: ['Fill', 'Rx', 'Tx'],
    mappings: [{ id: 'log', event: 'tracing_mark_write', pattern: '^descriptor (?<key>\\d+) transitioned from (?<from>\\w+) to (?<to>\\w+)', keyFormat: 'decimal' }],
    transitions: ['Fill -> Rx -> Tx -> Fill', 'Rx -> Fill'],
    fifo: [{ name: 'fill', enter: { state: 'Fill' }, leave: { from: 'Fill' } }],
  };
  const t = trace(
    mark('descriptor 26476800 transitioned from Rx to Fill'),
    mark('descriptor 16 transitioned from Rx to Fill'),
    mark('descriptor 16 transitioned from Fill to Rx'), // 0x1940100 was first in: out of order
    mark('descriptor 26476800 transitioned from Fill to Tx'), // the seed's first panic
    mark('descriptor 26476800 transitioned from FILL to bogus'),
  );
  const a = analyzeLifecycles(t, compileModel(json));
  assert.deepEqual(brief(a.findings), [
    { kind: 'fifo-order', key: '0x10', line: 3, expected: '0x1940100' },
    { kind: 'invalid-transition', key: '0x1940100', line: 4, from: 'Fill', to: 'Tx' },
    // 0x1940100 was dropped from the queue as skipped at line 3; leaving later, it is not queued.
    { kind: 'fifo-order', key: '0x1940100', line: 4, expected: null },
  ]);
  assert.deepEqual(a.ignored, { noKey: 0, unknownState: 1 });
});

test('flight recorder: the last N events of every CPU up to the finding', () => {
  const t = trace(rcv(2, '0x1'), mark('a'), rcv(2, '0x2'), mark('b'), mark('c', 3), rcv(2, '0x3'), mark('d'));
  const r = flightRecorder(t, 5, 2);
  assert.deepEqual(
    r.map((x) => [x.cpu, x.events]),
    [
      [1, [1, 3]],
      [2, [2, 5]],
      [3, [4]],
    ],
  );
});

test('lane segments: each state lasts until the next step; open objects may run to the end of the trace', () => {
  const t = trace(rcv(2, '0x100'), mark('ingress q:1 0x100 FILL -> RX'), mark('egress q:1 0x100 RX -> TX'), rcv(2, '0x200'));
  const a = analyzeLifecycles(t, afxdp);
  const seg = laneSegments(a, t, [0, 1]);
  assert.deepEqual(
    [...seg.startNs].map((s, k) => [seg.object[k], afxdp.states[seg.state[k] as number], s, seg.endNs[k]]),
    [
      [0, 'RX', 0, 10_000],
      [0, 'RX', 10_000, 20_000],
      [0, 'TX', 20_000, 20_000],
      [1, 'RX', 30_000, 30_000],
    ],
  );
  const open = laneSegments(a, t, [0], 15_000, Infinity, 99_000);
  assert.deepEqual([...open.startNs, ...open.endNs], [10_000, 20_000, 20_000, 99_000]);
});

test('events lost: a live skb on the CPU that lost events is incomplete, counted in the findings (real trace_pipe fixture)', async () => {
  const { readFtraceFile } = await import('../helpers/read');
  const { LOST_SEGMENT, endsInLoss } = await import('../../src/core/analysis/lifecycle/analyze');
  const t = readFtraceFile('test/fixtures/ftrace/lost-events-pipe.trace');
  const a = analyzeLifecycles(t, skb);
  const lost = a.findings.filter((f) => f.kind === 'events-lost');
  // Every LOST line of the file (467, 572, 676, 783, 792) against the skbs whose last step was on
  // that CPU and not FREED/DROPPED: 000000004f0f044d was queued on CPU 1 at line 450 and is next
  // seen 1.5 s later (line 479) after CPU 1 lost 9258 events at line 467.
  assert.deepEqual(
    lost.map((f) => [f.key, f.state, f.line, f.cpu, f.gapLine]),
    [
      ['000000004f0f044d', 'QUEUED', 450, 1, 467],
      ['00000000b9a9ddef', 'RECEIVED', 466, 0, 572],
      ['00000000358db741', 'XMIT', 570, 1, 676],
      ['00000000f7bc738a', 'RECEIVED', 669, 0, 783],
      ['0000000019387341', 'XMIT', 675, 0, 783],
      ['000000004f0f044d', 'QUEUED', 781, 1, 792],
    ],
  );
  assert.equal(a.losses.length, lost.length);
  // Each finding sits at its loss on the timeline (its line and index stay the last step's).
  const { traceGaps } = await import('../../src/core/analysis/trace-gaps');
  const gapTs = new Map(traceGaps(t).map((g) => [g.line, g.tsNs]));
  for (const f of lost) {
    assert.equal(f.tsNs, gapTs.get(f.gapLine as number), `${f.key} drawn at the loss of line ${f.gapLine}`);
    assert.ok(f.tsNs > t.tsNs(f.eventIndex), 'after its last step');
  }
  // Its lane: QUEUED up to the loss, then "incomplete: events lost" up to the next step.
  const q = a.objects.findIndex((o) => o.key === '000000004f0f044d' && o.firstEvent <= t.length && t.line(o.firstEvent) === 450);
  assert.ok(q >= 0);
  const seg = laneSegments(a, t, [q]);
  const states = Array.from(seg.state);
  const k = states.indexOf(LOST_SEGMENT);
  assert.ok(k > 0, 'a lost segment');
  assert.equal(seg.gapLine[k], 467);
  assert.equal(seg.endNs[k - 1], seg.startNs[k], 'the state ends where the loss is');
  // It was seen again after the loss (line 479 on), so it does not end in it; 00000000358db741 (XMIT at 570, CPU 1 lost at 676, never seen again) does.
  assert.equal(endsInLoss(a, t, q), false);
  const x = a.objects.findIndex((o) => o.key === '00000000358db741' && t.line(o.lastEvent) === 570);
  assert.equal(endsInLoss(a, t, x), true);
});

test('events lost: a freed skb, or one on another CPU, does not cross the loss', () => {
  const t = trace(skbLine(0, 'consume_skb', 'aa'), skbLine(1, 'net_dev_queue', 'bb'), 'CPU:0 [LOST 5 EVENTS]', skbLine(0, 'netif_rx', 'cc'));
  const a = analyzeLifecycles(t, skb);
  assert.deepEqual(a.findings.filter((f) => f.kind === 'events-lost'), []);
  const t2 = trace(skbLine(0, 'net_dev_queue', 'bb'), 'CPU:0 [LOST 5 EVENTS]', skbLine(1, 'netif_rx', 'cc'));
  assert.deepEqual(
    analyzeLifecycles(t2, skb).findings.map((f) => [f.kind, f.key, f.state]),
    [['events-lost', 'bb', 'QUEUED']],
  );
});
