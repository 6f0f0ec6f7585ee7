/**
 * What the table says about where an event sits in its file: a text trace's `line N` is a link
 * that reveals the line (Enter too), a capture's `packet N` is only a label, and trace.dat
 * records (binary, no lines) show neither, and Enter asks the host for nothing. Real files
 * through a real TraceService; the numbers are the service's own rows.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';
import { TraceService } from '../../src/worker/trace-service';
import { ROOT, assertBuilt, launch, openWebview, type HostBehaviour, type WebviewPage } from './harness';

const WAIT_MS = 10_000;

class RowsHost implements HostBehaviour {
  constructor(
    private readonly service: TraceService,
    private readonly fileName: string,
  ) {}

  async onMessage(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    if (msg.type === 'ready') await send({ type: 'summary', summary: this.service.summary(this.fileName) });
    if (msg.type === 'rows') {
      const r = this.service.rows(msg.start, msg.count, msg.filter);
      await send({ type: 'rows', requestId: msg.requestId, total: r.total, start: msg.start, rows: r.rows });
    }
  }
}

describe('event position in the details pane (Chromium, real TraceService)', () => {
  let browser: Browser;
  const open: WebviewPage[] = [];
  const services: TraceService[] = [];

  before(async () => {
    assertBuilt();
    browser = await launch();
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    for (const s of services) s.dispose();
  });

  /** Opens `file`, selects the second row, returns the details pane's meta line and what Enter posted. */
  async function secondRow(file: string): Promise<{ meta: string; link: number; reveals: number[]; line: number }> {
    const service = await TraceService.open(join(ROOT, file));
    services.push(service);
    const w = await openWebview(browser, new RowsHost(service, file.split('/').pop() ?? file));
    open.push(w);
    await w.page.waitForSelector('#event-table .ktl-row[data-index]', { timeout: WAIT_MS });
    await w.page.locator('#event-table').focus();
    await w.page.keyboard.press('Home');
    await w.page.keyboard.press('ArrowDown');
    await w.page.waitForSelector('#row-details .ktl-details-meta', { timeout: WAIT_MS });
    await w.page.keyboard.press('Enter');
    const meta = await w.page.locator('#row-details .ktl-details-meta').innerText();
    const link = await w.page.locator('#row-details .ktl-details-meta .ktl-link').count();
    // Let a revealLine post (if any) arrive.
    await w.page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    // The table asks for its event's trace line (and source line when mapped): revealEvent; revealLine without an event.
    const reveals = w.posted.flatMap((m) => (m.type === 'revealLine' || m.type === 'revealEvent' ? [m.line] : []));
    return { meta, link, reveals, line: (service.rows(1, 1, {}).rows[0]?.line ?? -1) };
  }

  it('text trace: line N, a link, and Enter reveals it', async () => {
    const r = await secondRow('test/fixtures/ftrace/veth-ping.trace');
    assert.match(r.meta, new RegExp(`· line ${r.line} ·`));
    assert.equal(r.link, 1);
    assert.deepEqual(r.reveals, [r.line]);
  });

  it('capture: packet N as a label; Enter reveals nothing', async () => {
    const r = await secondRow('test/fixtures/pcap/host-a.pcap');
    assert.equal(r.line, 2);
    // A capture's details line starts with Wireshark's frame number (packet-columns.ts).
    assert.match(r.meta, /^No\. 2 · /);
    assert.doesNotMatch(r.meta, /line/);
    assert.equal(r.link, 0);
    assert.deepEqual(r.reveals, []);
  });

  it('trace.dat: no position at all', async () => {
    const r = await secondRow('test/fixtures/trace-dat/veth-ping.v6.dat');
    assert.equal(r.line, 0);
    assert.doesNotMatch(r.meta, /line|packet/);
    assert.equal(r.link, 0);
    assert.deepEqual(r.reveals, []);
  });
});
