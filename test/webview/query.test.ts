/**
 * Filter expressions in the trace editor (headless Chromium, answered by the worker's own
 * functions over a real trace): the filter bar's expression box filters the table to what the
 * compiler keeps (counted here with core/query directly), and an invalid expression is shown
 * with the character it points at and never reaches the filter.
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

    // Emptied: every event again.
    await page.locator('#filter-expr input').fill('');
    await page.locator('#filter-expr input').press('Enter');
    await waitMatched(page, trace.length);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(await cspViolations(page), []);
  });
});
