// The worker's queries over a real trace: summary counts and filtered pages, checked against
// an independent pass over the same trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceService } from '../../src/worker/trace-service';
import { loadTraceFile } from '../../src/core/io/file-source';

const FILE = 'test/fixtures/ftrace/veth-ping-tgid.trace';

test('summary and filtered pages agree with a direct pass over the trace', async () => {
  const svc = await TraceService.open(FILE);
  const trace = await loadTraceFile(FILE);
  try {
    const s = svc.summary('veth-ping-tgid.trace');
    assert.equal(s.events, trace.length);
    assert.equal(s.eventCounts.reduce((a, e) => a + e.count, 0), trace.length);

    const expect = (keep: (i: number) => boolean): number[] => {
      const out: number[] = [];
      for (let i = 0; i < trace.length; i++) if (keep(i)) out.push(i);
      return out;
    };
    const check = (filter: Parameters<TraceService['rows']>[2], keep: (i: number) => boolean): void => {
      const want = expect(keep);
      const got = svc.rows(0, 5000, filter);
      assert.equal(got.total, want.length, JSON.stringify(filter));
      assert.deepEqual(got.rows.map((r) => r.index), want.slice(0, 5000));
    };
    check({ events: ['sched_switch'] }, (i) => trace.event(i) === 'sched_switch');
    check({ cpus: [1] }, (i) => trace.cpu(i) === 1);
    check({ task: 'PING' }, (i) => trace.comm(i).toLowerCase().includes('ping'));
    const pid = trace.pid(trace.length - 1);
    check({ task: String(pid) }, (i) => trace.pid(i) === pid || trace.tgid(i) === pid || trace.comm(i).includes(String(pid)));
    check({ text: 'SKBADDR=' }, (i) => trace.payloadText(i).toLowerCase().includes('skbaddr='));
    check({ events: ['net_dev_xmit', 'netif_rx'], cpus: [0], text: 'len=' }, (i) =>
      ['net_dev_xmit', 'netif_rx'].includes(trace.event(i)) && trace.cpu(i) === 0 && trace.payloadText(i).includes('len='));

    // Pages: a window in the middle, and past the end.
    const all = svc.rows(0, 5000, {});
    const mid = svc.rows(100, 50, {});
    assert.deepEqual(mid.rows, all.rows.slice(100, 150));
    assert.deepEqual(svc.rows(trace.length + 10, 10, {}).rows, []);
    const row = all.rows[0];
    assert.ok(row);
    assert.equal(row.text, trace.payloadText(0));
    assert.equal(row.tgid, trace.tgid(0) >= 0 ? trace.tgid(0) : null);
  } finally {
    svc.dispose();
    trace.close();
  }
});

test('cancelling a load keeps the events read so far and says where it stopped', async () => {
  const abort = new AbortController();
  abort.abort();
  const t = await loadTraceFile(FILE, { signal: abort.signal });
  assert.equal(t.length, 0);
  assert.match(t.issues.at(-1)?.message ?? '', /reading cancelled at byte offset 0 of \d+/);
  t.close();
});

test('a file that is not a trace is refused with the reason', async () => {
  await assert.rejects(loadTraceFile('package.json'), /not a recognised trace in the first \d+ bytes: .*ftrace: no ftrace event lines \(line 1: /);
  await assert.rejects(loadTraceFile('test/fixtures/models'), /EISDIR/);
});
