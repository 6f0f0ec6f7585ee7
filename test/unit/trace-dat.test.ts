// Unit tests for the trace.dat reader: the kernel's own text of the same ring buffers as a second
// witness (flags, pids, CPUs, times, rendered text, stack frames), bad lengths and offsets
// reported with their offsets, stop(), detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { TraceDatReader, irqInfo } from '../../src/core/formats/trace-dat/reader';
import { detectFormat } from '../../src/core/formats/detect';
import { decodeEvent } from '../../src/core/formats/decode';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { Trace } from '../../src/core/trace/trace';
import { readFtrace } from '../helpers/read';
import { readDat } from '../helpers/trace-dat';

const DIR = 'test/fixtures/trace-dat';
const load = (name: string) => new Uint8Array(readFileSync(`${DIR}/${name}`));

/** Kernel print of a timestamp: microseconds, rounded (ns2usecs adds 500). */
function usecs(t: Trace, i: number): bigint {
  return (t.originNs + BigInt(t.tsNs(i)) + 500n) / 1000n;
}

/**
 * Where the kernel's vsprintf and libtraceevent (whose text we follow, see the golden tests)
 * print the same value differently: %p (the kernel hashes pointers: `000000008e3ccced`), %#x of
 * 0 (kernel `0x0`, glibc `0`), %pS (kernel `sym+0x5c/0x110`, libtraceevent `sym+0x5c`).
 */
const normalize = (s: string) =>
  s
    .replace(/\b(0x)?[0-9a-f]{16}\b/g, 'PTR')
    .replace(/\(nil\)/g, 'PTR')
    .replace(/\b0x0\b/g, '0')
    .replace(/(\+0x[0-9a-f]+)\/0x[0-9a-f]+/g, '$1');

for (const base of ['veth-ping', 'lost-events', 'stacktrace']) {
  test(`trace.dat ${base}: the kernel's own text of the same buffer agrees (cpu, pid, flags, µs time, text, stacks)`, () => {
    const dat = readDat(load(`${base}.v7-zstd.dat`));
    const text = readFtrace(gunzipSync(readFileSync(`${DIR}/${base}.kernel.txt.gz`)));
    assert.equal(dat.length, text.length, 'same events');
    let compared = 0;
    for (let i = 0; i < dat.length; i++) {
      const where = `event ${i} (${dat.event(i)} at ${usecs(dat, i)} us)`;
      assert.equal(dat.cpu(i), text.cpu(i), `${where}: cpu`);
      assert.equal(dat.pid(i), text.pid(i), `${where}: pid`);
      assert.equal(dat.flags(i), text.flags(i), `${where}: irq-info flags`);
      assert.equal(usecs(dat, i), text.originNs / 1000n + BigInt(Math.round(text.tsNs(i) / 1000)), `${where}: time`);
      if (dat.event(i) === 'kernel_stack') {
        // With options/sym-offset the kernel prints frames as func+0xoff/0xsize, as we do.
        const theirs = decodeEvent(text, i).stack ?? [];
        if (theirs.length > 0 && theirs.every((f) => f.includes('+0x'))) {
          assert.deepEqual(decodeEvent(dat, i).stack, theirs, `${where}: frames`);
          compared++;
        }
        continue;
      }
      // Same event name: the same print fmt rendered by the kernel and by us. (Syscall events
      // and trace_marker_raw records are printed by the kernel's own printers, not their
      // print fmt.)
      if (dat.event(i) !== text.event(i) || dat.event(i).startsWith('sys_') || dat.event(i) === 'raw_data') continue;
      assert.equal(normalize(dat.payloadText(i).replace(/\n$/, '')), normalize(text.payloadText(i)), where);
      compared++;
    }
    assert.ok(compared > dat.length / 2, `compared the text of ${compared} of ${dat.length} events`);
  });
}

test('irq-info flags render like the kernel (trace_print_lat_fmt)', () => {
  assert.equal(irqInfo(0, 0), '.....');
  assert.equal(irqInfo(0x01, 0x01), 'd..1.');
  assert.equal(irqInfo(0x81, 0x01), 'D..1.');
  assert.equal(irqInfo(0x80 | 0x10, 0x02), 'b.s2.');
  assert.equal(irqInfo(0x04 | 0x20 | 0x08, 0x04), '.Nh4.');
  assert.equal(irqInfo(0x40 | 0x08, 0x11), '..Z11');
  assert.equal(irqInfo(0x02, 0), '.l...');
});

test('trace.dat is detected by content', () => {
  const bytes = load('veth-ping.v6.dat');
  assert.deepEqual(detectFormat(bytes.subarray(0, 65536), bytes.length), { ok: true, format: 'trace-cmd-dat' });
  const z = load('veth-ping.v7-zstd.dat');
  assert.deepEqual(detectFormat(z.subarray(0, 100), z.length), { ok: true, format: 'trace-cmd-dat' });
});

function issuesOf(bytes: Uint8Array): { t: Trace; messages: string } {
  const r = new TraceDatReader();
  r.push(bytes);
  const t = r.finish(new MemoryByteSource(bytes));
  return { t, messages: t.issues.map((x) => `@${x.offset} ${x.message}`).join('\n') };
}

/** Offset of the first v7 section header (just after the initial header). */
function firstSection(b: Uint8Array): number {
  let at = b.indexOf(0, 10) + 1 + 6; // version string, endian, long size, page size
  at = b.indexOf(0, b.indexOf(0, at) + 1) + 1; // compression name and version
  return at + 8;
}

test('bad lengths and offsets become issues with offsets, never allocations or hangs', () => {
  const good = load('veth-ping.v7-zstd.dat');
  const sec = firstSection(good);

  // A section size of 2^40.
  let b = good.slice();
  new DataView(b.buffer).setBigUint64(sec + 8, 1n << 40n, true);
  let r = issuesOf(b);
  assert.match(r.messages, new RegExp(`@${sec} section 16 is 1099511627776 bytes, over the \\d+-byte limit; skipped`));
  assert.equal(r.t.length, 0);

  // A compressed section claiming 4 GiB uncompressed.
  b = good.slice();
  new DataView(b.buffer).setUint32(sec + 20, 0xfffffff0, true);
  r = issuesOf(b);
  assert.match(r.messages, new RegExp(`@${sec} compressed section 16: \\d+ compressed / 4294967280 uncompressed bytes do not fit`));

  // Page size 3 in the initial header.
  b = good.slice();
  const ps = b.indexOf(0, 10) + 3;
  new DataView(b.buffer).setUint32(ps, 3, true);
  r = issuesOf(b);
  assert.match(r.messages, new RegExp(`@${ps} page size 3 is not a power of two`));
  assert.equal(r.t.length, 0);

  // Not a trace.dat at all.
  r = issuesOf(new TextEncoder().encode('hello world, not a trace'));
  assert.match(r.messages, /@0 not a trace-cmd file: byte 0 is 0x68, expected the magic 17 08 44/);
});

test('a truncated file keeps the events before the cut and says where the data stops', () => {
  const v6 = load('veth-ping.v6.dat');
  const whole = readDat(v6);
  // Cut inside the last CPU's pages (each CPU's data is whole pages at the end of the file).
  const cut = v6.subarray(0, v6.length - 3 * 4096 - 100);
  const r = issuesOf(cut);
  assert.ok(r.t.length > 0 && r.t.length < whole.length, `${r.t.length} of ${whole.length} events kept`);
  assert.match(r.messages, /CPU \d: data cut short: \d+ of \d+ bytes present \(from offset \d+; the file ends at \d+\)/);

  const z = load('veth-ping.v7-zstd.dat');
  const zr = issuesOf(z.subarray(0, Math.floor(z.length * 0.6)));
  assert.match(zr.messages, /the file ends at offset \d+, inside|buffer section at offset \d+ .* is not described by any BUFFER option/);
});

test('stop() keeps what was read and records where reading stopped', () => {
  const v6 = load('veth-ping.v6.dat');
  const at = v6.length - 3 * 4096;
  const r = new TraceDatReader();
  r.push(v6.subarray(0, at));
  r.stop(`reading cancelled at byte offset ${at}`);
  r.push(v6.subarray(at));
  const t = r.finish(new MemoryByteSource(v6));
  assert.ok(t.length > 0 && t.length < readDat(v6).length, `${t.length} events kept`);
  assert.ok(t.issues.some((x) => x.offset === at && x.message.startsWith('reading cancelled')));
});

test('zstd, zlib, uncompressed v7 and v6 of the same recording give the same trace', () => {
  const dump = (t: Trace) => {
    const rows: string[] = [];
    for (let i = 0; i < t.length; i++) rows.push(`${t.tsNs(i)} ${t.cpu(i)} ${t.pid(i)} ${t.comm(i)} ${t.event(i)} ${t.flags(i)} ${JSON.stringify(decodeEvent(t, i))} ${t.payloadText(i)}`);
    return { origin: t.originNs, rows, lost: t.lost };
  };
  const ref = dump(readDat(load('veth-ping.v7-zstd.dat')));
  for (const f of ['veth-ping.v7-zlib.dat', 'veth-ping.v7-none.dat', 'veth-ping.v6.dat']) assert.deepEqual(dump(readDat(load(f))), ref, f);
});
