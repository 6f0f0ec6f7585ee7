/**
 * The first screen while reading, in headless Chromium: the host here plays the worker with a
 * gate on the reading. It feeds a real ftrace capture to the real reader a few KiB at a time
 * (only when the test opens the gate), shows each snapshot through the worker's own Session and
 * handlers (src/worker/webview-handlers.ts), and posts the partial summaries the worker posts.
 * The table must show rows before the read ends, and keep its place when the whole trace comes.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebview, WebviewRequest, WebviewToHost } from '../../src/protocol/messages';
import { createReader } from '../../src/core/formats/detect';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { Trace } from '../../src/core/trace/trace';
import { Session } from '../../src/worker/session';
import { TraceService } from '../../src/worker/trace-service';
import { ANSWERED_WHILE_READING, answerWebview } from '../../src/worker/webview-handlers';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, type HostBehaviour, type WebviewPage } from './harness';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'ftrace', 'veth-ping.trace');
const WAIT_MS = 20_000;

/** The worker, reading behind a gate: `read(n)` lets n more bytes through. */
class GatedReadingHost implements HostBehaviour {
  private readonly reader = createReader('ftrace');
  private readonly source: MemoryByteSource;
  private pos = 0;
  private send: ((m: HostToWebview) => Promise<void>) | null = null;
  session: Session | null = null;
  /** Whole-trace requests wait for the end of reading, as in the worker. */
  private readonly waiting: WebviewRequest[] = [];
  /** Timeline requests held back (a worker still building the index), until releaseTimeline. */
  holdTimeline = false;
  private readonly heldTimeline: WebviewRequest[] = [];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly firstBytes: number,
  ) {
    this.source = new MemoryByteSource(bytes);
  }

  async onMessage(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    this.send = send;
    if (msg.type === 'ready') {
      await this.read(this.firstBytes);
      return;
    }
    if (!('requestId' in msg)) return;
    const request = msg as WebviewRequest;
    if (!this.session || (this.session.trace.partial && !ANSWERED_WHILE_READING.has(request.type))) {
      this.waiting.push(request);
      return;
    }
    if (this.holdTimeline && request.type === 'timeline') {
      this.heldTimeline.push(request);
      return;
    }
    await this.answer(request);
  }

  /** Reads `n` more bytes and shows the snapshot, as loadTraceFile's onSnapshot does in the worker. */
  async read(n: number): Promise<Trace> {
    const end = Math.min(this.bytes.length, this.pos + n);
    this.reader.push(this.bytes.slice(this.pos, end));
    this.pos = end;
    const snap = (this.reader.snapshot as NonNullable<typeof this.reader.snapshot>).call(this.reader, this.source);
    const s = this.show(snap);
    await this.send?.({ type: 'progress', bytesRead: end, totalBytes: this.bytes.length });
    await this.send?.({ type: 'summary', summary: s.service.summary('veth-ping.trace', this.bytes.length) });
    return snap;
  }

  async finish(): Promise<Trace> {
    if (this.pos < this.bytes.length) this.reader.push(this.bytes.slice(this.pos));
    this.pos = this.bytes.length;
    const whole = this.reader.finish(this.source);
    const s = this.show(whole);
    await this.send?.({ type: 'summary', summary: s.service.summary('veth-ping.trace') });
    for (const r of this.waiting.splice(0)) await this.answer(r);
    return whole;
  }

  async releaseTimeline(): Promise<void> {
    this.holdTimeline = false;
    for (const r of this.heldTimeline.splice(0)) await this.answer(r);
  }

  private show(t: Trace): Session {
    if (this.session) this.session.update(t);
    else this.session = new Session(new TraceService(t), t, 'veth-ping.trace');
    return this.session;
  }

  private async answer(r: WebviewRequest): Promise<void> {
    try {
      await this.send?.((await answerWebview(r, this.session as Session, {})) as HostToWebview);
    } catch (err) {
      await this.send?.({ type: 'requestError', requestId: r.requestId, message: (err as Error).message });
    }
  }
}

interface Shown {
  readonly position: number;
  readonly selected: boolean;
  readonly event: string;
  readonly text: string;
}

async function shownRows(page: Page): Promise<Shown[]> {
  return page.$$eval('#event-table .ktl-row[data-line]:not([hidden])', (rows) =>
    rows
      .map((r) => {
        const e = r as HTMLElement;
        return {
          position: Number(e.dataset.position),
          selected: e.getAttribute('aria-selected') === 'true',
          event: e.querySelector('.c-event')?.textContent ?? '',
          text: e.querySelector('.c-text')?.textContent ?? '',
          top: e.getBoundingClientRect().top,
        };
      })
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...rest }) => rest),
  );
}

async function rowCount(page: Page): Promise<number> {
  return page.$eval('[role="grid"][aria-rowcount]', (g) => Number(g.getAttribute('aria-rowcount')) - 1);
}

describe('first screen while reading (Chromium, the worker services behind a gate)', () => {
  let browser: Browser;
  const open: WebviewPage[] = [];

  before(async () => {
    assertBuilt();
    browser = await launch();
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
  });

  it('shows the summary, rows and timeline of what is read, fills in, and keeps its place at the end', async () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const host = new GatedReadingHost(bytes, 24 * 1024);
    const w = await openWebview(browser, host);
    open.push(w);
    const page = w.page;

    // The first chunk only: rows are drawn while the rest of the file is unread.
    await page.waitForSelector('#event-table .ktl-row[data-position="0"][data-line]:not([hidden])', { timeout: WAIT_MS });
    const first = host.session?.trace as Trace;
    assert.ok(first.partial !== null && first.length > 20, `a snapshot of ${first.length} events`);
    assert.equal(await page.getAttribute('#summary-events', 'data-value'), String(first.length));
    assert.equal(await rowCount(page), first.length);
    const shown = await shownRows(page);
    assert.equal(shown[0]?.event, first.event(0));
    assert.equal(shown[0]?.text, host.session?.row(0).text);
    // The progress stays above the views, saying what is shown.
    assert.equal(await page.isVisible('#loading'), true);
    assert.match((await page.textContent('#loading-label')) ?? '', /^Reading trace… 12% .*showing what is read so far$/);
    // The timeline asked for what is read so far and got it.
    await page.waitForFunction(() => document.querySelector('#timeline canvas') !== null, undefined, { timeout: WAIT_MS });
    assert.ok(w.posted.some((m) => m.type === 'timeline'), 'the timeline asked for data while reading');

    // The user scrolls and selects while the file is read.
    await page.$eval('#event-table', (v) => {
      // Five whole rows down (no smooth wheel scrolling still under way when the test reads the view).
      v.scrollTop = 5 * parseFloat(getComputedStyle(v).getPropertyValue('--row-px'));
    });
    await page.waitForFunction(() => Number((document.querySelector('#event-table .ktl-row[data-line]:not([hidden])') as HTMLElement | null)?.dataset.position) > 0, undefined, { timeout: WAIT_MS });
    // Where the table is, as it saves it (the first row in view; rows drawn partly above it are in the DOM too).
    const firstRow = (): number => (w.state.value as { firstRow?: number } | null)?.firstRow ?? -1;
    const settle = async (ok: (row: number) => boolean): Promise<number> => {
      // The page saves its view state a little after it changes (host.ts debounces).
      for (const t0 = Date.now(); !ok(firstRow()) && Date.now() - t0 < WAIT_MS; ) await new Promise((r) => setTimeout(r, 50));
      return firstRow();
    };
    const at = await settle((r) => r > 0);
    const top = Math.round(at);
    // The same place: within a row (a viewport that grows as the progress strip goes may round the fraction).
    const samePlace = (what: string): void => assert.ok(Math.abs(firstRow() - at) < 1, `${what}: first row ${firstRow()}, was ${at}`);
    assert.ok(top > 0, `scrolled to row ${top}`);
    const pick = top + 2;
    await page.click(`#event-table .ktl-row[data-position="${pick}"] .c-event`);
    await page.waitForSelector(`#event-table .ktl-row[data-position="${pick}"][aria-selected="true"]`, { timeout: WAIT_MS });

    // More is read: the count grows, the view stays. The timeline keeps what it drew until the
    // answer over the longer snapshot comes (held back here, as a worker building its index).
    await page.waitForFunction(() => (document.getElementById('timeline-canvas') as HTMLElement).dataset.drawn !== '', undefined, { timeout: WAIT_MS });
    const drawnBefore = await page.$eval('#timeline-canvas', (c) => (c as HTMLElement).dataset.drawn);
    host.holdTimeline = true;
    const second = await host.read(64 * 1024);
    await page.waitForFunction((n) => document.getElementById('summary-events')?.dataset.value === String(n), second.length, { timeout: WAIT_MS });
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
    assert.equal(await page.$eval('#timeline-canvas', (c) => (c as HTMLElement).dataset.drawn), drawnBefore, 'the timeline went blank while its next answer was computed');
    await host.releaseTimeline();
    assert.ok(second.length > first.length);
    assert.equal(await rowCount(page), second.length);
    samePlace('after more was read');

    // The read ends: the whole trace, same place, same selection, no progress strip.
    const whole = await host.finish();
    await page.waitForFunction((n) => document.getElementById('summary-events')?.dataset.value === String(n), whole.length, { timeout: WAIT_MS });
    await page.waitForFunction(() => document.getElementById('loading')?.hidden === true, undefined, { timeout: WAIT_MS });
    assert.equal(await rowCount(page), whole.length);
    const end = await shownRows(page);
    samePlace('after the whole trace came');
    assert.ok(end.some((r) => r.position === top));
    assert.deepEqual(
      end.filter((r) => r.selected).map((r) => r.position),
      [pick],
      'the selection is kept',
    );
    for (const r of end) assert.equal(r.text, host.session?.row(r.position).text);

    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.invalid, []);
  });
});
