/**
 * The strace "File descriptors" panel in headless Chromium, fed like the extension host feeds
 * it (worker/fd-service.ts over a real TraceService) with seed 003's hunt recorded on this
 * machine (test/fixtures/strace/ospf-hello-raw.strace): the socket that select keeps asking
 * about, never writable, no sendmsg, is listed first with its stall in words; picking one of
 * its calls selects that very event in the table. Numbers are checked against
 * core/analysis/strace-fds.ts directly, not typed in.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';
import type { Trace } from '../../src/core/trace/trace';
import { straceFdViews } from '../../src/core/analysis/strace-fds';
import { TraceService } from '../../src/worker/trace-service';
import { fdSummaries } from '../../src/worker/fd-service';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'strace', 'ospf-hello-raw.strace');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 10_000;

/** The shared host, plus the worker's answer to the fd panel. */
class FdHost extends ServiceHost {
  protected override async answer(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    if (msg.type === 'fds') await send({ type: 'fds', requestId: msg.requestId, ...fdSummaries(this.trace) });
    else await super.answer(msg, send);
  }
}

describe('strace fd panel (Chromium, real TraceService)', () => {
  let browser: Browser;
  let service: TraceService;
  let trace: Trace;
  let host: FdHost;
  const open: WebviewPage[] = [];

  before(async () => {
    assertBuilt();
    browser = await launch();
    service = await TraceService.open(FIXTURE);
    trace = await service.withTrace(async (t) => t);
    host = new FdHost(service, trace, 'ospf-hello-raw.strace');
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    service?.dispose();
  });

  it('lists every fd life, the write stall first and in words; a call selects its event in the table', async () => {
    const views = straceFdViews(trace);
    const stalled = views.filter((v) => v.stall !== null);
    assert.equal(stalled.length, 1, 'the fixture holds seed 003 stall once');
    const stall = stalled[0];
    assert.ok(stall?.stall);

    const w = await openWebview(browser, host);
    open.push(w);
    const page = w.page;
    await page.waitForSelector('#fd-list .ktl-fd', { timeout: WAIT_MS });
    // The timeline's tracks are the tasks (strace has no CPUs worth a track).
    const trackLabels = await page.$$eval('.ktl-tl-label', (ls) => ls.map((l) => l.textContent));
    assert.deepEqual(trackLabels, host.summary.taskTracks?.map((x) => x.label));
    assert.ok(trackLabels.length >= 2);
    const entries = await page.$$eval('#fd-list .ktl-fd', (ds) => ds.map((d) => ({ fd: (d as HTMLElement).dataset.fd, process: (d as HTMLElement).dataset.process, stall: d.classList.contains('ktl-fd-stall') })));
    assert.equal(entries.length, views.length);
    assert.deepEqual(entries[0], { fd: String(stall.fd), process: String(stall.process), stall: true });
    assert.equal(entries.filter((e) => e.stall).length, 1);
    const verdict = await page.locator('#fd-list .ktl-fd').first().locator('.ktl-fd-verdict').innerText();
    assert.match(verdict, new RegExp(`asked writable ${stall.stall.writePolls}× since ${(stall.stall.sinceTsNs / 1e9).toFixed(6)} s, never ready again, nothing written`));

    // Open the stalled fd with the keyboard: its calls appear, in trace order.
    await page.locator('#fd-list .ktl-fd-head').first().focus();
    await page.keyboard.press('Enter');
    const uses = page.locator('#fd-list .ktl-fd').first().locator('.ktl-fd-use');
    await uses.first().waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await uses.count(), stall.uses.length);
    const indexes = await uses.evaluateAll((bs) => bs.map((b) => Number((b as HTMLElement).dataset.index)));
    assert.deepEqual(indexes, stall.uses.map((u) => u.index));
    // The last readiness query: asked writable, answered without it (the stall's last poll).
    const last = [...stall.uses].reverse().find((u) => u.kind === 'wait');
    if (!last?.asked) return assert.fail('the stalled fd has no readiness query');
    assert.ok(last.asked.includes('out') && !(last.ready ?? []).includes('out'));
    const button = page.locator(`#fd-list .ktl-fd-use[data-index="${last.index}"]`);
    assert.equal(await button.locator('.ktl-fd-call').innerText(), `[${last.pid}] ${last.call} ${last.asked.join('|')}→${(last.ready ?? []).join('|') || '-'} = ${last.ret ?? '?'}${last.errno ? ` ${last.errno}` : ''}`);

    // Picking it selects exactly that event in the table.
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]') as HTMLElement | null)?.dataset.index === String(i), last.index, {
      timeout: WAIT_MS,
    });
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'fd-panel-stall.png') });
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.invalid, []);
  });

  it('strace without timestamps: no timeline, empty time cells, calls and the stall placed by line', async () => {
    const untimed = await TraceService.open(join(ROOT, 'test', 'fixtures', 'strace', 'ospf-hello-untimed.strace'));
    try {
      const t = await untimed.withTrace(async (x) => x);
      const summary = untimed.summary('ospf-hello-untimed.strace');
      assert.equal(summary.timeSource, 'none');
      const stall = straceFdViews(t).find((v) => v.stall !== null);
      if (!stall?.stall) return assert.fail('no stall in the untimed capture');
      const w = await openWebview(browser, new FdHost(untimed, t, 'ospf-hello-untimed.strace'));
      open.push(w);
      const page = w.page;
      await page.waitForSelector('#fd-list .ktl-fd-stall', { timeout: WAIT_MS });
      assert.equal(await page.locator('#timeline').isHidden(), true);
      assert.equal(w.posted.filter((m) => m.type === 'timeline').length, 0, 'a hidden timeline asks for nothing');
      assert.equal(await page.locator('#summary-span').innerText(), 'no timestamps');
      const verdict = await page.locator('#fd-list .ktl-fd-stall .ktl-fd-verdict').innerText();
      assert.match(verdict, new RegExp(`asked writable ${stall.stall.writePolls}× since line ${t.line(stall.stall.sinceIndex)}, never ready again`));
      await page.locator('#fd-list .ktl-fd-stall .ktl-fd-head').click();
      const first = page.locator('#fd-list .ktl-fd-stall .ktl-fd-use').first();
      const u = stall.uses[0];
      assert.ok(u);
      assert.equal(await first.locator('.ktl-fd-time').innerText(), `line ${t.line(u.index)}`);
      // strace printed no pids (no -f): none are shown.
      assert.doesNotMatch(await first.locator('.ktl-fd-call').innerText(), /^\[/);
      await first.click();
      await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]') as HTMLElement | null)?.dataset.index === String(i), u.index, { timeout: WAIT_MS });
      const timeCell = await page.locator('#event-table .ktl-row[aria-selected="true"] .c-time').innerText();
      assert.equal(timeCell.trim(), '');
      assert.deepEqual(w.errors, []);
    } finally {
      untimed.dispose();
    }
  });

  it('is absent for traces that are not strace', async () => {
    const other = await TraceService.open(join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping.trace'));
    try {
      const t = await other.withTrace(async (x) => x);
      const w = await openWebview(browser, new FdHost(other, t, 'veth-ping.trace'));
      open.push(w);
      await w.page.waitForSelector('#summary-events', { timeout: WAIT_MS });
      assert.equal(await w.page.locator('.ktl-fd-section').isHidden(), true);
      assert.equal(w.posted.filter((m) => m.type === 'fds').length, 0);
    } finally {
      other.dispose();
    }
  });
});
