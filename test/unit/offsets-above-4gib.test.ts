// Byte offsets past 2^32 (issue 17: 10 GB traces), without a 10 GB file: a sparse file whose
// bytes sit above 4 GiB, read back through FileByteSource and through a Trace whose records
// point there. An offset kept in a 32-bit integer anywhere on that path (a Uint32 column,
// `| 0`, `>>> 0`) would read the bytes at the offset mod 2^32 instead: zeros here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileByteSource } from '../../src/core/io/file-source';
import { TraceBuilder, newEventRecord } from '../../src/core/trace/trace';
import { relNs } from '../../src/core/trace/time';
import { BLOCK_SIZE } from '../../src/core/trace/columns';
import { mergeTraceParts, tracePart } from '../../src/core/trace/trace-part';

const GiB4 = 2 ** 32;
const BLOCK = BLOCK_SIZE;
const LINE = '          ping-4242    [001] d..2.  1234.000001: sched_switch: prev_comm=ping prev_pid=4242 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120';

/** A sparse file of 4 GiB + 1 MiB with `text` written at each offset; null where the file system has no sparse files. */
function sparseFile(dir: string, at: readonly [number, string][]): string | null {
  const path = join(dir, 'big.trace');
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, GiB4 + 2 ** 20);
    for (const [offset, text] of at) writeSync(fd, Buffer.from(text), 0, Buffer.byteLength(text), offset);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
  return path;
}

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

test('FileByteSource reads at offsets above 2^32, across 2^32, at random and in sequence', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-4gib-'));
  try {
    const path = sparseFile(dir, [
      [GiB4 - 4, 'ACROSS4GiB'],
      [GiB4 + 123_456, 'HIGH'],
      [GiB4 + 123_456 + 300_000, 'NEXT'],
      [100, 'LOW'],
    ]);
    if (!path) return t.skip('no sparse files on this file system');
    const src = new FileByteSource(path);
    try {
      assert.equal(src.size, GiB4 + 2 ** 20);
      assert.equal(text(src.read(GiB4 + 123_456, 4)), 'HIGH');
      // Far from the last window (a random read), then near it (a sequential one), then low again.
      assert.equal(text(src.read(GiB4 + 123_456 + 300_000, 4)), 'NEXT');
      assert.equal(text(src.read(GiB4 - 4, 10)), 'ACROSS4GiB');
      assert.equal(text(src.read(GiB4 - 2, 4)), 'ROSS');
      assert.equal(text(src.read(100, 3)), 'LOW');
      // Clipped at the end of the file.
      assert.equal(src.read(GiB4 + 2 ** 20 - 2, 10).length, 2);
    } finally {
      src.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trace whose records lie above 4 GiB gives their text and exact offsets back', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-4gib-'));
  try {
    const at = GiB4 + 4096 + 17;
    const path = sparseFile(dir, [[at, `${LINE}\n`]]);
    if (!path) return t.skip('no sparse files on this file system');
    const b = new TraceBuilder('ftrace');
    const r = newEventRecord();
    r.tsNs = relNs(0);
    r.line = 2;
    r.recOffset = at;
    r.recLength = LINE.length;
    r.payloadStart = LINE.indexOf('prev_comm');
    b.push(r);
    const trace = b.finish(new FileByteSource(path));
    try {
      assert.equal(trace.record(0).offset, at);
      assert.equal(trace.recordText(0), LINE);
      assert.match(trace.payloadText(0), /^prev_comm=ping prev_pid=4242 /);
    } finally {
      trace.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('line numbers past 2^32 (a file of more than 4 Gi lines) stay exact, within and across blocks', () => {
  const b = new TraceBuilder('ftrace');
  const r = newEventRecord();
  const lines: number[] = [];
  // Block 0: ordinary lines, then a jump of more than 2^32 lines inside the block; block 1
  // starts past 2^32 and jumps again; a line before its block's first (never from a reader,
  // but the column must not wrap either).
  for (let i = 0; i < BLOCK + 10; i++) {
    const line = i < 5 ? i + 1 : i < BLOCK ? GiB4 + i * 3 : 3 * GiB4 + i;
    lines.push(line);
  }
  lines.push(7);
  for (const line of lines) {
    r.line = line;
    b.push(r);
  }
  const trace = b.finish(null);
  for (let i = 0; i < lines.length; i++) {
    if (trace.line(i) !== lines[i]) assert.fail(`event ${i}: line ${trace.line(i)}, expected ${lines[i]}`);
  }
});

test('a record extended past 4 GiB of continuation lines keeps its length below 2^32, not wrapped', () => {
  const b = new TraceBuilder('ftrace');
  const r = newEventRecord();
  r.recOffset = 100;
  r.recLength = 50;
  b.push(r);
  b.extendLast(100 + 3000);
  b.extendLast(100 + GiB4 + 10); // would wrap to 10
  const trace = b.finish(null);
  assert.equal(trace.record(0).length, 3000);
});

test('parts read from ranges past 2^32 lines merge with exact line numbers (parallel reading)', () => {
  const part = (lines: readonly number[], rangeLines: number) => {
    const b = new TraceBuilder('ftrace');
    const r = newEventRecord();
    for (const line of lines) {
      r.line = line;
      b.push(r);
    }
    return tracePart(b.finish(null), rangeLines, false, null).part;
  };
  // The first range holds 2^32 + 7 lines (its events near its end); the second counts from 1.
  const first = part([3, GiB4 + 2, GiB4 + 6], GiB4 + 7);
  const second = part([1, 2, 9], 10);
  const merged = mergeTraceParts([first, second], null);
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((i) => merged.line(i)),
    [3, GiB4 + 2, GiB4 + 6, GiB4 + 8, GiB4 + 9, GiB4 + 16],
  );
});
