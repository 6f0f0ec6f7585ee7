// Unit tests of the pcap and pcapng readers: timestamps and byte orders, interfaces, damage
// (lengths of 0 and 2^32-1, files cut short, trailing lengths that disagree), cancellation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapReader, sniffPcap } from '../../src/core/formats/capture/pcap';
import { PcapngReader, sniffPcapng } from '../../src/core/formats/capture/pcapng';
import { captureInfo, interfacesJson, TimestampUnit } from '../../src/core/formats/capture/common';
import { detectFormat } from '../../src/core/formats/detect';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { Trace } from '../../src/core/trace/trace';
import { corpusCapture, readCapture } from '../helpers/capture';
import { absentCorpusFile } from '../helpers/third-party';

const PCAP = 'test/fixtures/pcap';
// `corpus/...`: the shared corpus's captures, read in place (tests using them skip where it is absent).
const bytesOf = (p: string): Uint8Array => new Uint8Array(readFileSync(p.startsWith('corpus/') ? corpusCapture(p) : join(PCAP, p)));
const corpus = (...keys: string[]): { skip: false | string } => ({ skip: keys.map((k) => absentCorpusFile(corpusCapture(k))).find(Boolean) ?? false });
const abs = (t: Trace, i: number): string => {
  const ns = t.absNs(i);
  return `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
};

function read(reader: PcapReader | PcapngReader, bytes: Uint8Array, chunk = 1 << 20): Trace {
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.slice(i, i + chunk));
  return reader.finish(new MemoryByteSource(bytes));
}

test('sniffing: pcap magic in both orders and both resolutions, pcapng SHB with either BOM', corpus('corpus/malformed/pcpp-solaris.snoop', 'corpus/pcap/pcpp-microsecs.pcap', 'corpus/pcap/pcpp-nanosecs.pcap', 'corpus/pcap/pcpp-nanosecs_big_endian.pcap', 'corpus/pcap/rusticata-modified-format.pcap', 'corpus/pcap/tcpdump-isup-BE.pcap', 'corpus/pcapng/hadrielk-be-test001.pcapng', 'corpus/pcapng/hadrielk-le-test001.pcapng'), () => {
  for (const f of ['corpus/pcap/pcpp-microsecs.pcap', 'corpus/pcap/pcpp-nanosecs.pcap', 'corpus/pcap/pcpp-nanosecs_big_endian.pcap', 'corpus/pcap/tcpdump-isup-BE.pcap', 'corpus/pcap/rusticata-modified-format.pcap']) {
    assert.equal(sniffPcap(bytesOf(f)), null, f);
    assert.deepEqual(detectFormat(bytesOf(f), 1000), { ok: true, format: 'pcap' });
  }
  for (const f of ['corpus/pcapng/hadrielk-le-test001.pcapng', 'corpus/pcapng/hadrielk-be-test001.pcapng']) assert.equal(sniffPcapng(bytesOf(f)), null, f);
  assert.notEqual(sniffPcap(bytesOf('corpus/malformed/pcpp-solaris.snoop')), null);
  assert.equal(detectFormat(bytesOf('corpus/malformed/pcpp-solaris.snoop'), 29564).ok, false);
});

test('µs and ns pcap of the same packets give the same times; big-endian ns keeps every digit', corpus('corpus/pcap/pcpp-microsecs.pcap', 'corpus/pcap/pcpp-nanosecs.pcap', 'corpus/pcap/pcpp-nanosecs_big_endian.pcap'), () => {
  const us = readCapture(bytesOf('corpus/pcap/pcpp-microsecs.pcap'))!;
  const ns = readCapture(bytesOf('corpus/pcap/pcpp-nanosecs.pcap'))!;
  assert.equal(captureInfo(us)?.nanosecond, false);
  assert.equal(captureInfo(ns)?.nanosecond, true);
  assert.equal(us.length, 2);
  const be = readCapture(bytesOf('corpus/pcap/pcpp-nanosecs_big_endian.pcap'))!;
  assert.equal(captureInfo(be)?.byteOrder, 'big');
  // tshark: frame.time_epoch of frame 1
  const tsv = readFileSync(join(PCAP, 'expected/corpus__pcap__pcpp-nanosecs_big_endian.pcap.tshark.tsv'), 'utf8').split('\n')[1]!.split('\t');
  assert.equal(abs(be, 0), tsv[2]);
});

test('Kuznetsov modified pcap: 24-byte records', corpus('corpus/pcap/rusticata-modified-format.pcap'), () => {
  const t = readCapture(bytesOf('corpus/pcap/rusticata-modified-format.pcap'))!;
  assert.equal(captureInfo(t)?.modified, true);
  assert.equal(t.length, 1);
  assert.equal(t.event(0), 'icmp');
});

test('pcapng if_tsresol 2^-8 (gopacket test902): 1519128000.195312500', corpus('corpus/pcapng/gopacket-be-test902.pcapng', 'corpus/pcapng/gopacket-le-test902.pcapng'), () => {
  for (const f of ['corpus/pcapng/gopacket-le-test902.pcapng', 'corpus/pcapng/gopacket-be-test902.pcapng']) {
    const t = readCapture(bytesOf(f))!;
    assert.equal(abs(t, 0), '1519128000.195312500', f);
    assert.equal(captureInfo(t)?.interfaces[0]?.tsresol, '2^-8');
  }
});

test('TimestampUnit splits 64-bit tick counts exactly', () => {
  const out = new Float64Array(2);
  // 1795318320.630900123 s in ns = 0x18ea_1f1b_8c6b_8f9b
  const ns = 1795318320630900123n;
  new TimestampUnit(9).split(Number(ns >> 32n), Number(ns & 0xffffffffn), out);
  assert.deepEqual([...out], [1795318320, 630900123]);
  new TimestampUnit(6).split(0, 1_500_000, out);
  assert.deepEqual([...out], [1, 500_000_000]);
  new TimestampUnit(0x88).split(0, 256 * 3 + 64, out);
  assert.deepEqual([...out], [3, 250_000_000]);
  new TimestampUnit(12).split(0, 1_000_000_000_123, out);
  assert.deepEqual([...out], [1, 0]);
});

test('multi-interface pcapng from tshark: names, link types, per-interface counts', () => {
  const t = readCapture(bytesOf('bridge-multi.pcapng'))!;
  const ifs = interfacesJson(t)!;
  assert.deepEqual(
    ifs.map((i) => i.name),
    ['ktlbr0', 'ktlna-p', 'ktlnb-p', 'ktlnc-p'],
  );
  assert.ok(ifs.every((i) => i.linkType === 'ETHERNET' && i.packets > 10));
  assert.equal(ifs.reduce((n, i) => n + i.packets, 0), t.length);
  assert.deepEqual(captureInfo(t)?.sections[0]?.comments, ['kernel-trace-lens fixture: bridge ktlbr0 and its three ports']);
  for (let i = 0; i < t.length; i++) assert.equal(t.comm(i), ifs[t.cpu(i)]?.name);
});

test('several sections with different byte orders (hadrielk test202)', corpus('corpus/pcapng/hadrielk-le-test202.pcapng'), () => {
  const t = readCapture(bytesOf('corpus/pcapng/hadrielk-le-test202.pcapng'))!;
  const info = captureInfo(t)!;
  assert.deepEqual(info.sections.map((s) => s.byteOrder), ['little', 'big', 'little']);
  assert.equal(t.length, 8);
  assert.equal(t.issueCount, 0);
});

test('an unsupported section version is skipped up to the next SHB (gopacket test901)', corpus('corpus/pcapng/gopacket-le-test901.pcapng'), () => {
  const t = readCapture(bytesOf('corpus/pcapng/gopacket-le-test901.pcapng'))!;
  assert.deepEqual(captureInfo(t)!.sections.map((s) => s.skipped), [false, true, false]);
  assert.equal(t.length, 2);
  assert.match(t.issues[0]!.message, /unsupported pcapng version 2\.0; the section is skipped/);
});

/** A pcapng block: type, length, body, length (little-endian). */
function block(type: number, body: Uint8Array, len = body.length + 12): Uint8Array {
  const b = new Uint8Array(body.length + 12);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, len >>> 0, true);
  b.set(body, 8);
  v.setUint32(8 + body.length, len >>> 0, true);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const SHB = block(0x0a0d0d0a, Uint8Array.from([0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
const IDB = block(1, Uint8Array.from([1, 0, 0, 0, 0, 0, 4, 0]));
function epb(seq: number): Uint8Array {
  const body = new Uint8Array(20 + 60);
  const v = new DataView(body.buffer);
  v.setUint32(4, 0x5e0, true);
  v.setUint32(8, seq * 1000, true);
  v.setUint32(12, 60, true);
  v.setUint32(16, 60, true);
  body.fill(0xff, 20, 26); // broadcast, type 0 (802.3 length 0)
  return block(6, body);
}

test('pcapng block length 2^32-1 or 0: reading stops there, packets before it are kept, with the offset', () => {
  const good = concat(SHB, IDB, epb(1), epb(2));
  for (const bad of [0xffffffff, 0, 13]) {
    const hdr = new Uint8Array(12);
    new DataView(hdr.buffer).setUint32(0, 6, true);
    new DataView(hdr.buffer).setUint32(4, bad, true);
    const bytes = concat(good, hdr, epb(3));
    for (const chunk of [1, 7, 1 << 20]) {
      const t = read(new PcapngReader(), bytes, chunk);
      assert.equal(t.length, 2, `length ${bad} chunk ${chunk}`);
      assert.equal(t.issues.length, 1);
      assert.equal(t.issues[0]!.offset, good.length + 4);
      assert.match(t.issues[0]!.message, new RegExp(`EPB at byte offset ${good.length}: block length ${bad} is`));
    }
  }
});

test('pcapng block that claims 4 GiB at the end of the file: no 4 GiB buffer, an issue naming where the file ends', () => {
  const good = concat(SHB, IDB, epb(1));
  const huge = new Uint8Array(64);
  new DataView(huge.buffer).setUint32(0, 6, true);
  new DataView(huge.buffer).setUint32(4, 0xfffffffc, true);
  const before = process.memoryUsage().arrayBuffers;
  const t = read(new PcapngReader(), concat(good, huge), 1);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20);
  assert.equal(t.length, 1);
  assert.equal(t.issues.at(-1)!.message, `the file ends at byte offset ${good.length + 64} inside a 4294967292-byte block (64 bytes of it) that starts at byte offset ${good.length}`);
});

test('pcapng trailing length that disagrees stops reading there', () => {
  const e = epb(2);
  new DataView(e.buffer).setUint32(e.length - 4, 999, true);
  const t = read(new PcapngReader(), concat(SHB, IDB, epb(1), e, epb(3)), 3);
  assert.equal(t.length, 1);
  assert.match(t.issues[0]!.message, /trailing block length 999 differs from the leading 92; the file is damaged from here/);
});

test('pcap: captured length 2^32-1 stops with the offset; a record cut by the end of the file is dropped', corpus('corpus/pcap/pcpp-VlanPackets.pcap'), () => {
  const bytes = bytesOf('corpus/pcap/pcpp-VlanPackets.pcap');
  const whole = readCapture(bytes)!;
  const third = whole.record(2).offset - 16;
  const damaged = bytes.slice();
  new DataView(damaged.buffer).setUint32(third + 8, 0xffffffff, true);
  for (const chunk of [1, 7, 4096]) {
    const t = read(new PcapReader(), damaged, chunk);
    assert.equal(t.length, 2);
    assert.equal(t.issues[0]!.offset, third);
    assert.match(t.issues[0]!.message, /captured length 4294967295 is larger than any snaplen .* the file is damaged from here/);
  }
  const cut = read(new PcapReader(), bytes.slice(0, third + 30));
  assert.equal(cut.length, 2);
  assert.equal(cut.issues[0]!.message, `the file ends inside a packet record (30 of ${whole.record(2).length + 16} bytes) at byte offset ${third}; the packet is dropped`);
});

test('cancelled read keeps what was read and says where it stopped', () => {
  const bytes = bytesOf('host-a.pcap');
  const r = new PcapReader();
  r.push(bytes.slice(0, 2000));
  r.stop('reading cancelled at byte offset 2000');
  r.push(bytes.slice(2000));
  const t = r.finish(null);
  assert.ok(t.length > 0 && t.length < readCapture(bytes)!.length);
  assert.equal(t.issues.at(-1)!.message, 'reading cancelled at byte offset 2000');
});

test('empty and header-only inputs', corpus('corpus/pcapng/tcpdump-empty.pcapng'), () => {
  const t = read(new PcapReader(), bytesOf('host-a.pcap').slice(0, 10));
  assert.equal(t.length, 0);
  assert.match(t.issues[0]!.message, /inside the 24-byte pcap file header/);
  const e = readCapture(bytesOf('corpus/pcapng/tcpdump-empty.pcapng'))!;
  assert.equal(e.length, 0);
  assert.equal(e.issueCount, 0);
});

test('DSB, custom and unknown blocks are skipped by their length and counted', () => {
  const dsb = block(0x0a, Uint8Array.from([0x4b, 0x53, 0x4c, 0x54, 4, 0, 0, 0, 1, 2, 3, 4]));
  const cb = block(0x00000bad, Uint8Array.from([0, 0, 0, 0, 9, 9, 9, 9]));
  const unknown = block(0x12345678, new Uint8Array(20));
  const t = read(new PcapngReader(), concat(SHB, IDB, dsb, epb(1), cb, unknown, epb(2)), 5);
  assert.equal(t.length, 2);
  assert.equal(t.issueCount, 0);
  assert.deepEqual(captureInfo(t)?.blockCounts, { SHB: 1, IDB: 1, DSB: 1, EPB: 2, CB: 1, 'block type 0x12345678': 1 });
});

test('packets years apart keep their exact nanosecond times, as tshark prints them (no warning)', () => {
  // Nanosecond pcap (a1b23c4d), little-endian, link type 1; packets at 1.000000001 s, ~200 days
  // later and ~30 years later: relative ns past 2^53 (104 days) are not exact in a float64.
  const head = Uint8Array.from([0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]);
  const rec = (sec: number, ns: number): Uint8Array => {
    const r = new Uint8Array(16 + 14);
    const v = new DataView(r.buffer);
    v.setUint32(0, sec, true);
    v.setUint32(4, ns, true);
    v.setUint32(8, 14, true);
    v.setUint32(12, 14, true);
    return r;
  };
  const bytes = new Uint8Array([...head, ...rec(1, 1), ...rec(1 + 200 * 86400, 999_999_993), ...rec(946684800, 123_456_789)]);
  const t = read(new PcapReader(), bytes, 5);
  assert.equal(t.length, 3);
  assert.equal(t.issueCount, 0);
  assert.deepEqual([0, 1, 2].map((i) => t.absNs(i).toString()), ['1000000001', '17280001999999993', '946684800123456789']);
  assert.deepEqual([abs(t, 1), abs(t, 2)], ['17280001.999999993', '946684800.123456789']);
});
