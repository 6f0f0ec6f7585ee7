// Timeline benchmark (run by `npm run bench`, or `node bench/timeline.bench.mjs`): the real
// webview bundle in headless Chromium, answered by the real TimelineService (worker code) over
// a synthetic trace of 10 M events on 2 CPUs (sched_switch among them, so task slices too).
// Figures are printed, never asserted (DESIGN.md).
//
//   index   building the per-CPU time-sorted index + task slices (worker, once per trace)
//   query   one timeline request (worker), full view and zoomed
//   first paint  from the first timeline reply reaching the page to the end of the draw that
//           shows it (target < 1 s); also summary -> painted, wall clock, round trip included
//   frame   per-frame work while zooming (wheel) and panning (drag, keys): the `ktl-timeline-draw`
//           user-timing entries (axis + canvas), p50/p95/max (target p95 < 16 ms); and the
//           requestAnimationFrame intervals seen meanwhile
//
// Env: BENCH_EVENTS (default 10000000).
/* global window, document, requestAnimationFrame -- inside page.evaluate: they run in the page */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The worker code and the test harness are TypeScript: run again under tsx (ESM and CJS hooks).
if (!process.env.KTL_BENCH_TSX) {
  if (!existsSync('dist/webview.js')) spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, KTL_BENCH_TSX: '1' } });
  process.exit(r.status ?? 1);
}

const { TraceBuilder, newEventRecord } = await import('../src/core/trace/trace.ts');
const { MemoryByteSource } = await import('../src/core/trace/byte-source.ts');
const { TimelineService } = await import('../src/worker/timeline-service.ts');
const { computeStats } = await import('../src/core/analysis/stats.ts');
const { launch, openWebview } = await import('../test/webview/harness.ts');

const N = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const GAP_NS = 100; // 10 M events over 1 s

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const r2 = (x) => Math.round(x * 100) / 100;

// --- a synthetic 10 M event trace ------------------------------------------------------------
const tasks = ['iperf2-127018', 'flowtrackd-p9zw-209120', 'ksoftirqd/1-22', 'swapper/1-0'];
const payloads = [];
for (let k = 0; k < tasks.length; k++) {
  const [pc, pp] = tasks[k].split(/-(?=\d+$)/);
  const [nc, np] = tasks[(k + 1) % tasks.length].split(/-(?=\d+$)/);
  payloads.push(`prev_comm=${pc} prev_pid=${pp} prev_prio=120 prev_state=S ==> next_comm=${nc} next_pid=${np} next_prio=120`);
}
payloads.push('skbaddr=0xffff888012345600 len=78');
const enc = new TextEncoder();
const offsets = [];
const chunks = [];
let size = 0;
for (const p of payloads) {
  offsets.push(size);
  const b = enc.encode(`${p}\n`);
  chunks.push(b);
  size += b.length;
}
const bytes = new Uint8Array(size);
chunks.reduce((o, b) => (bytes.set(b, o), o + b.length), 0);

let t0 = process.hrtime.bigint();
const b = new TraceBuilder('ftrace');
b.originNs = 0n;
const names = ['sched_switch', 'sched_wakeup', 'softirq_entry', 'softirq_exit', 'net_dev_xmit', 'netif_receive_skb', 'tracing_mark_write'].map((n) => b.strings.intern(n));
const comms = tasks.map((t) => b.strings.intern(t.replace(/-\d+$/, '')));
const flags = b.strings.intern('d..2.');
const switchEvery = 64;
const perCpuSwitch = [0, 0];
const r = newEventRecord();
r.flagsId = flags;
for (let i = 0; i < N; i++) {
  const cpu = i & 1;
  const sw = i % switchEvery < 2;
  const ev = sw ? names[0] : names[1 + ((i * 2654435761) >>> 0) % 6];
  let off = offsets[4];
  let len = payloads[4].length;
  if (sw) {
    const k = perCpuSwitch[cpu]++ % tasks.length;
    off = offsets[k];
    len = payloads[k].length;
  }
  r.tsNs = i * GAP_NS;
  r.cpu = cpu;
  r.pid = 1000 + cpu;
  r.commId = comms[cpu];
  r.eventId = ev;
  r.line = i + 1;
  r.recOffset = off;
  r.recLength = len;
  r.payloadStart = 0;
  b.push(r);
}
const trace = b.finish(new MemoryByteSource(bytes));
const buildMs = ms(t0);

const svc = new TimelineService(trace);
const endNs = (N - 1) * GAP_NS + 1;
t0 = process.hrtime.bigint();
svc.query(0, endNs, 1400, null, {});
const indexMs = ms(t0);
const queryMs = (a, z, res) => {
  const times = [];
  for (let k = 0; k < 20; k++) {
    const t = process.hrtime.bigint();
    svc.query(a, z, res, null, {});
    times.push(ms(t));
  }
  return r2(pct(times, 50));
};
const queryFull = queryMs(0, endNs, 1400);
const queryZoom = queryMs(endNs * 0.5, endNs * 0.5 + 200_000, 1400);

// --- the webview -----------------------------------------------------------------------------
const stats = computeStats(trace);
const summary = {
  fileName: 'synthetic-10M.trace',
  format: 'ftrace',
  tracer: 'nop',
  events: N,
  cpus: [0, 1],
  firstTsNs: 0,
  durationNs: (N - 1) * GAP_NS,
  originNs: '0',
  timeSource: 'timestamps',
  lineKind: 'line',
  eventCounts: stats.eventCounts.map(([name, count]) => ({ name, count })),
  cpuCounts: [...stats.cpuCounts].map(([cpu, count]) => ({ name: String(cpu), count })),
  tasks: [],
  lostEvents: 0,
  errorCount: 0,
  errors: [],
};
const row = (i) => ({
  index: i,
  line: trace.line(i),
  tsNs: trace.tsNs(i),
  cpu: trace.cpu(i),
  pid: trace.pid(i),
  tgid: null,
  comm: trace.comm(i),
  flags: trace.flags(i),
  event: trace.event(i),
  text: trace.payloadText(i),
});

let armed = false;
const held = [];
const hostQueryMs = [];
let summarySentAt = 0n;
const browser = await launch();
const w = await openWebview(
  browser,
  {
    async onMessage(msg, send) {
      if (msg.type === 'ready') {
        summarySentAt = process.hrtime.bigint();
        await send({ type: 'summary', summary });
      } else if (msg.type === 'rows') {
        const rows = [];
        for (let i = msg.start; i < Math.min(N, msg.start + msg.count); i++) rows.push(row(i));
        await send({ type: 'rows', requestId: msg.requestId, total: N, start: msg.start, rows });
      } else if (msg.type === 'timeline' || msg.type === 'timelineRange' || msg.type === 'eventAt') {
        const t = process.hrtime.bigint();
        const reply = svc.answer(msg, row);
        if (msg.type === 'timeline') hostQueryMs.push(ms(t));
        if (armed) await send(reply);
        else held.push(reply);
      }
    },
  },
  { viewport: { width: 1400, height: 800 } },
);
const page = w.page;
await page.waitForSelector('#timeline-canvas');
// Note when the first reply lands, then let the held replies through.
await page.evaluate(() => {
  window.__ktlFirstReply = 0;
  window.addEventListener('message', (e) => {
    if (e.data?.type === 'timeline' && !window.__ktlFirstReply) window.__ktlFirstReply = performance.now();
  });
});
armed = true;
const flushStart = process.hrtime.bigint();
for (const m of held.splice(0)) await w.send(m);
await page.waitForFunction(() => (document.getElementById('timeline-canvas')?.dataset.drawn ?? '') !== '', undefined, { timeout: 60_000 });
const wallToPaint = ms(summarySentAt);
const flushToPaint = ms(flushStart);
const firstPaint = await page.evaluate(() => {
  const t = window.__ktlFirstReply;
  const draw = performance.getEntriesByName('ktl-timeline-draw').find((e) => e.startTime >= t);
  return draw ? draw.startTime + draw.duration - t : NaN;
});

// --- zoom and pan ----------------------------------------------------------------------------
await page.evaluate(() => {
  performance.clearMeasures('ktl-timeline-draw');
  window.__ktlRaf = [];
  let last = performance.now();
  const tick = (now) => {
    window.__ktlRaf.push(now - last);
    last = now;
    if (!window.__ktlRafStop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
const box = await (await page.$('#timeline-canvas')).boundingBox();
const y = box.y + 20;
for (let k = 0; k < 40; k++) {
  await page.mouse.move(box.x + box.width * (0.3 + 0.01 * k), y);
  await page.mouse.wheel(0, -120);
  await page.waitForTimeout(16);
}
for (let k = 0; k < 4; k++) {
  await page.mouse.move(box.x + box.width * 0.7, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.2, y, { steps: 30 });
  await page.mouse.up();
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 30 });
  await page.mouse.up();
}
await page.focus('#timeline-canvas');
for (let k = 0; k < 30; k++) {
  await page.keyboard.press(k % 3 === 0 ? '-' : k % 3 === 1 ? 'ArrowRight' : 'ArrowLeft');
  await page.waitForTimeout(16);
}
for (let k = 0; k < 40; k++) {
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.wheel(0, 120);
  await page.waitForTimeout(16);
}
await page.waitForTimeout(200);
const frames = await page.evaluate(() => {
  window.__ktlRafStop = true;
  return { draw: performance.getEntriesByName('ktl-timeline-draw').map((e) => e.duration), raf: window.__ktlRaf.slice(1) };
});
await w.close();
await browser.close();
if (w.errors.length) console.error('page errors:', w.errors);

const result = {
  events: N,
  cpus: 2,
  buildSyntheticTraceMs: Math.round(buildMs),
  indexBuildMs: Math.round(indexMs),
  queryFullViewMs: queryFull,
  queryZoomedMs: queryZoom,
  firstPaintAfterDataMs: r2(firstPaint),
  summaryToFirstPaintMs: Math.round(wallToPaint),
  replyToPaintWallMs: Math.round(flushToPaint),
  frames: frames.draw.length,
  frameP50Ms: r2(pct(frames.draw, 50)),
  frameP95Ms: r2(pct(frames.draw, 95)),
  frameMaxMs: r2(Math.max(...frames.draw)),
  rafIntervalP95Ms: r2(pct(frames.raf, 95)),
  hostQueryP95Ms: r2(pct(hostQueryMs, 95)),
  timelineRequests: hostQueryMs.length,
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `first paint ${result.firstPaintAfterDataMs} ms after the data (target < 1000), p95 frame ${result.frameP95Ms} ms over ${result.frames} frames (target < 16)`,
);
