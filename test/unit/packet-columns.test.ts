// The capture packet table: its columns (Info in Wireshark's manner, from our dissectors),
// address order, exact times with the capture's precision, and the worker's sort of every
// packet column (stable, both ways, under a filter expression).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCaptureFile } from '../helpers/capture';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { packetAddresses, packetColumns, packetEndpoints, protocolLabel } from '../../src/core/formats/capture/columns';
import { CORPUS_CAPTURES, corpusCapture, readCapture } from '../helpers/capture';
import { packetBytes } from '../../src/core/formats/capture/common';
import { decodePacket } from '../../src/core/formats/capture/decode';
import { ipEndpoints } from '../../src/core/net/dissect';
import { eventText } from '../../src/core/formats/decode';
import { addressKey, compareAddresses, sortAddresses } from '../../src/core/net/address-order';
import { packetRow, resolutionDigits } from '../../src/worker/packet-rows';
import { TraceService } from '../../src/worker/trace-service';
import type { RowSort, SortColumn } from '../../src/protocol/messages';

const HOST_A = 'test/fixtures/pcap/host-a.pcap';

test('columns of host-a.pcap: the rows tshark -n shows (Source, Destination, Protocol, Length, Info)', () => {
  const t = readCaptureFile(HOST_A);
  // tshark -n -r host-a.pcap: frames 10-13 (ARP who-has, ARP reply, echo request and reply).
  assert.deepEqual(packetColumns(t, 9), { source: '66:34:87:fe:31:1c', destination: 'ff:ff:ff:ff:ff:ff', protocol: 'ARP', length: 42, caplen: 42, info: 'Who has 10.78.0.2? Tell 10.78.0.1' });
  assert.deepEqual(packetColumns(t, 10), { source: '02:ba:1a:73:40:9e', destination: '66:34:87:fe:31:1c', protocol: 'ARP', length: 42, caplen: 42, info: '10.78.0.2 is at 02:ba:1a:73:40:9e' });
  // tshark: "Echo (ping) request  id=0x0a5c, seq=1/256, ttl=64" (two spaces; its "(reply in N)" needs the stream).
  assert.deepEqual(packetColumns(t, 11), { source: '10.78.0.1', destination: '10.78.0.2', protocol: 'ICMP', length: 98, caplen: 98, info: 'Echo (ping) request id=0x0a5c, seq=1/256, ttl=64' });
  assert.equal(packetColumns(t, 12).info, 'Echo (ping) reply id=0x0a5c, seq=1/256, ttl=64');
  assert.equal(packetColumns(t, 0).protocol, 'ICMPv6');
  assert.equal(packetColumns(t, 0).info, 'Multicast listener report v2');
});

test('Info of TCP and UDP: ports, flags, raw seq/ack, window, payload length, SYN options', () => {
  const t = readCaptureFile('test/fixtures/pcap/vxlan-overlay-a.pcap');
  const infos = Array.from({ length: t.length }, (_, i) => packetColumns(t, i));
  const syn = infos.find((c) => c.protocol === 'TCP' && c.info.includes('[SYN]'));
  assert.ok(syn, 'a SYN in vxlan-overlay-a.pcap');
  assert.match(syn.info, /^\d+ → \d+ \[SYN\] Seq=\d+ Win=\d+ Len=0 MSS=\d+ SACK_PERM TSval=\d+ TSecr=0 WS=\d+$/);
  const data = infos.find((c) => c.protocol === 'TCP' && c.info.includes('[PSH, ACK]'));
  assert.ok(data);
  assert.match(data.info, /^\d+ → \d+ \[PSH, ACK\] Seq=\d+ Ack=\d+ Win=\d+ Len=[1-9]\d* TSval=\d+ TSecr=\d+$/);
  const udp = readCaptureFile('test/fixtures/pcap/loopback-big-udp.pcap');
  assert.match(packetColumns(udp, 0).info, /^\d+ → \d+ Len=\d+$/);
});

test('a packet inside VXLAN: the inner flow and the inner Info; an inner ARP shows the inner MACs', () => {
  const t = readCaptureFile('test/fixtures/pcap/vxlan-underlay-a.pcap');
  const cols = Array.from({ length: t.length }, (_, i) => packetColumns(t, i));
  const arp = cols.find((c) => c.protocol === 'ARP');
  assert.ok(arp);
  assert.match(arp.source, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  assert.match(arp.info, /^Who has|is at/);
  // No Info of the tunnel's own UDP header (4789) is left for the inner packet.
  assert.ok(cols.every((c) => !c.info.includes('4789 Len=')));
});

test('Source/Destination straight from the IP header agree with the full decoder on every fixture and corpus packet', () => {
  const files = [...readdirSync('test/fixtures/pcap').filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => `test/fixtures/pcap/${f}`), ...CORPUS_CAPTURES.map(corpusCapture).filter((f) => existsSync(f))];
  let fast = 0;
  let packets = 0;
  for (const f of files) {
    const t = readCapture(new Uint8Array(readFileSync(f)));
    if (!t) continue;
    for (let i = 0; i < t.length; i++) {
      packets++;
      const bytes = packetBytes(t, i) as Uint8Array;
      const quick = ipEndpoints(bytes, 0, bytes.length, t.extra('linkType')?.get(i) ?? 1);
      const full = packetAddresses(decodePacket(t, i));
      if (quick) {
        fast++;
        assert.deepEqual({ source: quick.src, destination: quick.dst }, full, `${f} packet ${i + 1}`);
      }
      assert.deepEqual(packetEndpoints(t, i), full, `${f} packet ${i + 1}`);
    }
  }
  // Most packets take the quick path (the point of it), and some do not (tunnels, ARP, ...).
  assert.ok(fast > packets / 2 && fast < packets, `${fast} of ${packets} packets read from the IP header`);
});

test('protocol labels: Wireshark spellings, unknown names upper-cased', () => {
  assert.equal(protocolLabel('icmpv6'), 'ICMPv6');
  assert.equal(protocolLabel('ipv4'), 'IPv4');
  assert.equal(protocolLabel('tcp'), 'TCP');
  assert.equal(protocolLabel('stp'), 'STP');
  assert.equal(protocolLabel('foo'), 'FOO');
});

test('addresses sort as Wireshark: type first (none, MAC, IPv4, IPv6), then by value, not as text', () => {
  assert.ok(compareAddresses('10.0.0.9', '10.0.0.10') < 0, 'IPv4 by value');
  assert.ok(compareAddresses('9.255.255.255', '10.0.0.0') < 0);
  assert.ok(compareAddresses('fe80::2', 'fe80::10') < 0, 'IPv6 by value');
  assert.ok(compareAddresses('::ffff:10.0.0.9', '::ffff:10.0.0.10') < 0, 'IPv6 with a dotted tail');
  assert.ok(compareAddresses('02:00:00:00:00:09', '10.0.0.1') < 0, 'MAC before IPv4');
  assert.ok(compareAddresses('255.255.255.255', '::') < 0, 'IPv4 before IPv6');
  assert.ok(compareAddresses('', '00:00:00:00:00:00') < 0, 'none first');
  assert.deepEqual(addressKey('2001:db8::1'), [3, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(addressKey('1.2.3.400'), [4], 'not an address');
  assert.deepEqual(sortAddresses(['10.0.0.10', 'fe80::1', '10.0.0.9', '', 'aa:bb:cc:dd:ee:ff', '10.0.0.100']), ['', 'aa:bb:cc:dd:ee:ff', '10.0.0.9', '10.0.0.10', '10.0.0.100', 'fe80::1']);
});

test('packet rows carry the exact absolute time and the interface precision', () => {
  assert.equal(resolutionDigits('10^-6'), 6);
  assert.equal(resolutionDigits('10^-9'), 9);
  assert.equal(resolutionDigits('10^-3'), 3);
  assert.equal(resolutionDigits('2^-10'), 4);
  assert.equal(resolutionDigits('2^-40'), 9);
  const t = readCaptureFile(HOST_A);
  const row = packetRow(t, 11, null);
  assert.ok(row);
  assert.equal(row.digits, 6, 'a microsecond pcap');
  assert.equal(BigInt(row.timeNs), t.absNs(11));
  assert.equal(BigInt(row.timeNs) % 1000n, 0n);
  assert.equal(row.prevTimeNs, String(t.absNs(10)));
  assert.equal(packetRow(t, 0, null)?.prevTimeNs, null);
  // Under a filter, the previous displayed packet in file order (not the previous row of a sort).
  assert.equal(packetRow(t, 11, Uint32Array.from([3, 7, 11, 12]))?.prevTimeNs, String(t.absNs(7)));
  assert.equal(packetRow(t, 3, Uint32Array.from([3, 7, 11, 12]))?.prevTimeNs, null);
});

/** The list a sort must give: file indices by (key, index), either way. */
function expected(keys: readonly (string | number)[], list: readonly number[], descending: boolean, compare: (a: string | number, b: string | number) => number): number[] {
  return [...list].sort((a, b) => (descending ? -1 : 1) * compare(keys[a] as string | number, keys[b] as string | number) || a - b);
}

test('the worker sorts every packet column, stable, both ways, under a filter expression', async () => {
  const svc = await TraceService.open(HOST_A);
  const t = readCaptureFile(HOST_A);
  try {
    const cols = Array.from({ length: t.length }, (_, i) => packetColumns(t, i));
    const all = Array.from({ length: t.length }, (_, i) => i);
    const num = (a: string | number, b: string | number): number => (a as number) - (b as number);
    const text = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
    const addr = (a: string | number, b: string | number): number => compareAddresses(a as string, b as string);
    const cases: [SortColumn, (string | number)[], typeof num][] = [
      ['source', cols.map((c) => c.source), addr],
      ['destination', cols.map((c) => c.destination), addr],
      ['protocol', cols.map((c) => c.protocol), text],
      ['length', cols.map((c) => c.length), num],
      ['info', cols.map((c) => c.info), text],
    ];
    for (const [column, keys, compare] of cases) {
      for (const descending of [false, true]) {
        const sort: RowSort = { column, descending };
        const got = svc.rows(0, 5000, {}, sort).rows.map((r) => r.index);
        assert.deepEqual(got, expected(keys, all, descending, compare), `${column} ${descending ? 'desc' : 'asc'}`);
        const filtered = all.filter((i) => t.event(i) === 'icmp');
        const gotF = svc.rows(0, 5000, { expr: 'icmp' }, sort);
        assert.equal(gotF.total, filtered.length);
        assert.deepEqual(gotF.rows.map((r) => r.index), expected(keys, filtered, descending, compare), `${column} under the filter`);
      }
    }
    // A row's text is the packet's summary (decoded once with its columns), as eventText gives it.
    for (const r of svc.rows(0, 5000, {}).rows) {
      assert.equal(r.text, eventText(t, r.index));
      assert.deepEqual(r.packet && { ...r.packet, timeNs: undefined, prevTimeNs: undefined, digits: undefined }, { ...packetColumns(t, r.index), timeNs: undefined, prevTimeNs: undefined, digits: undefined });
    }
    // Rows of a capture carry the packet columns; the first page of a Source sort starts at the lowest address.
    const first = svc.rows(0, 1, {}, { column: 'source', descending: false }).rows[0];
    assert.ok(first?.packet);
    assert.equal(first.packet.source, sortAddresses(cols.map((c) => c.source))[0]);
  } finally {
    svc.dispose();
  }
});
