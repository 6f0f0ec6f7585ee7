// Packets linked to the trace events they are (core/analysis/capture/packet-links.ts) on the
// real bridge run of test/fixtures/pcap (bridge-net.trace recorded with bridge-multi.pcapng,
// test/fixtures/README.md), and the links an attached capture sends with a timeline reply
// (worker/capture-overlay.ts): only where an end is in range, bounded, exact under a new offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTraceFile } from '../../src/core/io/file-source';
import { estimateClockOffset } from '../../src/core/analysis/capture/align';
import { linkPackets } from '../../src/core/analysis/capture/packet-links';
import { decodeEvent } from '../../src/core/formats/decode';
import { captureInfo } from '../../src/core/formats/capture/common';
import { CaptureOverlay } from '../../src/worker/capture-overlay';
import { TimelineService } from '../../src/worker/timeline-service';
import { MAX_TIMELINE_LINKS } from '../../src/protocol/messages';

const TRACE = 'test/fixtures/pcap/bridge-net.trace';
const CAPTURE = 'test/fixtures/pcap/bridge-multi.pcapng';

test('each link joins a packet to a net_dev_xmit / netif_receive_skb of its interface and length within 1 ms, one to one', async () => {
  const trace = await loadTraceFile(TRACE);
  const capture = await loadTraceFile(CAPTURE);
  try {
    const offset = BigInt(estimateClockOffset(trace, [capture]).offsetNs);
    const links = linkPackets(trace, capture, offset);
    const info = captureInfo(capture);
    assert.ok(info);
    const origLen = capture.extra('origLen');
    assert.ok(links.length > 100, `${links.length} links`);
    assert.equal(new Set(links.map((l) => l.packet)).size, links.length, 'a packet is linked once');
    assert.equal(new Set(links.map((l) => l.event)).size, links.length, 'an event is linked once');
    for (const l of links) {
      const name = trace.event(l.event);
      assert.ok(name === 'net_dev_xmit' || name === 'netif_receive_skb', `packet ${l.packet + 1} linked to ${name}`);
      const f = decodeEvent(trace, l.event).fields;
      assert.equal(f.dev, info.interfaces[capture.cpu(l.packet)]?.name, `packet ${l.packet + 1}: device`);
      const frame = Number(f.len) + (name === 'netif_receive_skb' ? 14 : 0);
      assert.equal(frame, origLen?.get(l.packet), `packet ${l.packet + 1}: length`);
      // dt from the absolute clocks, independently of the relative times the links use.
      const dt = Number(capture.absNs(l.packet) - offset - trace.absNs(l.event));
      assert.equal(l.dtNs, dt);
      assert.ok(Math.abs(dt) <= 1_000_000, `packet ${l.packet + 1} is ${dt} ns from its event`);
    }
    // Under a clock a tenth of a second off (the traffic repeats every half second and second) nothing is within the window.
    assert.deepEqual(linkPackets(trace, capture, offset + 100_000_000n), []);
  } finally {
    trace.close();
    capture.close();
  }
});

test('an attached capture sends the links with an end in the visible range; none listed past the bound', async () => {
  const trace = await loadTraceFile(TRACE);
  const capture = await loadTraceFile(CAPTURE);
  const other = await loadTraceFile(CAPTURE);
  try {
    const overlay = new CaptureOverlay(trace, capture, 'bridge-multi.pcapng');
    const all = linkPackets(trace, other, BigInt(overlay.info().offsetNs));
    const service = new TimelineService(trace);
    const span = (trace.tsNs(trace.length - 1) as number) + 1;
    const whole = overlay.addTracks(service.query(0, span, 500, null, {})).links;
    assert.ok(whole);
    assert.equal(whole.total, all.length);
    assert.equal(whole.packet.length, all.length > MAX_TIMELINE_LINKS ? 0 : all.length);

    // A window around one link: exactly the links with an end inside, each with its true times.
    const mid = all[Math.floor(all.length / 2)];
    assert.ok(mid);
    const at = trace.tsNs(mid.event) as number;
    const [a, b] = [at - 2_000_000, at + 2_000_000];
    const shift = Number(capture.originNs - (trace.originNs + BigInt(overlay.info().offsetNs)));
    const expected = all.filter((l) => {
      const e = trace.tsNs(l.event) as number;
      const p = (other.tsNs(l.packet) as number) + shift;
      return (e >= a && e < b) || (p >= a && p < b);
    });
    const near = overlay.addTracks(service.query(a, b, 500, null, {})).links;
    assert.ok(near && expected.length > 0 && expected.length <= MAX_TIMELINE_LINKS);
    assert.equal(near.total, expected.length);
    const got = [...near.packet].map((p, k) => ({ p, e: near.event[k], cpu: near.cpu[k], iface: near.iface[k] }));
    assert.deepEqual(
      got.map((g) => `${g.p}>${g.e}`).sort(),
      expected.map((l) => `${l.packet}>${l.event}`).sort(),
    );
    for (const g of got) {
      assert.equal(g.cpu, trace.cpu(g.e as number));
      assert.equal(g.iface, other.cpu(g.p));
    }
    // A new offset: links made again for it (a tenth of a second off: none).
    overlay.setOffset(BigInt(overlay.info().offsetNs) + 100_000_000n);
    assert.equal(overlay.addTracks(service.query(0, span, 500, null, {})).links?.total, 0);
    overlay.dispose();
  } finally {
    trace.close();
    other.close();
  }
});
