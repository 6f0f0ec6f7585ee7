// printf-style probe output: key=value lines and user patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrintfReader } from '../../src/core/formats/printf/reader';
import type { PrintfOptions } from '../../src/core/formats/printf/options';
import { eventJson } from '../../src/core/formats/decode';
import { detectBytes, readWith } from '../helpers/text-formats';
import { detectFormat } from '../../src/core/formats/detect';
import { parseReaderOptions } from '../../src/core/config/workspace-config';
import { ModelError } from '../../src/core/config/kernel-trace-json';

const read = (text: string, opts: PrintfOptions = {}, chunk?: number) => readWith(() => new PrintfReader(opts), text, chunk);

test('bpftrace key=value line: event word first, ts/cpu/pid/comm keys fill the columns', () => {
  const t = read('Attaching 2 probes...\ntracepoint:net:net_dev_xmit ts=2661812115102 cpu=1 pid=815 comm=ping dev=ktltx-a skbaddr=0xffff888110810a00 len=42\n');
  assert.equal(t.length, 1);
  assert.equal(t.event(0), 'tracepoint:net:net_dev_xmit');
  assert.equal(t.cpu(0), 1);
  assert.equal(t.pid(0), 815);
  assert.equal(t.comm(0), 'ping');
  assert.equal(t.originNs, 2661812115102n);
  assert.equal(eventJson(t, 0).fields.len, '42');
  assert.equal(t.issues[0]?.line, 1);
});

test('leading times: HH:MM:SS.frac and sec.frac; values with spaces; no event word', () => {
  const t = read('12:00:01.5 full: queue=macvtap0 reason=queue full\n12:00:02.000 key=1\n');
  assert.equal(t.event(0), 'full');
  assert.equal(eventJson(t, 0).fields.reason, 'queue full');
  assert.equal(t.tsNs(1), 500_000_000);
  assert.equal(t.event(1), 'printf');
  const u = read('100.25 event=drop skb=0x1\n100.5 event=drop skb=0x2\n');
  assert.equal(u.event(0), 'drop');
  assert.equal(u.tsNs(1), 250_000_000);
});

test('bpf_printk lines from trace_pipe: the ftrace prefix gives comm, pid, cpu, time', () => {
  const t = read('          <idle>-0       [001] d.s3.  2661.812115: bpf_trace_printk: dev=veth0 len=98\n');
  assert.equal(t.comm(0), '<idle>');
  assert.equal(t.cpu(0), 1);
  assert.equal(t.event(0), 'bpf_trace_printk');
  assert.deepEqual(eventJson(t, 0).fields, { dev: 'veth0', len: '98' });
});

test('user pattern: named groups fill columns and fields; tsUnit; non-matching lines are issues', () => {
  const opts: PrintfOptions = { pattern: '^(?<ts>\\d+) (?<cpu>\\d+) (?<comm>\\S+) (?<event>\\w+) (?<dev>\\S+)$', tsUnit: 'us' };
  for (const chunk of [1, 1 << 20]) {
    const t = read('TIME CPU COMM EVENT DEV\n1000 0 ping xmit veth0\n1500 1 ping recv veth1\n', opts, chunk);
    assert.equal(t.length, 2);
    assert.equal(t.tsNs(1), 500_000);
    assert.equal(t.cpu(1), 1);
    assert.equal(t.event(1), 'recv');
    assert.deepEqual(eventJson(t, 1).fields, { dev: 'veth1' });
    assert.deepEqual(
      t.issues.map((i) => i.line),
      [1],
    );
  }
});

test('SystemTap-style bare messages need a pattern (seed 002 printed `full` per drop)', () => {
  const t = read('full\nfull\n', { pattern: '^(?<event>full)$' });
  assert.equal(t.length, 2);
  assert.equal(read('full\nfull\n').length, 0);
});

test('an invalid pattern is an issue, not an exception; key=value lines are read instead', () => {
  const t = read('a=1\n', { pattern: '(?<ts' });
  assert.equal(t.length, 1);
  assert.match(t.issues[0]?.message ?? '', /invalid printf pattern/);
});

test('detection: key=value lines are printf; prose and tables are not', () => {
  assert.equal(detectBytes(new TextEncoder().encode('probe ts=1 len=2\nprobe ts=2 len=3\n')), 'printf');
  assert.notEqual(detectBytes(new TextEncoder().encode('hello\nworld\n')), 'printf');
});

test('user pattern first, key=value for the lines it does not match (mixed bpftrace output)', () => {
  const opts: PrintfOptions = { pattern: '^(?<ts>\\d+) (?<event>\\w+) (?<dev>\\S+)$', tsUnit: 'us' };
  for (const chunk of [1, 3, 1 << 20]) {
    const t = read('TIME EVENT DEV\n1000 xmit veth0\ndrop ts=2000 reason=NOT_SPECIFIED\n3000 recv veth1\n', opts, chunk);
    assert.deepEqual([t.event(0), t.event(1), t.event(2)], ['xmit', 'drop', 'recv']);
    assert.deepEqual(eventJson(t, 0).fields, { dev: 'veth0' });
    // The key=value line keeps its key=value fields: decoding re-derives which shape it had.
    assert.deepEqual(eventJson(t, 1).fields, { ts: '2000', reason: 'NOT_SPECIFIED' });
    assert.equal(t.tsNs(1), 1_000_000);
    assert.deepEqual(
      t.issues.map((i) => [i.line, i.message.slice(0, 52)]),
      [[1, 'neither matches the printf pattern nor has key=value']],
    );
  }
});

test('detection with a user pattern: column output is printf only with the pattern, and says why not without', () => {
  const columns = new TextEncoder().encode('TIME(us) CPU COMM EVENT\n1000 0 ping xmit\n1500 1 ping recv\n2000 1 ping recv\n');
  assert.match(detectBytes(columns), /^not detected: .*printf: no key=value lines$/);
  const re = detectFormat(columns, columns.length, { printf: { pattern: '^(?<ts>\\d+) (?<cpu>\\d+) (?<comm>\\S+) (?<event>\\w+)$' } });
  assert.deepEqual(re, { ok: true, format: 'printf' });
  const miss = detectFormat(columns, columns.length, { printf: { pattern: '^never$' } });
  assert.equal(miss.ok, false);
  assert.match(miss.ok ? '' : miss.reason, /printf: no lines matching the printf pattern or with key=value pairs/);
});

test('kernel-trace.json reader options: valid, and every problem named by its JSON path', () => {
  assert.deepEqual(parseReaderOptions('{"printf": {"pattern": "^(?<event>\\\\w+)$", "tsUnit": "us"}}'), { printf: { pattern: '^(?<event>\\w+)$', tsUnit: 'us' } });
  assert.deepEqual(parseReaderOptions('{}'), {});
  const problems = (text: string): string => {
    try {
      parseReaderOptions(text, 'ws/.vscode/kernel-trace.json');
    } catch (err) {
      assert.ok(err instanceof ModelError);
      return err.message;
    }
    return assert.fail('accepted');
  };
  assert.match(problems('{"printf": {"pattern": "(?<x"}}'), /ws\/\.vscode\/kernel-trace\.json: 1 problem:\n {2}printf\.pattern: invalid printf pattern: not a regular expression RE2 can run: invalid named capture/);
  // Valid for JavaScript, but not linear-time: refused, named by the JSON path.
  assert.match(problems('{"printf": {"pattern": "^(?<a>x+)\\\\1$"}}'), /\n {2}printf\.pattern: invalid printf pattern: not a regular expression RE2 can run: invalid escape sequence: `\\1` \(backreferences cannot be matched in linear time/);
  assert.match(problems('{"printf": {"pattern": "^(?<a>\\\\w+)(?=;)"}}'), /\n {2}printf\.pattern: invalid printf pattern: not a regular expression RE2 can run: .*\(lookaround cannot be matched in linear time/);
  assert.match(problems('{"printf": {"pattern": "x", "tsUnit": "min", "flags": "g"}}'), /printf\.tsUnit: .*\n {2}printf\.flags: /s);
  assert.match(problems('{"printf": {}}'), /printf: missing required property "pattern"/);
  assert.match(problems('{"printf": '), /\(top level\): not valid JSON/);
});

test('printf lines without any time: timeSource none; one timed line is enough for timestamps', () => {
  assert.equal(read('probe a=1\nprobe a=2\n').meta.timeSource, 'none');
  assert.equal(read('probe ts=5 a=1\nprobe a=2\n').meta.timeSource, 'timestamps');
});
