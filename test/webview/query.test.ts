/**
 * Filter expressions in the trace editor (headless Chromium, answered by the worker's own
 * functions over a real trace): the filter bar's expression box filters the table to what the
 * compiler keeps (counted here with core/query directly), and an invalid expression is shown
 * with the character it points at and never reaches the filter. The Latency view's figures,
 * histogram, brushing and opening of a pair, against core/analysis/latency.ts run here.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Trace } from '../../src/core/trace/trace';
import { compileQuery } from '../../src/core/query/compile';
import { TraceService } from '../../src/worker/trace-service';
import { pairLatency } from '../../src/core/analysis/latency';
import { logHistogram } from '../../src/worker/query-service';
import { eventText } from '../../src/core/formats/decode';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping.trace');
const WAIT_MS = 15_000;

function count(trace: Trace, expr: string): number {
  const p = compileQuery(trace, expr);
  assert.ok(p);
  let n = 0;
  for (let i = 0; i < trace.length; i++) if (p(i)) n++;
  return n;
}

async function waitMatched(page: Page, n: number): Promise<void> {
  await page.waitForFunction((v) => document.getElementById('match-count')?.dataset.matched === String(v), n, { timeout: WAIT_MS });
}

describe('filter expressions (Chromium, real TraceService)', () => {
  let browser: Browser;
  let service: TraceService;
  let trace: Trace;
  let host: ServiceHost;
  const open: WebviewPage[] = [];

  before(async () => {
    assertBuilt();
    browser = await launch();
    service = await TraceService.open(FIXTURE);
    trace = await service.withTrace(async (t) => t);
    host = new ServiceHost(service, trace, 'veth-ping.trace');
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    service?.dispose();
  });

  it('the expression box filters the table; an error points at its column and filters nothing', async () => {
    const w = await openWebview(browser, host);
    open.push(w);
    const page = w.page;
    await waitMatched(page, trace.length);

    const expr = 'len > 64 && dev ~ "ktlft-*"';
    const want = count(trace, expr);
    assert.ok(want > 0 && want < trace.length);
    await page.locator('#filter-expr input').pressSequentially(expr, { delay: 5 });
    await waitMatched(page, want);
    const rows = w.posted.filter((m) => m.type === 'rows');
    assert.equal(rows.at(-1)?.type === 'rows' && rows.at(-1)?.filter.expr, expr);
    assert.ok(await page.locator('#filter-expr-problem').isHidden());
    // The timeline keeps what does not match, dimmed: a second request without the expression, drawn beneath.
    await page.waitForFunction(() => ((document.getElementById('timeline-canvas') as HTMLElement).dataset.dimmed ?? '') !== '', undefined, { timeout: WAIT_MS });
    const tl = w.posted.filter((m) => m.type === 'timeline');
    assert.ok(tl.some((m) => m.type === 'timeline' && m.filter.expr === expr));
    assert.ok(tl.some((m) => m.type === 'timeline' && m.filter.expr === undefined));

    // `len > ` : the value is missing at column 7 (one past the end); the filter stays as it was.
    await page.locator('#filter-expr input').fill('len > ');
    await page.locator('#filter-expr input').press('Enter');
    await page.waitForSelector('#filter-expr-problem:not([hidden])', { timeout: WAIT_MS });
    assert.equal(await page.getAttribute('#filter-expr-problem', 'data-column'), '7');
    assert.equal(await page.textContent('#filter-expr-problem .ktl-expr-message'), 'expected a value at column 7');
    assert.equal(await page.textContent('#filter-expr-problem .ktl-expr-line'), 'len >  ');
    assert.equal(await page.getAttribute('#match-count', 'data-matched'), String(want));
    assert.ok(!w.posted.some((m) => m.type === 'rows' && m.filter.expr === 'len >'));

    // A mistake in the middle is marked where it is.
    await page.locator('#filter-expr input').fill('comm == "ping" && && cpu == 1');
    await page.locator('#filter-expr input').press('Enter');
    await page.waitForFunction(() => document.getElementById('filter-expr-problem')?.dataset.column === '19', undefined, { timeout: WAIT_MS });
    assert.equal(await page.textContent('#filter-expr-problem .ktl-expr-at'), '&');

    // Hostile text in the expression is shown as text.
    await page.locator('#filter-expr input').fill('comm == <img src=x onerror=alert(1)>');
    await page.locator('#filter-expr input').press('Enter');
    await page.waitForFunction(() => document.getElementById('filter-expr-problem')?.dataset.column === '9', undefined, { timeout: WAIT_MS });
    assert.equal(await page.locator('#filter-expr-problem img').count(), 0);

    // Emptied: every event again, nothing dimmed.
    await page.locator('#filter-expr input').fill('');
    await page.locator('#filter-expr input').press('Enter');
    await waitMatched(page, trace.length);
    await page.waitForFunction(() => (document.getElementById('timeline-canvas') as HTMLElement).dataset.dimmed === '', undefined, { timeout: WAIT_MS });
    assert.deepEqual(w.errors, []);
    assert.deepEqual(await cspViolations(page), []);
  });
});

describe('latency view (Chromium, real TraceService)', () => {
  let browser: Browser;
  let service: TraceService;
  let trace: Trace;
  let host: ServiceHost;
  const open: WebviewPage[] = [];

  before(async () => {
    assertBuilt();
    browser = await launch();
    service = await TraceService.open(FIXTURE);
    trace = await service.withTrace(async (t) => t);
    host = new ServiceHost(service, trace, 'veth-ping.trace');
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    service?.dispose();
  });

  it('pairs sched_wakeup -> sched_switch by pid/next_pid: figures, histogram, brushing, a pair opened in the table', async () => {
    const want = pairLatency(trace, { open: 'sched_wakeup', close: 'sched_switch', openKey: 'pid', closeKey: 'next_pid' });
    assert.ok(want.count > 10);
    const hist = logHistogram(want.durNs);
    const w = await openWebview(browser, host);
    open.push(w);
    const page = w.page;
    await waitMatched(page, trace.length);
    await page.click('#tab-latency');
    await page.fill('#lat-open', 'sched_wakeup');
    await page.fill('#lat-close', 'sched_switch');
    await page.fill('#lat-key', 'pid,next_pid');
    await page.press('#lat-key', 'Enter');
    await page.waitForSelector('#lat-stats [data-stat="count"]', { timeout: WAIT_MS });
    const stats = await page.$$eval('#lat-stats [data-stat]', (cells) => Object.fromEntries(cells.map((c) => [(c as HTMLElement).dataset.stat, (c as HTMLElement).dataset.value])));
    assert.deepEqual(stats, {
      count: String(want.count),
      min: String(want.minNs),
      p50: String(want.p50Ns),
      p90: String(want.p90Ns),
      p99: String(want.p99Ns),
      max: String(want.maxNs),
      unmatchedOpens: String(want.unmatchedOpens),
      unmatchedCloses: String(want.unmatchedCloses),
    });
    // The worst instances, longest first.
    const listed = await page.$$eval('#lat-list .ktl-lat-item', (li) => li.map((x) => Number((x as HTMLElement).dataset.dur)));
    assert.deepEqual(listed, [...want.durNs].sort((a, b) => b - a).slice(0, listed.length));
    assert.ok(listed.length >= 10);

    // The histogram is drawn: bars in the open event's colour on the canvas.
    const painted = await page.$eval('#lat-hist', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')?.getImageData(0, 0, cv.width, cv.height).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let k = 3; k < d.length; k += 4) if ((d[k] as number) > 0) n++;
      return n;
    });
    assert.ok(painted > 100, `${painted} painted pixels`);

    // Brushing the last bin (a drag at the right edge) lists exactly the pairs in it.
    const box = await page.locator('#lat-hist').boundingBox();
    assert.ok(box);
    const lastBin = hist.counts.length - 1;
    const binW = box.width / hist.counts.length;
    await page.mouse.move(box.x + lastBin * binW + binW / 2, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + 30);
    await page.mouse.up();
    const inLast = hist.counts[lastBin] as number;
    await page.waitForFunction((n) => document.getElementById('lat-list-title')?.dataset.count === String(n) && document.getElementById('lat-list-title')?.textContent?.startsWith(`${n} pair`), Math.min(inLast, 200), { timeout: WAIT_MS });
    const brushed = await page.$$eval('#lat-list .ktl-lat-item', (li) => li.map((x) => Number((x as HTMLElement).dataset.dur)));
    const lo = hist.edgesNs[lastBin] as number;
    assert.ok(brushed.every((d) => d >= lo), `${brushed} >= ${lo}`);

    // Dragging across the whole histogram: every pair.
    await page.mouse.move(box.x + 1, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + 20);
    await page.mouse.up();
    await page.waitForFunction((n) => document.getElementById('lat-list-title')?.textContent?.startsWith(`${n} pairs`), want.count, { timeout: WAIT_MS });

    // Opening an instance: the Events tab, its opening event selected in the table.
    const first = page.locator('#lat-list .ktl-lat-item').first();
    const openIndex = await first.getAttribute('data-open');
    await first.click();
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, openIndex, { timeout: WAIT_MS });
    assert.ok(await page.locator('#event-table').isVisible());
    assert.deepEqual(w.errors, []);
    assert.deepEqual(await cspViolations(page), []);
  });
});

describe('find and sort in the table (Chromium, real TraceService)', () => {
  let browser: Browser;
  let service: TraceService;
  let trace: Trace;
  let host: ServiceHost;
  const open: WebviewPage[] = [];

  before(async () => {
    assertBuilt();
    browser = await launch();
    service = await TraceService.open(FIXTURE);
    trace = await service.withTrace(async (t) => t);
    host = new ServiceHost(service, trace, 'veth-ping.trace');
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    service?.dispose();
  });

  async function selectedIndex(page: Page): Promise<string | undefined> {
    return page.evaluate(() => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.index);
  }

  it('Ctrl+F finds text and expressions over the whole trace; F3 / Shift+F3 step; a header click sorts', async () => {
    const w = await openWebview(browser, host);
    open.push(w);
    const page = w.page;
    await waitMatched(page, trace.length);
    await page.click('#event-table');

    // Text: the matches in file order, computed here from the display text.
    const hits: number[] = [];
    for (let i = 0; i < trace.length; i++) if (eventText(trace, i).toLowerCase().includes('ktlft-b')) hits.push(i);
    assert.ok(hits.length > 3);
    await page.keyboard.press('Control+f');
    await page.waitForSelector('#find:not([hidden])', { timeout: WAIT_MS });
    await page.fill('#find-input', 'KTLFT-B');
    await page.press('#find-input', 'Enter');
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, String(hits[0]), { timeout: WAIT_MS });
    await page.keyboard.press('F3');
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, String(hits[1]), { timeout: WAIT_MS });
    await page.keyboard.press('Shift+F3');
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, String(hits[0]), { timeout: WAIT_MS });
    // Previous from the first match wraps to the last.
    await page.keyboard.press('Shift+F3');
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, String(hits.at(-1)), { timeout: WAIT_MS });

    // An expression, from the last hit onwards (wrapping).
    const p = compileQuery(trace, 'len > 90 && cpu == 0');
    assert.ok(p);
    const from = hits.at(-1) as number;
    let want = -1;
    for (let k = 1; k <= trace.length; k++) {
      const i = (from + k) % trace.length;
      if (p(i)) {
        want = i;
        break;
      }
    }
    assert.ok(want >= 0);
    await page.keyboard.press('Control+f');
    await page.check('#find-expr');
    await page.fill('#find-input', 'len > 90 && cpu == 0');
    await page.press('#find-input', 'Enter');
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, String(want), { timeout: WAIT_MS });
    // A broken expression says where.
    await page.fill('#find-input', 'len >');
    await page.press('#find-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('find-status')?.textContent === 'expected a value at column 6', undefined, { timeout: WAIT_MS });
    assert.equal(await selectedIndex(page), String(want));
    await page.press('#find-input', 'Escape');
    assert.ok(await page.locator('#find').isHidden());

    // Sort by CPU: ascending, then descending (ties in file order), as the rows requests say.
    await page.click('.ktl-head [data-sort="cpu"]');
    await page.waitForFunction(() => document.querySelector('.ktl-head [data-sort="cpu"]')?.getAttribute('aria-sort') === 'ascending', undefined, { timeout: WAIT_MS });
    const cpus = Array.from({ length: trace.length }, (_, i) => i).sort((a, b) => trace.cpu(a) - trace.cpu(b) || a - b);
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[data-position="0"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, String(cpus[0]), { timeout: WAIT_MS });
    await page.click('.ktl-head [data-sort="cpu"]');
    const desc = Array.from({ length: trace.length }, (_, i) => i).sort((a, b) => trace.cpu(b) - trace.cpu(a) || a - b);
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[data-position="0"]:not([hidden])') as HTMLElement | null)?.dataset.index === i, String(desc[0]), { timeout: WAIT_MS });
    const sorted = w.posted.filter((m) => m.type === 'rows' && m.sort !== undefined);
    assert.ok(sorted.some((m) => m.type === 'rows' && m.sort?.column === 'cpu' && m.sort.descending));
    // Third click: file order again.
    await page.click('.ktl-head [data-sort="cpu"]');
    await page.waitForFunction(() => (document.querySelector('#event-table .ktl-row[data-position="0"]:not([hidden])') as HTMLElement | null)?.dataset.index === '0', undefined, { timeout: WAIT_MS });
    assert.deepEqual(w.errors, []);
    assert.deepEqual(await cspViolations(page), []);
  });
});
