// Mutation fuzzing of the pcap and pcapng readers over real captures: random truncation, bit
// flips, record/block lengths set to 0, 2^32-1 and other extremes at real record boundaries,
// random chunking. The readers must never throw, never hang (the test has a timeout), keep
// issue offsets inside the input, keep every packet's bytes inside the input, and every packet
// they keep must decode. A fixed seed makes a failure reproducible: the message names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PcapReader } from '../../src/core/formats/capture/pcap';
import { PcapngReader } from '../../src/core/formats/capture/pcapng';
import { decodeCapturePayload, packetJson } from '../../src/core/formats/capture/decode';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import { rng } from '../helpers/rng';
import { corpusCapture } from '../helpers/capture';
import { absentCorpusFile } from '../helpers/third-party';

const FILES: [string, 'pcap' | 'pcapng'][] = [
  ['test/fixtures/pcap/host-a.pcap', 'pcap'],
  ['test/fixtures/pcap/host-a-any-sll2.pcap', 'pcap'],
  [corpusCapture('corpus/pcap/tcpdump-isup-BE.pcap'), 'pcap'],
  [corpusCapture('corpus/pcap/rusticata-modified-format.pcap'), 'pcap'],
  ['test/fixtures/pcap/bridge-multi.pcapng', 'pcapng'],
  [corpusCapture('corpus/pcapng/hadrielk-le-test202.pcapng'), 'pcapng'],
  [corpusCapture('corpus/pcapng/hadrielk-be-test102.pcapng'), 'pcapng'],
  [corpusCapture('corpus/pcapng/tcpdump-OSPFv2_Capture_FINAL.pcapng'), 'pcapng'],
];
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 80);
const EXTREMES = [0, 0xffffffff, 0xfffffffc, 0x7fffffff, 1, 12, 13, 16, 32];

/** Offsets of the length fields of every record/block, from a clean read. */
function lengthFields(bytes: Uint8Array, format: 'pcap' | 'pcapng'): number[] {
  const out: number[] = [];
  if (format === 'pcap') {
    const t = read(bytes, format, () => 1 << 20);
    // Kuznetsov's modified format (magic a1b2cd34, either order) has 24-byte record headers.
    const modified = (bytes[0] === 0xa1 && bytes[2] === 0xcd) || (bytes[0] === 0x34 && bytes[1] === 0xcd);
    const hdr = modified ? 24 : 16;
    for (let i = 0; i < t.length; i++) out.push(t.record(i).offset - hdr + 8);
    return out;
  }
  // Walk the blocks: each section's byte order from its SHB.
  let p = 0;
  let little = true;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (p + 12 <= bytes.length) {
    if (v.getUint32(p, false) === 0x0a0d0d0a) little = v.getUint32(p + 8, true) === 0x1a2b3c4d;
    const len = v.getUint32(p + 4, little);
    out.push(p + 4);
    if (len < 12 || len % 4 !== 0) break;
    out.push(p + len - 4);
    p += len;
  }
  return out;
}

function read(bytes: Uint8Array, format: 'pcap' | 'pcapng', chunk: () => number) {
  const reader = format === 'pcap' ? new PcapReader() : new PcapngReader();
  for (let pos = 0; pos < bytes.length; ) {
    const n = chunk();
    reader.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  return reader.finish(new MemoryByteSource(bytes));
}

function mutate(input: Uint8Array, fields: number[], r: () => number): Uint8Array {
  const b = input.slice(0, Math.max(0, Math.floor(input.length * (0.3 + 0.7 * r()))));
  const v = new DataView(b.buffer);
  const lengths = Math.floor(r() * 3);
  for (let k = 0; k < lengths && fields.length > 0; k++) {
    const at = fields[Math.floor(r() * fields.length)] as number;
    if (at + 4 <= b.length) v.setUint32(at, EXTREMES[Math.floor(r() * EXTREMES.length)] as number, r() < 0.5);
  }
  const flips = Math.floor(r() * 40);
  for (let k = 0; k < flips && b.length > 0; k++) {
    const at = Math.floor(r() * b.length);
    b[at] = (b[at] as number) ^ (1 << Math.floor(r() * 8));
  }
  return b;
}

for (const [file, format] of FILES) {
  test(`fuzz: ${file}`, { timeout: 120_000, skip: absentCorpusFile(file) }, () => {
    const original = new Uint8Array(readFileSync(file));
    const fields = lengthFields(original, format);
    for (let it = 0; it < ITERATIONS; it++) {
      const seed = (it + 1) * 2654435761;
      const r = rng(seed);
      const bytes = mutate(original, fields, r);
      try {
        const t = read(bytes, format, () => 1 + Math.floor(r() * (r() < 0.3 ? 8 : 5000)));
        for (const issue of t.issues) assert.ok(issue.offset >= 0 && issue.offset <= bytes.length, `issue offset ${issue.offset} outside the input (${issue.message})`);
        assert.ok(t.bytesRead === bytes.length, `bytesRead ${t.bytesRead} of ${bytes.length}`);
        for (let i = 0; i < t.length; i++) {
          const rec = t.record(i);
          assert.ok(rec.offset >= 0 && rec.offset + rec.length <= bytes.length, `packet ${i + 1} bytes outside the input`);
          decodeCapturePayload(t, i);
          packetJson(t, i);
        }
      } catch (err) {
        assert.fail(`${file} seed ${seed}: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
  });
}
