// Mutation fuzzing of the trace.dat reader over the real fixtures (v6, v7 uncompressed, zstd,
// zlib): truncation, bit flips (mostly in the metadata, where lengths and offsets live), absurd
// 32-bit values written over lengths/offsets, byte runs, random chunking. The reader must never
// throw, never hang (each iteration is timed), keep issue offsets inside the input, say what
// it expected, and every event it keeps must decode and render. A fixed seed per iteration
// makes a failure reproducible: the message names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TraceDatReader } from '../../src/core/formats/trace-dat/reader';
import { loadZstd, zstdDecoder } from '../../src/core/formats/trace-dat/compress';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import { eventJson } from '../../src/core/formats/decode';
import { rng } from '../helpers/rng';

const FILES = [
  'test/fixtures/trace-dat/veth-ping.v7-zstd.dat',
  'test/fixtures/trace-dat/veth-ping.v7-zlib.dat',
  'test/fixtures/trace-dat/veth-ping.v6.dat',
  'test/fixtures/trace-dat/veth-ping.v7-none.dat',
  'test/fixtures/trace-dat/lost-events.v7-zstd.dat',
  'test/fixtures/trace-dat/stacktrace.v7-zstd.dat',
];
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 40);
/** Wall-clock budget of one iteration (read + decode of a ~1 MB file takes well under 1 s). */
const ITERATION_MS = 10_000;

const ABSURD = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000000, 0x00ffffff, 0, 1, 4096, 0xfffffff0];

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  let b = input.slice(0, r() < 0.3 ? Math.floor(input.length * r()) : input.length);
  if (b.length === 0) return b;
  // Where the lengths and offsets are: the first 64 KiB (v7 metadata and options come early,
  // except the last options sections, which sit at the end).
  const pos = () => (r() < 0.6 ? Math.floor(r() * Math.min(b.length, 65536)) : r() < 0.5 ? Math.floor(r() * b.length) : Math.max(0, b.length - 1 - Math.floor(r() * 512)));
  const flips = Math.floor(r() * 24);
  for (let k = 0; k < flips; k++) {
    const at = pos();
    b[at] = (b[at] as number) ^ (1 << Math.floor(r() * 8));
  }
  const absurd = Math.floor(r() * 4);
  for (let k = 0; k < absurd; k++) {
    const at = pos() & ~3;
    if (at + 4 > b.length) continue;
    new DataView(b.buffer, b.byteOffset).setUint32(at, ABSURD[Math.floor(r() * ABSURD.length)] as number, true);
  }
  if (r() < 0.3) {
    const at = pos();
    const len = Math.floor(r() * 300);
    const fill = r() < 0.5 ? 0x00 : 0xff;
    const grown = new Uint8Array(b.length + len);
    grown.set(b.subarray(0, at));
    grown.fill(fill, at, at + len);
    grown.set(b.subarray(at), at + len);
    b = grown;
  }
  return b;
}

for (const file of FILES) {
  test(`fuzz: ${file}`, { timeout: 300_000 }, async () => {
    // The zstd decoder that ships (WebAssembly), as loadTraceFile loads it.
    await loadZstd();
    assert.equal(zstdDecoder(), 'wasm');
    const original = new Uint8Array(readFileSync(file));
    for (let it = 0; it < ITERATIONS; it++) {
      const seed = (it + 1) * 2654435761 + file.length;
      const r = rng(seed);
      const bytes = mutate(original, r);
      const t0 = Date.now();
      try {
        const reader = new TraceDatReader();
        for (let pos = 0; pos < bytes.length; ) {
          const n = 1 + Math.floor(r() * 20000);
          reader.push(bytes.subarray(pos, pos + n));
          pos += n;
        }
        const t = reader.finish(new MemoryByteSource(bytes));
        assert.equal(t.bytesRead, bytes.length);
        for (const issue of t.issues) {
          assert.ok(issue.offset >= 0 && issue.offset <= bytes.length, `issue offset ${issue.offset} outside the input: ${issue.message}`);
          assert.ok(issue.message.length > 10, 'issues say what was expected');
        }
        // Every kept event decodes and renders (a sample of at most ~2000 per file).
        const step = Math.max(1, Math.floor(t.length / 2000));
        for (let i = 0; i < t.length; i += step) {
          eventJson(t, i);
          t.payloadText(i);
          assert.ok(Number.isFinite(t.tsNs(i)), `event ${i}: time is not a number`);
        }
      } catch (err) {
        assert.fail(`${file} seed ${seed}: ${err instanceof Error ? err.stack : String(err)}`);
      }
      assert.ok(Date.now() - t0 < ITERATION_MS, `${file} seed ${seed}: took ${Date.now() - t0} ms`);
    }
  });
}
