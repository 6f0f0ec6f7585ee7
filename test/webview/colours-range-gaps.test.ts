/**
 * Issue 12 items 3, 5 and 6 in headless Chromium over real ftrace captures, answered by the real
 * TraceService + TimelineService (test/webview/service-host.ts):
 * - colours say what they mean: the legend names the ten busiest events with their counts, each
 *   in its own colour (computed colours compared, in the dark, light and high-contrast themes);
 * - the brushed range is a panel whose counts per event, CPU and task equal `ktl events` over the
 *   same range, and whose columns sort;
 * - lost events are places: each `CPU:N [LOST M EVENTS]` of lost-events-pipe.trace is drawn on its
 *   CPU's track at its time, and clicking it says so.
 * Screenshots go to test-output/webview/. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Trace } from '../../src/core/trace/trace';
import { TraceService } from '../../src/worker/trace-service';
import { TimelineService } from '../../src/worker/timeline-service';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, trackGeometry, type Theme, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';
import { runKtl } from '../helpers/lifecycle-golden';

const VETH = join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping.trace');
const LOST = join(ROOT, 'test', 'fixtures', 'ftrace', 'lost-events-pipe.trace');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 20_000;

interface Loaded {
  service: TraceService;
  trace: Trace;
  timeline: TimelineService;
  name: string;
}

async function load(path: string, name: string): Promise<Loaded> {
  const service = await TraceService.open(path);
  const trace = await service.withTrace(async (t) => t);
  return { service, trace, timeline: new TimelineService(trace), name };
}

async function assertClean(w: WebviewPage): Promise<void> {
  assert.deepEqual(await cspViolations(w.page), [], 'CSP violations');
  assert.deepEqual(w.errors, [], 'page errors');
  assert.deepEqual(w.invalid, [], 'messages failing isWebviewToHost');
}

async function plotBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await (await page.$('#timeline-canvas'))?.boundingBox();
  assert.ok(b, 'timeline canvas is laid out');
  return b;
}

describe('colours, range panel and lost events (Chromium, real services)', () => {
  let browser: Browser;
  let veth: Loaded;
  let lost: Loaded;
  const open: WebviewPage[] = [];

  async function openTrace(l: Loaded, theme: Theme = 'dark'): Promise<WebviewPage> {
    const w = await openWebview(browser, new ServiceHost(l.service, l.trace, l.name, l.timeline), { theme, viewport: { width: 1200, height: 900 } });
    open.push(w);
    await w.page.waitForSelector('#timeline-canvas', { timeout: WAIT_MS });
    await w.page.waitForFunction(() => ((document.getElementById('timeline-canvas') as HTMLElement).dataset.drawn ?? '') !== '', undefined, { timeout: WAIT_MS });
    return w;
  }

  before(async () => {
    assertBuilt();
    mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    veth = await load(VETH, 'veth-ping.trace');
    lost = await load(LOST, 'lost-events-pipe.trace');
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    veth?.service.dispose();
    lost?.service.dispose();
  });

  for (const theme of ['dark', 'light', 'hc'] as const) {
    it(`the legend names the ten busiest events with their counts, in ten distinct colours (${theme})`, async () => {
      const w = await openTrace(veth, theme);
      const chips = await w.page.$$eval('#timeline-legend .ktl-tl-chip[data-event]', (cs) =>
        cs.map((c) => ({
          name: (c as HTMLElement).dataset.event ?? '',
          text: c.textContent ?? '',
          colour: getComputedStyle(c.querySelector('.ktl-lc-swatch') as Element).color,
        })),
      );
      const busiest = [...veth.service.summary('x').eventCounts].sort((a, b) => b.count - a.count).slice(0, 10);
      assert.equal(busiest.length, 10, 'the fixture has at least ten event names');
      assert.deepEqual(
        chips.map((c) => c.name),
        busiest.map((e) => e.name),
      );
      for (const [k, c] of chips.entries()) assert.ok(c.text.endsWith((busiest[k] as { count: number }).count.toLocaleString('en-US')), `${c.name}: count shown (${c.text})`);
      assert.equal(new Set(chips.map((c) => c.colour)).size, 10, `ten distinct colours: ${chips.map((c) => c.colour).join(' ')}`);
      // The table paints an event name in the legend's colour.
      const first = chips[0] as { name: string; colour: string };
      await w.page.waitForSelector('.ktl-cell.c-event', { timeout: WAIT_MS });
      const tableColour = await w.page.$$eval(
        '.ktl-cell.c-event',
        (cells, name) => {
          const c = cells.find((x) => x.textContent === name);
          return c ? getComputedStyle(c).color : null;
        },
        first.name,
      );
      if (tableColour !== null) assert.equal(tableColour, first.colour);
      // The palette as the lifecycle lanes use it (state k = slot k): ten distinct colours too, none the error colour.
      const palette = await w.page.$$eval('.ktl-tl-palette span', (ss) => ss.slice(0, 10).map((s) => getComputedStyle(s).color));
      assert.equal(new Set(palette).size, 10);
      const error = await w.page.$eval('.ktl-lc-error-probe', (s) => getComputedStyle(s).color);
      assert.ok(!palette.includes(error), 'no state or event looks like a finding');
      await w.page.screenshot({ path: join(SHOTS, `legend-${theme}.png`) });
      await assertClean(w);
    });
  }

  it('brushing shows a range panel whose counts per event, CPU and task equal ktl events over the range; columns sort', async () => {
    const w = await openTrace(veth);
    const page = w.page;
    const box = await plotBox(page);
    // The ruler (brush) is tall enough to hit.
    const ruler = await page.$eval('.ktl-tl-brush .overlay', (r) => r.getBoundingClientRect().height);
    assert.ok(ruler >= 12, `ruler ${ruler} px`);
    const rulerY = box.y - 7;
    await page.mouse.move(box.x + box.width * 0.3, rulerY);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, rulerY, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.7, rulerY, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => (document.getElementById('range-panel') as HTMLElement).dataset.total !== undefined, undefined, { timeout: WAIT_MS });
    const req = w.posted.filter((m) => m.type === 'rangeStats').pop() as { startNs: number; endNs: number } | undefined;
    assert.ok(req, 'a rangeStats request');
    const inside = runKtl(['events', VETH, '--json'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tsNs: number; cpu: number; pid: number; comm: string; event: string })
      .filter((e) => e.tsNs >= req.startNs && e.tsNs < req.endNs);
    assert.ok(inside.length > 0);
    const total = await page.$eval('#range-panel', (e) => Number((e as HTMLElement).dataset.total));
    assert.equal(total, inside.length);
    const rows = (id: string): Promise<string[][]> => page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
    const count = (key: (e: (typeof inside)[number]) => string): Map<string, string> => {
      const m = new Map<string, number>();
      for (const e of inside) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
      return new Map([...m].map(([k, n]) => [k, n.toLocaleString('en-US')]));
    };
    assert.deepEqual(new Map((await rows('range-events')).map((r) => [r[0], r[1]])), count((e) => e.event));
    assert.deepEqual(new Map((await rows('range-cpus')).map((r) => [r[0], r[1]])), count((e) => String(e.cpu)));
    assert.deepEqual(new Map((await rows('range-tasks')).map((r) => [r[0], r[1]])), count((e) => `${e.comm}-${e.pid}`));
    // Sort the events by name (click the header): alphabetical; again: reversed.
    await page.click('#range-events th:first-child button');
    const names = (await rows('range-events')).map((r) => r[0] as string);
    const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(names, sorted);
    await page.click('#range-events th:first-child button');
    assert.deepEqual(
      (await rows('range-events')).map((r) => r[0]),
      [...sorted].reverse(),
    );
    assert.ok((await rows('range-run')).length > 0, 'run time per CPU from sched_switch');
    await page.screenshot({ path: join(SHOTS, 'range-panel.png') });
    // "Filter table to range": the table keeps the range's events, as many as ktl listed.
    await page.click('#range-filter');
    await page.waitForFunction((n) => (document.getElementById('match-count') as HTMLElement).dataset.matched === String(n), inside.length, { timeout: WAIT_MS });
    const rowsReq = w.posted.filter((m) => m.type === 'rows').pop() as { filter: { timeRange?: [number, number] } } | undefined;
    assert.deepEqual(rowsReq?.filter.timeRange, [req.startNs, req.endNs]);
    await page.screenshot({ path: join(SHOTS, 'range-filtered.png') });
    await assertClean(w);
  });

  it('lost events are drawn on their CPU track at their time; clicking one names it', async () => {
    const w = await openTrace(lost);
    const page = w.page;
    const gaps = lost.trace.lost;
    assert.equal(gaps.length, 5);
    assert.equal(await page.$eval('#timeline-legend [data-gaps]', (e) => (e as HTMLElement).dataset.gaps), '5');
    const box = await plotBox(page);
    const [a, b] = await page.$eval('#timeline-range', (e) => [Number((e as HTMLElement).dataset.startNs), Number((e as HTMLElement).dataset.endNs)]);
    const first = gaps[0] as { cpu: number; count: number | null; line: number; beforeEvent: number };
    const ts = lost.trace.tsNs(first.beforeEvent);
    const x = ((ts - (a as number)) / ((b as number) - (a as number))) * box.width;
    const cpus = lost.service.summary('x').cpus;
    const top = (await trackGeometry(page)).top(cpus.indexOf(first.cpu));
    // The mark is painted in the warning colour at that x on that track's top row.
    const painted = await page.$eval(
      '#timeline-canvas',
      (c, { px, py }) => {
        const canvas = c as HTMLCanvasElement;
        const dpr = canvas.width / canvas.getBoundingClientRect().width;
        const d = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(Math.round(px * dpr), Math.round(py * dpr), 1, 1).data;
        return [d[0], d[1], d[2], d[3]];
      },
      { px: Math.round(x), py: top + 1 },
    );
    assert.deepEqual(painted, [0xcc, 0xa7, 0x00, 255], 'editorWarning.foreground of the dark theme');
    await page.mouse.click(box.x + x, box.y + top + 14);
    await page.waitForFunction((line) => (document.getElementById('timeline-details') as HTMLElement).dataset.gapLine === String(line), first.line, { timeout: WAIT_MS });
    const text = await page.$eval('#timeline-details', (e) => e.textContent ?? '');
    assert.match(text, new RegExp(`CPU ${first.cpu} · line ${first.line} · \\[LOST ${first.count} EVENTS\\]`));
    await page.screenshot({ path: join(SHOTS, 'lost-events.png') });
    await assertClean(w);
  });
});
