/**
 * The trace editor's panes at half of a 1600 px screen (issue 12): the sidebar sash, the table
 * columns and the details pane are dragged with the mouse, the sizes are saved in the webview
 * state (per editor) and a reopened page (a hidden tab shown again) has them back; the time
 * axis keeps its first label whole. Real TraceService over test/fixtures/ftrace/veth-ping.trace.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TraceService } from '../../src/worker/trace-service';
import { ROOT, assertBuilt, launch, openWebview, trackGeometry, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping.trace');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 10_000;
/** Half of a 1600 px window, less the other editor group. */
const HALF = { width: 800, height: 800 };

interface Layout {
  sidebarPx?: number;
  columns?: Record<string, number>;
  detailsPx?: number;
  timelinePx?: number;
}

function layoutOf(w: WebviewPage): Layout | undefined {
  return (w.state.value as { layout?: Layout } | null)?.layout;
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function width(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (e) => e.getBoundingClientRect().width);
}

/** Drags from the centre of `selector` by (dx, dy) with the mouse, in steps as a hand would. */
async function drag(page: Page, selector: string, dx: number, dy: number): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} has no box`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
}

describe('resizable panes (Chromium, real TraceService)', () => {
  let browser: Browser;
  let service: TraceService;
  const pages: WebviewPage[] = [];

  async function open(initialState?: unknown, viewport = HALF): Promise<WebviewPage> {
    const trace = await service.withTrace(async (t) => t);
    const w = await openWebview(browser, new ServiceHost(service, trace, 'veth-ping.trace'), { viewport, initialState });
    pages.push(w);
    await w.page.waitForSelector('#event-table .ktl-row[data-index]', { timeout: WAIT_MS });
    await w.page.waitForSelector('.ktl-tl-axis .tick text', { timeout: WAIT_MS });
    return w;
  }

  before(async () => {
    assertBuilt();
    mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    service = await TraceService.open(FIXTURE);
  });

  after(async () => {
    for (const p of pages) await p.close();
    await browser?.close();
    service?.dispose();
  });

  it('sidebar, a column and the details pane follow the mouse; the sizes are saved and come back', async () => {
    const w = await open();
    const page = w.page;
    // Narrow editor: the sidebar starts at 30 % (not 250 px of 800).
    const sidebar0 = await width(page, '.ktl-sidebar');
    assert.ok(sidebar0 >= 200 && sidebar0 <= 250, `sidebar ${sidebar0} px by default at 800 px`);

    // The sidebar sash: 60 px to the right.
    await drag(page, '.ktl-sidebar-sash', 60, 0);
    await waitFor(() => layoutOf(w)?.sidebarPx !== undefined, 'the sidebar width saved');
    const sidebar1 = await width(page, '.ktl-sidebar');
    assert.ok(Math.abs(sidebar1 - (sidebar0 + 60)) <= 3, `sidebar ${sidebar1} px after dragging 60 px from ${sidebar0}`);
    assert.ok(Math.abs((layoutOf(w)?.sidebarPx ?? 0) - sidebar1) <= 3);

    // The Task-PID column: 70 px narrower, header and rows alike.
    const task0 = await width(page, '.ktl-head .c-task');
    await drag(page, '.ktl-head .c-task .ktl-col-grip', -70, 0);
    await waitFor(() => layoutOf(w)?.columns?.['c-task'] !== undefined, 'the column width saved');
    const task1 = await width(page, '.ktl-head .c-task');
    assert.ok(Math.abs(task1 - (task0 - 70)) <= 3, `Task-PID ${task1} px after dragging -70 px from ${task0}`);
    assert.ok(Math.abs((await width(page, '#event-table .ktl-row[data-index] .c-task')) - task1) <= 1, 'the rows keep the header\'s column width');

    // The details pane: select a row, drag its top edge 80 px up.
    await page.click('#event-table .ktl-row[data-index="2"]');
    const details0 = (await page.locator('#row-details').boundingBox())?.height ?? 0;
    await drag(page, '.ktl-details-grip', 0, -80);
    await waitFor(() => layoutOf(w)?.detailsPx !== undefined, 'the details height saved');
    const details1 = (await page.locator('#row-details').boundingBox())?.height ?? 0;
    assert.ok(Math.abs(details1 - (details0 + 80)) <= 3, `details ${details1} px after dragging 80 px up from ${details0}`);
    await page.screenshot({ path: join(SHOTS, 'layout-resized-800.png') });

    // The page is discarded (hidden tab) and shown again with its saved state.
    const saved = w.state.value;
    const again = await open(saved);
    assert.ok(Math.abs((await width(again.page, '.ktl-sidebar')) - sidebar1) <= 3, 'sidebar width restored');
    assert.ok(Math.abs((await width(again.page, '.ktl-head .c-task')) - task1) <= 1, 'column width restored');
    assert.ok(Math.abs(((await again.page.locator('#row-details').boundingBox())?.height ?? 0) - details1) <= 3, 'details height restored');
  });

  it('keyboard: a focused column grip moves 10 px per arrow key', async () => {
    const w = await open();
    const page = w.page;
    const event0 = await width(page, '.ktl-head .c-event');
    await page.focus('.ktl-head .c-event .ktl-col-grip');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.ok(Math.abs((await width(page, '.ktl-head .c-event')) - (event0 + 20)) <= 1);
    await waitFor(() => layoutOf(w)?.columns?.['c-event'] === Math.round(event0 + 20), `the Event column saved at ${Math.round(event0 + 20)} px`);
  });

  it('the time axis at half width: the first label is whole, no two labels overlap', async () => {
    const w = await open();
    const page = w.page;
    const boxes = await page.$$eval('.ktl-tl-axis .tick text', (ts) =>
      ts.map((t) => {
        const b = t.getBoundingClientRect();
        return { left: b.left, right: b.right, text: t.textContent ?? '' };
      }),
    );
    const svg = await page.$eval('.ktl-tl-axis', (g) => ((g as SVGGElement).ownerSVGElement as SVGSVGElement).getBoundingClientRect().left);
    assert.ok(boxes.length >= 2, 'ticks drawn');
    const first = boxes[0] as { left: number; right: number; text: string };
    assert.match(first.text, /^0(\.0+)? /, `first label ${first.text}`);
    assert.ok(first.left >= svg - 0.5, `the first label "${first.text}" starts at ${first.left}, left of its SVG at ${svg}: cut off`);
    for (let i = 1; i < boxes.length; i++) assert.ok((boxes[i] as { left: number }).left >= (boxes[i - 1] as { right: number }).right, `labels ${i - 1} and ${i} overlap`);
  });

  it('the time axis zoomed to ~2.7 ms 1000 s into a trace: labels as long as "1055120.4 ms" never overlap', async () => {
    // markers-hostile.trace spans 1055 s (two recordings' markers): deep in it a 0.1 ms tick's
    // label has 7 digits and a decimal, wider than d3's nicest step leaves it at 800 px.
    const long = await TraceService.open('test/fixtures/ftrace/markers-hostile.trace');
    const trace = await long.withTrace(async (t) => t);
    const s = long.summary('markers-hostile.trace');
    const from = s.firstTsNs + s.durationNs - 3_000_000;
    const w = await openWebview(browser, new ServiceHost(long, trace, 'markers-hostile.trace'), { viewport: HALF, initialState: { version: 1, timeline: { range: [from, from + 2_700_000], selection: null } } });
    pages.push(w);
    const page = w.page;
    await page.waitForFunction(() => document.querySelectorAll('.ktl-tl-axis .tick text').length >= 2, undefined, { timeout: WAIT_MS });
    const boxes = await page.$$eval('.ktl-tl-axis .tick text', (ts) =>
      ts.map((t) => {
        const b = t.getBoundingClientRect();
        return { left: b.left, right: b.right, text: t.textContent ?? '' };
      }),
    );
    assert.ok(boxes.length >= 2, `ticks drawn: ${boxes.map((b) => b.text).join(' | ')}`);
    assert.ok(boxes.every((b) => /^\d{7,}(\.\d+)? ms$/.test(b.text)), `long labels: ${boxes.map((b) => b.text).join(' | ')}`);
    for (let i = 1; i < boxes.length; i++) {
      const [a, b] = [boxes[i - 1] as { right: number; text: string }, boxes[i] as { left: number; text: string }];
      assert.ok(b.left >= a.right, `"${a.text}" and "${b.text}" overlap (${a.right} > ${b.left})`);
    }
    long.dispose();
  });

  it('the timeline: two tracks grow to fill its quarter of the editor; its bottom edge dragged resizes it, saved and restored; too many to fit scroll under the axis', async () => {
    const w = await open();
    const page = w.page;
    const tracksBox = async (): Promise<{ body: number; canvas: number }> =>
      page.evaluate(() => ({
        body: (document.querySelector('.ktl-tl-body') as HTMLElement).getBoundingClientRect().height,
        canvas: (document.getElementById('timeline-canvas') as HTMLElement).getBoundingClientRect().height,
      }));
    // veth-ping has two CPUs: at 800 px tall the timeline's quarter (200 px) gives each the most, 80 px.
    const g0 = await trackGeometry(page);
    assert.equal(g0.trackPx, 80, 'two tracks in a 200 px area are 80 px tall each');
    const b0 = await tracksBox();
    assert.equal(Math.round(b0.canvas), 160);

    // Its bottom edge 40 px up: 120 px for two tracks, 60 px each, saved.
    await drag(page, '#timeline-grip', 0, -40);
    await waitFor(() => layoutOf(w)?.timelinePx !== undefined, 'the timeline height saved');
    assert.equal(layoutOf(w)?.timelinePx, 120);
    assert.equal((await trackGeometry(page)).trackPx, 60);
    const b1 = await tracksBox();
    assert.equal(Math.round(b1.canvas), 120);
    assert.equal(Math.round(b1.body - b0.body), -40, 'the tracks area follows the mouse');
    // The arrow keys on the focused grip: 10 px a press.
    await page.focus('#timeline-grip');
    await page.keyboard.press('ArrowDown');
    await waitFor(() => layoutOf(w)?.timelinePx === 130, 'the timeline height 130 px saved');
    await page.screenshot({ path: join(SHOTS, 'layout-timeline-height-800.png') });

    // Reopened with its state: the same height.
    const again = await open(w.state.value);
    assert.equal((await trackGeometry(again.page)).trackPx, 65);

    // Dragged below two tracks' least (38 px each): the tracks scroll, the axis stays on top.
    await drag(again.page, '#timeline-grip', 0, -80);
    await waitFor(() => (layoutOf(again)?.timelinePx ?? 1000) < 76, 'a short timeline saved');
    assert.equal((await trackGeometry(again.page)).trackPx, 38);
    const scrolled = await again.page.evaluate(() => {
      const body = document.querySelector('.ktl-tl-body') as HTMLElement;
      body.scrollTop = 20;
      const svg = document.querySelector('.ktl-tl-svg') as SVGSVGElement;
      return { scrollable: body.scrollHeight > body.clientHeight, scrollTop: body.scrollTop, axisTop: svg.getBoundingClientRect().top - body.getBoundingClientRect().top };
    });
    assert.ok(scrolled.scrollable && scrolled.scrollTop === 20, `the tracks scroll: ${JSON.stringify(scrolled)}`);
    assert.ok(Math.abs(scrolled.axisTop) <= 1, `the axis stays at the top of the scrolled tracks: ${JSON.stringify(scrolled)}`);
  });
});
