/**
 * A capture's Events table in Wireshark's shape (headless Chromium, the worker's own services
 * over captures made on this machine): the columns No., Time, Source, Destination, Protocol,
 * Length, Info fit an 800 px editor without overflowing sideways or overlapping (element boxes
 * measured), their values are core's packet columns, the Time header switches between seconds
 * since the first packet, delta displayed and UTC date-time (exact, kept per editor), and every
 * column sorts in the worker, both ways.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TraceService } from '../../src/worker/trace-service';
import { packetColumns } from '../../src/core/formats/capture/columns';
import { sortAddresses } from '../../src/core/net/address-order';
import type { Trace } from '../../src/core/trace/trace';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const PCAP = join(ROOT, 'test', 'fixtures', 'pcap', 'host-a.pcap');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 15_000;
const HEADERS = ['No.', '', 'Source', 'Destination', 'Protocol', 'Length', 'Info'];

interface Cell {
  cls: string;
  text: string;
  left: number;
  right: number;
}

/** The header's and the visible rows' cells with their boxes, in row order (by data-position). */
async function cells(page: Page): Promise<{ head: Cell[]; rows: Cell[][]; table: { left: number; right: number; scrollWidth: number; clientWidth: number } }> {
  // A string, not a function: tsx's name helpers (`__name`) do not exist inside the page.
  return page.evaluate(`(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { cls: e.className, text: e.innerText, left: r.left, right: r.right };
    };
    const table = document.querySelector('.ktl-table');
    const t = table.getBoundingClientRect();
    const rows = Array.from(document.querySelectorAll('#event-table .ktl-row[data-line]:not([hidden])')).sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position));
    return {
      head: Array.from(document.querySelectorAll('.ktl-head .ktl-cell')).map(box),
      rows: rows.map((r) => Array.from(r.querySelectorAll('.ktl-cell')).map(box)),
      table: { left: t.left, right: t.right, scrollWidth: table.scrollWidth, clientWidth: table.clientWidth },
    };
  })()`);
}

function assertNoOverlap(list: Cell[], where: string, within: { left: number; right: number }): void {
  for (let k = 0; k < list.length; k++) {
    const c = list[k] as Cell;
    assert.ok(c.right > c.left, `${where}: ${c.cls} has no width`);
    assert.ok(c.left >= within.left - 0.5 && c.right <= within.right + 0.5, `${where}: ${c.cls} [${c.left}, ${c.right}] outside [${within.left}, ${within.right}]`);
    if (k > 0) assert.ok(c.left >= (list[k - 1] as Cell).right - 0.5, `${where}: ${c.cls} overlaps ${(list[k - 1] as Cell).cls}`);
  }
}

/** File indices of the rows shown, top to bottom. */
async function shownIndices(page: Page): Promise<number[]> {
  return page.$$eval('#event-table .ktl-row[data-index]:not([hidden])', (rows) =>
    rows
      .map((r) => r as HTMLElement)
      .sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position))
      .map((r) => Number(r.dataset.index)),
  );
}

async function timeTexts(page: Page): Promise<string[]> {
  return page.$$eval('#event-table .ktl-row[data-index]:not([hidden])', (rows) =>
    rows
      .map((r) => r as HTMLElement)
      .sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position))
      .map((r) => r.querySelector('.c-time')?.textContent ?? ''),
  );
}

/** Exact seconds text of a bigint ns count with 6 decimals (a µs pcap). */
function micro(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return `${neg ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0').slice(0, 6)}`;
}

describe('capture webview: the packet table in Wireshark’s shape (Chromium, host-a.pcap)', () => {
  let browser: Browser;
  let service: TraceService;
  let trace: Trace;
  const open: WebviewPage[] = [];

  async function openCapture(initialState?: unknown): Promise<WebviewPage> {
    const w = await openWebview(browser, new ServiceHost(service, trace, 'host-a.pcap'), { viewport: { width: 800, height: 900 }, ...(initialState ? { initialState } : {}) });
    open.push(w);
    await w.page.waitForSelector('#summary-events[data-value]', { timeout: WAIT_MS });
    await w.page.waitForSelector('#event-table .ktl-row[data-index]:not([hidden]) .c-src', { timeout: WAIT_MS });
    return w;
  }

  before(async () => {
    assertBuilt();
    mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    service = await TraceService.open(PCAP);
    trace = await service.withTrace(async (t) => t);
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    service?.dispose();
  });

  it('shows No., Time, Source, Destination, Protocol, Length, Info at 800 px: no sideways overflow, no overlapping cells, the values of core’s columns', async () => {
    const w = await openCapture();
    const { page } = w;
    const c = await cells(page);
    assert.deepEqual(
      c.head.map((h) => h.text.trim()).map((t, k) => (k === 1 ? '' : t)),
      HEADERS,
    );
    assert.ok(await page.$('.ktl-head .c-time select#packet-time-mode'), 'the Time header holds the format picker');
    assert.ok(c.table.scrollWidth <= c.table.clientWidth + 1, `the table scrolls sideways at 800 px: ${c.table.scrollWidth} > ${c.table.clientWidth}`);
    assertNoOverlap(c.head, 'header', c.table);
    assert.ok(c.rows.length >= 10, `rows shown: ${c.rows.length}`);
    for (const [k, r] of c.rows.entries()) {
      assertNoOverlap(r, `row ${k}`, c.table);
      r.forEach((cell, j) => assert.ok(Math.abs(cell.left - (c.head[j] as Cell).left) < 1 && Math.abs(cell.right - (c.head[j] as Cell).right) < 1, `row ${k} column ${j} under its header`));
    }
    // The summary speaks of packets and interfaces: no CPUs, tracer, lost events, tasks.
    const strip = await page.locator('.ktl-summary, #summary-events').first().evaluate((e) => (e.closest('header') ?? e.parentElement?.parentElement ?? e).textContent ?? '');
    assert.match(strip, /packets/);
    assert.match(strip, /interfaces/);
    assert.doesNotMatch(strip, /CPUs|tracer|lost/);
    assert.equal(await page.$$eval('#summary-cpus, #summary-tracer, #summary-lost, #summary-task-list', (e) => e.length), 0);
    assert.match(await page.locator('body').innerText(), /68 of 68 packets/);
    // No trace columns (CPU, Task-PID, Event) in a capture's table.
    assert.equal(await page.$$eval('.ktl-table .c-cpu, .ktl-table .c-task, .ktl-table .c-event', (e) => e.length), 0);
    // Every shown row is core's packet columns of its packet.
    const indices = await shownIndices(page);
    for (const [k, i] of indices.entries()) {
      const want = packetColumns(trace, i);
      const texts = (c.rows[k] as Cell[]).map((x) => x.text);
      assert.deepEqual(texts.slice(2), [want.source, want.destination, want.protocol, String(want.length), want.info], `row of packet ${i + 1}`);
      assert.equal(texts[0], String(i + 1));
    }
    // The selected packet's details give the exact time (UTC) and the whole Info, wrapped.
    await page.locator('#event-table .ktl-row[data-index="11"]').click();
    await page.waitForFunction(() => document.querySelector('#row-details .ktl-packet-info') !== null, undefined, { timeout: WAIT_MS });
    const details = await page.locator('#row-details').innerText();
    assert.match(details, /No\. 12 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC · 6\.105748 s · 98 bytes · if0/);
    assert.ok(details.includes(packetColumns(trace, 11).info));
    await page.screenshot({ path: join(SHOTS, 'capture-table-800.png') });
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.invalid, []);
  });

  it('switches the Time column between seconds since the first packet, delta displayed and UTC date-time, exactly, and keeps the choice per editor', async () => {
    const w = await openCapture();
    const { page } = w;
    const first = trace.absNs(0);
    const indices = await shownIndices(page);
    assert.deepEqual(await timeTexts(page), indices.map((i) => micro(trace.absNs(i) - first)), 'relative');

    // The cells are redrawn on the next frame: wait for the last shown row's text.
    const lastShows = (text: string): Promise<unknown> =>
      page.waitForFunction((t) => Array.from(document.querySelectorAll('#event-table .ktl-row[data-index]:not([hidden]) .c-time')).some((c) => c.textContent === t), text, { timeout: WAIT_MS });
    const last = indices[indices.length - 1] as number;
    await page.selectOption('#packet-time-mode', 'delta');
    await lastShows(micro(trace.absNs(last) - trace.absNs(last - 1)));
    assert.deepEqual(await timeTexts(page), indices.map((i) => micro(i === 0 ? 0n : trace.absNs(i) - trace.absNs(i - 1))), 'delta displayed');

    const utc = (ns: bigint): string => {
      const iso = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0').slice(0, 6)}`;
    };
    await page.selectOption('#packet-time-mode', 'absolute');
    await lastShows(utc(trace.absNs(last)));
    assert.deepEqual(await timeTexts(page), indices.map((i) => utc(trace.absNs(i))), 'absolute UTC');
    // The date-time column is wider than 800 px leaves (style.css): the table scrolls sideways,
    // header and rows together: every header cell over its column, no cell over another.
    const c = await cells(page);
    const span = { left: c.table.left, right: c.table.left + c.table.scrollWidth };
    assertNoOverlap(c.head, 'header', span);
    for (const [k, r] of c.rows.entries()) {
      assertNoOverlap(r, `row ${k}`, span);
      r.forEach((cell, j) => assert.ok(Math.abs(cell.left - (c.head[j] as Cell).left) < 1 && Math.abs(cell.right - (c.head[j] as Cell).right) < 1, `row ${k} column ${j} under its header`));
    }
    // The whole date-time is shown, not cut.
    assert.ok(await page.$$eval('#event-table .ktl-row[data-index]:not([hidden]) .c-time', (e) => e.every((x) => x.scrollWidth <= x.clientWidth)), 'a time cell is cut');
    await page.screenshot({ path: join(SHOTS, 'capture-table-800-utc.png') });

    // Kept per editor (host.ts batches setState: wait for it): a webview restored from the saved state starts in that format.
    const savedMode = (): string | undefined => (w.state.value as { layout?: { timeMode?: string } } | null)?.layout?.timeMode;
    for (let waited = 0; savedMode() !== 'absolute' && waited < WAIT_MS; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.equal(savedMode(), 'absolute');
    const saved = w.state.value;
    const again = await openCapture(saved);
    assert.equal(await again.page.inputValue('#packet-time-mode'), 'absolute');
    assert.equal((await timeTexts(again.page))[0], utc(trace.absNs(0)));
    assert.deepEqual(w.errors, []);
  });

  it('sorts every column in the worker, ascending then descending; addresses by value', async () => {
    const w = await openCapture();
    const { page } = w;
    const all = Array.from({ length: trace.length }, (_, i) => i);
    const cols = all.map((i) => packetColumns(trace, i));
    const order = sortAddresses([...new Set(cols.map((c) => c.source))]);
    const rank = new Map(order.map((a, r) => [a, r]));
    const want = (descending: boolean): number[] =>
      [...all].sort((a, b) => (descending ? -1 : 1) * ((rank.get(cols[a]?.source ?? '') as number) - (rank.get(cols[b]?.source ?? '') as number)) || a - b);
    const head = page.locator('.ktl-head .c-src');
    for (const descending of [false, true]) {
      await head.click();
      await page.waitForFunction((d) => document.querySelector('.ktl-head .c-src')?.getAttribute('aria-sort') === (d ? 'descending' : 'ascending'), descending, { timeout: WAIT_MS });
      const expected = want(descending);
      await page.waitForFunction((first) => (document.querySelector('#event-table .ktl-row[data-position="0"]') as HTMLElement | null)?.dataset.index === String(first), expected[0], { timeout: WAIT_MS });
      const shown = await shownIndices(page);
      assert.deepEqual(shown, expected.slice(0, shown.length), descending ? 'Source descending' : 'Source ascending');
    }
    const sorts = w.posted.flatMap((m) => (m.type === 'rows' && m.sort ? [`${m.sort.column}:${m.sort.descending}`] : []));
    assert.ok(sorts.includes('source:false') && sorts.includes('source:true'), 'asked the worker for both orders');
    // Length, Protocol, Info and No. are sortable headers too.
    for (const cls of ['c-no', 'c-time', 'c-dst', 'c-proto', 'c-len', 'c-info']) {
      assert.equal(await page.locator(`.ktl-head .${cls}`).getAttribute('aria-sort'), 'none', cls);
    }
    await page.locator('.ktl-head .c-len').click();
    await page.waitForFunction(() => document.querySelector('.ktl-head .c-len')?.getAttribute('aria-sort') === 'ascending', undefined, { timeout: WAIT_MS });
    const byLen = [...all].sort((a, b) => (cols[a]?.length ?? 0) - (cols[b]?.length ?? 0) || a - b);
    await page.waitForFunction((first) => (document.querySelector('#event-table .ktl-row[data-position="0"]') as HTMLElement | null)?.dataset.index === String(first), byLen[0], { timeout: WAIT_MS });
    const shown = await shownIndices(page);
    assert.deepEqual(shown, byLen.slice(0, shown.length));
    assert.deepEqual(w.errors, []);
  });
  it('no packet selected: the packet pane is its hint line and the list has the height; selecting a row at the bottom opens the pane and keeps the row in view', async () => {
    const w = await openCapture();
    const { page } = w;
    const paneHeight = async (): Promise<number> => (await page.locator('#packet-details').boundingBox())?.height ?? -1;
    const empty = await paneHeight();
    assert.ok(empty > 0 && empty < 40, `the empty packet pane is ${empty} px high`);
    // The last row wholly inside the table's viewport.
    const last = await page.evaluate(() => {
      const vp = (document.getElementById('event-table') as HTMLElement).getBoundingClientRect();
      const rows = Array.from(document.querySelectorAll<HTMLElement>('#event-table .ktl-row[data-index]:not([hidden])')).filter((r) => r.getBoundingClientRect().bottom <= vp.bottom + 0.5);
      return rows.map((r) => Number(r.dataset.position)).sort((a, b) => b - a)[0] ?? -1;
    });
    assert.ok(last >= 10, `rows wholly shown without a selection: ${last + 1}`);
    await page.click(`#event-table .ktl-row[data-position="${last}"] .c-src`);
    // (This host answers no packet request: the pane opens on the selection, its header says loading.)
    await page.waitForFunction(() => document.querySelector('#packet-details:not(.ktl-packet-empty)') !== null, undefined, { timeout: WAIT_MS });
    const open = await paneHeight();
    assert.ok(open > 150, `the packet pane opened: ${open} px`);
    await page.waitForFunction(
      (pos) => {
        const vp = (document.getElementById('event-table') as HTMLElement).getBoundingClientRect();
        const row = document.querySelector<HTMLElement>(`#event-table .ktl-row[data-position="${pos}"]:not([hidden])`);
        if (!row || !row.classList.contains('ktl-selected')) return false;
        const b = row.getBoundingClientRect();
        return b.top >= vp.top - 0.5 && b.bottom <= vp.bottom + 0.5;
      },
      last,
      { timeout: WAIT_MS },
    );
    await page.screenshot({ path: join(SHOTS, 'capture-table-selected-800.png') });
    assert.deepEqual(w.errors, []);
  });
});
