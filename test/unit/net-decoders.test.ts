// Unit tests of the packet decoders (src/core/net): real frames from the committed captures and
// hand-made edge cases (short headers, lying lengths, bad checksums, extension headers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { classifyPacket, dissectPacket } from '../../src/core/net/dissect';
import { internetChecksum, ipv6 } from '../../src/core/net/bytes';
import { packetBytes } from '../../src/core/formats/capture/common';
import { decodePacket } from '../../src/core/formats/capture/decode';
import type { PacketInfo } from '../../src/core/net/packet';
import { CORPUS_CAPTURES, corpusCapture, readCaptureFile } from '../helpers/capture';
import { absentCorpusFile, corpusSkip } from '../helpers/third-party';

const PCAP = 'test/fixtures/pcap';

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function fields(p: PacketInfo): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of p.layers) for (const f of l.fields) if (!m.has(f.name)) m.set(f.name, f.value);
  return m;
}

/** First packet of a fixture whose summary matches. */
function find(file: string, pred: (p: PacketInfo) => boolean): { p: PacketInfo; i: number; flags: string } {
  const t = readCaptureFile(file.startsWith('corpus/') ? corpusCapture(file) : join(PCAP, file));
  for (let i = 0; i < t.length; i++) {
    const p = decodePacket(t, i);
    if (pred(p)) return { p, i, flags: t.flags(i) };
  }
  throw new Error(`no matching packet in ${file}`);
}

test('ipv6 text form follows RFC 5952', () => {
  assert.equal(ipv6(hex('fe800000000000002c4148fffeda04cc'), 0), 'fe80::2c41:48ff:feda:4cc');
  assert.equal(ipv6(hex('00000000000000000000000000000001'), 0), '::1');
  assert.equal(ipv6(hex('00000000000000000000000000000000'), 0), '::');
  assert.equal(ipv6(hex('00000000000000000000ffff0a4e0001'), 0), '::ffff:10.78.0.1');
  assert.equal(ipv6(hex('20010db8000000010000000000000001'), 0), '2001:db8:0:1::1');
  assert.equal(ipv6(hex('20010db8000100010001000100010001'), 0), '2001:db8:1:1:1:1:1:1');
});

test('internet checksum of an intact IPv4 header is zero', () => {
  const t = readCaptureFile(join(PCAP, 'host-a.pcap'));
  const { i } = find('host-a.pcap', (x) => x.icmp?.echoRequest === true);
  const b = packetBytes(t, i)!;
  assert.equal(internetChecksum(b, 14, 20), 0);
  assert.notEqual(internetChecksum(b.slice(14, 34).fill(0, 10, 12), 0, 20), 0);
});

test('ARP request and reply from the bridge capture', () => {
  const req = find('host-a.pcap', (p) => p.protocol === 'arp' && p.summary.includes('Request')).p;
  assert.equal(req.summary, 'ARP, Request who-has 10.78.0.2 tell 10.78.0.1');
  assert.equal(req.src, '10.78.0.1');
  assert.equal(fields(req).get('arp.opcode'), '1');
  const rep = find('host-a.pcap', (p) => p.protocol === 'arp' && p.summary.includes('Reply')).p;
  assert.match(rep.summary, /^ARP, Reply 10\.78\.0\.2 is-at ([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
});

test('ICMP echo request: id, seq, addresses, tcpdump-like summary', () => {
  const { p } = find('host-a.pcap', (x) => x.icmp?.echoRequest === true);
  assert.equal(p.protocol, 'icmp');
  assert.equal(p.src, '10.78.0.1');
  assert.equal(p.dst, '10.78.0.2');
  assert.equal(p.icmp?.seq, 1);
  assert.ok(p.icmp?.id !== null && p.icmp!.id > 0);
  assert.equal(p.summary, `10.78.0.1 > 10.78.0.2: ICMP echo request, id ${p.icmp?.id}, seq 1, length 64`);
  assert.deepEqual(p.problems, []);
  // layers in order with byte ranges that tile the headers
  assert.deepEqual(p.layers.map((l) => [l.name, l.offset, l.length]), [['eth', 0, 14], ['ip', 14, 20], ['icmp', 34, 64]]);
  const seq = p.layers[2]!.fields.find((f) => f.name === 'icmp.seq');
  assert.deepEqual([seq?.offset, seq?.length], [40, 2]);
});

test('seed 004: IPv4 total length exceeds packet length (crafted frame, caplen == len)', () => {
  const { p } = find('host-a.pcap', (x) => x.problems.some((q) => q.kind === 'ip-length-exceeds'));
  const q = p.problems.find((x) => x.kind === 'ip-length-exceeds');
  assert.equal(q?.message, 'IPv4 total length exceeds packet length (84 > 80 bytes)');
  assert.equal(q?.offset, 16);
  assert.equal(p.protocol, 'icmp');
});

test('bad IPv4 header checksum names the right value', () => {
  const { p } = find('host-a.pcap', (x) => x.problems.some((q) => q.kind === 'bad-checksum'));
  const q = p.problems.find((x) => x.kind === 'bad-checksum')!;
  const f = fields(p);
  const good = (parseInt(f.get('ip.checksum')!, 16) ^ 0x1234).toString(16).padStart(4, '0');
  assert.equal(q.message, `bad IPv4 header checksum ${f.get('ip.checksum')} (should be 0x${good})`);
});

test('802.1Q tag (crafted)', () => {
  const { p } = find('host-a.pcap', (x) => x.layers.some((l) => l.name === 'vlan'));
  assert.equal(fields(p).get('vlan.id'), '100');
  assert.equal(p.protocol, 'icmp');
});

test('802.1ad + 802.1Q (QinQ corpus file)', { skip: corpusSkip('pcap/tcpdump-802.1ad_QinQ.pcap') }, () => {
  const qinq = find('corpus/pcap/tcpdump-802.1ad_QinQ.pcap', () => true).p;
  assert.deepEqual(qinq.layers.map((l) => l.name), ['eth', 'ieee8021ad', 'vlan', 'arp']);
  assert.equal(fields(qinq).get('ieee8021ad.id'), '200');
  assert.equal(fields(qinq).get('vlan.id'), '2001');
});

test('OSPFv2 Hello: router id, intervals, neighbours (real Hellos sent in the capture script)', () => {
  const { p } = find('host-a.pcap', (x) => (x.ospf?.hello?.neighbors.length ?? 0) > 0);
  assert.equal(p.protocol, 'ospf');
  assert.equal(p.ospf?.routerId, '10.78.0.3');
  assert.equal(p.ospf?.areaId, '0.0.0.0');
  assert.deepEqual(p.ospf?.hello, {
    networkMask: '255.255.255.0',
    helloInterval: 1,
    priority: 1,
    deadInterval: 4,
    designatedRouter: '10.78.0.3',
    backupDesignatedRouter: '0.0.0.0',
    neighbors: ['10.78.0.1', '10.78.0.2'],
  });
  assert.equal(p.summary, '10.78.0.3 > 224.0.0.5: OSPFv2, Hello, router 10.78.0.3, area 0.0.0.0, hello 1s, dead 4s, 2 neighbors [10.78.0.1, 10.78.0.2]');
});

test('OSPFv2 Hello of another network (corpus file): intervals and neighbours', { skip: corpusSkip('pcapng/tcpdump-OSPFv2_Capture_FINAL.pcapng') }, () => {
  const corpus = find('corpus/pcapng/tcpdump-OSPFv2_Capture_FINAL.pcapng', (x) => x.ospf?.type === 1).p;
  assert.deepEqual([corpus.ospf?.hello?.helloInterval, corpus.ospf?.hello?.deadInterval, corpus.ospf?.hello?.neighbors], [10, 40, ['192.168.255.11', '192.168.255.14']]);
});

test('TCP SYN: flags, options, ports', () => {
  const { p } = find('host-a.pcap', (x) => x.protocol === 'tcp' && x.summary.includes('Flags [S]'));
  assert.deepEqual(p.ports, { src: p.ports!.src, dst: 7878 });
  assert.match(p.summary, /^10\.78\.0\.1\.\d+ > 10\.78\.0\.2\.7878: Flags \[S\], seq \d+, win \d+, options \[mss 1460,sackOK,TS val \d+ ecr 0,wscale \d+\], length 0$/);
  assert.equal(fields(p).get('tcp.flags'), '0x002');
});

test('UDP datagram', () => {
  const { p } = find('host-a.pcap', (x) => x.protocol === 'udp' && x.ports?.dst === 7879);
  assert.match(p.summary, /^10\.78\.0\.1\.\d+ > 10\.78\.0\.2\.7879: UDP, length 16$/);
  assert.equal(fields(p).get('udp.length'), '24');
});

test('ICMPv6 echo and neighbour discovery', () => {
  const echo = find('host-a.pcap', (x) => x.icmp?.version === 6 && x.icmp.echoRequest === true).p;
  assert.equal(echo.protocol, 'icmpv6');
  assert.equal(echo.src, 'fd78::1');
  assert.equal(echo.icmp?.seq, 1);
  const ns = find('host-a.pcap', (x) => x.icmp?.version === 6 && x.icmp.type === 135).p;
  assert.match(ns.summary, /ICMP6, neighbor solicitation, who has /);
});

test('IPv6 hop-by-hop options are walked to the ICMPv6 payload', () => {
  const { p } = find('host-a.pcap', (x) => x.layers.some((l) => l.name === 'ipv6.hopopts'));
  assert.equal(p.protocol, 'icmpv6');
  assert.equal(p.icmp?.type, 143);
});

test('Linux cooked v2: direction from the packet type', () => {
  const out = find('host-a-any-sll2.pcap', (x) => x.icmp?.echoRequest === true && x.src === '10.78.0.1');
  assert.equal(out.flags, 'out');
  assert.equal(fields(out.p).get('sll.pkttype'), 'outgoing');
  const inb = find('host-a-any-sll2.pcap', (x) => x.icmp?.echoRequest === false && x.src === '10.78.0.2');
  assert.equal(inb.flags, 'in');
});

test('BSD loopback (NULL) in host byte order: AF_INET 2 and Darwin AF_INET6 30', { skip: corpusSkip('pcap/pcpp-null_loopback.pcap') }, () => {
  const v6 = find('corpus/pcap/pcpp-null_loopback.pcap', (x) => fields(x).get('null.family') === '30').p;
  assert.deepEqual(v6.layers.map((l) => l.name).slice(0, 2), ['null', 'ipv6']);
  const v4 = find('corpus/pcap/pcpp-null_loopback.pcap', (x) => fields(x).get('null.family') === '2').p;
  assert.deepEqual(v4.layers.map((l) => l.name).slice(0, 2), ['null', 'ip']);
});

test('IPv4 first fragment, later fragment and IPv6 fragment header (hand-made)', () => {
  // Ethernet + IPv4 MF set offset 0 + ICMP echo header
  const eth = 'ffffffffffff0200000000010800';
  const first = hex(eth + '45000024abcd2000400100000a0000010a000002' + '08000000000700010000000000000000');
  const p1 = dissectPacket(first, 1, first.length);
  assert.equal(p1.protocol, 'icmp');
  assert.match(p1.summary, /\(first fragment, id 43981\)$/);
  const later = hex(eth + '45000024abcd00b9400100000a0000010a000002' + '0000000000000000000000000000000000');
  const p2 = dissectPacket(later, 1, later.length);
  assert.equal(p2.protocol, 'ipv4');
  assert.match(p2.summary, /fragment id 43981, offset 1480, proto icmp/);
  assert.equal(classifyPacket(later, 0, later.length, 1, later.length), 'ipv4');
  // IPv6 with a fragment header (next 44) carrying a first fragment of ICMPv6 echo
  const v6 = hex(
    '333300000001020000000001' + '86dd' + '60000000' + '0018' + '2c40' + 'fd780000000000000000000000000001' + 'fd780000000000000000000000000002' +
      '3a000001' + '12345678' + '80000000' + '00070001' + '0000000000000000',
  );
  const p3 = dissectPacket(v6, 1, v6.length);
  assert.equal(p3.protocol, 'icmpv6');
  assert.equal(p3.icmp?.seq, 1);
  assert.ok(p3.layers.some((l) => l.name === 'ipv6.fraghdr'));
});

test('IPv4 options are listed; total length below the header length is malformed', () => {
  const eth = '01005e000016020000000001' + '0800';
  // IGMPv3 report with the Router Alert option (ihl 6)
  const ra = hex(eth + '46c00028000040000102' + '0000' + '0a4e0001e0000016' + '94040000' + '2200f9020000000104000000e00000fb');
  const p = dissectPacket(ra, 1, ra.length);
  assert.equal(fields(p).get('ip.opt.type'), 'RA');
  assert.equal(p.protocol, 'igmp');
  const bogus = hex(eth + '45000010000040000111' + '0000' + '0a4e00010a4e0002' + '00000000');
  const q = dissectPacket(bogus, 1, bogus.length);
  assert.ok(q.problems.some((x) => x.kind === 'malformed' && /total length 16 is less than the header length 20/.test(x.message)));
});

test('every header cut short at every length: no throw, a malformed problem, the same protocol from classify', () => {
  const full = find('host-a.pcap', (x) => x.protocol === 'tcp' && x.summary.includes('Flags [S]'));
  const t = readCaptureFile(join(PCAP, 'host-a.pcap'));
  const bytes = packetBytes(t, full.i)!.slice();
  for (let n = 0; n <= bytes.length; n++) {
    const cut = bytes.subarray(0, n);
    const p = dissectPacket(cut, 1, n);
    assert.equal(classifyPacket(cut, 0, n, 1, n), p.protocol, `cut at ${n}`);
    if (n < 54) assert.ok(p.problems.some((x) => x.kind === 'malformed'), `cut at ${n}: ${JSON.stringify(p.problems)}`);
  }
  // Snaplen truncation is reported as such; the headers it cuts are not malformed.
  const snap = dissectPacket(bytes.subarray(0, 40), 1, bytes.length);
  assert.deepEqual(snap.problems.map((x) => x.kind), ['truncated-frame']);
});

// Own captures and the shared corpus's (read in place: skipped where it is absent).
const CORPUS_FILES = CORPUS_CAPTURES.filter((k) => /\.(pcap|pcapng)$/.test(k)).map(corpusCapture);
test('classifyPacket agrees with the full decoder on every packet of every fixture', { skip: CORPUS_FILES.map(absentCorpusFile).find(Boolean) ?? false }, () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return n === 'expected' ? [] : walk(p);
      return /\.(pcap|pcapng)$/.test(n) ? [p] : [];
    });
  let n = 0;
  for (const file of [...walk(PCAP), ...CORPUS_FILES]) {
    let t;
    try {
      t = readCaptureFile(file);
    } catch {
      continue;
    }
    for (let i = 0; i < t.length; i++) {
      assert.equal(t.event(i), decodePacket(t, i).protocol, `${file} packet ${i + 1}`);
      n++;
    }
  }
  assert.ok(n > 1000, `only ${n} packets checked`);
});

// Built from the specs cited in src/core/net/overlay.ts, ppp.ts, ppi.ts and ip.ts; the real
// captures of each are cross-checked with tshark in test/golden/capture-fixtures.test.ts.
const ETH_V4 = 'ffffffffffff' + '020000000001' + '0800';
const ETH_V6 = 'ffffffffffff' + '020000000001' + '86dd';
/** IPv4 header (no options, checksum left 0: a bad-checksum problem is expected) for `proto`, total length `len`. */
const ipv4Head = (proto: number, len: number, src = 'c0000201', dst = 'c0000202'): string => `4500${len.toString(16).padStart(4, '0')}0000400040${proto.toString(16).padStart(2, '0')}0000${src}${dst}`;
const ICMP_ECHO = '0800f7fc000100020000000000000000';

test('VXLAN: the inner Ethernet/IPv4/ICMP is the packet; the underlay stays in the layer tree', () => {
  const inner = ETH_V4 + ipv4Head(1, 20 + 16, '0a2a0001', '0a2a0002') + ICMP_ECHO;
  const vx = '08000000' + '00002a00';
  const udpLen = 8 + vx.length / 2 + inner.length / 2;
  const pkt = hex(ETH_V4 + ipv4Head(17, 20 + udpLen) + `c00012b5${udpLen.toString(16).padStart(4, '0')}0000` + vx + inner);
  const p = dissectPacket(pkt, 1, pkt.length);
  assert.equal(p.protocol, 'icmp');
  assert.deepEqual([p.src, p.dst], ['10.42.0.1', '10.42.0.2']);
  assert.equal(p.icmp?.echoRequest, true);
  assert.deepEqual(p.layers.map((l) => l.name), ['eth', 'ip', 'udp', 'vxlan', 'eth', 'ip', 'icmp']);
  assert.equal(fields(p).get('vxlan.vni'), '42');
  assert.match(p.summary, /ICMP echo request.*\[VXLAN vni 42, 192\.0\.2\.1 > 192\.0\.2\.2\]$/);
  assert.equal(classifyPacket(pkt, 0, pkt.length, 1, pkt.length), 'icmp');
  // Without the I flag the VNI is not valid: said, and still decoded.
  const noI = hex(ETH_V4 + ipv4Head(17, 20 + udpLen) + `c00012b5${udpLen.toString(16).padStart(4, '0')}0000` + '00000000' + '00002a00' + inner);
  assert.ok(dissectPacket(noI, 1, noI.length).problems.some((x) => /without the I flag/.test(x.message)));
});

test('GTP-U with an extension header chain: the inner IPv4 after it; signalling messages stay GTP', () => {
  const inner = ipv4Head(1, 20 + 16, 'ca0b289e', 'c0a828b2') + ICMP_ECHO;
  // flags 0x34: version 1, PT, E; seq 0x0001, N-PDU 0, next 0x85 (PDU session container, 1 word: len 1, 2 bytes, next 0)
  const gtpPayload = '00010085' + '01000000' + inner;
  const gtp = `34ff${(gtpPayload.length / 2).toString(16).padStart(4, '0')}00000001` + gtpPayload;
  const udpLen = 8 + gtp.length / 2;
  const pkt = hex(ETH_V4 + ipv4Head(17, 20 + udpLen) + `08680868${udpLen.toString(16).padStart(4, '0')}0000` + gtp);
  const p = dissectPacket(pkt, 1, pkt.length);
  assert.equal(p.protocol, 'icmp');
  assert.deepEqual([p.src, p.dst], ['202.11.40.158', '192.168.40.178']);
  assert.equal(fields(p).get('gtp.teid'), '0x00000001');
  assert.deepEqual(p.layers.map((l) => l.name), ['eth', 'ip', 'udp', 'gtp', 'gtp.ext_hdr', 'ip', 'icmp']);
  const echo = hex(ETH_V4 + ipv4Head(17, 20 + 20) + '086808680014' + '0000' + '3201000400000000' + '00010000');
  const e = dissectPacket(echo, 1, echo.length);
  assert.equal(e.protocol, 'gtp');
  assert.match(e.summary, /GTP-U message 1/);
});

test('IPv6 payload length 0: invalid without a Jumbo Payload option (the payload is not decoded), a jumbogram with one', () => {
  const v6 = (plen: string, next: string, rest: string) => hex(ETH_V6 + `60000000${plen}${next}40` + '20010db8000000000000000000000001' + '20010db8000000000000000000000002' + rest);
  const echo6 = '8000000000010001';
  const zero = v6('0000', '3a', echo6);
  const p = dissectPacket(zero, 1, zero.length);
  assert.equal(p.protocol, 'ipv6');
  assert.equal(p.icmp, null);
  assert.ok(p.problems.some((x) => x.kind === 'malformed' && /payload length 0 without a Jumbo Payload option/.test(x.message)));
  assert.equal(classifyPacket(zero, 0, zero.length, 1, zero.length), 'ipv6');
  // Hop-by-hop (next 58) with the Jumbo Payload option: 8 (hop-by-hop) + 8 (echo) bytes follow.
  const jumbo = v6('0000', '00', '3a00c20400000010' + echo6);
  const j = dissectPacket(jumbo, 1, jumbo.length);
  assert.equal(j.protocol, 'icmpv6');
  assert.equal(j.problems.filter((x) => x.kind === 'malformed').length, 0);
  assert.equal(classifyPacket(jumbo, 0, jumbo.length, 1, jumbo.length), 'icmpv6');
});

test('PPP: address/control optional, a compressed protocol, PPPoE sessions and PPP control protocols', () => {
  const ip = ipv4Head(1, 20 + 16) + ICMP_ECHO;
  for (const [link, head] of [
    [9, '0021'],
    [9, 'ff030021'],
    [9, '21'],
    [50, 'ff030021'],
  ] as const) {
    const pkt = hex(head + ip);
    const p = dissectPacket(pkt, link, pkt.length);
    assert.equal(p.protocol, 'icmp', `${link} ${head}`);
    assert.equal(classifyPacket(pkt, 0, pkt.length, link, pkt.length), 'icmp');
  }
  const lcp = hex('ffffffffffff' + '020000000001' + '8864' + '11000017000e' + 'c021' + '0967000c' + 'a4cbea340ee2f609');
  const q = dissectPacket(lcp, 1, lcp.length);
  assert.equal(q.protocol, 'lcp');
  assert.equal(fields(q).get('pppoe.session_id'), '0x0017');
  assert.equal(q.summary, 'PPPoE session 0x0017: PPP LCP Echo-Request, id 103, length 12');
});

test('PPI: the header and its fields, then the frame of its link type; an unknown link type is named, not guessed', () => {
  const eth = ETH_V4 + ipv4Head(1, 20 + 16) + ICMP_ECHO;
  const ppi = '00001400' + '01000000' + '09000800' + '0000000000000000';
  const pkt = hex(ppi + eth);
  const p = dissectPacket(pkt, 192, pkt.length);
  assert.equal(p.protocol, 'icmp');
  assert.equal(fields(p).get('ppi.dlt'), '1');
  assert.equal(classifyPacket(pkt, 0, pkt.length, 192, pkt.length), 'icmp');
  const wifi = hex('00000800' + '69000000' + '0801000000');
  const w = dissectPacket(wifi, 192, wifi.length);
  assert.match(w.summary, /IEEE802_11 \(105\) inside another header/);
  const bad = hex('01000800' + '01000000');
  assert.ok(dissectPacket(bad, 192, bad.length).problems.some((x) => /PPI version 1/.test(x.message)));
});
