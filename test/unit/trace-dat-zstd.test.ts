// trace.dat v7 zstd blocks through the WebAssembly decoder (zstddec, issue 17) give exactly
// fzstd's bytes, on every zstd block of every v7 fixture; corrupt blocks are refused, never
// returned short or long; a whole trace reads the same with either decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { inflate, inflateZstdWithFzstd, loadZstd, zstdDecoder } from '../../src/core/formats/trace-dat/compress';
import type { Trace } from '../../src/core/trace/trace';
import { readDat } from '../helpers/trace-dat';

const DIR = 'test/fixtures/trace-dat';
const FILES = readdirSync(DIR).filter((f) => f.endsWith('-zstd.dat'));

/**
 * The zstd blocks of a v7 file: trace-cmd writes each as a 4-byte compressed size, a 4-byte
 * uncompressed size (little-endian here) and one frame, which starts with the magic 28 b5 2f fd.
 */
function zstdBlocks(b: Uint8Array): { data: Uint8Array; size: number }[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: { data: Uint8Array; size: number }[] = [];
  for (let i = 8; i + 4 <= b.length; i++) {
    if (b[i] !== 0x28 || b[i + 1] !== 0xb5 || b[i + 2] !== 0x2f || b[i + 3] !== 0xfd) continue;
    const csize = view.getUint32(i - 8, true);
    const usize = view.getUint32(i - 4, true);
    if (csize === 0 || i + csize > b.length || usize === 0 || usize > 1 << 26) continue;
    out.push({ data: b.slice(i, i + csize), size: usize });
    i += csize - 1;
  }
  return out;
}

function dump(t: Trace): string[] {
  const rows: string[] = [];
  for (let i = 0; i < t.length; i++) rows.push(`${t.tsNs(i)} ${t.cpu(i)} ${t.pid(i)} ${t.comm(i)} ${t.event(i)} ${t.payloadText(i)}`);
  return rows;
}

test('the WebAssembly zstd decoder gives fzstd\'s bytes on every block of every v7 fixture, and reads the same traces', async () => {
  assert.ok(FILES.length >= 3, `v7 zstd fixtures in ${DIR}: ${FILES.join(', ')}`);
  // Read once with fzstd (the WebAssembly module is not loaded yet in this process) ...
  assert.equal(zstdDecoder(), 'fzstd');
  const before = FILES.map((f) => dump(readDat(new Uint8Array(readFileSync(`${DIR}/${f}`)))));
  await loadZstd();
  assert.equal(zstdDecoder(), 'wasm', 'zstddec loads in Node without a network');
  let blocks = 0;
  for (const f of FILES) {
    for (const { data, size } of zstdBlocks(new Uint8Array(readFileSync(`${DIR}/${f}`)))) {
      const r = inflate('zstd', data, size);
      assert.ok(r.ok, `${f}: ${r.ok ? '' : r.error}`);
      assert.deepEqual(Buffer.from(r.bytes), Buffer.from(inflateZstdWithFzstd(data, size)), `${f}: a block of ${size} bytes`);
      blocks++;
    }
  }
  assert.ok(blocks >= 10, `${blocks} zstd blocks`);
  // ... and again through the WebAssembly decoder: the same events and text.
  const after = FILES.map((f) => dump(readDat(new Uint8Array(readFileSync(`${DIR}/${f}`)))));
  assert.deepEqual(after, before);
});

test('corrupt or mis-sized zstd blocks are refused by the WebAssembly decoder', async () => {
  await loadZstd();
  const [block] = zstdBlocks(new Uint8Array(readFileSync(`${DIR}/veth-ping.v7-zstd.dat`)));
  assert.ok(block);
  // The header claims one byte more or less than the frame holds.
  for (const size of [block.size - 1, block.size + 1]) {
    const r = inflate('zstd', block.data, size);
    assert.ok(!r.ok && /zstd data is corrupt/.test(r.error), `size ${size}: ${r.ok ? 'accepted' : r.error}`);
  }
  // Cut short, and bytes flipped through the frame: refused, or (a flip zstd cannot see, in
  // literals) exactly what fzstd makes of it — never bytes of another length.
  assert.equal(inflate('zstd', block.data.subarray(0, block.data.length >> 1), block.size).ok, false);
  for (let at = 4; at < block.data.length; at += Math.max(1, block.data.length >> 5)) {
    const bad = block.data.slice();
    bad[at] = (bad[at] as number) ^ 0x5a;
    const r = inflate('zstd', bad, block.size);
    if (!r.ok) continue;
    assert.equal(r.bytes.length, block.size);
    let fz: Uint8Array | null;
    try {
      fz = inflateZstdWithFzstd(bad, block.size);
    } catch {
      fz = null; // fzstd refuses what zstd accepts: nothing to compare
    }
    if (fz) assert.deepEqual(Buffer.from(r.bytes), Buffer.from(fz), `flip at ${at}`);
  }
});
