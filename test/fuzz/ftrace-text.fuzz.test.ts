// Mutation fuzzing of the ftrace text reader over the real fixtures: truncation, bit flips,
// byte runs (NUL, 0xff, no-break spaces, newlines), random chunking. The reader must never
// throw, never hang (the test has a timeout), keep issue positions inside the input, and every
// event it keeps must decode. A fixed seed makes a failure reproducible: the message names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FtraceTextReader } from '../../src/core/formats/ftrace-text';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import { eventJson } from '../../src/core/formats/decode';

const FILES = [
  'test/fixtures/ftrace/seed004-fifo-break.trace',
  'test/fixtures/ftrace/veth-ping-latency.trace',
  'test/fixtures/ftrace/lost-events-pipe.trace',
  'test/fixtures/ftrace/markers-hostile.trace',
  'test/fixtures/ftrace/veth-ping-tgid.trace',
];
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 60);

/** xorshift32: deterministic, seedable. */
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  let b = input.slice(0, Math.max(0, Math.floor(input.length * (0.5 + r() / 2))));
  const flips = Math.floor(r() * 64);
  for (let k = 0; k < flips && b.length > 0; k++) {
    const at = Math.floor(r() * b.length);
    b[at] = (b[at] as number) ^ (1 << Math.floor(r() * 8));
  }
  const runs = Math.floor(r() * 8);
  for (let k = 0; k < runs && b.length > 0; k++) {
    const at = Math.floor(r() * b.length);
    const fill = [0x00, 0xff, 0x0a, 0x20, 0x5b, 0x3a][Math.floor(r() * 6)] as number;
    const len = Math.floor(r() * 200);
    const grown = new Uint8Array(b.length + len);
    grown.set(b.subarray(0, at));
    grown.fill(fill, at, at + len);
    grown.set(b.subarray(at), at + len);
    b = grown;
  }
  return b;
}

for (const file of FILES) {
  test(`fuzz: ${file}`, { timeout: 120_000 }, () => {
    const original = new Uint8Array(readFileSync(file));
    for (let it = 0; it < ITERATIONS; it++) {
      const seed = (it + 1) * 2654435761;
      const r = rng(seed);
      const bytes = mutate(original, r);
      const reader = new FtraceTextReader({ maxLineBytes: 4096 });
      try {
        for (let pos = 0; pos < bytes.length; ) {
          const n = 1 + Math.floor(r() * 5000);
          reader.push(bytes.subarray(pos, pos + n));
          pos += n;
        }
        const t = reader.finish(new MemoryByteSource(bytes));
        let lines = 1;
        for (const c of bytes) if (c === 0x0a) lines++;
        assert.ok(t.length <= lines, 'more events than lines');
        for (const issue of t.issues) {
          assert.ok(issue.line >= 1 && issue.line <= lines, `issue line ${issue.line} outside 1..${lines}`);
          assert.ok(issue.offset >= 0 && issue.offset <= bytes.length, `issue offset ${issue.offset} outside the input`);
        }
        for (let i = 0; i < t.length; i++) {
          const r = t.record(i);
          assert.ok(r.offset + r.length <= bytes.length && r.payloadStart <= r.length, `record ${i} outside the input`);
          eventJson(t, i);
        }
      } catch (err) {
        assert.fail(`${file} seed ${seed}: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
  });
}
