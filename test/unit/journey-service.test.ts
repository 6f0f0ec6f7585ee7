// The journey of the packet selected in the editor across the other captures of the workspace
// (seed 001), over the real captures of one run (host A's tcpdump, B's egress-only tcpdump and
// the bridge's four-interface tshark): what `ktl journey` says for the same echo, from this
// packet's point of view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { packetJourney } from '../../src/worker/journey-service';
import { loadTraceFile } from '../../src/core/io/file-source';
import { runKtl, runKtlFailing } from '../helpers/lifecycle-golden';

const DIR = 'test/fixtures/pcap';
const OTHERS = [
  { path: `${DIR}/bridge-multi.pcapng`, name: 'bridge-multi.pcapng' },
  { path: `${DIR}/host-b-egress-only.pcap`, name: 'host-b-egress-only.pcap' },
];

interface CliJourney {
  key: { icmp?: { id: number; seq: number; requester: string; responder: string } };
  status: string;
  hops: { file: string; interface: string; packet: number; what: string }[];
  expectedNext: string | null;
}

/** `ktl journey` on the same files (the built CLI; skipped before `npm run build`). */
function cliJourney(id: number, seq: number): CliJourney[] {
  const out = execFileSync(process.execPath, ['dist/cli.js', 'journey', `${DIR}/host-a.pcap`, ...OTHERS.map((o) => o.path), '--json', '--id', String(id), '--seq', String(seq)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as CliJourney);
}

test("an answered echo: every hop across the three captures, in time order, as ktl journey has them", { skip: !existsSync('dist/cli.js') && 'dist/cli.js not built' }, async () => {
  const trace = await loadTraceFile(`${DIR}/host-a.pcap`);
  try {
    // Packet 12 of host-a.pcap: A's first echo request to B (id 2652 seq 1).
    const { journey: j, reason } = await packetJourney(trace, 11, 'host-a.pcap', OTHERS);
    assert.equal(reason, '');
    assert.ok(j);
    assert.equal(j.key, 'ICMP echo 10.78.0.1 -> 10.78.0.2 id 2652 seq 1');
    assert.equal(j.status, 'answered');
    assert.equal(j.expectedNext, null);
    assert.equal(j.files, 3);
    assert.deepEqual(j.errors, []);
    const cli = cliJourney(2652, 1).filter((x) => x.key.icmp?.requester === '10.78.0.1');
    assert.equal(cli.length, 1);
    const name = (f: string): string => f.split('/').pop() ?? f;
    assert.deepEqual(
      j.hops.map((h) => [h.file, h.interface, h.packet, h.what]),
      cli[0]?.hops.map((h) => [name(h.file), h.interface, h.packet, h.what]),
    );
    // The request leaves A, crosses the bridge (ktlna-p, ktlbr0, ktlnb-p), B sends the reply (B's
    // capture sees only egress), and it comes back to A.
    assert.deepEqual(j.hops[0], { file: 'host-a.pcap', interface: 'if0', packet: 12, timeNs: j.hops[0]?.timeNs, what: 'request', direction: '', here: true });
    assert.ok(j.hops.some((h) => h.file === 'host-b-egress-only.pcap' && h.what === 'reply'));
    assert.ok(!j.hops.some((h) => h.file === 'host-b-egress-only.pcap' && h.what === 'request'), 'B captured egress only');
    assert.deepEqual(j.hops.filter((h) => h.here).map((h) => h.packet), [12, 13]);
    for (let k = 1; k < j.hops.length; k++) assert.ok(BigInt(j.hops[k]?.timeNs ?? 0) >= BigInt(j.hops[k - 1]?.timeNs ?? 0), 'time order');
    assert.equal(j.lastSeen, j.hops.length - 1);
  } finally {
    trace.close();
  }
});

test('an echo B ignored: last seen on the bridge port to B, the reply expected next', async () => {
  const trace = await loadTraceFile(`${DIR}/host-a.pcap`);
  try {
    // Packet 43: A's echo request while B had icmp_echo_ignore_all=1.
    const { journey: j } = await packetJourney(trace, 42, 'host-a.pcap', OTHERS);
    assert.ok(j);
    assert.equal(j.status, 'unanswered');
    const last = j.hops[j.lastSeen];
    assert.deepEqual([last?.file, last?.interface, last?.what], ['bridge-multi.pcapng', 'ktlnb-p', 'request']);
    assert.match(j.expectedNext ?? '', /^ICMP echo reply from 10\.78\.0\.2 to 10\.78\.0\.1: the request was last seen at bridge-multi\.pcapng \(ktlnb-p\) packet \d+ and no capture has the reply$/);
  } finally {
    trace.close();
  }
});

test('a packet that is not an echo has no journey, and a capture that cannot be read is named, not fatal', async () => {
  const trace = await loadTraceFile(`${DIR}/host-a.pcap`);
  try {
    const arp = await packetJourney(trace, 9, 'host-a.pcap', OTHERS);
    assert.equal(arp.journey, null);
    assert.equal(arp.reason, 'Journeys follow ICMP echoes and TCP segments; packet 10 is arp.');
    // Not a capture (a script beside the captures): loading it fails.
    const broken = `${DIR}/make-expected.sh`;
    const r = await packetJourney(trace, 11, 'host-a.pcap', [{ path: broken, name: 'broken.pcap' }]);
    assert.equal(r.journey?.files, 1, 'the unreadable file is not counted as searched');
    assert.equal(r.journey?.errors.length, 1);
    assert.match(r.journey?.errors[0] ?? '', /^broken\.pcap: /);
    await assert.rejects(packetJourney(trace, trace.length, 'host-a.pcap', []), /no packet at index 68/);
  } finally {
    trace.close();
  }
});

test('a TCP segment: where each capture saw it and the ACK that covers it; a bare ACK expects nothing', async () => {
  const trace = await loadTraceFile(`${DIR}/host-a.pcap`);
  try {
    // Packet 55: A's 8 data bytes to B:7878 ([P.]), seq 3674893120.
    const { journey: j } = await packetJourney(trace, 54, 'host-a.pcap', OTHERS);
    assert.ok(j);
    assert.equal(j.key, 'TCP 10.78.0.1.45412 > 10.78.0.2.7878 [P.] seq 3674893120 len 8');
    assert.equal(j.status, 'answered');
    const segs = j.hops.filter((h) => h.what === 'segment').map((h) => `${h.file}:${h.interface}`);
    const acks = j.hops.filter((h) => h.what === 'ack').map((h) => `${h.file}:${h.interface}`);
    // A's capture and the bridge's three ports saw the data; B's egress-only capture did not.
    assert.deepEqual([...segs].sort(), ['bridge-multi.pcapng:ktlbr0', 'bridge-multi.pcapng:ktlna-p', 'bridge-multi.pcapng:ktlnb-p', 'host-a.pcap:if0']);
    // The first ACK covering it on each capture/interface, B's own among them.
    assert.deepEqual([...acks].sort(), [...segs, 'host-b-egress-only.pcap:if0'].sort());
    // B's ACK (its packet 19: ack 3674893128 = seq + 8) is in B's capture before A sees it.
    const bAck = j.hops.find((h) => h.file === 'host-b-egress-only.pcap');
    const aAck = j.hops.find((h) => h.file === 'host-a.pcap' && h.what === 'ack');
    assert.equal(bAck?.packet, 19);
    assert.equal(aAck?.packet, 56);
    assert.ok(BigInt(bAck?.timeNs ?? 0) < BigInt(aAck?.timeNs ?? 0));
    // Packet 54: the handshake's bare ACK takes no sequence space.
    const bare = (await packetJourney(trace, 53, 'host-a.pcap', OTHERS)).journey;
    assert.equal(bare?.status, 'seen');
    assert.ok(bare?.hops.every((h) => h.what === 'segment'));
    assert.equal(bare?.expectedNext, null);
  } finally {
    trace.close();
  }
});

test("a TCP segment whose ACK no capture has: B's egress-only capture alone (seed 000's missing ingress)", async () => {
  const trace = await loadTraceFile(`${DIR}/host-b-egress-only.pcap`);
  try {
    // Packet 20: B's 17-byte answer to A.
    const { journey: j } = await packetJourney(trace, 19, 'host-b-egress-only.pcap', []);
    assert.ok(j);
    assert.equal(j.key, 'TCP 10.78.0.2.7878 > 10.78.0.1.45412 [P.] seq 1733604796 len 17');
    assert.equal(j.status, 'unanswered');
    assert.deepEqual(j.hops.map((h) => [h.packet, h.what]), [[20, 'segment']]);
    assert.equal(j.expectedNext, 'TCP ACK from 10.78.0.1.45412 to 10.78.0.2.7878 covering seq 1733604796+17: the segment was last seen at host-b-egress-only.pcap (if0) packet 20 and no capture has the ACK');
    // With A's capture in the workspace the ACK is found.
    const both = (await packetJourney(trace, 19, 'host-b-egress-only.pcap', [{ path: `${DIR}/host-a.pcap`, name: 'host-a.pcap' }])).journey;
    assert.equal(both?.status, 'answered');
  } finally {
    trace.close();
  }
});

test('ktl journey --tcp-packet N follows the same TCP segment the editor does, hop for hop', async () => {
  const trace = await loadTraceFile(`${DIR}/host-a.pcap`);
  try {
    const { journey: j } = await packetJourney(trace, 54, 'host-a.pcap', OTHERS);
    assert.ok(j);
    const out = runKtl(['journey', `${DIR}/host-a.pcap`, ...OTHERS.map((o) => o.path), '--json', '--tcp-packet', '55']).trim().split('\n');
    assert.equal(out.length, 1);
    const cli = JSON.parse(out[0] as string) as { key: { tcp?: { src: string; dst: string; sport: number; dport: number; seq: number } }; status: string; hops: { file: string; interface?: string; packet?: number; what: string }[] };
    assert.deepEqual(cli.key.tcp && [cli.key.tcp.src, cli.key.tcp.sport, cli.key.tcp.dst, cli.key.tcp.dport, cli.key.tcp.seq], ['10.78.0.1', 45412, '10.78.0.2', 7878, 3674893120]);
    assert.equal(cli.status, j.status);
    const base = (f: string): string => f.split('/').pop() as string;
    assert.deepEqual(
      cli.hops.map((h) => `${base(h.file)}:${h.interface} #${h.packet} ${h.what}`),
      j.hops.map((h) => `${base(h.file)}:${h.interface} #${h.packet} ${h.what}`),
    );
    const refused = runKtlFailing(['journey', `${DIR}/host-a.pcap`, '--tcp-packet', '10']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /packet 10 of .*host-a\.pcap is not a TCP segment/);
  } finally {
    trace.close();
  }
});
