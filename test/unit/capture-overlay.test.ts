// A capture on a trace's timeline (worker/capture-overlay.ts), on the real bridge run of
// test/fixtures/pcap (bridge-net.trace and bridge-multi.pcapng were recorded together; see
// test/fixtures/README.md): the offset is the clock estimate, capture tracks count exactly the
// packets whose shifted time falls in the range, a device's net_dev_xmit events land on top of
// the same interface's packets, and a hand-set offset moves the packets by exactly that much.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTraceFile } from '../../src/core/io/file-source';
import { estimateClockOffset } from '../../src/core/analysis/capture/align';
import { decodeEvent } from '../../src/core/formats/decode';
import { interfacesJson } from '../../src/core/formats/capture/common';
import { CaptureOverlay } from '../../src/worker/capture-overlay';
import { TimelineService } from '../../src/worker/timeline-service';

const TRACE = 'test/fixtures/pcap/bridge-net.trace';
const CAPTURE = 'test/fixtures/pcap/bridge-multi.pcapng';

test('capture tracks on the trace timeline: estimated offset, exact counts, packets on their events, hand-set shifts', async () => {
  const trace = await loadTraceFile(TRACE);
  const capture = await loadTraceFile(CAPTURE);
  const other = await loadTraceFile(CAPTURE);
  try {
    const overlay = new CaptureOverlay(trace, capture, 'bridge-multi.pcapng');
    const estimate = estimateClockOffset(trace, [other]);
    const info = overlay.info();
    assert.equal(info.estimate?.method, 'events');
    assert.equal(info.offsetNs, estimate.offsetNs);
    assert.equal(info.userSet, false);
    assert.deepEqual(info.interfaces, (interfacesJson(capture) ?? []).map((i) => i.name));

    const span = (trace.tsNs(trace.length - 1) as number) + 1;
    const base = new TimelineService(trace).query(0, span, 1000, null, {});
    const data = overlay.addTracks(base);
    assert.equal(data.tracks.length > base.tracks.length, true);
    const shiftOf = (offset: bigint): number => Number(capture.originNs - (trace.originNs + offset));

    /** Packets per interface whose trace-relative time falls in [0, span). */
    const direct = (offset: bigint): Map<number, number> => {
      const shift = shiftOf(offset);
      const m = new Map<number, number>();
      for (let i = 0; i < capture.length; i++) {
        const t = capture.tsNs(i) + shift;
        if (t >= 0 && t < span) m.set(capture.cpu(i), (m.get(capture.cpu(i)) ?? 0) + 1);
      }
      return m;
    };
    const counted = (d: typeof data): Map<number, number> =>
      new Map(d.tracks.filter((t) => t.track.kind === 'attached' && t.total > 0).map((t) => [t.track.id, t.total]));
    assert.deepEqual(counted(data), direct(BigInt(info.offsetNs)));
    assert.ok([...counted(data).values()].reduce((a, b) => a + b, 0) > 100);

    // Each net_dev_xmit on a device, while that interface was being captured (the trace starts
    // seconds before tcpdump), has a packet of that interface within 1 ms once shifted.
    const names = info.interfaces;
    const shift = shiftOf(BigInt(info.offsetNs));
    const spans = names.map((_n, iface) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = 0; k < capture.length; k++) {
        if (capture.cpu(k) !== iface) continue;
        lo = Math.min(lo, capture.tsNs(k) + shift);
        hi = Math.max(hi, capture.tsNs(k) + shift);
      }
      return [lo, hi] as const;
    });
    let near = 0;
    let xmits = 0;
    for (let i = 0; i < trace.length; i++) {
      if (trace.event(i) !== 'net_dev_xmit') continue;
      const dev = decodeEvent(trace, i).fields.dev;
      const iface = names.indexOf(dev ?? '');
      const span = spans[iface];
      if (!span || trace.tsNs(i) < span[0] || trace.tsNs(i) > span[1]) continue;
      xmits++;
      let best = Infinity;
      for (let k = 0; k < capture.length; k++) if (capture.cpu(k) === iface) best = Math.min(best, Math.abs(capture.tsNs(k) + shift - trace.tsNs(i)));
      if (best < 1_000_000) near++;
    }
    assert.ok(xmits > 20, `only ${xmits} net_dev_xmit on captured interfaces`);
    assert.ok(near / xmits > 0.9, `${near} of ${xmits} transmits have a packet within 1 ms`);

    // By hand: one more second of offset puts every packet one second earlier on the trace's time.
    const later = BigInt(info.offsetNs) + 1_000_000_000n;
    overlay.setOffset(later);
    assert.equal(overlay.info().userSet, true);
    assert.equal(overlay.info().offsetNs, later.toString());
    const moved = overlay.addTracks(base);
    assert.deepEqual(counted(moved), direct(later));
    const first = (d: typeof data): number => Math.min(...d.tracks.filter((t) => t.track.kind === 'attached' && t.events && t.events.tsNs.length > 0).map((t) => t.events?.tsNs[0] as number));
    if (counted(moved).size > 0) assert.ok(first(moved) < first(data));
    overlay.setOffset(null);
    assert.equal(overlay.info().offsetNs, estimate.offsetNs);
    overlay.dispose();
  } finally {
    trace.close();
    other.close();
  }
});

test('a classic pcap (no interface name) aligns by length and order on any device, to the offset the named pcapng gives', async () => {
  const trace = await loadTraceFile(TRACE);
  const named = await loadTraceFile(CAPTURE);
  // Recorded in the same run: tcpdump -i ktlna-a (A's side) and -i ktlnb-a (B's, egress only); see test/fixtures/README.md.
  for (const file of ['test/fixtures/pcap/host-a.pcap', 'test/fixtures/pcap/host-b-egress-only.pcap']) {
    const classic = await loadTraceFile(file);
    try {
      const reference = BigInt(estimateClockOffset(trace, [named]).offsetNs);
      const e = estimateClockOffset(trace, [classic]);
      assert.equal(e.method, 'events', `${file}: ${JSON.stringify(e)}`);
      assert.ok(e.matches >= classic.length / 2, `${file}: ${e.matches} matches for ${classic.length} packets`);
      const diff = BigInt(e.offsetNs) - reference;
      assert.ok((diff < 0n ? -diff : diff) < 100_000n, `${file}: offset ${e.offsetNs} is ${diff} ns from the pcapng's ${reference}`);
    } finally {
      classic.close();
    }
  }
  named.close();
  trace.close();
});
