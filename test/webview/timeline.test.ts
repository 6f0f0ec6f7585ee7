/**
 * The timeline in headless Chromium, fed by a real TraceService + TimelineService over a real
 * ftrace capture (veth-ping.trace: 2 CPUs with sched_switch). The Node side plays the
 * extension host (it answers `timeline`, `timelineRange` and `eventAt` as the worker does),
 * and every count the page shows is checked against a direct pass over the trace.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TraceSummary, WebviewToHost } from '../../src/protocol/messages';
import type { Trace } from '../../src/core/trace/trace';
import { TraceService } from '../../src/worker/trace-service';
import { TimelineService } from '../../src/worker/timeline-service';
import { buildTaskSlices, buildTimelineEvents } from '../../src/core/analysis/timeline';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, trackGeometry, type OpenOptions, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping.trace');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 10_000;

type TimelineRequest = Extract<WebviewToHost, { type: 'timeline' }>;
type RangeRequest = Extract<WebviewToHost, { type: 'timelineRange' }>;

interface Loaded {
  service: TraceService;
  trace: Trace;
  timeline: TimelineService;
  summary: TraceSummary;
}

function timelineRequests(w: WebviewPage): TimelineRequest[] {
  return w.posted.filter((m): m is TimelineRequest => m.type === 'timeline');
}

async function visibleRange(page: Page): Promise<[number, number]> {
  const r = await page.$eval('#timeline-range', (e) => [Number((e as HTMLElement).dataset.startNs), Number((e as HTMLElement).dataset.endNs)]);
  return [r[0] as number, r[1] as number];
}

async function waitRangeChange(page: Page, before: [number, number]): Promise<[number, number]> {
  await page.waitForFunction(
    ([a, b]) => {
      const e = document.getElementById('timeline-range') as HTMLElement | null;
      return e !== null && (Number(e.dataset.startNs) !== a || Number(e.dataset.endNs) !== b);
    },
    before,
    { timeout: WAIT_MS },
  );
  return visibleRange(page);
}

/** Waits until the canvas shows the reply to the latest timeline request. */
async function waitDrawn(w: WebviewPage): Promise<void> {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const last = timelineRequests(w).pop();
    const drawn = await w.page.$eval('#timeline-canvas', (c) => (c as HTMLElement).dataset.drawn ?? '');
    if (last && drawn === String(last.startNs)) return;
    if (Date.now() > until) throw new Error('timeline not drawn');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function plotBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await (await page.$('#timeline-canvas'))?.boundingBox();
  assert.ok(b, 'timeline canvas is laid out');
  return b;
}

async function assertClean(w: WebviewPage): Promise<void> {
  assert.deepEqual(await cspViolations(w.page), [], 'CSP violations');
  assert.deepEqual(w.errors, [], 'page errors');
  assert.deepEqual(w.invalid, [], 'messages failing isWebviewToHost');
}

/** Events in [a, b) by a direct pass over the trace. */
function direct(t: Trace, a: number, b: number): { total: number; perCpu: Map<number, number> } {
  const perCpu = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const ts = t.tsNs(i);
    if (ts < a || ts >= b) continue;
    total++;
    perCpu.set(t.cpu(i), (perCpu.get(t.cpu(i)) ?? 0) + 1);
  }
  return { total, perCpu };
}

describe('timeline webview (Chromium, real TraceService + TimelineService)', () => {
  let browser: Browser;
  let veth: Loaded;
  const open: WebviewPage[] = [];

  async function openTimeline(opts: OpenOptions = {}): Promise<WebviewPage> {
    const w = await openWebview(browser, new ServiceHost(veth.service, veth.trace, 'veth-ping.trace', veth.timeline), opts);
    open.push(w);
    await w.page.waitForSelector('#timeline-canvas', { timeout: WAIT_MS });
    await waitDrawn(w);
    return w;
  }

  before(async () => {
    assertBuilt();
    browser = await launch();
    const service = await TraceService.open(FIXTURE);
    const trace = await service.withTrace(async (t) => t);
    veth = { service, trace, timeline: new TimelineService(trace), summary: service.summary('veth-ping.trace') };
    assert.deepEqual(veth.summary.cpus, [0, 1]);
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    veth?.service.dispose();
  });

  it('draws one track per CPU over the whole trace, asking for (range, resolution = width)', async () => {
    const w = await openTimeline();
    const page = w.page;
    const labels = await page.$$eval('.ktl-tl-label', (ls) => ls.map((l) => l.textContent));
    assert.deepEqual(labels, ['CPU 0', 'CPU 1']);
    const box = await plotBox(page);
    const req = timelineRequests(w)[0];
    assert.ok(req);
    assert.equal(req.resolution, Math.round(box.width));
    assert.equal(req.startNs, veth.summary.firstTsNs);
    assert.ok(Math.abs(req.endNs - (veth.summary.firstTsNs + veth.summary.durationNs + 1)) < 1e-3);
    assert.equal(req.cpus, null);
    // Each track has marks: painted pixels in its marks lane.
    const geometry = await trackGeometry(page);
    const painted = await page.$eval(
      '#timeline-canvas',
      (c, { trackPx, mid }) => {
        const canvas = c as HTMLCanvasElement;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        const dpr = canvas.width / canvas.clientWidth;
        const out: number[] = [];
        for (let k = 0; k < 2; k++) {
          const y = Math.round((k * trackPx + mid) * dpr);
          const px = ctx.getImageData(0, y, canvas.width, 1).data;
          let n = 0;
          for (let i = 3; i < px.length; i += 4) if ((px[i] as number) > 0) n++;
          out.push(n);
        }
        return out;
      },
      { trackPx: geometry.trackPx, mid: geometry.markMid(0) },
    );
    assert.ok(painted.every((n) => n > 20), `marks painted on both tracks: ${painted}`);
    const [a, b] = await visibleRange(page);
    assert.equal(a, veth.summary.firstTsNs);
    assert.ok(b > veth.summary.firstTsNs + veth.summary.durationNs);
    await assertClean(w);
  });

  it('wheel zoom narrows the visible range and asks again at a finer resolution', async () => {
    const w = await openTimeline();
    const page = w.page;
    const box = await plotBox(page);
    const before = await visibleRange(page);
    await page.mouse.move(box.x + box.width * 0.25, box.y + 10);
    await page.mouse.wheel(0, -400);
    const after = await waitRangeChange(page, before);
    assert.ok(after[1] - after[0] < (before[1] - before[0]) * 0.9, `span ${after[1] - after[0]} < ${before[1] - before[0]}`);
    // Zoomed at the pointer: the time under it stays put.
    const under = before[0] + (before[1] - before[0]) * 0.25;
    assert.ok(Math.abs(after[0] + (after[1] - after[0]) * 0.25 - under) < (before[1] - before[0]) * 0.01);
    await waitDrawn(w);
    const reqs = timelineRequests(w);
    const first = reqs[0] as TimelineRequest;
    const last = reqs[reqs.length - 1] as TimelineRequest;
    const nsPerBucket = (r: TimelineRequest) => (r.endNs - r.startNs) / r.resolution;
    assert.ok(nsPerBucket(last) < nsPerBucket(first), 'finer buckets after zooming in');
    assert.ok(Math.abs(last.startNs - after[0]) < 1 && Math.abs(last.endNs - after[1]) < 1, 'the request covers the visible range');
    await assertClean(w);
  });

  it('keyboard: + / - zoom, arrows pan, 0 fits the whole trace', async () => {
    const w = await openTimeline();
    const page = w.page;
    await page.focus('#timeline-canvas');
    const full = await visibleRange(page);
    const span = (r: [number, number]) => r[1] - r[0];
    await page.keyboard.press('+');
    const z1 = await waitRangeChange(page, full);
    assert.ok(Math.abs(span(z1) - span(full) / 1.5) < span(full) * 1e-6, 'zoomed in by 1.5');
    await page.keyboard.press('ArrowRight');
    const p1 = await waitRangeChange(page, z1);
    assert.ok(Math.abs(p1[0] - z1[0] - span(z1) * 0.1) < span(z1) * 1e-6, 'panned right by a tenth');
    assert.ok(Math.abs(span(p1) - span(z1)) < span(z1) * 1e-6);
    await page.keyboard.press('ArrowLeft');
    const p2 = await waitRangeChange(page, p1);
    assert.ok(Math.abs(p2[0] - z1[0]) < span(z1) * 1e-6);
    await page.keyboard.press('-');
    const z2 = await waitRangeChange(page, p2);
    assert.ok(span(z2) > span(p2));
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('0');
    await page.waitForFunction(([a, b]) => {
      const e = document.getElementById('timeline-range') as HTMLElement;
      return Math.abs(Number(e.dataset.startNs) - a) < 1e-3 && Math.abs(Number(e.dataset.endNs) - b) < 1e-3;
    }, full);
    await waitDrawn(w);
    await assertClean(w);
  });

  it('brushing the ruler shows the duration and the exact counts of the selection', async () => {
    const w = await openTimeline();
    const page = w.page;
    const box = await plotBox(page);
    const rulerY = box.y - 7;
    const [a, b] = await visibleRange(page);
    await page.mouse.move(box.x + box.width * 0.2, rulerY);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, rulerY, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, rulerY, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => (document.getElementById('timeline-selection') as HTMLElement).dataset.total !== undefined, undefined, { timeout: WAIT_MS });
    const req = w.posted.filter((m): m is RangeRequest => m.type === 'timelineRange').pop();
    assert.ok(req, 'a timelineRange request');
    // The selection is what was dragged: 20%..60% of the view (within a pixel).
    const nsPerPx = (b - a) / box.width;
    assert.ok(Math.abs(req.startNs - (a + (b - a) * 0.2)) <= 1.5 * nsPerPx, `start ${req.startNs}`);
    assert.ok(Math.abs(req.endNs - (a + (b - a) * 0.6)) <= 1.5 * nsPerPx, `end ${req.endNs}`);
    const shown = await page.$eval('#timeline-selection', (e) => ({ dur: Number((e as HTMLElement).dataset.durationNs), total: Number((e as HTMLElement).dataset.total), text: e.textContent ?? '' }));
    assert.ok(Math.abs(shown.dur - (req.endNs - req.startNs)) < 1e-3);
    const want = direct(veth.trace, req.startNs, req.endNs);
    assert.equal(shown.total, want.total);
    assert.ok(want.total > 0);
    assert.match(shown.text, new RegExp(`${want.total.toLocaleString('en-US')} events`));
    assert.match(shown.text, new RegExp(`CPU 0: ${(want.perCpu.get(0) ?? 0).toLocaleString('en-US')}`));
    assert.match(shown.text, new RegExp(`CPU 1: ${(want.perCpu.get(1) ?? 0).toLocaleString('en-US')}`));
    // The band follows a zoom; Escape clears it.
    assert.equal(await page.isVisible('.ktl-tl-band'), true);
    await page.focus('#timeline-canvas');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => (document.getElementById('timeline-selection') as HTMLElement).dataset.total === undefined);
    await page.waitForSelector('.ktl-tl-band', { state: 'hidden', timeout: WAIT_MS });
    await assertClean(w);
  });

  it('clicking a mark shows its event and selects it in the table; the table selection shows on the timeline', async () => {
    const w = await openTimeline();
    const page = w.page;
    const box = await plotBox(page);
    // A CPU 1 event at least 1 µs from its neighbours on that CPU; zoom in at it (wheel)
    // until no other event of its CPU is within 3 px, so the click can only mean it.
    const t = veth.trace;
    const cpu1 = [...Array(t.length).keys()].filter((i) => t.cpu(i) === 1).sort((x, y) => t.tsNs(x) - t.tsNs(y));
    let k0 = Math.floor(cpu1.length / 2);
    while (t.tsNs(cpu1[k0] as number) - t.tsNs(cpu1[k0 - 1] as number) < 1000 || t.tsNs(cpu1[k0 + 1] as number) - t.tsNs(cpu1[k0] as number) < 1000) k0++;
    const target = cpu1[k0] as number;
    const prev = cpu1[k0 - 1] as number;
    const next = cpu1[k0 + 1] as number;
    let view = await visibleRange(page);
    const pxOf = (ts: number) => ((ts - view[0]) / (view[1] - view[0])) * box.width;
    for (let n = 0; n < 30 && (pxOf(t.tsNs(target)) - pxOf(t.tsNs(prev)) <= 3 || pxOf(t.tsNs(next)) - pxOf(t.tsNs(target)) <= 3); n++) {
      await page.mouse.move(box.x + pxOf(t.tsNs(target)), box.y + 10);
      await page.mouse.wheel(0, -300);
      view = await waitRangeChange(page, view);
    }
    await waitDrawn(w);
    const track = veth.summary.cpus.indexOf(t.cpu(target));
    const { markMid } = await trackGeometry(page);
    await page.mouse.click(box.x + pxOf(t.tsNs(target)), box.y + markMid(track));
    await page.waitForFunction((i) => (document.getElementById('timeline-details') as HTMLElement).dataset.index === String(i), target, { timeout: WAIT_MS });
    const details = (await page.textContent('#timeline-details')) ?? '';
    assert.ok(details.includes(t.event(target)), details);
    assert.ok(details.includes(`${t.comm(target)}-${t.pid(target)}`), details);
    assert.ok(details.includes(`line ${t.line(target)}`), details);
    // A double-click opens its line in the trace text, as in the table.
    await page.mouse.dblclick(box.x + pxOf(t.tsNs(target)), box.y + markMid(track));
    const until = Date.now() + WAIT_MS;
    while (!w.posted.some((m) => m.type === 'revealEvent' && m.line === t.line(target) && m.event === t.event(target))) {
      if (Date.now() > until) throw new Error('no revealEvent for the double-clicked mark');
      await new Promise((r) => setTimeout(r, 20));
    }
    // The table selects and shows the same event (no filter: position = index).
    await page.waitForFunction((i) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]') as HTMLElement | null)?.dataset.index === String(i), target, {
      timeout: WAIT_MS,
    });

    // The other way: moving the table's selection marks that event on the timeline.
    await page.focus('#event-table');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((i) => (document.getElementById('timeline-details') as HTMLElement).dataset.index === String(i + 1), target, { timeout: WAIT_MS });
    // ... without opening its line: only the double-click here did (the pick's intent is the
    // table's now). One more step, so every message of the first one has reached the host.
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((i) => (document.getElementById('timeline-details') as HTMLElement).dataset.index === String(i + 2), target, { timeout: WAIT_MS });
    assert.deepEqual(
      w.posted.filter((m) => m.type === 'revealEvent' || m.type === 'revealLine').map((m) => m.line),
      [t.line(target)],
      'a table selection does not open the trace text',
    );
    await assertClean(w);
  });

  it('follows the table filter: only matching events are counted', async () => {
    const w = await openTimeline();
    const page = w.page;
    await page.click('#summary-event-list .ktl-facet:has(.ktl-facet-name:text-is("sched_switch"))');
    await page.waitForFunction(() => true);
    const until = Date.now() + WAIT_MS;
    while (!timelineRequests(w).some((r) => (r.filter.events ?? []).includes('sched_switch'))) {
      if (Date.now() > until) throw new Error('no filtered timeline request');
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitDrawn(w);
    const req = timelineRequests(w).pop() as TimelineRequest;
    const data = veth.timeline.query(req.startNs, req.endNs, req.resolution, null, req.filter);
    let switches = 0;
    for (let i = 0; i < veth.trace.length; i++) if (veth.trace.event(i) === 'sched_switch') switches++;
    assert.equal(
      data.tracks.reduce((n, x) => n + x.total, 0),
      switches,
    );
    await assertClean(w);
  });

  it('Fit zooms to the events matching the filter; a click on a task slice names the task', async () => {
    const w = await openTimeline();
    const page = w.page;
    const t = veth.trace;
    const markers = [...Array(t.length).keys()].filter((i) => t.event(i) === 'irq_handler_entry').map((i) => t.tsNs(i));
    assert.ok(markers.length > 0);
    const lo = Math.min(...markers);
    const hi = Math.max(...markers);
    const full = await visibleRange(page);
    await page.click('#summary-event-list .ktl-facet:has(.ktl-facet-name:text-is("irq_handler_entry"))');
    await page.click('.ktl-tl-button:text-is("Fit")');
    const fitted = await waitRangeChange(page, full);
    assert.ok(fitted[0] <= lo && hi < fitted[1], `[${fitted}] holds the markers [${lo}, ${hi}]`);
    assert.ok(fitted[1] - fitted[0] < (full[1] - full[0]) * 0.01, 'zoomed in on it');
    await waitDrawn(w);

    // Whole trace again, then a click in CPU 1's slice lane at the middle of the plot.
    await page.focus('#timeline-canvas');
    await page.keyboard.press('0');
    await waitRangeChange(page, fitted);
    await waitDrawn(w);
    const box = await plotBox(page);
    const view = await visibleRange(page);
    const ns = view[0] + (view[1] - view[0]) * 0.5;
    const index = buildTaskSlices(t, buildTimelineEvents(t));
    const slices = index.all(1);
    let want = '';
    for (let k = 0; k < slices.startNs.length; k++) {
      if ((slices.startNs[k] as number) <= ns && ns < (slices.endNs[k] as number)) {
        const task = index.tasks[slices.task[k] as number];
        want = `${task?.comm}-${task?.pid}`;
      }
    }
    assert.ok(want, 'a slice runs at the middle of the trace on CPU 1');
    await page.mouse.click(box.x + box.width * 0.5, box.y + (await trackGeometry(page)).top(1) + 6);
    await page.waitForFunction((v) => (document.getElementById('timeline-details') as HTMLElement).dataset.slice === v, want, { timeout: WAIT_MS });
    assert.match((await page.textContent('#timeline-details')) ?? '', / ran /);
    await assertClean(w);
  });

  it('"Show Events for This Line" (applyFilter from the host) filters and zooms the timeline to those events', async () => {
    const w = await openTimeline();
    const page = w.page;
    const t = veth.trace;
    const irq = [...Array(t.length).keys()].filter((i) => t.event(i) === 'irq_handler_entry');
    assert.equal(irq.length, 1);
    const full = await visibleRange(page);
    await w.send({ type: 'applyFilter', filter: { events: ['irq_handler_entry'] } });
    const fitted = await waitRangeChange(page, full);
    const ts = t.tsNs(irq[0] as number);
    assert.ok(fitted[0] <= ts && ts < fitted[1], `[${fitted}] holds ${ts}`);
    assert.ok(fitted[1] - fitted[0] < (full[1] - full[0]) * 0.01);
    await waitDrawn(w);
    const last = timelineRequests(w).pop() as TimelineRequest;
    assert.deepEqual(last.filter.events, ['irq_handler_entry']);
    await assertClean(w);
  });

  it("an event's details say where it happened: CPU n, a capture's interface, nothing for strace (no CPUs)", async () => {
    const cases = [
      { file: join('ftrace', 'veth-ping.trace'), place: (t: Trace, i: number): string | null => `CPU ${t.cpu(i)}` },
      { file: join('pcap', 'bridge-multi.pcapng'), place: (t: Trace, i: number, s?: TraceSummary): string | null => s?.interfaces?.find((x) => x.index === t.cpu(i))?.name ?? null },
      { file: join('strace', 'ospf-hello-raw.strace'), place: (): string | null => null },
    ];
    for (const c of cases) {
      const service = await TraceService.open(join(ROOT, 'test', 'fixtures', c.file));
      try {
        const trace = await service.withTrace(async (t) => t);
        const summary = service.summary(c.file);
        const w = await openWebview(browser, new ServiceHost(service, trace, c.file));
        open.push(w);
        await w.page.waitForSelector('#timeline-canvas', { timeout: WAIT_MS });
        // The table's first row selected: the timeline's details show that event (index 0).
        await w.page.waitForSelector('#event-table .ktl-row[data-position="0"][data-line]', { timeout: WAIT_MS });
        await w.page.click('#event-table .ktl-row[data-position="0"]');
        await w.page.waitForFunction(() => (document.getElementById('timeline-details') as HTMLElement).dataset.index === '0', undefined, { timeout: WAIT_MS });
        const details = (await w.page.textContent('#timeline-details')) ?? '';
        const place = c.place(trace, 0, summary);
        if (place !== null) assert.ok(details.includes(` · ${place} · `), `${c.file}: ${details}`);
        if (!place?.startsWith('CPU')) assert.doesNotMatch(details, /CPU \d/, `${c.file}: ${details}`);
        await assertClean(w);
      } finally {
        service.dispose();
      }
    }
  });

  it('a counter trace clock labels the axis in counts, not seconds', async () => {
    const service = await TraceService.open(join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping-clock-counter.trace'));
    try {
      const trace = await service.withTrace(async (t) => t);
      const summary = service.summary('veth-ping-clock-counter.trace');
      assert.equal(summary.timeSource, 'counter');
      const w = await openWebview(browser, new ServiceHost(service, trace, 'veth-ping-clock-counter.trace'));
      open.push(w);
      await w.page.waitForSelector('#timeline-canvas', { timeout: WAIT_MS });
      await waitDrawn(w);
      assert.match((await w.page.textContent('#timeline-range')) ?? '', /^0 – \d+ · \d+ counts in view$/);
      const ticks = await w.page.$$eval('.ktl-tl-axis .tick text', (ts) => ts.map((x) => x.textContent ?? ''));
      assert.ok(ticks.length > 2 && ticks.every((x) => /^\d+$/.test(x)), ticks.join(' '));
      await assertClean(w);
    } finally {
      service.dispose();
    }
  });

  it('looks like a serious tool (screenshots, dark and light)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const theme of ['dark', 'light'] as const) {
      const w = await openTimeline({ theme });
      const page = w.page;
      const box = await plotBox(page);
      // Zoom into the busy middle, brush a range and pick an event, so the shot shows it all.
      await page.mouse.move(box.x + box.width * 0.5, box.y + 10);
      await page.mouse.wheel(0, -300);
      await waitDrawn(w);
      await page.mouse.move(box.x + box.width * 0.3, box.y - 7);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.45, box.y - 7, { steps: 4 });
      await page.mouse.up();
      await page.waitForFunction(() => (document.getElementById('timeline-selection') as HTMLElement).dataset.total !== undefined, undefined, { timeout: WAIT_MS });
      await page.screenshot({ path: join(SHOTS, `timeline-${theme}.png`) });
      await assertClean(w);
    }
  });
});
