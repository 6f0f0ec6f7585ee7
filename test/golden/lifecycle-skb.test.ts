// The built-in skb model over every capture made on this machine (test/fixtures/ftrace,
// kernel 6.18): no finding but events-lost (every transition the kernel produced is a legal one,
// gaps from LOST events and late-starting CPU buffers are not judged, nothing is stuck; an skb
// alive on a CPU that lost events is reported as incomplete), the drop
// reasons read from kfree_skb, and skb lifecycles that cross CPUs (lifecycle-veth-rps.trace:
// RPS puts each veth's receive work on the other CPU).
// Snapshots: test/golden/snapshots/lifecycle-<fixture>.skb.json hold the counts, the
// transitions and the lifecycles of the skbs that went through a device (3+ steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readFtraceFile } from '../helpers/read';
import { loadTraceFile } from '../../src/core/io/file-source';
import { analyzeLifecycles } from '../../src/core/analysis/lifecycle/analyze';
import { lifecycleJson, type LifecycleJson } from '../../src/core/analysis/lifecycle/json';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import { checkSnapshot, runKtl } from '../helpers/lifecycle-golden';

const skb = builtinModel('skb');
assert.ok(skb);
const CAPTURES = readdirSync('test/fixtures/ftrace')
  .filter((f) => f.endsWith('.trace') && !f.startsWith('seed004-'))
  .sort()
  .map((f) => join('test/fixtures/ftrace', f));
const RPS = 'test/fixtures/ftrace/lifecycle-veth-rps.trace';

function analyze(file: string): LifecycleJson {
  const t = readFtraceFile(file);
  return lifecycleJson(t, analyzeLifecycles(t, skb as NonNullable<typeof skb>));
}

function dropReasons(j: LifecycleJson): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of j.objects) {
    if (o.state !== 'DROPPED') continue;
    const r = o.attrs?.reason ?? '(none)';
    out[r] = (out[r] ?? 0) + 1;
  }
  return out;
}

for (const file of CAPTURES) {
  const name = basename(file);
  test(`skb lifecycles: ${name} has no finding (but lanes crossing a loss) and only legal transitions`, () => {
    const j = analyze(file);
    assert.deepEqual(
      j.findings.filter((f) => f.kind !== 'events-lost'),
      [],
    );
    assert.deepEqual(
      j.transitions.filter((t) => t.legal === false),
      [],
    );
    assert.deepEqual(j.ignored, { noKey: 0, unknownState: 0 });
    checkSnapshot(`lifecycle-${name}.skb.json`, {
      ...j,
      dropReasons: dropReasons(j),
      objects: j.objects.filter((o) => o.steps >= 3),
    });
  });
}

test('skb lifecycles: every kfree_skb becomes a DROPPED object with its reason', () => {
  // The counts of `reason: X` in each file (grep -o 'reason: [A-Z_]*' FILE | sort | uniq -c).
  const expected: Record<string, Record<string, number>> = {
    'veth-ping.trace': { NO_SOCKET: 5, IP_INNOROUTES: 2 },
    'lost-events-pipe.trace': { NO_SOCKET: 16 },
    'overrun-buffer-started.trace': { NO_SOCKET: 24 },
    'lifecycle-veth-rps.trace': { NO_SOCKET: 5, NOT_SPECIFIED: 3, QUEUE_PURGE: 1 },
  };
  for (const [name, reasons] of Object.entries(expected)) assert.deepEqual(dropReasons(analyze(join('test/fixtures/ftrace', name))), reasons, name);
});

test('skb lifecycles: an echo request crosses CPUs (queued on CPU 0, received and freed on CPU 1), its reply dropped on CPU 0', () => {
  const j = analyze(RPS);
  const path = (o: LifecycleJson['objects'][number]): string => (o.history ?? []).map((s) => `${s.state}@${s.cpu}`).join(' ');
  const icmp = j.objects.find((o) => o.attrs?.location === 'icmp_rcv+0x259/0x3c0');
  assert.ok(icmp, 'an echo request consumed by icmp_rcv');
  assert.equal(path(icmp), 'QUEUED@0 RX@0 XMIT@0 RECEIVED@1 FREED@1');
  assert.deepEqual(
    (icmp.history ?? []).map((s) => s.attrs?.dev ?? null),
    ['ktllc-a', 'ktllc-b', 'ktllc-a', 'ktllc-b', null],
  );
  const drops = j.objects.filter((o) => o.attrs?.reason === 'NO_SOCKET');
  assert.equal(drops.length, 5, 'the five echo replies, dropped by ping_rcv (ping reads them on its raw socket)');
  for (const d of drops) assert.equal(path(d), 'QUEUED@1 RX@1 XMIT@1 RECEIVED@0 DROPPED@0', `${d.key} #${d.generation}`);
  const crossing = j.objects.filter((o) => o.cpus.length > 1);
  assert.ok(crossing.length >= 30, `${crossing.length} skbs crossed CPUs`);
});

test('skb lifecycles: TCP data is read on one CPU and freed (deferred) on the other; an address freed silently by TCP is a new skb, not an invalid transition', () => {
  const j = analyze(RPS);
  const path = (o: LifecycleJson['objects'][number]): string => (o.history ?? []).map((s) => `${s.state}@${s.cpu}:${s.comm}`).join(' ');
  const data = j.objects.filter((o) => (o.history ?? []).some((s) => s.state === 'COPIED' && s.comm === 'python3'));
  assert.ok(data.length >= 3, 'the echo server read the three messages');
  assert.ok(
    data.some((o) => /^QUEUED@0:bash RX@0:bash XMIT@0:bash RECEIVED@1:\S+ COPIED@1:python3 FREED@0:/.test(path(o))),
    data.map(path).join('\n'),
  );
  const reused = j.objects.filter((o) => o.origin === 'reused');
  assert.deepEqual(
    reused.map((o) => [o.key, (o.history ?? [])[0]?.line, (o.history ?? [])[0]?.comm]),
    [['000000008665c282', 1216, 'python3']],
  );
  const before = j.objects.find((o) => o.key === '000000008665c282' && o.generation === (reused[0]?.generation ?? 0) - 1);
  assert.equal(before?.state, 'COPIED', 'read by Chrome over loopback TCP, then freed without a tracepoint');
});

test('ktl lifecycle --model skb --summary --json has no histories', () => {
  const j = JSON.parse(runKtl(['lifecycle', 'test/fixtures/ftrace/veth-ping.trace', '--model', 'skb', '--summary', '--json'])) as LifecycleJson;
  assert.equal(j.objects.length, j.objectCount);
  assert.ok(j.objects.every((o) => o.history === undefined));
  assert.deepEqual(j.findings, []);
});

test('skb lifecycles from other readers: perf script (`net:net_dev_queue` names) and trace-cmd report', async () => {
  for (const [file, objects, steps] of [
    ['test/fixtures/perf/net-ping.perf', 5, 32],
    ['test/fixtures/trace-cmd-report/veth-ping.report', 16, 51],
  ] as const) {
    const t = await loadTraceFile(file);
    try {
      const j = lifecycleJson(t, analyzeLifecycles(t, skb as NonNullable<typeof skb>), { history: false });
      assert.deepEqual([j.objectCount, j.stepCount, j.findings.length], [objects, steps, 0], file);
      assert.deepEqual(
        j.transitions.filter((x) => x.legal === false),
        [],
      );
    } finally {
      t.close();
    }
  }
});
