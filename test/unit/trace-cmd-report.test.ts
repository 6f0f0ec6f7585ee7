// trace-cmd report text, one line shape at a time (shapes from trace-cmd-report(1) and the
// real captures in test/fixtures/trace-cmd-report/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { TraceCmdReportReader } from '../../src/core/formats/trace-cmd-report/reader';
import { eventJson } from '../../src/core/formats/decode';
import { detectBytes, readWith } from '../helpers/text-formats';
import { corpusPath, corpusSkip } from '../helpers/third-party';

const read = (text: string, chunk?: number) => readWith(() => new TraceCmdReportReader(), text, chunk);
const enc = (s: string) => new TextEncoder().encode(s);

test('preamble: version, cpus=N and "CPU N is empty" are read, not reported', () => {
  const r = new TraceCmdReportReader();
  r.push(enc('version = 6\nCPU 3 is empty\nCPU 4 is empty\ncpus=6\n              ls-4734  [002] 106439.675591: sched_switch:          prev_comm=trace-cmd prev_pid=4734\n'));
  const t = r.finish(null);
  assert.equal(t.meta.format, 'trace-cmd-report');
  assert.equal(t.meta.onlineCpus, 6);
  assert.deepEqual(r.emptyCpus, [3, 4]);
  assert.equal(t.length, 1);
  assert.equal(t.issueCount, 0);
  assert.equal(t.cpu(0), 2);
  assert.equal(t.line(0), 5);
});

test('buffer prefix: `instance: ` before the line is not part of the comm; the record starts after it', () => {
  const line = 'ktl-text-fixtures:             ping-30608 [000]  2537.042512: net_dev_queue:        dev=lo skbaddr=0xffff888108914700 len=98\n';
  const t = read(`cpus=2\n${line}`);
  assert.equal(t.length, 1);
  assert.equal(t.comm(0), 'ping');
  assert.equal(t.pid(0), 30608);
  assert.equal(t.event(0), 'net_dev_queue');
  assert.ok(t.recordText(0).startsWith('ping-30608 [000]'));
  assert.deepEqual(eventJson(t, 0).fields, { dev: 'lo', skbaddr: '0xffff888108914700', len: '98' });
});

test('-l latency columns with a seconds timestamp: CPU, flags, time, 8-char comm', () => {
  const t = read('cpus=2\nktl-text-fixtures: rcu_exp_-17      1d..4.  2647.891450: sched_wakeup:         ip:456 [120] CPU:001\n  <idle>-0       0d.h1. 2647.891460: irq_handler_entry:    irq=36 name=virtio1-req.0\n');
  assert.equal(t.length, 2);
  assert.equal(t.issueCount, 0);
  assert.equal(t.comm(0), 'rcu_exp_');
  assert.equal(t.pid(0), 17);
  assert.equal(t.cpu(0), 1);
  assert.equal(t.flags(0), 'd..4.');
  assert.equal(t.tsNs(1), 10_000);
  assert.deepEqual(eventJson(t, 0).fields, { comm: 'ip', pid: '456', prio: '120', target_cpu: '001' });
  assert.equal(t.flags(1), 'd.h1.');
});

test('-t nanosecond timestamps stay exact; -R raw fields decode as key=value', () => {
  const t = read('cpus=2\n         chromium-30559 [001]  2537.033741029: sched_switch:          prev_comm=chromium prev_pid=30559 prev_prio=125 prev_state=0 next_comm=swapper/1 next_pid=0 next_prio=120\n            bash-30603 [000]  2537.033807500: sched_switch:         bash:30603 [120] S ==> chromium:30247 [120]\n');
  assert.equal(t.tsNs(1), 66_471);
  assert.equal(t.originNs, 2537033741029n);
  assert.equal(eventJson(t, 0).fields.prev_state, '0');
  assert.deepEqual(eventJson(t, 1).fields, { prev_comm: 'bash', prev_pid: '30603', prev_prio: '120', prev_state: 'S', next_comm: 'chromium', next_pid: '30247', next_prio: '120' });
});

test('dropped events: `CPU:N [M EVENTS DROPPED]` becomes a lost-events record', () => {
  const t = read('cpus=2\n            bash-1 [000]  1.000001: sched_switch:         a:1 [120] S ==> b:2 [120]\nCPU:1 [57 EVENTS DROPPED]\n            bash-1 [001]  1.000002: sched_switch:         a:1 [120] S ==> b:2 [120]\nCPU:0 [EVENTS DROPPED]\n');
  assert.deepEqual(
    t.lost.map((l) => [l.cpu, l.count, l.line, l.beforeEvent]),
    [
      [1, 57, 3, 1],
      [0, null, 5, 2],
    ],
  );
});

test('a line that is neither preamble nor event is an issue with its line number; reading goes on', () => {
  const t = read('cpus=1\n            bash-1 [000]  1.000001: sched_switch:         a:1 [120] S ==> b:2 [120]\nAverage wakeup latency: 12 usecs\n            bash-1 [000]  1.000002: sched_switch:         a:1 [120] S ==> b:2 [120]\n', 3);
  assert.equal(t.length, 2);
  assert.equal(t.issues[0]?.line, 3);
});

test('detection: trace-cmd report text needs a trace-cmd mark; every ftrace fixture stays ftrace', () => {
  assert.equal(detectBytes(enc('cpus=2\n            bash-1 [000]  1.000001: sched_switch: prev_comm=a\n')), 'trace-cmd-report');
  assert.equal(detectBytes(enc('            bash-1 [000]  1.000001: sched_switch:         prev_comm=a\n            bash-1 [000]  1.000002: sched_wakeup:         comm=a\n')), 'trace-cmd-report');
  assert.equal(detectBytes(enc('            bash-1 [000]  1.000001: sched_switch: prev_comm=a\n')), 'ftrace');
  for (const f of readdirSync('test/fixtures/ftrace')) {
    assert.equal(detectBytes(new Uint8Array(readFileSync(`test/fixtures/ftrace/${f}`))), 'ftrace', f);
  }
});

// Third-party ftrace files, read in place from the shared corpus.
const CORPUS_FTRACE = ['ftrace/langraph-ftrace-tgid-5char-lstripped.log', 'trace-cmd/trappy-trace_no_trailing_line.txt'];
test('detection: the shared corpus\'s ftrace files without a trace-cmd mark stay ftrace', { skip: corpusSkip(...CORPUS_FTRACE) }, () => {
  for (const f of CORPUS_FTRACE) {
    assert.equal(detectBytes(new Uint8Array(readFileSync(corpusPath(f)))), 'ftrace', f);
  }
});

test('the buffer name of each event is kept in the `buffer` extra column', () => {
  const t = read('cpus=2\nnet: ping-1 [000] 1.000001: net_dev_xmit:         dev=lo len=1 rc=0\n            bash-2 [001] 1.000002: sched_switch:         a:1 [120] S ==> b:2 [120]\n');
  const col = t.extra('buffer');
  assert.deepEqual([t.strings.get(col?.get(0) ?? -1), t.strings.get(col?.get(1) ?? -1)], ['net', '']);
});
