// Findings and journeys over the real bridge captures (test/fixtures/capture/capture-net.sh):
// each check is tied to something the capture script did on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findings, type Finding } from '../../src/core/analysis/capture/findings';
import { journeys, tcpJourney, tcpSegment } from '../../src/core/analysis/capture/journey';
import { decodePacket } from '../../src/core/formats/capture/decode';
import { estimateClockOffset } from '../../src/core/analysis/capture/align';
import { readCaptureFile } from '../helpers/capture';
import { readFtraceFile } from '../helpers/read';

const PCAP = 'test/fixtures/pcap';
const input = (name: string) => ({ name, trace: readCaptureFile(join(PCAP, name)) });
const kinds = (fs: Finding[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const f of fs) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
};

test('host A: the crafted frames (seed 004 length, bad checksum), echo requests B ignored, Hellos that stop', () => {
  const fs = findings([input('host-a.pcap')]);
  const k = kinds(fs);
  assert.equal(k['ip-length-exceeds'], 1);
  assert.equal(k['bad-checksum'], 1);
  // 3 pings while B ignored echo requests + the 3 crafted requests B's kernel dropped
  assert.equal(k['echo-no-reply'], 6);
  const stop = fs.filter((f) => f.kind === 'periodic-stop');
  assert.equal(stop.length, 1);
  assert.match(stop[0]!.message, /^OSPF Hello 10\.78\.0\.3 > 224\.0\.0\.5: 6 packets every 0\.50\d s, then none after this one; the capture goes on [\d.]+ s \(about \d+ periods\) without it$/);
  assert.equal(k['missing-traffic'], undefined);
  assert.equal(k['read-error'], undefined);
});

test('host B egress only: replies without requests and requests without replies (seed 000 symptom)', () => {
  const k = kinds(findings([input('host-b-egress-only.pcap')]));
  assert.equal(k['echo-reply-no-request'], 7); // 5 to A's pings + 2 ICMPv6
  assert.equal(k['echo-no-reply'], 3); // B's own pings: A's replies are ingress
});

test('comparing captures: the egress-only capture lacks what the others of the same hosts have', () => {
  const fs = findings([input('host-a.pcap'), input('host-b-egress-only.pcap'), input('bridge-multi.pcapng')]);
  const missing = fs.filter((f) => f.kind === 'missing-traffic');
  assert.ok(missing.length >= 3);
  assert.ok(missing.every((f) => f.source === 1), 'only the egress-only capture lacks traffic');
  const req = missing.find((f) => f.message.startsWith('host-b-egress-only.pcap has no ICMP echo request 10.78.0.1 > 10.78.0.2'));
  assert.ok(req, JSON.stringify(missing.map((f) => f.message)));
  assert.match(req!.message, /host-a\.pcap has \d+ \(from packet \d+\); bridge-multi\.pcapng \(ktlbr0\) has/);
  // The bridge port towards C sees no unicast A<->B traffic: it is not "missing" anything.
  assert.ok(!fs.some((f) => f.kind === 'missing-traffic' && f.interface === 'ktlnc-p'));
});

test('snaplen 64: truncated frames are notes, not malformed headers', () => {
  const k = kinds(findings([input('host-c-snaplen64.pcap')]));
  assert.ok((k['truncated-frame'] ?? 0) > 5);
  assert.equal(k.malformed, undefined);
});

test('traces: lost events become findings with their line', () => {
  const trace = readFtraceFile('test/fixtures/ftrace/lost-events-pipe.trace');
  const fs = findings([{ name: 'lost-events-pipe.trace', trace }]);
  assert.equal(fs.filter((f) => f.kind === 'lost-events').length, trace.lost.length);
  assert.ok(fs.every((f) => f.kind !== 'lost-events' || f.line !== undefined));
});

test('journey of one ping across the bridge: A port, bridge, B port, then the reply back', () => {
  const js = journeys([input('bridge-multi.pcapng'), input('host-a.pcap')], { seq: 1 });
  const ping = js.find((j) => j.key.icmp?.requester === '10.78.0.1' && j.key.icmp.responder === '10.78.0.2' && j.key.icmp.version === 4 && j.status === 'answered');
  assert.ok(ping);
  const hops = ping!.hops.map((h) => `${h.file}:${h.interface}:${h.what}`);
  // A sends (host-a capture first), the request crosses the bridge ports, then the reply comes back.
  assert.equal(hops[0], 'host-a.pcap:if0:request');
  assert.ok(hops.at(-1)!.endsWith(':reply'));
  const firstReply = hops.findIndex((h) => h.endsWith(':reply'));
  assert.ok(hops.slice(0, firstReply).every((h) => h.endsWith(':request')));
  assert.ok(hops.includes('bridge-multi.pcapng:ktlna-p:request') && hops.includes('bridge-multi.pcapng:ktlnb-p:request'));
  for (let i = 1; i < ping!.hops.length; i++) assert.ok(BigInt(ping!.hops[i - 1]!.timeNs) <= BigInt(ping!.hops[i]!.timeNs));
  assert.equal(ping!.expectedNext, null);
});

test('journey of an unanswered echo says where it was last seen and what was expected', () => {
  // The crafted request with a bad IPv4 header checksum enters the bridge on A's port and is
  // never forwarded to B's port (the bridge's netfilter hook checks IPv4 headers).
  const js = journeys([input('host-a.pcap'), input('bridge-multi.pcapng')], { id: 27508, seq: 2 });
  assert.equal(js.length, 1);
  assert.equal(js[0]!.status, 'unanswered');
  assert.deepEqual(js[0]!.hops.map((h) => `${h.file}:${h.interface}`), ['host-a.pcap:if0', 'bridge-multi.pcapng:ktlna-p']);
  assert.match(js[0]!.expectedNext!, /^ICMP echo reply from 10\.78\.0\.2 to 10\.78\.0\.1: the request was last seen at bridge-multi\.pcapng \(ktlna-p\) packet \d+ and no capture has the reply$/);
});

test('clock alignment: net_dev_xmit/netif_receive_skb matched to captured frames agree with the wall-clock markers', () => {
  const trace = readFtraceFile(join(PCAP, 'bridge-net.trace'));
  const e = estimateClockOffset(trace, [readCaptureFile(join(PCAP, 'bridge-multi.pcapng'))]);
  assert.equal(e.method, 'events');
  assert.ok(e.matches > 100, `${e.matches} matches`);
  assert.ok(e.residualNs < 100_000, `residual ${e.residualNs} ns`);
  assert.equal(e.markers?.count, 7);
  const diff = BigInt(e.offsetNs) - BigInt(e.markers!.offsetNs);
  assert.ok(diff < 2_000_000n && diff > -2_000_000n, `events and markers differ by ${diff} ns`);
  // A classic pcap names no interface: its frames match net events of any device by length,
  // and agree with the markers as the pcapng's do (issue 12; was: no match, markers only).
  const m = estimateClockOffset(trace, [readCaptureFile(join(PCAP, 'host-a.pcap'))]);
  assert.equal(m.method, 'events');
  const mdiff = BigInt(m.offsetNs) - BigInt(m.markers!.offsetNs);
  assert.ok(mdiff < 2_000_000n && mdiff > -2_000_000n, `host-a.pcap: events and markers differ by ${mdiff} ns`);
});

test('journeys cross a VXLAN overlay: the inner ICMP echo and TCP segment on the overlay device and in the underlay\'s UDP', () => {
  // capture-vxlan.sh: A pings 10.42.0.2 three times over vni 42, captured at once on the vxlan
  // device (inner frames) and on the underlay veth (the same frames in UDP 4789).
  const files = [input('vxlan-overlay-a.pcap'), input('vxlan-underlay-a.pcap')];
  const js = journeys(files).filter((j) => j.key.icmp?.requester === '10.42.0.1');
  assert.equal(js.length, 3);
  for (const j of js) {
    assert.equal(j.status, 'answered');
    assert.deepEqual(
      j.hops.map((h) => `${h.file} ${h.what}`).sort(),
      ['vxlan-overlay-a.pcap reply', 'vxlan-overlay-a.pcap request', 'vxlan-underlay-a.pcap reply', 'vxlan-underlay-a.pcap request'],
    );
  }
  // The TCP SYN to port 7880, as the editor follows a selected segment.
  const under = files[1] as (typeof files)[number];
  let syn = null;
  for (let i = 0; i < under.trace.length && !syn; i++) {
    const s = tcpSegment(decodePacket(under.trace, i));
    if (s && s.dport === 7880 && s.flags === 0x002) syn = s;
  }
  assert.ok(syn, 'the underlay holds the tunnelled SYN');
  assert.equal(syn.src, '10.42.0.1');
  const tj = tcpJourney(files, syn);
  // On each capture: the segment, and the first ACK that covers it (the SYN-ACK).
  assert.deepEqual(tj.hops.map((h) => `${h.file} ${h.what}`).sort(), ['vxlan-overlay-a.pcap ack', 'vxlan-overlay-a.pcap segment', 'vxlan-underlay-a.pcap ack', 'vxlan-underlay-a.pcap segment']);
});
