// Lifecycles view benchmark (run by `npm run bench`, or `npm run bench -- lifecycle-view`): the
// real webview bundle in headless Chromium, answered by the real worker services (TraceService,
// TimelineService, LifecycleService) over the AF_XDP trace of bench/lifecycle.bench.mjs (seed
// 004's descriptor cycle repeated, bench/lifecycle-make-trace.mjs; 10 M events by default).
// Figures are printed, never asserted (DESIGN.md).
//
//   parse        TraceService.open (the reader), for scale
//   analysis     the af-xdp analysis + the summary the view asks for first (worker, once per model)
//   lanes query  one window of lanes (40 objects) over the whole trace and over 1 ms, at 1400 px
//   first paint  from the summary reply reaching the page to the lanes drawn on the canvas
//                (wall clock: the lanes request's round trip to the worker code included)
//
// Env: BENCH_LIFECYCLE_VIEW_EVENTS (default 10000000).
/* global document -- inside page.waitForFunction: runs in the page */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './common.mjs';

// The worker code and the test harness are TypeScript: run again under tsx.
if (!process.env.KTL_BENCH_TSX) {
  if (!existsSync('dist/webview.js')) spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, KTL_BENCH_TSX: '1' } });
  process.exit(r.status ?? 1);
}

const { TraceService } = await import('../src/worker/trace-service.ts');
const { TimelineService } = await import('../src/worker/timeline-service.ts');
const { LifecycleService } = await import('../src/worker/lifecycle-service.ts');
const { launch, openWebview } = await import('../test/webview/harness.ts');

const EVENTS = Number(process.env.BENCH_LIFECYCLE_VIEW_EVENTS ?? 10_000_000);
const MODEL = 'builtin:af-xdp';
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const r1 = (x) => Math.round(x * 10) / 10;

mkdirSync('bench/data', { recursive: true });
const file = `bench/data/lifecycle-afxdp-${EVENTS}.trace`;
if (!existsSync(file)) {
  console.log(`building ${file} (${EVENTS} events) from seed 004's lines ...`);
  const r = spawnSync(process.execPath, ['bench/lifecycle-make-trace.mjs', file, String(EVENTS)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

let t0 = process.hrtime.bigint();
const service = await TraceService.open(file);
const parseMs = ms(t0);
const trace = await service.withTrace(async (t) => t);
const summary = service.summary('lifecycle-afxdp.trace');
const row = (i) => service.rows(i, 1, {}).rows[0];
const timeline = new TimelineService(trace);
const lifecycles = new LifecycleService(trace);

t0 = process.hrtime.bigint();
const s = lifecycles.summary(MODEL);
const analysisMs = ms(t0);
const endNs = summary.firstTsNs + summary.durationNs + 1;
const lanesMs = (a, z) => {
  const times = [];
  for (let k = 0; k < 10; k++) {
    const t = process.hrtime.bigint();
    lifecycles.lanes(MODEL, 0, 40, a, z, 1400);
    times.push(ms(t));
  }
  return r1(median(times));
};
const lanesFull = lanesMs(summary.firstTsNs, endNs);
const mid = summary.firstTsNs + summary.durationNs / 2;
const lanesZoom = lanesMs(mid, mid + 1_000_000);

// --- the webview ------------------------------------------------------------------------------
let summarySentAt = 0n;
const browser = await launch();
let firstPaintMs;
try {
  const w = await openWebview(
    browser,
    {
      async onMessage(msg, send) {
        switch (msg.type) {
          case 'ready':
            await send({ type: 'summary', summary });
            return;
          case 'rows': {
            const r = service.rows(msg.start, msg.count, msg.filter);
            await send({ type: 'rows', requestId: msg.requestId, total: r.total, start: msg.start, rows: r.rows });
            return;
          }
          case 'timeline':
          case 'timelineRange':
          case 'eventAt':
            await send(timeline.answer(msg, row));
            return;
          case 'lifecycle': {
            const reply = lifecycles.answer(msg, null, row);
            summarySentAt = process.hrtime.bigint();
            await send(reply);
            return;
          }
          case 'lifecycleModels':
          case 'lifecycleLanes':
          case 'flightRecorder':
          case 'interleave':
            await send(lifecycles.answer(msg, null, row));
            return;
          default:
            return;
        }
      },
    },
    { initialState: { version: 1, filter: {}, firstRow: 0, selected: null, tab: 'lifecycles', lifecycleModel: MODEL }, viewport: { width: 1600, height: 900 } },
  );
  await w.page.waitForFunction(() => (document.getElementById('lc-canvas')?.dataset.drawn ?? '') !== '', undefined, { timeout: 600_000, polling: 'raf' });
  firstPaintMs = ms(summarySentAt);
  if (w.errors.length > 0) console.log(`page errors: ${w.errors.join('; ')}`);
  await w.close();
} finally {
  await browser.close();
  service.dispose();
}

console.log(`lifecycle view, ${trace.length.toLocaleString('en-US')} events (${file}), model ${MODEL}: ${s.objects.toLocaleString('en-US')} objects, ${s.steps.toLocaleString('en-US')} steps, ${s.findingTotal} finding(s)`);
console.log(`  parse (reader)          ${r1(parseMs)} ms`);
console.log(`  analysis + summary      ${r1(analysisMs)} ms  (${r1(analysisMs / parseMs)}x parse)`);
console.log(`  lanes query, 40 lanes   whole trace ${lanesFull} ms, 1 ms range ${lanesZoom} ms (median of 10)`);
console.log(`  first paint             ${r1(firstPaintMs)} ms from the summary reaching the page to the lanes drawn (target < 1000 ms)`);
