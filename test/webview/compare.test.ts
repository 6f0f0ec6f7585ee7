/**
 * The Compare with… page in headless Chromium: the real comparison of the before/after
 * recordings (test/fixtures/diff, core/analysis/diff), shown at 800 px wide without a
 * horizontal scroll; file names that look like HTML stay text; a source line row asks the host
 * to open that line; rows past the first 25 come with "show all". Source-line rows come from
 * hit lists built here (the page only draws them; the hits analysis has its own tests).
 *
 * Needs `npm run build` first (dist/compare.js + dist/compare.css).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { HostToWebview } from '../../src/protocol/messages';
import type { CompareToWebview } from '../../src/protocol/compare-messages';
import { loadTraceFile } from '../../src/core/io/file-source';
import { diffTraces, type TraceDiff } from '../../src/core/analysis/diff/trace-diff';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import type { LifecycleModel } from '../../src/core/analysis/lifecycle/model';
import type { HitEntry } from '../../src/core/analysis/hits';
import { assertBuilt, cspViolations, launch, openWebview, type WebviewPage } from './harness';

const WAIT_MS = 15_000;
const HOSTILE_A = '<img src=x onerror="window.__pwned=1">before.trace';
const HOSTILE_B = '<script>window.__pwned=2</script>after.trace';

function hit(file: string, line: number, event: string, count: number): HitEntry {
  return { event, file, line, function: 'f', count, cpus: {}, tasks: {}, mapping: 'tracepoint-call', ambiguous: false, note: null, vars: {} };
}

async function comparison(): Promise<TraceDiff> {
  const a = await loadTraceFile('test/fixtures/diff/drop-none.trace');
  const b = await loadTraceFile('test/fixtures/diff/drop-half.trace');
  try {
    const hitsA = Array.from({ length: 30 }, (_, k) => hit(`net/core/file${k}.c`, 100 + k, 'net_dev_xmit', 5 + k));
    const hitsB = [hit('net/core/file0.c', 100, 'net_dev_xmit', 0)];
    return diffTraces({ name: HOSTILE_A, trace: a, hits: hitsA }, { name: HOSTILE_B, trace: b, hits: hitsB }, { models: [builtinModel('skb') as LifecycleModel], activityBuckets: 240 });
  } finally {
    a.close();
    b.close();
  }
}

describe('Compare with… page (Chromium)', () => {
  let browser: Browser;
  let w: WebviewPage;
  let diff: TraceDiff;

  before(async () => {
    assertBuilt();
    diff = await comparison();
    browser = await launch();
    w = await openWebview(
      browser,
      {
        onMessage: async (msg, send) => {
          if (msg.type === 'ready') await send({ type: 'diff', diff, hasSource: true } satisfies CompareToWebview as unknown as HostToWebview);
        },
      },
      { entry: 'compare', viewport: { width: 800, height: 900 } },
    );
    await w.page.waitForSelector('.cmp-table', { timeout: WAIT_MS });
  });

  after(async () => {
    await w?.close();
    await browser?.close();
  });

  it('shows both names as text and every event row with B − A', async () => {
    const head = await w.page.locator('.cmp-head').innerText();
    assert.ok(head.includes(HOSTILE_A) && head.includes(HOSTILE_B), head);
    assert.equal(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await w.page.locator('img, script:not([src])').count(), 0);
    const first = w.page.locator('.cmp-section', { has: w.page.locator('h2', { hasText: /^Events$/ }) }).locator('tbody tr');
    assert.equal(await first.count(), diff.events.length);
    const cells = await first.first().locator('td').allInnerTexts();
    const r = diff.events[0];
    assert.deepEqual(cells.slice(0, 4), [r?.key, String(r?.a), String(r?.b), String(r?.diff)]);
    assert.deepEqual(await cspViolations(w.page), []);
    assert.deepEqual(w.errors, []);
  });

  it('is legible at 800 px: no horizontal scroll', async () => {
    const { scroll, client } = await w.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `page ${scroll} px wide in ${client} px`);
  });

  it('stacks both timelines (A above B per event) and aligns them at the first occurrence of an event', async () => {
    const act = diff.activity;
    assert.ok(act);
    const sec = w.page.locator('.cmp-section', { hasText: 'Over time' });
    assert.equal(await sec.locator('.cmp-activity-label').count(), act.rows.length);
    const names = await sec.locator('.cmp-activity-name').allInnerTexts();
    assert.deepEqual(names, act.rows.map((r) => r.event ?? 'all events'));
    // The canvas fills the width beside the labels and both strips of "all events" are painted.
    const box = await sec.locator('canvas').boundingBox();
    assert.ok(box && box.width > 500 && box.x + box.width <= 800, JSON.stringify(box));
    const painted = await sec.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d') as CanvasRenderingContext2D;
      const dpr = c.width / c.getBoundingClientRect().width;
      const out: number[] = [];
      // Row 0 (all events): the middle pixel row of the A strip, then of the B strip (12 px each).
      for (const side of [0, 1]) {
        const d = ctx.getImageData(0, Math.round((side * 12 + 6) * dpr), c.width, 1).data;
        let n = 0;
        for (let k = 3; k < d.length; k += 4) if ((d[k] as number) > 40) n++;
        out.push(n);
      }
      return out;
    });
    assert.ok((painted[0] ?? 0) > 50 && (painted[1] ?? 0) > 50, `A and B strips painted: ${painted.join(', ')}`);
    // Both starts, then the first kfree_skb of each side at 0: the axis starts before 0 by the later one's offset.
    const axis = sec.locator('.cmp-activity-axis');
    assert.match(await axis.innerText(), /0 = first event of each/);
    const row = act.rows.find((r) => r.event === 'kfree_skb');
    assert.ok(row && row.firstA !== null && row.firstB !== null);
    await sec.locator('select').selectOption('kfree_skb');
    await w.page.waitForFunction(() => /first kfree_skb/.test(document.querySelector('.cmp-activity-axis')?.textContent ?? ''), undefined, { timeout: WAIT_MS });
    const lo = await sec.locator('.cmp-axis-lo').innerText();
    const m = /^−([\d.]+) (s|ms|µs|ns)$/.exec(lo);
    assert.ok(m, lo);
    const ns = Number(m[1]) * { s: 1e9, ms: 1e6, µs: 1e3, ns: 1 }[m[2] as 's' | 'ms' | 'µs' | 'ns'];
    assert.ok(Math.abs(ns - Math.max(row.firstA, row.firstB)) < 1, `${lo} for the later first kfree_skb at ${Math.max(row.firstA, row.firstB)} ns`);
    // Hovering a strip reads its counts out.
    await sec.locator('canvas').hover({ position: { x: 5, y: 6 } });
    assert.match(await sec.locator('.cmp-activity-readout').innerText(), /^all events at .*: A \d+ \(per .*\), B /);
    const { scroll, client } = await w.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `page ${scroll} px wide in ${client} px`);
  });

  it('lists the NETFILTER_DROP outcome the change made, and source lines that open on click', async () => {
    const text = await w.page.locator('#app').innerText();
    assert.ok(text.includes('DROPPED reason=NETFILTER_DROP'));
    const lines = w.page.locator('.cmp-section', { hasText: 'Source lines' });
    assert.equal(await lines.locator('tbody tr').count(), 25);
    await lines.locator('.cmp-more').click();
    assert.equal(await lines.locator('tbody tr').count(), diff.lines?.length);
    const top = diff.lines?.[0];
    await lines.locator('.cmp-link').first().click();
    await w.page.waitForFunction(() => true);
    const deadline = Date.now() + WAIT_MS;
    while (!w.invalid.some((m) => (m as { type?: string }).type === 'openLine') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      w.invalid.find((m) => (m as { type?: string }).type === 'openLine'),
      { type: 'openLine', file: top?.file, line: top?.line },
    );
  });
});
