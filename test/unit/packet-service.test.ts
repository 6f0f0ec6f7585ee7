// The worker's packet queries over real captures (loaded from disk as the editor's worker loads
// them): one packet's details with its bytes as they are in the file, bounded to
// MAX_PACKET_BYTES; clear errors for a bad index or a trace that is not a capture; the findings
// as `ktl findings` has them; captures' summaries name their interfaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_PACKET_BYTES } from '../../src/protocol/messages';
import { captureFindings, packetDetails } from '../../src/worker/packet-service';
import { TraceService } from '../../src/worker/trace-service';
import { loadTraceFile } from '../../src/core/io/file-source';
import { findings } from '../../src/core/analysis/capture/findings';
import { decodePacket } from '../../src/core/formats/capture/decode';

const BIG = 'test/fixtures/pcap/loopback-big-udp.pcap';
const HOST_A = 'test/fixtures/pcap/host-a.pcap';
const PCAPNG = 'test/fixtures/pcap/bridge-multi.pcapng';

/** Packet `number` (1-based) of a little-endian µs pcap, read straight from the file. */
function pcapRecord(path: string, number: number): { caplen: number; len: number; bytes: Uint8Array } {
  const b = readFileSync(path);
  let off = 24;
  for (let n = 1; off + 16 <= b.length; n++) {
    const caplen = b.readUInt32LE(off + 8);
    if (n === number) return { caplen, len: b.readUInt32LE(off + 12), bytes: new Uint8Array(b.subarray(off + 16, off + 16 + caplen)) };
    off += 16 + caplen;
  }
  throw new Error(`no packet ${number}`);
}

test('a packet larger than the hex view gets its first MAX_PACKET_BYTES bytes, exactly as in the file', async () => {
  const trace = await loadTraceFile(BIG);
  try {
    const rec = pcapRecord(BIG, 1);
    assert.ok(rec.caplen > MAX_PACKET_BYTES, `packet 1 holds ${rec.caplen} bytes`);
    const p = packetDetails(trace, 0);
    assert.equal(p.number, 1);
    assert.equal(p.caplen, rec.caplen);
    assert.equal(p.len, rec.len);
    assert.equal(p.bytes.length, MAX_PACKET_BYTES);
    assert.deepEqual(p.bytes, rec.bytes.subarray(0, MAX_PACKET_BYTES));
    assert.deepEqual(p.layers.map((l) => l.name), ['eth', 'ip', 'udp']);
    // Field ranges still describe the whole packet (udp.length says 30008), not the bytes sent.
    assert.equal(p.layers[2]?.fields.find((f) => f.name === 'udp.length')?.value, '30008');
    // A small packet comes whole.
    const small = packetDetails(trace, 2);
    assert.deepEqual(small.bytes, pcapRecord(BIG, 3).bytes);
  } finally {
    trace.close();
  }
});

test("packet details are the decoder's layers and problems (seed 004's length lie on packet 64)", async () => {
  const trace = await loadTraceFile(HOST_A);
  try {
    const p = packetDetails(trace, 63);
    const d = decodePacket(trace, 63);
    assert.equal(p.number, 64);
    assert.equal(p.interface, 'if0');
    assert.equal(p.linkType, 'ETHERNET');
    assert.equal(p.summary, d.summary);
    assert.deepEqual(p.layers, d.layers.map((l) => ({ name: l.name, offset: l.offset, length: l.length, fields: l.fields })));
    assert.deepEqual(p.problems, [{ kind: 'ip-length-exceeds', message: 'IPv4 total length exceeds packet length (84 > 80 bytes)', offset: 16 }]);
    assert.deepEqual(p.bytes, pcapRecord(HOST_A, 64).bytes);
    assert.throws(() => packetDetails(trace, trace.length), new RegExp(`no packet at index ${trace.length} \\(the capture has ${trace.length}\\)`));
  } finally {
    trace.close();
  }
});

test('a trace that is not a capture has no packets and no capture findings', async () => {
  const trace = await loadTraceFile('test/fixtures/ftrace/veth-ping.trace');
  try {
    assert.throws(() => packetDetails(trace, 0), /not a packet capture/);
    await assert.rejects(captureFindings(trace, 'veth-ping.trace'), /not a packet capture/);
  } finally {
    trace.close();
  }
});

test('findings are what ktl findings reports for the file', async () => {
  const trace = await loadTraceFile(HOST_A);
  try {
    const all = findings([{ name: 'host-a.pcap', trace }]);
    const r = await captureFindings(trace, 'host-a.pcap');
    assert.equal(r.total, all.length);
    assert.deepEqual(
      r.findings,
      all.map((f) => ({ kind: f.kind, severity: f.severity, packet: f.packet ?? null, message: f.message })),
    );
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error').map((f) => [f.kind, f.packet]),
      [
        ['ip-length-exceeds', 64],
        ['bad-checksum', 65],
      ],
    );
  } finally {
    trace.close();
  }
});

test("a capture's summary names its interfaces from the file; a trace's has none", async () => {
  const svc = await TraceService.open(PCAPNG);
  const trace = await svc.withTrace(async (t) => t);
  try {
    const s = svc.summary('bridge-multi.pcapng');
    assert.deepEqual(
      s.interfaces?.map((i) => i.name),
      ['ktlbr0', 'ktlna-p', 'ktlnb-p', 'ktlnc-p'],
    );
    // Every packet's track (cpu) has its interface, named as the packet's comm column.
    for (let i = 0; i < trace.length; i++) assert.equal(s.interfaces?.find((x) => x.index === trace.cpu(i))?.name, trace.comm(i));
  } finally {
    svc.dispose();
  }
  const ftrace = await TraceService.open('test/fixtures/ftrace/veth-ping.trace');
  assert.equal(ftrace.summary('veth-ping.trace').interfaces, undefined);
  ftrace.dispose();
});

test('findings with the workspace\'s other captures: the traffic another capture of the same hosts has (seed 000)', async () => {
  const HOST_B = 'test/fixtures/pcap/host-b-egress-only.pcap';
  const trace = await loadTraceFile(HOST_B);
  const other = await loadTraceFile(HOST_A);
  try {
    const r = await captureFindings(trace, 'host-b-egress-only.pcap', [{ path: HOST_A, name: 'host-a.pcap' }]);
    // Exactly what ktl findings says about this file when given both (the core over both inputs).
    const expected = findings([
      { name: 'host-b-egress-only.pcap', trace },
      { name: 'host-a.pcap', trace: other },
    ]).filter((f) => f.source === 0);
    assert.deepEqual(
      r.findings,
      expected.map((f) => ({ kind: f.kind, severity: f.severity, packet: f.packet ?? null, message: f.message })),
    );
    const missing = r.findings.filter((f) => f.kind === 'missing-traffic');
    assert.ok(missing.length >= 2, JSON.stringify(missing));
    assert.ok(missing.some((f) => /has no ICMP echo request 10\.78\.0\.1 > 10\.78\.0\.2, .*host-a\.pcap has \d+/.test(f.message)));
    // Alone, the file has none of them.
    assert.equal((await captureFindings(trace, 'host-b-egress-only.pcap')).findings.filter((f) => f.kind === 'missing-traffic').length, 0);
    // A file that is not a capture among the others is left out, not an error.
    const withJunk = await captureFindings(trace, 'host-b-egress-only.pcap', [{ path: 'test/fixtures/ftrace/veth-ping.trace', name: 'veth-ping.trace' }]);
    assert.equal(withJunk.findings.filter((f) => f.kind === 'missing-traffic').length, 0);
  } finally {
    trace.close();
    other.close();
  }
});
