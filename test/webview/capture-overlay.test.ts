/**
 * A capture drawn on a trace's timeline in headless Chromium: the real bridge run of
 * test/fixtures/pcap (bridge-net.trace with bridge-multi.pcapng, recorded together), the Node
 * side answering as the worker does (TimelineService + CaptureOverlay). The capture's interfaces
 * become tracks under the CPUs, the bar states the estimated offset and its evidence, an offset
 * typed by hand reaches the host as exact nanoseconds and moves the packets, a packet mark
 * shows its packet, and Remove takes the tracks away. Packets linked to their net_dev_xmit /
 * netif_receive_skb events are drawn joined to them; clicking either end highlights the link,
 * and a packet mark asks the host to open the packet in the capture's editor.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type HostToWebview, type TimelineData, type WebviewToHost } from '../../src/protocol/messages';
import type { Trace } from '../../src/core/trace/trace';
import { loadTraceFile } from '../../src/core/io/file-source';
import { decodeEvent } from '../../src/core/formats/decode';
import { interfacesJson } from '../../src/core/formats/capture/common';
import { TraceService } from '../../src/worker/trace-service';
import { CaptureOverlay } from '../../src/worker/capture-overlay';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, trackGeometry, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const WAIT_MS = 10_000;

/** The shared host, plus the worker's capture overlay: its tracks in every timeline answer, its offset messages. */
class OverlayHost extends ServiceHost {
  overlay: CaptureOverlay | null = null;
  /** The last timeline data sent, as the page drew it. */
  last: TimelineData | null = null;

  protected override async answer(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    switch (msg.type) {
      case 'ready':
        await super.answer(msg, send);
        await send({ type: 'captureOverlay', overlay: this.overlay?.info() ?? null });
        return;
      case 'timeline': {
        const a = this.timeline.answer(msg, this.row);
        if (a.type === 'timeline' && this.overlay) {
          this.last = this.overlay.addTracks(a.data);
          await send({ ...a, data: this.last });
        } else await send(a);
        return;
      }
      case 'setCaptureOffset':
        this.overlay?.setOffset(msg.offsetNs === null ? null : BigInt(msg.offsetNs));
        await send({ type: 'captureOverlay', overlay: this.overlay?.info() ?? null });
        return;
      case 'detachCapture':
        this.overlay = null;
        await send({ type: 'captureOverlay', overlay: null });
        return;
      default:
        await super.answer(msg, send);
    }
  }
}

describe('capture on the trace timeline (Chromium, real trace and capture)', () => {
  let browser: Browser;
  let service: TraceService;
  let trace: Trace;
  let capture: Trace;
  const open: WebviewPage[] = [];

  before(async () => {
    assertBuilt();
    browser = await launch();
    service = await TraceService.open(join(ROOT, 'test/fixtures/pcap/bridge-net.trace'));
    trace = await service.withTrace(async (t) => t);
    capture = await loadTraceFile(join(ROOT, 'test/fixtures/pcap/bridge-multi.pcapng'));
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    service?.dispose();
    capture?.close();
  });

  it('interfaces as tracks under the CPUs, the estimate stated, a hand-set offset applied, a packet shown, Remove', async () => {
    const overlay = new CaptureOverlay(trace, capture, 'bridge-multi.pcapng');
    const info = overlay.info();
    const host = new OverlayHost(service, trace, 'bridge-net.trace');
    host.overlay = overlay;
    const w = await openWebview(browser, host);
    open.push(w);
    const page = w.page;
    const summary = service.summary('bridge-net.trace');

    // Labels: the CPUs, then the capture's interfaces by name.
    await page.waitForFunction((n) => document.querySelectorAll('.ktl-tl-label').length === n, summary.cpus.length + info.interfaces.length, { timeout: WAIT_MS });
    const labels = await page.$$eval('.ktl-tl-label', (ls) => ls.map((l) => l.textContent));
    assert.deepEqual(labels, [...summary.cpus.map((c) => `CPU ${c}`), ...info.interfaces]);

    // The bar: the estimate and what it rests on.
    const label = page.locator('#capture-offset-label');
    assert.match(await label.innerText(), new RegExp(`^bridge-multi\\.pcapng \\(${capture.length} packets\\): clock offset estimated from ${info.estimate?.matches} matching events, residual `));
    assert.equal(await label.getAttribute('data-offset-ns'), info.offsetNs);

    // A packet mark: an isolated one (no other packet of its track within 4 px) in the drawn data.
    await page.waitForFunction(() => (document.getElementById('timeline-canvas') as HTMLElement).dataset.drawn !== undefined, undefined, { timeout: WAIT_MS });
    const box = await (await page.$('#timeline-canvas'))?.boundingBox();
    assert.ok(box && host.last);
    const data = host.last;
    const pxOf = (ts: number): number => ((ts - data.startNs) / (data.endNs - data.startNs)) * box.width;
    let picked: { k: number; index: number; ts: number } | null = null;
    data.tracks.forEach((t) => {
      if (picked || t.track.kind !== 'attached' || !t.events) return;
      const ts = t.events.tsNs;
      for (let j = 1; j + 1 < ts.length && !picked; j++) {
        const x = pxOf(ts[j] as number);
        if (x - pxOf(ts[j - 1] as number) > 4 && pxOf(ts[j + 1] as number) - x > 4 && x > 2 && x < box.width - 2) picked = { k: t.track.id, index: t.events.index[j] as number, ts: ts[j] as number };
      }
    });
    assert.ok(picked, 'an isolated packet mark');
    const { k, index, ts } = picked;
    const row = summary.cpus.length + k;
    await page.mouse.click(box.x + pxOf(ts), box.y + (await trackGeometry(page)).markMid(row));
    await page.waitForFunction((n) => (document.getElementById('timeline-details') as HTMLElement).dataset.packet === String(n), index + 1, { timeout: WAIT_MS });
    assert.match((await page.textContent('#timeline-details')) ?? '', new RegExp(`bridge-multi\\.pcapng · ${info.interfaces[k]} · packet ${index + 1} · `));
    assert.equal(w.posted.filter((m) => m.type === 'eventAt').length, 0, 'a packet is not looked up as a trace event');

    // By hand: +0.5 s more offset, typed in seconds, reaches the host as exact ns.
    const later = BigInt(info.offsetNs) + 500_000_000n;
    const s = `${later / 1_000_000_000n}.${(later % 1_000_000_000n).toString().padStart(9, '0')}`;
    await page.fill('#capture-offset', s);
    await page.press('#capture-offset', 'Enter');
    await page.waitForFunction((ns) => (document.getElementById('capture-offset-label') as HTMLElement).dataset.offsetNs === ns, later.toString(), { timeout: WAIT_MS });
    assert.deepEqual(
      w.posted.filter((m) => m.type === 'setCaptureOffset').map((m) => (m.type === 'setCaptureOffset' ? m.offsetNs : null)),
      [later.toString()],
    );
    assert.match(await label.innerText(), /clock offset set by hand$/);
    // A bad value is refused in place.
    await page.fill('#capture-offset', '12 s');
    await page.press('#capture-offset', 'Enter');
    assert.equal(await page.locator('#capture-offset.ktl-invalid').count(), 1);
    assert.equal(w.posted.filter((m) => m.type === 'setCaptureOffset').length, 1);

    await page.click('#capture-bar button:text-is("Use estimate")');
    await page.waitForFunction((ns) => (document.getElementById('capture-offset-label') as HTMLElement).dataset.offsetNs === ns, info.offsetNs, { timeout: WAIT_MS });

    await page.click('#capture-bar button:text-is("Remove")');
    await page.waitForFunction((n) => document.querySelectorAll('.ktl-tl-label').length === n, summary.cpus.length, { timeout: WAIT_MS });
    assert.equal(await page.locator('#capture-bar').isHidden(), true);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.invalid, []);
  });

  it('packets linked to their events: one line each, a packet click highlights its event and opens the packet, the event highlights its packet', async () => {
    const overlay = new CaptureOverlay(trace, capture, 'bridge-multi.pcapng');
    const host = new OverlayHost(service, trace, 'bridge-net.trace');
    host.overlay = overlay;
    const w = await openWebview(browser, host);
    open.push(w);
    const page = w.page;
    const summary = service.summary('bridge-net.trace');
    const names = (interfacesJson(capture) ?? []).map((i) => i.name);
    await page.waitForFunction(() => (document.getElementById('timeline-canvas') as HTMLElement).dataset.links !== undefined && (document.getElementById('timeline-canvas') as HTMLElement).dataset.links !== '', undefined, { timeout: WAIT_MS });
    assert.ok(host.last?.links);
    const links = host.last.links;
    assert.ok(links.total > 100 && links.packet.length === links.total, `${links.total} links listed for the whole trace`);
    // Every listed link has an end in view: each is drawn.
    assert.equal(await page.$eval('#timeline-canvas', (c) => (c as HTMLElement).dataset.links), String(links.total));
    assert.match(await page.innerText('#capture-links'), new RegExp(`^${links.total} packets linked to their events`));

    // Zoom in around one link whose packet mark stands alone, until marks are listed one by one.
    const box = await (await page.$('#timeline-canvas'))?.boundingBox();
    assert.ok(box);
    const k = Math.floor(links.total / 2);
    const packet = links.packet[k] as number;
    const event = links.event[k] as number;
    const row = summary.cpus.length + (links.iface[k] as number);
    const cpuRow = summary.cpus.indexOf(links.cpu[k] as number);
    // The event the packet is: same device, same frame length (as the trace says, independently of the link code).
    const f = decodeEvent(trace, event).fields;
    assert.equal(f.dev, names[links.iface[k] as number]);
    const t0 = links.eventTsNs[k] as number;
    const range = async (): Promise<[number, number]> => page.$eval('#timeline-range', (e) => [Number((e as HTMLElement).dataset.startNs), Number((e as HTMLElement).dataset.endNs)] as [number, number]);
    let view = await range();
    for (let n = 0; n < 40 && view[1] - view[0] > 4_000_000; n++) {
      const x = ((t0 - view[0]) / (view[1] - view[0])) * box.width;
      await page.mouse.move(box.x + x, box.y + 10);
      await page.mouse.wheel(0, -400);
      await page.waitForFunction((v) => Number((document.getElementById('timeline-range') as HTMLElement).dataset.startNs) !== v, view[0], { timeout: WAIT_MS });
      view = await range();
    }
    await page.waitForFunction((v) => (document.getElementById('timeline-canvas') as HTMLElement).dataset.drawn === String(v), view[0], { timeout: WAIT_MS }).catch(() => undefined);
    await page.waitForTimeout(300);
    const data = host.last;
    assert.ok(data?.links);
    const k2 = [...data.links.packet].indexOf(packet);
    assert.ok(k2 >= 0, 'the link is listed once zoomed in');
    const pxOf = (ts: number): number => ((ts - view[0]) / (view[1] - view[0])) * box.width;
    const { markMid } = await trackGeometry(page);
    await page.mouse.click(box.x + pxOf(data.links.packetTsNs[k2] as number), box.y + markMid(row));
    await page.waitForFunction((n) => (document.getElementById('timeline-details') as HTMLElement).dataset.packet === String(n), packet + 1, { timeout: WAIT_MS });
    assert.equal(await page.$eval('#timeline-canvas', (c) => (c as HTMLElement).dataset.linkHighlight), `${packet}>${event}`);
    assert.match(await page.innerText('#timeline-details'), new RegExp(`packet ${packet + 1} · .* · the event on CPU ${links.cpu[k]} at `));
    assert.deepEqual(w.posted.filter((m) => m.type === 'openCapturePacket'), [{ type: 'openCapturePacket', index: packet }]);
    // The highlighted line is painted half way between the packet mark and the event mark.
    const mid = { x: (pxOf(data.links.packetTsNs[k2] as number) + pxOf(data.links.eventTsNs[k2] as number)) / 2, y: (markMid(row) + markMid(cpuRow)) / 2 };
    const alpha = await page.$eval(
      '#timeline-canvas',
      (c, p) => {
        const canvas = c as HTMLCanvasElement;
        const dpr = canvas.width / canvas.clientWidth;
        const px = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(Math.round(p.x * dpr) - 2, Math.round(p.y * dpr) - 2, 5, 5).data;
        let most = 0;
        for (let i = 3; i < px.length; i += 4) most = Math.max(most, px[i] as number);
        return most;
      },
      mid,
    );
    assert.ok(alpha > 128, `the link line is painted between its marks (alpha ${alpha})`);

    // The other end: the event selected (as the table or another view would) highlights the same link.
    await w.send({ type: 'selectPacket', index: event });
    await page.waitForFunction((i) => (document.getElementById('timeline-details') as HTMLElement).dataset.index === String(i), event, { timeout: WAIT_MS });
    assert.equal(await page.$eval('#timeline-canvas', (c) => (c as HTMLElement).dataset.linkHighlight), `${packet}>${event}`);
    assert.equal(w.posted.filter((m) => m.type === 'openCapturePacket').length, 1, 'selecting the event opens nothing');
    await page.screenshot({ path: join(ROOT, 'test-output', 'webview', 'capture-links.png') });
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.invalid, []);
  });
});
