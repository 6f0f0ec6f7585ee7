// The byte range of every decoded field (what the packet details tree highlights in the hex
// view) against where tshark puts the same field in the same frame: our own captures, tshark's
// `-T pdml` positions written once by test/fixtures/pcap/make-expected-offsets.sh. The k-th
// occurrence of a field name in ktl's decode is compared with tshark's k-th (both go from the
// outer header inward, an ICMP error's quoted header after the outer one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../helpers/capture';
import { decodePacket } from '../../src/core/formats/capture/decode';
import type { Trace } from '../../src/core/trace/trace';

const ROOT = 'test/fixtures/pcap';
const FILES = [
  'bridge-multi.pcapng',
  'host-a.pcap',
  'host-a-any-sll2.pcap',
  'host-b-egress-only.pcap',
  'host-c-snaplen64.pcap',
  'loopback-big-udp.pcap',
  'vxlan-overlay-a.pcap',
  'vxlan-underlay-a.pcap',
  'ppp-hdlc-icmp.pcap',
  'ppp-icmp.pcap',
  'ppi-ethernet-icmp.pcap',
];

/** Fields whose range differs from tshark's on purpose, with why. */
const KNOWN: Record<string, string> = {
  // The 8 traffic-class bits are bits 4-11 of the header, in its first two bytes; Wireshark
  // files the field (a mask over the first 32-bit word) under all four bytes.
  'ipv6.tclass': 'bytes 0-1 (Wireshark: 0-3)',
};

type Positions = Map<number, Map<string, [number, number][]>>;

function tsharkPositions(file: string): Positions {
  const rows = readFileSync(join(ROOT, 'expected', `${file}.tshark-offsets.tsv`), 'utf8').split('\n').slice(1);
  const out: Positions = new Map();
  for (const row of rows) {
    if (row === '') continue;
    const [frame, name, pos, size] = row.split('\t');
    const f = Number(frame);
    let m = out.get(f);
    if (!m) out.set(f, (m = new Map()));
    const list = m.get(name as string) ?? [];
    list.push([Number(pos), Number(size)]);
    m.set(name as string, list);
  }
  return out;
}

for (const file of FILES) {
  test(`field byte ranges in ${file} match tshark's`, () => {
    const trace = readCapture(new Uint8Array(readFileSync(join(ROOT, file)))) as Trace;
    const theirs = tsharkPositions(file);
    assert.equal(theirs.size, trace.length, 'tshark saw as many frames');
    let compared = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < trace.length; i++) {
      const t = theirs.get(i + 1) ?? new Map<string, [number, number][]>();
      const seen = new Map<string, number>();
      for (const layer of decodePacket(trace, i).layers) {
        for (const f of layer.fields) {
          const k = seen.get(f.name) ?? 0;
          seen.set(f.name, k + 1);
          const pos = t.get(f.name)?.[k];
          if (!pos || f.length === 0 || KNOWN[f.name] !== undefined) continue;
          compared++;
          if (pos[0] !== f.offset || pos[1] !== f.length) mismatches.push(`#${i + 1} ${f.name}: ktl ${f.offset}+${f.length}, tshark ${pos[0]}+${pos[1]}`);
        }
      }
    }
    assert.ok(compared > trace.length * 5, `compared ${compared} fields`);
    assert.deepEqual(mismatches, []);
  });
}
