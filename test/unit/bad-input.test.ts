// Bad input never throws out of the reader: it yields a clear issue or a partial result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFtrace } from '../helpers/read';
import { detectFormat } from '../../src/core/formats/detect';

const GOOD = '          iperf2-127018  [002] d.Z1. 542812.657026: __xsk_rcv_zc_L7: (__xsk_rcv_zc+0x9b/0x250) addr=0x16ce900 len=0x4e\n';

test('empty input: no events, no issues; detection says the file is empty', () => {
  const t = readFtrace('');
  assert.equal(t.length, 0);
  assert.equal(t.issueCount, 0);
  assert.deepEqual(detectFormat(new Uint8Array(0), 0), { ok: false, reason: 'the file is empty' });
});

test('truncated last line: the complete events are kept, the cut line is an issue with its line number', () => {
  const text = GOOD.repeat(3) + GOOD.slice(0, 30);
  for (const chunk of [1, 7, 4096]) {
    const t = readFtrace(text, chunk);
    assert.equal(t.length, 3);
    assert.equal(t.issueCount, 1);
    assert.equal(t.issues[0]?.line, 4);
    assert.equal(t.issues[0]?.offset, GOOD.length * 3);
    assert.match(t.issues[0]?.message ?? '', /^last line is cut short \(no newline at end of file\)/);
  }
});

test('binary garbage: detection refuses it naming the offset; the reader records issues without throwing', () => {
  // Deterministic pseudo-random bytes (xorshift), with NULs.
  const bytes = new Uint8Array(1 << 16);
  let x = 0x2545f491;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  const d = detectFormat(bytes, bytes.length);
  assert.equal(d.ok, false);
  assert.match(d.ok ? '' : d.reason, /binary data at byte offset \d+/);
  const t = readFtrace(bytes, 4096);
  assert.equal(t.length, 0);
  assert.ok(t.issueCount > 0);
});

test('garbage in the middle of a trace: events before and after it are kept', () => {
  const junk = new Uint8Array([0x00, 0xff, 0xfe, 0x0a, 0x41, 0x00, 0x0a]);
  const good = new TextEncoder().encode(GOOD);
  const all = new Uint8Array(good.length * 2 + junk.length);
  all.set(good, 0);
  all.set(junk, good.length);
  all.set(good, good.length + junk.length);
  const t = readFtrace(all, 7);
  assert.equal(t.length, 2);
  assert.equal(t.issueCount, 2);
  assert.deepEqual(t.issues.map((i) => i.line), [2, 3]);
  assert.match(t.issues[0]?.message ?? '', /NUL byte/);
});

test('a 10 MB single line is skipped with an issue, without buffering it, and the next event is read', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const t = readFtrace(`${GOOD}${big}\n${GOOD}`, 1 << 16);
  assert.equal(t.length, 2);
  assert.equal(t.issueCount, 1);
  assert.equal(t.issues[0]?.line, 2);
  assert.match(t.issues[0]?.message ?? '', /longer than 1048576 bytes/);
  assert.equal(t.line(1), 3);
});

test('text that is not a trace is refused by detection with the first offending line', () => {
  const d = detectFormat(new TextEncoder().encode('hello\nworld\n'), 12);
  assert.equal(d.ok, false);
  assert.match(d.ok ? '' : d.reason, /line 1: not an ftrace event line/);
});
