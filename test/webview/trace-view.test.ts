/**
 * The trace editor's webview in headless Chromium, fed by a real TraceService over real
 * ftrace captures (test/fixtures/ftrace, see test/fixtures/README.md). The Node side plays
 * the extension host: it answers `ready` with progress and the summary and `rows` with
 * pages from the service, so every number the page shows is checked against the service.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { MAX_PAGE_ROWS, type EventFilter, type EventRow, type HostToWebview, type TraceSummary, type WebviewToHost } from '../../src/protocol/messages';
import { TraceService } from '../../src/worker/trace-service';
import { formatSeconds } from '../../webview/format';
import { PAGE_ROWS } from '../../webview/row-cache';
import { MAX_SCROLL_PX } from '../../webview/virtual-scroll';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, type HostBehaviour, type OpenOptions, type WebviewPage } from './harness';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping.trace');
const FIXTURE_TGID = join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping-tgid.trace');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 10_000;

/** Answers like the extension host, from a real TraceService. */
class ServiceHost implements HostBehaviour {
  /** While true, row replies are kept in `held` instead of sent (to test stale replies). */
  hold = false;
  readonly held: HostToWebview[] = [];

  constructor(
    private readonly service: TraceService,
    private readonly fileName: string,
    private readonly progress: readonly (readonly [number, number])[],
  ) {}

  async onMessage(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    switch (msg.type) {
      case 'ready':
        for (const [bytesRead, totalBytes] of this.progress) await send({ type: 'progress', bytesRead, totalBytes });
        await send({ type: 'summary', summary: this.service.summary(this.fileName) });
        return;
      case 'rows': {
        const r = this.service.rows(msg.start, Math.min(msg.count, MAX_PAGE_ROWS), msg.filter);
        const reply: HostToWebview = { type: 'rows', requestId: msg.requestId, total: r.total, start: msg.start, rows: r.rows };
        if (this.hold) this.held.push(reply);
        else await send(reply);
        return;
      }
      case 'revealLine':
        return;
    }
  }
}

interface LoadedTrace {
  readonly service: TraceService;
  readonly summary: TraceSummary;
  readonly progress: (readonly [number, number])[];
  readonly fileName: string;
}

async function loadTrace(path: string): Promise<LoadedTrace> {
  const progress: [number, number][] = [];
  const service = await TraceService.open(path, { onProgress: (b, t) => progress.push([b, t]) });
  const fileName = path.split('/').pop() ?? path;
  return { service, summary: service.summary(fileName), progress, fileName };
}

interface ShownRow {
  position: number;
  line: number | null;
  selected: boolean;
  time: string;
  cpu: string;
  task: string;
  tgid: string;
  flags: string;
  event: string;
  text: string;
}

/** The rows in the DOM that hold an event, top to bottom. */
async function shownRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval('#event-table .ktl-row:not([hidden])', (rows) =>
    rows
      .map((r) => {
        // No named helper functions in here: tsx would wrap them in a `__name` the page lacks.
        const e = r as HTMLElement;
        return {
          position: Number(e.dataset.position),
          line: e.dataset.line === undefined ? null : Number(e.dataset.line),
          selected: e.getAttribute('aria-selected') === 'true',
          time: e.querySelector('.c-time')?.textContent ?? '',
          cpu: e.querySelector('.c-cpu')?.textContent ?? '',
          task: e.querySelector('.c-task')?.textContent ?? '',
          tgid: e.querySelector('.c-tgid')?.textContent ?? '',
          flags: e.querySelector('.c-flags')?.textContent ?? '',
          event: e.querySelector('.c-event')?.textContent ?? '',
          text: e.querySelector('.c-text')?.textContent ?? '',
          top: e.getBoundingClientRect().top,
        };
      })
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...rest }) => rest),
  );
}

function assertRowShows(shown: ShownRow | undefined, ev: EventRow, position: number): void {
  assert.ok(shown, `row ${position} is in the DOM`);
  assert.equal(shown.position, position);
  assert.equal(shown.line, ev.line);
  assert.equal(shown.time, formatSeconds(ev.tsNs, 6));
  assert.equal(shown.cpu, String(ev.cpu));
  assert.equal(shown.task, `${ev.comm}-${ev.pid}`);
  assert.equal(shown.flags, ev.flags);
  assert.equal(shown.event, ev.event);
  assert.equal(shown.text, ev.text);
}

async function waitRowLoaded(page: Page, position: number): Promise<void> {
  await page.waitForFunction((p) => document.querySelector(`#event-table .ktl-row[data-position="${p}"][data-line]:not([hidden])`) !== null, position, {
    timeout: WAIT_MS,
  });
}

async function waitMatched(page: Page, n: number): Promise<void> {
  await page.waitForFunction((v) => document.getElementById('match-count')?.dataset.matched === String(v), n, { timeout: WAIT_MS });
}

async function waitSelected(page: Page, position: number): Promise<void> {
  await page.waitForFunction((p) => (document.querySelector('#event-table .ktl-row[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.dataset.position === String(p), position, {
    timeout: WAIT_MS,
  });
}

function rowRequests(w: WebviewPage): Extract<WebviewToHost, { type: 'rows' }>[] {
  return w.posted.filter((m): m is Extract<WebviewToHost, { type: 'rows' }> => m.type === 'rows');
}

/** The line of the last event the table opened (revealEvent: its line, and its source line when mapped). */
function lastRevealLine(w: WebviewPage): number | undefined {
  const r = w.posted.filter((m) => m.type === 'revealEvent').pop();
  return r?.type === 'revealEvent' ? r.line : undefined;
}

/** Every page must load without CSP violations, page errors, dialogs or bad messages. */
async function assertClean(w: WebviewPage): Promise<void> {
  assert.deepEqual(await cspViolations(w.page), [], 'CSP violations');
  assert.deepEqual(w.errors, [], 'page errors');
  assert.deepEqual(w.invalid, [], 'messages failing isWebviewToHost');
  for (const r of rowRequests(w)) assert.ok(r.count <= MAX_PAGE_ROWS, `request of ${r.count} rows`);
}

function total(t: LoadedTrace, filter: EventFilter): number {
  return t.service.rows(0, 0, filter).total;
}

describe('trace webview (Chromium, real TraceService)', () => {
  let browser: Browser;
  let veth: LoadedTrace;
  const open: WebviewPage[] = [];

  async function openTrace(t: LoadedTrace, opts: OpenOptions = {}): Promise<{ w: WebviewPage; host: ServiceHost }> {
    const host = new ServiceHost(t.service, t.fileName, t.progress);
    const w = await openWebview(browser, host, opts);
    open.push(w);
    await w.page.waitForSelector('#summary-events[data-value]', { timeout: WAIT_MS });
    // Some row (not necessarily row 0: a restored view starts where it was) has arrived.
    await w.page.waitForSelector('#event-table .ktl-row[data-line]:not([hidden])', { timeout: WAIT_MS });
    return { w, host };
  }

  before(async () => {
    assertBuilt();
    browser = await launch();
    veth = await loadTrace(FIXTURE);
    assert.ok(veth.summary.events > 0, 'fixture has events');
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    veth?.service.dispose();
  });

  it('handshakes with ready and renders the summary from the service', async () => {
    const { w } = await openTrace(veth);
    const page = w.page;
    assert.equal(w.posted[0]?.type, 'ready');
    assert.equal(await page.getAttribute('#summary-events', 'data-value'), String(veth.summary.events));
    assert.equal(await page.textContent('#summary-file'), 'veth-ping.trace');
    assert.equal(await page.textContent('#summary-format'), veth.summary.format);
    assert.equal(await page.textContent('#summary-tracer'), veth.summary.tracer ?? '—');
    assert.match((await page.textContent('#summary-span')) ?? '', /^\d+(\.\d+)? (ns|µs|ms|s)$/);
    assert.equal(await page.isHidden('#loading'), true);

    // Event names with counts, most frequent first.
    const facets = await page.$$eval('#summary-event-list .ktl-facet', (ls) =>
      ls.map((l) => [l.querySelector('.ktl-facet-name')?.textContent ?? '', l.querySelector('.ktl-facet-count')?.textContent ?? '']),
    );
    const expected = [...veth.summary.eventCounts].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
    assert.deepEqual(
      facets,
      expected.map((e) => [e.name, e.count.toLocaleString('en-US')]),
    );
    const tasks = await page.$$eval('#summary-task-list .ktl-facet-name', (ls) => ls.map((l) => l.textContent));
    assert.equal(tasks.length, Math.min(500, veth.summary.tasks.length));
    const topTask = [...veth.summary.tasks].sort((a, b) => b.count - a.count || a.pid - b.pid)[0];
    assert.equal(tasks[0], `${topTask?.comm}-${topTask?.pid}`);
    assert.equal(await page.getAttribute('#match-count', 'data-matched'), String(veth.summary.events));
    await assertClean(w);
  });

  it('shows the first rows with the trace text, and only the rows in view', async () => {
    const { w } = await openTrace(veth);
    const page = w.page;
    const shown = await shownRows(page);
    const expected = veth.service.rows(0, shown.length, {}).rows;
    assert.ok(shown.length >= 10, `at least 10 rows visible, got ${shown.length}`);
    shown.forEach((s, i) => assertRowShows(s, expected[i] as EventRow, i));

    // Virtualized: the DOM holds one viewport of rows, the scrollbar covers all of them.
    const geo = await page.$eval('#event-table', (v) => ({ client: v.clientHeight, scroll: v.scrollHeight, rows: v.querySelectorAll('.ktl-row').length }));
    assert.ok(geo.rows <= Math.ceil(geo.client / 20) + 1, `${geo.rows} row elements for a ${geo.client}px viewport`);
    assert.equal(geo.scroll, veth.summary.events * 20);
    assert.deepEqual(
      rowRequests(w).map((r) => [r.start, r.count]),
      [[0, PAGE_ROWS]],
    );
    await assertClean(w);
  });

  it('scrolling to the end requests the last page and shows the last event', async () => {
    const { w } = await openTrace(veth);
    const page = w.page;
    const n = veth.summary.events;
    await page.$eval('#event-table', (v) => {
      v.scrollTop = v.scrollHeight;
    });
    await waitRowLoaded(page, n - 1);
    const lastPageStart = Math.floor((n - 1) / PAGE_ROWS) * PAGE_ROWS;
    assert.ok(
      rowRequests(w).some((r) => r.start === lastPageStart),
      `a request for the page at ${lastPageStart}`,
    );
    const shown = await shownRows(page);
    const last = veth.service.rows(n - 1, 1, {}).rows[0] as EventRow;
    assertRowShows(shown[shown.length - 1], last, n - 1);
    // The last row's bottom edge is the viewport's bottom edge.
    const gap = await page.$eval('#event-table', (v) => {
      const rows = Array.from(v.querySelectorAll('.ktl-row:not([hidden])')).map((r) => r.getBoundingClientRect().bottom);
      return v.getBoundingClientRect().top + v.clientHeight - Math.max(...rows);
    });
    assert.ok(Math.abs(gap) <= 1, `last row flush with the bottom (gap ${gap}px)`);
    await assertClean(w);
  });

  it('filtering by one event name shows only that event and "N of M"', async () => {
    const { w } = await openTrace(veth);
    const page = w.page;
    const name = 'netif_receive_skb';
    const expected = total(veth, { events: [name] });
    assert.ok(expected > 0 && expected < veth.summary.events);

    await page.click(`#summary-event-list .ktl-facet[data-event="${name}"] .ktl-facet-name`);
    await waitMatched(page, expected);
    await waitRowLoaded(page, 0);
    assert.equal(await page.textContent('#match-count'), `${expected} of ${veth.summary.events.toLocaleString('en-US')} events`);
    assert.equal(await page.isChecked(`#summary-event-list .ktl-facet[data-event="${name}"] input`), true);
    const shown = await shownRows(page);
    assert.equal(shown.length, Math.min(expected, shown.length));
    assert.ok(shown.length > 0);
    const rows = veth.service.rows(0, shown.length, { events: [name] }).rows;
    shown.forEach((s, i) => {
      assert.equal(s.event, name);
      assertRowShows(s, rows[i] as EventRow, i);
    });
    assert.deepEqual(rowRequests(w).pop()?.filter, { events: [name] });

    // Clicking the name again removes it: back to every event.
    await page.click(`#summary-event-list .ktl-facet[data-event="${name}"] .ktl-facet-name`);
    await waitMatched(page, veth.summary.events);
    await assertClean(w);
  });

  it('CPU, task and field-text filters match the service (text boxes debounced)', async () => {
    const { w } = await openTrace(veth);
    const page = w.page;

    await page.click('#summary-cpu-list .ktl-facet[data-cpu="1"] .ktl-facet-name');
    await waitMatched(page, total(veth, { cpus: [1] }));
    await waitRowLoaded(page, 0);
    for (const s of await shownRows(page)) assert.equal(s.cpu, '1');
    await page.click('#summary-cpu-list .ktl-facet[data-cpu="1"] .ktl-facet-name');
    await waitMatched(page, veth.summary.events);

    const before = rowRequests(w).length;
    await page.locator('#filter-task input').pressSequentially('ping', { delay: 20 });
    await waitMatched(page, total(veth, { task: 'ping' }));
    // Typed within the debounce window: one request for "ping", none for "p", "pi", "pin".
    assert.deepEqual(
      rowRequests(w)
        .slice(before)
        .map((r) => r.filter.task),
      ['ping'],
    );
    await waitRowLoaded(page, 0);
    for (const s of await shownRows(page)) assert.match(s.task, /ping/);

    await page.locator('#filter-task input').fill('');
    await page.locator('#filter-text input').pressSequentially('ACTION=timer', { delay: 20 });
    const expected = total(veth, { text: 'ACTION=timer' });
    assert.ok(expected > 0);
    await waitMatched(page, expected);
    await waitRowLoaded(page, 0);
    for (const s of await shownRows(page)) assert.match(s.text, /action=TIMER/);

    // Clear filters goes back to everything.
    await page.click('vscode-button.ktl-clear');
    await waitMatched(page, veth.summary.events);
    assert.equal(await page.locator('#filter-text input').inputValue(), '');

    // A facet clicked while a typed task is still debouncing keeps both.
    await page.locator('#filter-task input').pressSequentially('ping', { delay: 10 });
    await page.click('#summary-cpu-list .ktl-facet[data-cpu="0"] .ktl-facet-name');
    await waitMatched(page, total(veth, { cpus: [0], task: 'ping' }));
    assert.equal(await page.locator('#filter-task input').inputValue(), 'ping');
    assert.deepEqual(rowRequests(w).pop()?.filter, { cpus: [0], task: 'ping' });
    await assertClean(w);
  });

  it('renders a hostile trace_marker as literal text and runs nothing', async () => {
    const { w } = await openTrace(veth);
    const page = w.page;
    await page.click('#summary-event-list .ktl-facet[data-event="tracing_mark_write"] .ktl-facet-name');
    const markers = veth.service.rows(0, 100, { events: ['tracing_mark_write'] }).rows;
    await waitMatched(page, markers.length);
    await waitRowLoaded(page, 0);
    const hostileAt = markers.findIndex((r) => r.text.includes('<script>'));
    assert.ok(hostileAt >= 0, 'the fixture has a <script> trace_marker');
    const hostile = (await shownRows(page))[hostileAt];
    assert.equal(hostile?.text, (markers[hostileAt] as EventRow).text);
    assert.match(hostile?.text ?? '', /<script>alert\(1\)<\/script>/);

    // Selecting it puts the full text in the details pane, as text too.
    await page.click(`#event-table .ktl-row[data-position="${hostileAt}"] .c-event`);
    await page.waitForFunction(() => (document.getElementById('row-details')?.textContent ?? '').includes('<script>'), undefined, { timeout: WAIT_MS });

    const injected = await page.evaluate(() => ({
      scripts: document.querySelectorAll('#app script').length,
      bold: document.querySelectorAll('#app b').length,
      alerted: (window as unknown as { __alerted?: unknown }).__alerted ?? null,
    }));
    assert.deepEqual(injected, { scripts: 0, bold: 0, alerted: null });
    await assertClean(w);
  });

  it('keyboard moves the selection; Enter and double-click reveal the line', async () => {
    const { w } = await openTrace(veth);
    const page = w.page;
    const n = veth.summary.events;
    const line = (pos: number): number => (veth.service.rows(pos, 1, {}).rows[0] as EventRow).line;

    await page.focus('#event-table');
    await page.keyboard.press('ArrowDown');
    await waitSelected(page, 0);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await waitSelected(page, 2);
    await page.keyboard.press('Enter');
    await waitFor(() => lastRevealLine(w) === line(2), 'revealLine for row 2');
    assert.match((await page.textContent('#row-details')) ?? '', new RegExp(`line ${line(2)}`));

    await page.keyboard.press('ArrowUp');
    await waitSelected(page, 1);
    // PageDown/PageUp move by one screen of whole rows less one (the row kept for context).
    const step = (await page.$eval('#event-table', (v) => Math.floor(v.clientHeight / 20))) - 1;
    await page.keyboard.press('PageDown');
    await waitSelected(page, 1 + step);
    await page.keyboard.press('PageUp');
    await waitSelected(page, 1);

    await page.keyboard.press('End');
    await waitRowLoaded(page, n - 1);
    await waitSelected(page, n - 1);
    await page.keyboard.press('Enter');
    await waitFor(() => lastRevealLine(w) === line(n - 1), 'revealLine for the last row');

    await page.keyboard.press('Home');
    await waitRowLoaded(page, 0);
    await waitSelected(page, 0);

    await page.dblclick('#event-table .ktl-row[data-position="3"] .c-text');
    await waitSelected(page, 3);
    await waitFor(() => lastRevealLine(w) === line(3), 'revealLine for the double-clicked row');
    const reveals = w.posted.filter((m) => m.type === 'revealEvent');
    const event = (pos: number): string => (veth.service.rows(pos, 1, {}).rows[0] as EventRow).event;
    assert.deepEqual(
      reveals.map((m) => (m.type === 'revealEvent' ? [m.line, m.event] : [])),
      [
        [line(2), event(2)],
        [line(n - 1), event(n - 1)],
        [line(3), event(3)],
      ],
    );
    await assertClean(w);
  });

  it('drops row replies for an old filter', async () => {
    const { w, host } = await openTrace(veth);
    const page = w.page;
    host.hold = true;
    await page.click('#summary-event-list .ktl-facet[data-event="sched_switch"] .ktl-facet-name');
    await page.click('#summary-event-list .ktl-facet[data-event="sched_switch"] .ktl-facet-name');
    await page.click('#summary-event-list .ktl-facet[data-event="napi_poll"] .ktl-facet-name');
    await waitFor(() => host.held.length === 3, 'three held replies');
    host.hold = false;
    // Deliver the newest first, then the two stale ones: the view must keep napi_poll.
    const [a, b, c] = host.held.splice(0);
    for (const m of [c, a, b]) if (m) await w.send(m);
    // And a reply nobody asked for.
    await w.send({ type: 'rows', requestId: 987654, total: 1, start: 0, rows: [] });
    const expected = total(veth, { events: ['napi_poll'] });
    await waitMatched(page, expected);
    await waitRowLoaded(page, 0);
    await page.waitForTimeout(100);
    const shown = await shownRows(page);
    assert.equal(shown.length, expected);
    for (const s of shown) assert.equal(s.event, 'napi_poll');
    assert.equal(await page.getAttribute('#match-count', 'data-matched'), String(expected));
    await assertClean(w);
  });

  it('restores filter, scroll position and selection from saved state (tab switch)', async () => {
    const first = await openTrace(veth);
    const page = first.w.page;
    await page.click('#summary-event-list .ktl-facet[data-event="sched_switch"] .ktl-facet-name');
    const filtered = total(veth, { events: ['sched_switch'] });
    await waitMatched(page, filtered);
    await page.focus('#event-table');
    await page.keyboard.press('End');
    await waitRowLoaded(page, filtered - 1);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
    await waitSelected(page, filtered - 6);
    const scrollTop = await page.$eval('#event-table', (v) => v.scrollTop);
    assert.ok(scrollTop > 0);
    await waitFor(() => (first.w.state.value as { selected?: number } | null)?.selected === filtered - 6, 'state saved');
    const saved = first.w.state.value;
    await first.w.close();

    const second = await openTrace(veth, { initialState: saved });
    const p2 = second.w.page;
    await waitMatched(p2, filtered);
    await waitRowLoaded(p2, filtered - 6);
    await waitSelected(p2, filtered - 6);
    assert.equal(await p2.isChecked('#summary-event-list .ktl-facet[data-event="sched_switch"] input'), true);
    assert.equal(await p2.$eval('#event-table', (v) => v.scrollTop), scrollTop);
    assert.deepEqual(rowRequests(second.w)[0]?.filter, { events: ['sched_switch'] });
    await assertClean(second.w);
  });

  it('shows the TGID column for record-tgid traces', async () => {
    const tgid = await loadTrace(FIXTURE_TGID);
    try {
      const { w } = await openTrace(tgid);
      const shown = await shownRows(w.page);
      const rows = tgid.service.rows(0, shown.length, {}).rows;
      assert.ok(rows.some((r) => r.tgid !== null));
      shown.forEach((s, i) => assert.equal(s.tgid, rows[i]?.tgid === null ? '' : String(rows[i]?.tgid)));
      assert.notEqual(await w.page.$eval('.ktl-head .c-tgid', (e) => getComputedStyle(e).display), 'none');
      await assertClean(w);
    } finally {
      tgid.service.dispose();
    }
  });

  it('shows counter-clock times as counts, not seconds', async () => {
    const counter = await loadTrace(join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping-clock-counter.trace'));
    try {
      assert.equal(counter.summary.timeSource, 'counter');
      const { w } = await openTrace(counter);
      assert.equal(await w.page.textContent('.ktl-head .c-time'), 'Time (count)');
      assert.equal(await w.page.textContent('#summary-span'), `${counter.summary.durationNs.toLocaleString('en-US')} counts`);
      const shown = await shownRows(w.page);
      const rows = counter.service.rows(0, shown.length, {}).rows;
      shown.forEach((s, i) => assert.equal(s.time, String(rows[i]?.tsNs)));
      await assertClean(w);
    } finally {
      counter.service.dispose();
    }
  });

  it('shows load progress, then a load error as text', async () => {
    const message = 'bad header at line 3: <img src=x onerror="alert(2)">';
    const w = await openWebview(browser, {
      async onMessage(msg, send) {
        if (msg.type === 'ready') await send({ type: 'progress', bytesRead: 256 * 1024, totalBytes: 1024 * 1024 });
      },
    });
    open.push(w);
    await w.page.waitForFunction(() => document.getElementById('loading')?.dataset.percent === '25', undefined, { timeout: WAIT_MS });
    assert.equal(await w.page.textContent('#loading-label'), 'Reading trace… 25% (256 KiB of 1.00 MiB)');
    await w.send({ type: 'loadError', message });
    await w.page.waitForSelector('#load-error:not([hidden])', { timeout: WAIT_MS });
    assert.equal(await w.page.textContent('#load-error'), message);
    assert.equal(await w.page.$$eval('#app img', (l) => l.length), 0);
    await w.page.waitForTimeout(50);
    await assertClean(w);
  });

  it('keeps 10 million rows scrollable (scaled scroll space, synthetic rows)', async () => {
    // Geometry, not data: no fixture has 10 M events, so this host makes rows up.
    const N = 10_000_000;
    const row = (i: number): EventRow => ({
      index: i,
      line: i + 13,
      tsNs: i * 1000,
      cpu: i % 4,
      pid: 1000 + (i % 7),
      tgid: null,
      comm: 'synthetic',
      flags: 'd..2.',
      event: 'sched_switch',
      text: `row ${i}`,
    });
    const summary: TraceSummary = {
      ...veth.summary,
      fileName: 'ten-million.trace',
      events: N,
      durationNs: (N - 1) * 1000,
      eventCounts: [{ name: 'sched_switch', count: N }],
    };
    const w = await openWebview(browser, {
      async onMessage(msg, send) {
        if (msg.type === 'ready') await send({ type: 'summary', summary });
        if (msg.type === 'rows') {
          const rows: EventRow[] = [];
          for (let i = msg.start; i < Math.min(N, msg.start + msg.count); i++) rows.push(row(i));
          await send({ type: 'rows', requestId: msg.requestId, total: N, start: msg.start, rows });
        }
      },
    });
    open.push(w);
    const page = w.page;
    await waitRowLoaded(page, 0);
    const geo = await page.$eval('#event-table', (v) => ({ scroll: v.scrollHeight, client: v.clientHeight }));
    assert.ok(geo.scroll <= MAX_SCROLL_PX, `scroll space ${geo.scroll}px is capped`);
    assert.ok(geo.scroll > geo.client * 100);

    // Wheel moves rows, not thousands of rows per notch.
    await page.hover('#event-table');
    await page.mouse.wheel(0, 100);
    await page.waitForFunction(() => document.querySelector('#event-table .ktl-row[data-position="5"]')?.getBoundingClientRect().top === document.getElementById('event-table')?.getBoundingClientRect().top, undefined, {
      timeout: WAIT_MS,
    });

    // Dragging the scrollbar to the middle lands in the middle.
    await page.$eval('#event-table', (v) => {
      v.scrollTop = (v.scrollHeight - v.clientHeight) / 2;
    });
    await page.waitForFunction(
      () => {
        const first = document.querySelector('#event-table .ktl-row:not([hidden])') as HTMLElement | null;
        const p = Number(first?.dataset.position);
        return Math.abs(p - 5_000_000) < 100 && first?.dataset.line !== undefined;
      },
      undefined,
      { timeout: WAIT_MS },
    );

    await page.focus('#event-table');
    await page.keyboard.press('End');
    await waitRowLoaded(page, N - 1);
    await waitSelected(page, N - 1);
    const last = (await shownRows(page)).pop();
    assert.equal(last?.text, `row ${N - 1}`);
    assert.equal(last?.time, formatSeconds((N - 1) * 1000, 6));
    await page.keyboard.press('ArrowUp');
    await waitSelected(page, N - 2);
    assert.ok(rowRequests(w).length < 20, `${rowRequests(w).length} page requests`);
    await assertClean(w);
  });

  it('looks like a serious tool (screenshots, dark and light)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const theme of ['dark', 'light'] as const) {
      const { w } = await openTrace(veth, { theme });
      const page = w.page;
      // Select the hostile marker so the shot shows markers, the selection and the details pane.
      const markerIndex = (veth.service.rows(0, 100, { events: ['tracing_mark_write'] }).rows[1] as EventRow).index;
      await page.$eval('#event-table', (v, i) => {
        // A few rows above it stay in view (the timeline legend takes some of the height).
        v.scrollTop = Math.max(0, (i - 10) * 20);
      }, markerIndex);
      await waitRowLoaded(page, markerIndex);
      await page.click(`#event-table .ktl-row[data-position="${markerIndex}"] .c-task`);
      await waitSelected(page, markerIndex);
      await page.screenshot({ path: join(SHOTS, `trace-view-${theme}.png`) });
      await assertClean(w);
    }
  });
});

/** Polls a Node-side condition (messages arrive through the page binding asynchronously). */
async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const until = Date.now() + WAIT_MS;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
