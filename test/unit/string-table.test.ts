import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringTable } from '../../src/core/trace/strings';
import { halfSipHash13 } from '../../src/core/trace/keyed-hash';
import { fnv1a, fnvCollidingNames } from '../helpers/fnv-collisions';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Interns every name from bytes twice (first sight, then a hit, as a reader does); returns probes per call. */
function probesPerCall(names: readonly string[]): number {
  const t = new StringTable();
  const bytes = names.map(encode);
  for (let pass = 0; pass < 2; pass++) {
    bytes.forEach((b, i) => assert.equal(t.internBytes(b, 0, b.length), i));
  }
  assert.equal(t.size, names.length);
  return t.probes / (2 * names.length);
}

test('HalfSipHash-1-3 matches the reference vectors (Linux lib/siphash_kunit.c, 32-bit key)', () => {
  // Input bytes 0, 1, 2, ... read at an odd offset; key words 0x03020100, 0x07060504.
  const input = new Uint8Array(65);
  for (let i = 0; i < 64; i++) input[i + 1] = i;
  const vectors: [number, number][] = [
    [0, 0x5814c896],
    [1, 0xe7e864ca],
    [4, 0x7e059ea6],
    [7, 0x9d38d9d6],
    [8, 0x577999b1],
    [63, 0x87178304],
  ];
  for (const [len, want] of vectors) assert.equal(halfSipHash13(input, 1, 1 + len, 0x03020100, 0x07060504), want, `length ${len}`);
});

test('names chosen to collide in FNV-1a cost the table no more work than random names', () => {
  // 20 k names sharing the low 16 bits of their FNV-1a hash: with FNV-1a and linear probing every
  // one of them started at the same slot of the 64 k-slot table (15,000 probes per call, measured).
  const colliding = fnvCollidingNames(20_000, 16);
  assert.equal(new Set(colliding.map((n) => fnv1a(n) & 0xffff)).size, 1, 'the generator makes FNV-1a collisions');
  let x = 7;
  const random = Array.from({ length: 20_000 }, (_, i) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return `n${i.toString(36)}${x.toString(36)}`;
  });
  const perCallColliding = probesPerCall(colliding);
  const perCallRandom = probesPerCall(random);
  // Linear probing at load <= 1/2 averages under 2.5 slots per call for any names the hash spreads.
  assert.ok(perCallColliding < 4, `colliding names: ${perCallColliding.toFixed(1)} probes per call`);
  assert.ok(perCallRandom < 4, `random names: ${perCallRandom.toFixed(1)} probes per call`);
});

test('interning from bytes and from strings agrees, and invalid UTF-8 keeps one id per decoded string', () => {
  const t = new StringTable();
  const a = t.intern('sched_switch');
  const buf = encode('xx sched_switch yy');
  assert.equal(t.internBytes(buf, 3, 15), a);
  const bad1 = t.internBytes(new Uint8Array([0x61, 0xff]), 0, 2);
  const bad2 = t.internBytes(new Uint8Array([0x61, 0xfe]), 0, 2);
  assert.equal(bad1, bad2, 'both decode to "a\\uFFFD"');
  assert.equal(t.get(bad1), 'a\uFFFD');
  assert.equal(t.find('sched_switch'), a);
  assert.equal(t.find('nope'), -1);
});

test('names chosen to share the recent-name cache slot keep their own ids and cost the keyed table no more', () => {
  // The cache's index is the length and the first, middle and last bytes: `k???m???z` all share
  // one slot, so every lookup misses the cache and the keyed table must answer each one right.
  const names = Array.from({ length: 5000 }, (_, i) => {
    const a = i.toString(36).padStart(6, '0');
    return `k${a.slice(0, 3)}m${a.slice(3)}z`;
  });
  assert.equal(new Set(names.map((n) => `${n.length}${n[0]}${n[n.length >>> 1]}${n.at(-1)}`)).size, 1);
  const perCall = probesPerCall(names);
  assert.ok(perCall < 4, `${perCall.toFixed(1)} probes per call`);
  // Alternating two such names: each lookup evicts the other from the slot; ids stay right.
  const t = new StringTable();
  const [x, y] = [encode(names[1] as string), encode(names[2] as string)];
  const ids = [t.internBytes(x, 0, x.length), t.internBytes(y, 0, y.length)];
  for (let k = 0; k < 10; k++) assert.deepEqual([t.internBytes(x, 0, x.length), t.internBytes(y, 0, y.length)], ids);
  assert.notEqual(ids[0], ids[1]);
});
