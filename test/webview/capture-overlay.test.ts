/**
 * A capture drawn on a trace's timeline in headless Chromium: the real bridge run of
 * test/fixtures/pcap (bridge-net.trace with bridge-multi.pcapng, recorded together), the Node
 * side answering as the worker does (TimelineService + CaptureOverlay). The capture's interfaces
 * become tracks under the CPUs, the bar states the estimated offset and its evidence, an offset
 * typed by hand reaches the host as exact nanoseconds and moves the packets, a packet mark
 * shows its packet, and Remove takes the tracks away.
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
});
