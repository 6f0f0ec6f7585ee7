// Mutation fuzzing of the packet decoders (src/core/net) on real packets: bit flips, truncation,
// random bytes, under every supported link type. dissectPacket must never reach its last-resort
// catch ("decoder error"), every field's byte range must lie inside the packet, and the cheap
// classifier must name the same protocol as the full decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPacket, dissectPacket } from '../../src/core/net/dissect';
import { packetBytes } from '../../src/core/formats/capture/common';
import { corpusCapture, readCaptureFile } from '../helpers/capture';
import { absentCorpusFile } from '../helpers/third-party';
import { rng } from '../helpers/rng';

const OWN = ['test/fixtures/pcap/host-a.pcap', 'test/fixtures/pcap/host-a-any-sll2.pcap'];
// Other people's captures, read in place from the shared corpus (skipped where it is absent).
const CORPUS = [
  'corpus/pcap/pcpp-VlanPackets.pcap',
  'corpus/pcap/libpcap-ah-ipip-ping.pcap',
  'corpus/pcap/tcpdump-various_gre.pcap',
  'corpus/pcapng/pcpp-IcmpPackets.pcapng',
  'corpus/pcapng/tcpdump-OSPFv2_Capture_FINAL.pcapng',
].map(corpusCapture);
const LINK_TYPES = [0, 1, 12, 101, 108, 113, 228, 229, 239, 276, 253];
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 80);

function fuzzPackets(files: readonly string[]): void {
  const packets: Uint8Array[] = [];
  for (const f of files) {
    const t = readCaptureFile(f);
    for (let i = 0; i < t.length; i++) packets.push(packetBytes(t, i)!.slice());
  }
  let checked = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    const seed = (it + 1) * 2654435761;
    const r = rng(seed);
    for (const original of packets) {
      let b = original.slice(0, Math.floor(original.length * (0.2 + 0.8 * r())) + 1);
      const flips = Math.floor(r() * 12);
      for (let k = 0; k < flips; k++) {
        const at = Math.floor(r() * b.length);
        b[at] = r() < 0.5 ? (b[at] as number) ^ (1 << Math.floor(r() * 8)) : Math.floor(r() * 256);
      }
      if (r() < 0.05) b = Uint8Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256));
      const lt = r() < 0.6 ? 1 : (LINK_TYPES[Math.floor(r() * LINK_TYPES.length)] as number);
      const origLen = r() < 0.8 ? b.length : b.length + Math.floor(r() * 100);
      const p = dissectPacket(b, lt, origLen);
      const ctx = `seed ${seed} linktype ${lt} bytes ${Buffer.from(b).toString('hex')}`;
      assert.ok(!p.problems.some((q) => q.message.startsWith('decoder error')), `${ctx}: ${JSON.stringify(p.problems)}`);
      for (const l of p.layers) {
        for (const f of l.fields) assert.ok(f.offset >= 0 && f.offset + f.length <= b.length, `${ctx}: field ${f.name} [${f.offset}, +${f.length}) outside ${b.length} bytes`);
      }
      assert.equal(classifyPacket(b, 0, b.length, lt, origLen), p.protocol, ctx);
      checked++;
    }
  }
  assert.ok(checked > 1000);
}

test('fuzz: packet decoders on mutated real packets under every link type', { timeout: 300_000 }, () => fuzzPackets(OWN));
test('fuzz: packet decoders on mutated packets of the shared corpus\'s captures under every link type', { timeout: 300_000, skip: CORPUS.map(absentCorpusFile).find(Boolean) ?? false }, () => fuzzPackets(CORPUS));
