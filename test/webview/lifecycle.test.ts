/**
 * The Lifecycles and Interleavings views in headless Chromium, fed by the real worker services
 * (TraceService, TimelineService, LifecycleService) over the seed-004 excerpts and a real skb
 * capture. Every number the page shows is checked against the core analysis run directly and
 * against `ktl lifecycle` / `ktl interleave` (dist/cli.js) on the same files.
 *
 * Needs `npm run build` first (dist/webview.js, dist/webview.css, dist/cli.js).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';
import type { WorkspaceModels } from '../../src/protocol/worker-messages';
import type { Trace } from '../../src/core/trace/trace';
import { TraceService } from '../../src/worker/trace-service';
import { LifecycleService } from '../../src/worker/lifecycle-service';
import { analyzeLifecycles, flightRecorder } from '../../src/core/analysis/lifecycle/analyze';
import { parseKernelTraceConfig } from '../../src/core/analysis/lifecycle/model';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import { SKB_MODEL } from '../../src/core/analysis/lifecycle/models/skb';
import type { LifecycleJson, InterleaveJson } from '../../src/core/analysis/lifecycle/json';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, type OpenOptions, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const FTRACE = join(ROOT, 'test', 'fixtures', 'ftrace');
const FIFO = join(FTRACE, 'seed004-fifo-break.trace');
const RACE = join(FTRACE, 'seed004-xsk-flush-race.trace');
const RPS = join(FTRACE, 'lifecycle-veth-rps.trace');
const CLI = join(ROOT, 'dist', 'cli.js');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 10_000;
/** webview/lifecycle-view.ts geometry: lane height. */
const LANE_PX = 20;

/**
 * A user's model (what .vscode/kernel-trace.json would hold): the built-in skb model with
 * `COPIED -> COPIED` taken out, i.e. "every received skb is read once". On the real RPS capture
 * the TCP skbs read twice become invalid-transition findings.
 */
const ONE_READ_CONFIG = JSON.stringify({ lifecycles: [{ ...SKB_MODEL, name: 'skb-one-read', transitions: SKB_MODEL.transitions.filter((t) => t !== 'COPIED -> COPIED') }] });

function ktl(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** The shared host, plus the worker's lifecycle and interleave answers (with the workspace's models as the host read them). */
class LifecycleHost extends ServiceHost {
  readonly lifecycles: LifecycleService;

  constructor(
    service: TraceService,
    trace: Trace,
    name: string,
    private readonly config: WorkspaceModels | null = null,
  ) {
    super(service, trace, name);
    this.lifecycles = new LifecycleService(trace);
  }

  protected override async answer(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    switch (msg.type) {
      case 'lifecycleModels':
      case 'lifecycle':
      case 'lifecycleLanes':
      case 'flightRecorder':
      case 'interleave':
        await send(this.lifecycles.answer(msg, this.config, this.row));
        return;
      default:
        await super.answer(msg, send);
    }
  }
}

async function assertClean(w: WebviewPage): Promise<void> {
  assert.deepEqual(await cspViolations(w.page), [], 'CSP violations');
  assert.deepEqual(w.errors, [], 'page errors');
  assert.deepEqual(w.invalid, [], 'messages failing isWebviewToHost');
}

async function until(what: string, fn: () => boolean): Promise<void> {
  const end = Date.now() + WAIT_MS;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function revealed(w: WebviewPage): { line: number; event: string }[] {
  return w.posted.flatMap((m) => (m.type === 'revealEvent' ? [{ line: m.line, event: m.event }] : []));
}

async function laneLabels(page: Page): Promise<string[]> {
  return page.$$eval('#lc-lanes .ktl-lc-label', (ls) => ls.map((l) => l.textContent ?? ''));
}

/** Waits until the lanes canvas shows a reply for lanes starting at `first`. */
async function waitLanes(page: Page, first = 0): Promise<void> {
  await page.waitForFunction((f) => ((document.getElementById('lc-canvas') as HTMLElement).dataset.drawn ?? '').startsWith(`${f}:`), first, { timeout: WAIT_MS });
}

describe('lifecycle and interleave views (Chromium, real worker services)', () => {
  let browser: Browser;
  const services: TraceService[] = [];
  const pages: WebviewPage[] = [];

  async function load(file: string): Promise<{ service: TraceService; trace: Trace }> {
    const service = await TraceService.open(file);
    services.push(service);
    return { service, trace: await service.withTrace(async (t) => t) };
  }

  async function open(host: ServiceHost, opts: OpenOptions = {}): Promise<WebviewPage> {
    const w = await openWebview(browser, host, opts);
    pages.push(w);
    await w.page.waitForSelector('#tab-lifecycles', { timeout: WAIT_MS });
    await w.page.waitForSelector('#summary-events', { timeout: WAIT_MS });
    return w;
  }

  async function openLifecycles(w: WebviewPage, wantModel: string): Promise<void> {
    await w.page.click('#tab-lifecycles');
    await w.page.waitForFunction((m) => (document.getElementById('lc-model') as HTMLSelectElement | null)?.value === m, wantModel, { timeout: WAIT_MS });
    await w.page.waitForFunction(() => (document.getElementById('lc-status') as HTMLElement).dataset.objects !== undefined, undefined, { timeout: WAIT_MS });
    await waitLanes(w.page);
  }

  before(async () => {
    assertBuilt();
    browser = await launch();
  });

  after(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    for (const s of services) s.dispose();
  });

  it('seed 004: one lane per descriptor, the FIFO break listed and marked; clicking it opens the flight recorder and the line', async () => {
    const { service, trace } = await load(FIFO);
    const a = analyzeLifecycles(trace, builtinModel('af-xdp') as NonNullable<ReturnType<typeof builtinModel>>);
    const cli = JSON.parse(ktl(['lifecycle', FIFO, '--model', 'af-xdp', '--json', '--flight', '10'])) as LifecycleJson;
    // The view's numbers come from the worker's analysis; ktl must agree with it.
    assert.equal(cli.objectCount, a.objects.length);
    assert.deepEqual(
      cli.findings.map((f) => [f.kind, f.key, f.line, f.cpu]),
      a.findings.map((f) => [f.kind, f.key, f.line, f.cpu]),
    );
    assert.deepEqual(
      cli.findings.map((f) => f.kind),
      ['fifo-order'],
    );
    const fifo = a.findings[0] as (typeof a.findings)[number];

    const w = await open(new LifecycleHost(service, trace, 'seed004-fifo-break.trace'));
    const page = w.page;
    await openLifecycles(w, 'builtin:af-xdp');
    const models = await page.$$eval('#lc-model option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(models, ['builtin:af-xdp', 'builtin:skb']);
    const status = await page.$eval('#lc-status', (e) => ({ objects: Number((e as HTMLElement).dataset.objects), findings: Number((e as HTMLElement).dataset.findings), text: e.textContent ?? '' }));
    assert.equal(status.objects, cli.objectCount);
    assert.equal(status.findings, cli.findings.length);
    assert.match(status.text, new RegExp(`${cli.stepCount} steps`));
    // Lanes: every object, in the analysis' order, keyed as ktl prints them.
    assert.deepEqual(
      await laneLabels(page),
      cli.objects.map((o) => o.key),
    );
    assert.deepEqual(await page.$$eval('#lc-legend .ktl-lc-chip', (cs) => cs.map((c) => c.textContent)), ['FILL', 'RX', 'TX', 'COMP']);
    // State segments painted on each lane (alpha > 0 across the lane's middle row).
    const painted = await page.$eval(
      '#lc-canvas',
      (c, { lanes, lanePx }) => {
        const canvas = c as HTMLCanvasElement;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        const dpr = canvas.width / canvas.clientWidth;
        const out: number[] = [];
        for (let k = 0; k < lanes; k++) {
          const px = ctx.getImageData(0, Math.round((k * lanePx + lanePx / 2) * dpr), canvas.width, 1).data;
          let n = 0;
          for (let i = 3; i < px.length; i += 4) if ((px[i] as number) > 0) n++;
          out.push(n);
        }
        return out;
      },
      { lanes: cli.objects.length, lanePx: LANE_PX },
    );
    assert.ok(
      painted.every((n) => n > 0),
      `segments on every lane: ${painted}`,
    );

    // The finding row: kind, key, CPU, line, message as the analysis has them.
    const row = await page.$eval('#lc-finding-0', (r) => Array.from(r.children).map((c) => c.textContent ?? ''));
    assert.equal(row[0], 'fifo-order');
    assert.equal(row[1], fifo.key);
    assert.equal(row[3], String(fifo.cpu));
    assert.equal(row[4], String(fifo.line));
    assert.equal(row[5], fifo.message);
    assert.match(fifo.message, /0x13d3900 was next/);

    // Click: the flight recorder shows, per CPU, exactly flightRecorder()'s events (= ktl --flight 10).
    await page.click('#lc-finding-0');
    await page.waitForFunction((i) => (document.getElementById('lc-flight') as HTMLElement).dataset.index === String(i), fifo.eventIndex, { timeout: WAIT_MS });
    const cols = await page.$$eval('#lc-flight .ktl-lc-fcol', (cs) => cs.map((c) => ({ cpu: Number((c as HTMLElement).dataset.cpu), lines: Array.from(c.querySelectorAll<HTMLElement>('.ktl-lc-frow')).map((r) => Number(r.dataset.line)) })));
    const want = flightRecorder(trace, fifo.eventIndex, 10).map((r) => ({ cpu: r.cpu, lines: r.events.map((i) => trace.line(i)) }));
    assert.deepEqual(cols, want);
    assert.deepEqual(
      cols,
      (cli.findings[0]?.flight ?? []).map((c) => ({ cpu: c.cpu, lines: c.events.map((e) => e.line) })),
    );
    assert.equal(await page.$eval('#lc-flight .ktl-lc-at', (r) => Number((r as HTMLElement).dataset.line)), fifo.line);
    await until('revealEvent of the finding', () => revealed(w).some((r) => r.line === fifo.line && r.event === 'tracing_mark_write'));
    // Its lane (0x1229100) is selected and the diamond is drawn on it.
    const lane = cli.objects.findIndex((o) => o.key === fifo.key);
    await page.waitForFunction((l) => (document.getElementById('lc-lanes') as HTMLElement).dataset.selectedLane === String(l), lane, { timeout: WAIT_MS });

    // On the lanes canvas: the finding's diamond opens the finding; a state segment opens its step.
    const drawn = (await page.$eval('#lc-canvas', (c) => (c as HTMLElement).dataset.drawn ?? '')).split(':').map(Number) as [number, number, number];
    const cbox = await (await page.$('#lc-canvas'))?.boundingBox();
    assert.ok(cbox);
    const xOf = (ts: number): number => ((ts - drawn[1]) / (drawn[2] - drawn[1])) * cbox.width;
    let seen = revealed(w).length;
    await page.mouse.click(cbox.x + Math.min(cbox.width - 8, Math.max(8, xOf(fifo.tsNs))), cbox.y + lane * LANE_PX + LANE_PX / 2);
    await until('revealEvent from the diamond', () => revealed(w).length > seen && revealed(w).at(-1)?.line === fifo.line);
    const hist = cli.objects[0]?.history ?? [];
    const tx = hist.findIndex((h) => h.state === 'TX' && h.kind === 'transition');
    const step = hist[tx] as NonNullable<(typeof hist)[number]>;
    const next = hist[tx + 1] as NonNullable<(typeof hist)[number]>;
    assert.ok(xOf(next.tsNs) - xOf(step.tsNs) > 6, 'the TX segment is wide enough to click');
    seen = revealed(w).length;
    await page.mouse.click(cbox.x + (xOf(step.tsNs) + xOf(next.tsNs)) / 2, cbox.y + LANE_PX / 2);
    await until('revealEvent from the TX segment', () => revealed(w).length > seen && revealed(w).at(-1)?.line === step.line && revealed(w).at(-1)?.event === step.event);
    assert.match((await page.textContent('#lc-details')) ?? '', new RegExp(`^${cli.objects[0]?.key} TX from .* line ${step.line}$`));

    // A flight-recorder row opens its own event (a kprobe: the host maps it to xsk.c).
    const probe = want.find((c) => c.cpu === 2)?.lines[0] as number;
    await page.click(`#lc-flight .ktl-lc-frow[data-line="${probe}"]`);
    await until('revealEvent of the clicked flight-recorder row', () => revealed(w).some((r) => r.line === probe && r.event === '__xsk_rcv_zc_L7'));
    await assertClean(w);
  });

  it('keyboard: lanes ↑/↓ and Enter, findings ↑/↓ move the flight recorder, Enter opens; lanes are virtualized', async () => {
    const { service, trace } = await load(RPS);
    const config = { path: '.vscode/kernel-trace.json', text: ONE_READ_CONFIG };
    const [model] = parseKernelTraceConfig(ONE_READ_CONFIG);
    const a = analyzeLifecycles(trace, model as NonNullable<typeof model>);
    assert.ok(a.findings.length >= 3, `${a.findings.length} findings`);
    assert.ok(a.findings.every((f) => f.kind === 'invalid-transition' && f.from === 'COPIED' && f.to === 'COPIED'));
    // ktl with the same file agrees.
    const dir = mkdtempSync(join(tmpdir(), 'ktl-lc-webview-'));
    try {
      writeFileSync(join(dir, 'kernel-trace.json'), ONE_READ_CONFIG);
      const cli = JSON.parse(ktl(['lifecycle', RPS, '--model', join(dir, 'kernel-trace.json'), '--json', '--summary'])) as LifecycleJson;
      assert.equal(cli.findings.length, a.findings.length);
      assert.equal(cli.objectCount, a.objects.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const w = await open(new LifecycleHost(service, trace, 'lifecycle-veth-rps.trace', config), { initialState: { version: 1, filter: {}, firstRow: 0, selected: null, lifecycleModel: 'workspace:skb-one-read' } });
    const page = w.page;
    await openLifecycles(w, 'workspace:skb-one-read');
    assert.equal(await page.$eval('#lc-model option[value="workspace:skb-one-read"]', (o) => o.textContent), 'skb-one-read (workspace)');
    assert.equal(Number(await page.$eval('#lc-status', (e) => (e as HTMLElement).dataset.findings)), a.findings.length);
    // Never all objects: the first lanes request asks for the lanes on screen only.
    const lanesReqs = () => w.posted.filter((m): m is Extract<WebviewToHost, { type: 'lifecycleLanes' }> => m.type === 'lifecycleLanes');
    const firstReq = lanesReqs()[0];
    assert.ok(firstReq && firstReq.first === 0 && firstReq.count < a.objects.length, `count ${firstReq?.count} of ${a.objects.length}`);
    const shown = await laneLabels(page);
    assert.ok(shown.length < a.objects.length);
    assert.deepEqual(
      shown.slice(0, 3),
      a.objects.slice(0, 3).map((o) => (o.generation > 0 ? `${o.key} #${o.generation}` : o.key)),
    );

    // Findings: ↓ selects the first, then the next; the flight recorder follows each.
    await page.focus('#lc-findings');
    for (const k of [0, 1, 2]) {
      await page.keyboard.press('ArrowDown');
      const f = a.findings[k] as (typeof a.findings)[number];
      await page.waitForFunction((i) => (document.getElementById('lc-flight') as HTMLElement).dataset.index === String(i), f.eventIndex, { timeout: WAIT_MS });
      assert.equal(await page.getAttribute(`#lc-finding-${k}`, 'aria-selected'), 'true');
      // Its lane is scrolled into view and selected.
      const lane = a.objects.findIndex((o) => o.key === f.key && o.generation === f.generation);
      await page.waitForFunction((l) => (document.getElementById('lc-lanes') as HTMLElement).dataset.selectedLane === String(l), lane, { timeout: WAIT_MS });
      await page.waitForSelector(`#lc-lane-${lane}`, { timeout: WAIT_MS });
    }
    await page.keyboard.press('ArrowUp');
    const f1 = a.findings[1] as (typeof a.findings)[number];
    await page.waitForFunction((i) => (document.getElementById('lc-flight') as HTMLElement).dataset.index === String(i), f1.eventIndex, { timeout: WAIT_MS });
    assert.equal(revealed(w).length, 0, 'moving the selection opens nothing');
    await page.keyboard.press('Enter');
    await until('revealEvent on Enter', () => revealed(w).some((r) => r.line === f1.line && r.event === 'skb_copy_datagram_iovec'));

    // Lanes: ↓ moves to the next lane; → jumps to the next finding; the list scrolls (virtualized).
    const lane1 = Number(await page.$eval('#lc-lanes', (e) => (e as HTMLElement).dataset.selectedLane));
    await page.focus('#lc-lanes');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((l) => (document.getElementById('lc-lanes') as HTMLElement).dataset.selectedLane === String(l + 1), lane1, { timeout: WAIT_MS });
    await page.keyboard.press('ArrowRight');
    const f2 = a.findings[2] as (typeof a.findings)[number];
    await page.waitForFunction((i) => (document.getElementById('lc-flight') as HTMLElement).dataset.index === String(i), f2.eventIndex, { timeout: WAIT_MS });
    const before = revealed(w).length;
    await page.keyboard.press('Enter');
    await until('revealEvent of the finding on Enter in the lanes', () => revealed(w).length > before && revealed(w).at(-1)?.line === f2.line);

    // Scroll to the bottom: the last lanes are asked for and drawn.
    await page.$eval('#lc-lanes', (e) => {
      e.scrollTop = e.scrollHeight;
    });
    await until('a lanes request near the end', () => lanesReqs().some((r) => r.first + r.count >= a.objects.length));
    const last = a.objects[a.objects.length - 1] as (typeof a.objects)[number];
    await page.waitForSelector(`#lc-lane-${a.objects.length - 1}:text-is("${last.generation > 0 ? `${last.key} #${last.generation}` : last.key}")`, { timeout: WAIT_MS });
    assert.ok(lanesReqs().every((r) => r.count <= 200));
    await assertClean(w);
  });

  it('a kernel-trace.json with schema errors is reported with its JSON paths; the built-ins still work', async () => {
    const { service, trace } = await load(FIFO);
    const text = readFileSync(join(ROOT, 'test', 'fixtures', 'models', 'invalid.json'), 'utf8');
    let expected: { path: string; message: string }[] = [];
    try {
      parseKernelTraceConfig(text, '.vscode/kernel-trace.json');
      assert.fail('invalid.json parsed');
    } catch (err) {
      expected = (err as { errors: { path: string; message: string }[] }).errors;
    }
    assert.ok(expected.length >= 3);
    const w = await open(new LifecycleHost(service, trace, 'seed004-fifo-break.trace', { path: '.vscode/kernel-trace.json', text }));
    const page = w.page;
    await openLifecycles(w, 'builtin:af-xdp');
    assert.equal(await page.isVisible('#lc-problems'), true);
    const head = (await page.textContent('#lc-problems .ktl-error-text')) ?? '';
    assert.match(head, new RegExp(`^\\.vscode/kernel-trace\\.json: ${expected.length} problems`));
    const items = await page.$$eval('#lc-problems .ktl-lc-problem', (ps) => ps.map((p) => p.textContent ?? ''));
    assert.deepEqual(
      items,
      expected.map((e) => `${e.path}: ${e.message}`),
    );
    assert.ok(items.some((i) => i.startsWith('lifecycles[0].mappings[0].event')), items.join('\n'));
    await assertClean(w);
  });

  it('interleavings: the seed-004 race as CPU columns, the window ranked, events open their lines', async () => {
    const { service, trace } = await load(RACE);
    const key = 'xs=0xffff90fd32693c00';
    const cli = JSON.parse(ktl(['interleave', RACE, '--key', key, '--pair', '__xsk_rcv_zc_L7,xsk_flush', '--json'])) as InterleaveJson;
    assert.deepEqual(cli.cpus, [0, 2]);
    assert.equal(cli.windows.length, 1);

    const w = await open(new LifecycleHost(service, trace, 'seed004-xsk-flush-race.trace'));
    const page = w.page;
    // Start from a selected event: its fields are offered as the object.
    await page.click('#event-table .ktl-row[data-position="0"]');
    await page.click('#tab-interleave');
    const chips = await page.$$eval('#il-suggest .ktl-il-chip', (cs) => cs.map((c) => c.textContent ?? ''));
    assert.ok(chips.includes(key), chips.join(' '));
    await page.fill('#il-pair', '__xsk_rcv_zc_L7,xsk_flush');
    await page.click(`#il-suggest .ktl-il-chip:text-is("${key}")`);
    await page.waitForFunction(() => (document.getElementById('il-status') as HTMLElement).dataset.total !== undefined, undefined, { timeout: WAIT_MS });
    assert.equal(await page.inputValue('#il-key'), key);
    assert.equal(Number(await page.$eval('#il-status', (e) => (e as HTMLElement).dataset.total)), cli.events.length);
    assert.deepEqual(await page.$$eval('#il-listing .ktl-il-head .ktl-il-cell', (cs) => cs.map((c) => c.textContent)), ['CPU 0', 'CPU 2']);
    // Each event in its CPU's column, in time order, as ktl lists them.
    const rows = await page.$$eval('#il-listing .ktl-il-row[data-index]', (rs) =>
      rs.map((r) => ({ cpu: Number((r as HTMLElement).dataset.cpu), cells: Array.from(r.querySelectorAll('.ktl-il-cell')).map((c) => c.textContent ?? '') })),
    );
    assert.deepEqual(
      rows.map((r) => r.cpu),
      cli.events.map((e) => e.cpu),
    );
    rows.forEach((r, k) => {
      const e = cli.events[k] as InterleaveJson['events'][number];
      const col = cli.cpus.indexOf(e.cpu);
      r.cells.forEach((c, j) => (j === col ? assert.match(c, new RegExp(`^L${e.line} ${e.event} `)) : assert.equal(c, '')));
    });
    // The window, ranked, with ktl's message; clicking it marks its events.
    const win = cli.windows[0] as InterleaveJson['windows'][number];
    assert.match((await page.textContent('.ktl-il-window[data-rank="1"]')) ?? '', new RegExp(win.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.click('.ktl-il-window[data-rank="1"]');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'interleave-dark.png') });
    const marked = await page.$$eval('#il-listing .ktl-il-marked', (rs) => rs.map((r) => Number((r as HTMLElement).dataset.index)));
    const wantLines = [win.a.open.line, win.b.open.line, ...win.inside.map((x) => x.line)];
    assert.deepEqual(
      marked.map((i) => trace.line(i)).sort((x, y) => x - y),
      wantLines.sort((x, y) => x - y),
    );
    // Keyboard: ↓ twice and Enter opens the third event's line.
    await page.focus('#il-listing');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const third = cli.events[1] as InterleaveJson['events'][number];
    await until('revealEvent from the interleave listing', () => revealed(w).some((r) => r.line === third.line && r.event === third.event));
    // A bad key is an error naming what was expected.
    await page.fill('#il-key', '=oops');
    await page.press('#il-key', 'Enter');
    await page.waitForFunction(() => /expected FIELD=VALUE/.test(document.getElementById('il-status')?.textContent ?? ''), undefined, { timeout: WAIT_MS });
    await assertClean(w);
  });

  it('the tab, the model and the timeline range and selection survive a tab switch (restored state)', async () => {
    const { service, trace } = await load(FIFO);
    const host = new LifecycleHost(service, trace, 'seed004-fifo-break.trace');
    const w = await open(host);
    const page = w.page;
    const box = await (await page.$('#timeline-canvas'))?.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.4, box.y + 10);
    await page.mouse.wheel(0, -400);
    await page.mouse.move(box.x + box.width * 0.2, box.y - 7);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y - 7, { steps: 5 });
    await page.mouse.up();
    await openLifecycles(w, 'builtin:af-xdp');
    await page.selectOption('#lc-model', 'builtin:skb');
    await page.waitForFunction(() => (document.getElementById('lc-status') as HTMLElement).dataset.objects === '0', undefined, { timeout: WAIT_MS });
    const range = await page.$eval('#timeline-range', (e) => [Number((e as HTMLElement).dataset.startNs), Number((e as HTMLElement).dataset.endNs)]);
    // Lanes follow the timeline's range: the lanes requests ask for what the timeline shows.
    await page.selectOption('#lc-model', 'builtin:af-xdp');
    await waitLanes(page);
    const lr = w.posted.filter((m): m is Extract<WebviewToHost, { type: 'lifecycleLanes' }> => m.type === 'lifecycleLanes').at(-1);
    assert.ok(lr && Math.abs(lr.startNs - (range[0] as number)) < 1e-3 && Math.abs(lr.endNs - (range[1] as number)) < 1e-3, `${lr?.startNs}..${lr?.endNs} vs ${range}`);
    // What VS Code would hand back after the tab was hidden (setState), flushed on pagehide.
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    await until('state with the timeline', () => {
      const s = w.state.value as { timeline?: { selection: unknown } } | null;
      return s !== null && s.timeline?.selection !== null && s.timeline?.selection !== undefined;
    });
    const saved = w.state.value as { tab: string; lifecycleModel: string; timeline: { range: [number, number]; selection: [number, number] } };
    assert.equal(saved.tab, 'lifecycles');
    assert.equal(saved.lifecycleModel, 'builtin:af-xdp');
    assert.ok(Math.abs(saved.timeline.range[0] - (range[0] as number)) < 1e-3 && Math.abs(saved.timeline.range[1] - (range[1] as number)) < 1e-3);

    const back = await open(host, { initialState: saved });
    await back.page.waitForFunction(() => document.getElementById('tab-lifecycles')?.getAttribute('aria-selected') === 'true', undefined, { timeout: WAIT_MS });
    await back.page.waitForFunction(
      ([a, b]) => {
        const e = document.getElementById('timeline-range') as HTMLElement;
        return Math.abs(Number(e.dataset.startNs) - a) < 1 && Math.abs(Number(e.dataset.endNs) - b) < 1;
      },
      saved.timeline.range,
      { timeout: WAIT_MS },
    );
    await back.page.waitForFunction(() => (document.getElementById('timeline-selection') as HTMLElement).dataset.total !== undefined, undefined, { timeout: WAIT_MS });
    const dur = Number(await back.page.$eval('#timeline-selection', (e) => (e as HTMLElement).dataset.durationNs));
    assert.ok(Math.abs(dur - (saved.timeline.selection[1] - saved.timeline.selection[0])) < 1e-3);
    await back.page.waitForFunction(() => (document.getElementById('lc-model') as HTMLSelectElement).value === 'builtin:af-xdp', undefined, { timeout: WAIT_MS });
    await assertClean(w);
    await assertClean(back);
  });

  it('looks like a serious tool (screenshots, dark and light)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { service, trace } = await load(FIFO);
    for (const theme of ['dark', 'light'] as const) {
      const w = await open(new LifecycleHost(service, trace, 'seed004-fifo-break.trace'), { theme, viewport: { width: 1400, height: 900 } });
      await openLifecycles(w, 'builtin:af-xdp');
      await w.page.click('#lc-finding-0');
      await w.page.waitForSelector('#lc-flight .ktl-lc-at', { timeout: WAIT_MS });
      await w.page.screenshot({ path: join(SHOTS, `lifecycles-${theme}.png`) });
      await assertClean(w);
    }
  });

  it('lost events: lanes that cross a loss on their CPU say "incomplete: events lost", counted in the findings and the legend', async () => {
    const file = join(FTRACE, 'lost-events-pipe.trace');
    const { service, trace } = await load(file);
    const w = await open(new LifecycleHost(service, trace, 'lost-events-pipe.trace'), { initialState: { version: 1, filter: {}, firstRow: 0, selected: null, lifecycleModel: 'builtin:skb' } });
    const page = w.page;
    await openLifecycles(w, 'builtin:skb');
    const kinds = await page.$$eval('.ktl-lc-finding[data-kind]', (rs) => rs.map((r) => (r as HTMLElement).dataset.kind));
    const cli = JSON.parse(ktl(['lifecycle', file, '--model', 'skb', '--json'])) as LifecycleJson;
    assert.equal(kinds.filter((k) => k === 'events-lost').length, cli.findingCounts['events-lost']);
    assert.equal(cli.findingCounts['events-lost'], 6);
    assert.equal(await page.textContent('.ktl-lc-lost-chip'), 'incomplete: events lost');
    // The legend's state swatches: one colour per skb state (7), all different.
    const swatches = await page.$$eval('.ktl-lc-chip[data-colour] .ktl-lc-swatch', (ss) => ss.map((x) => getComputedStyle(x).color));
    assert.equal(swatches.length, 7);
    assert.equal(new Set(swatches).size, 7, swatches.join(' '));
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'lifecycles-lost-events.png') });
    await assertClean(w);
  });
});
