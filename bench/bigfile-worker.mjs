// The editor's worker on one file, as the extension drives it (run by bench/bigfile.bench.mjs in
// a process of its own, so its peak RSS is the worker's): dist/worker.js in a worker thread,
// `open`, the first table page, the summary timeline (which builds the per-CPU index), then
// timeline requests as zooming and panning make them, and a brushed range's counts.
// Prints one JSON line: times in ms, peak RSS in KiB (process.resourceUsage().maxRSS).
// Usage: node bench/bigfile-worker.mjs FILE  (BENCH_VERBOSE=1: each timeline request's span and time on stderr)
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

const file = resolve(process.argv[2] ?? '');
const worker = new Worker(resolve('dist/worker.js'));
let nextId = 1;
const waiting = new Map();
let opened = () => undefined;
worker.on('message', (m) => {
  if ('requestId' in m) waiting.get(m.requestId)?.(m);
  else opened(m);
});
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
function ask(request) {
  return new Promise((res, rej) => {
    const requestId = nextId++;
    waiting.set(requestId, (m) => {
      waiting.delete(requestId);
      if (m.type === 'webview') res(m.reply);
      else rej(new Error(m.message ?? m.type));
    });
    worker.postMessage({ type: 'webview', requestId, request: { ...request, requestId }, context: {} });
  });
}
async function timed(request) {
  const t0 = process.hrtime.bigint();
  const reply = await ask(request);
  return { ms: ms(t0), reply };
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

let t0 = process.hrtime.bigint();
const summary = await new Promise((res, rej) => {
  opened = (m) => (m.type === 'opened' ? res(m.summary) : m.type === 'openError' ? rej(new Error(m.message)) : undefined);
  worker.postMessage({ type: 'open', path: file, fileName: file, readerOptions: {} });
});
const openMs = ms(t0);
const endNs = summary.durationNs + 1;
const rows = await timed({ type: 'rows', start: 0, count: 50, filter: {} });
const first = await timed({ type: 'timeline', startNs: 0, endNs, resolution: 1400, cpus: null, filter: {} });
// Zoom in by halves towards the middle, then pan at the deepest zoom and at a middle one.
const queries = [];
for (let span = endNs; span > 1e5; span /= 2) {
  const mid = endNs / 2;
  queries.push([mid - span / 2, mid + span / 2]);
}
for (const span of [endNs / 1e6, endNs / 1e3, endNs / 10]) {
  for (let k = 0; k < 10; k++) queries.push([k * span, (k + 1) * span]);
}
const times = [];
for (const [startNs, z] of queries) times.push((await timed({ type: 'timeline', startNs, endNs: z, resolution: 1400, cpus: null, filter: {} })).ms);
if (process.env.BENCH_VERBOSE) queries.forEach(([a, z], k) => console.error(`span ${((z - a) / 1e9).toFixed(6)} s at ${(a / 1e9).toFixed(3)} s: ${times[k].toFixed(1)} ms`));
const brushSmall = await timed({ type: 'timelineRange', startNs: endNs / 2, endNs: endNs / 2 + endNs / 1e4, cpus: null, filter: {} });
const brushAll = await timed({ type: 'timelineRange', startNs: 0, endNs, cpus: null, filter: {} });
await worker.terminate();
console.log(
  JSON.stringify({
    events: summary.events,
    openMs: Math.round(openMs),
    firstRowsMs: Math.round(rows.ms),
    firstTimelineMs: Math.round(first.ms),
    timelineQueries: times.length,
    timelineP50Ms: Math.round(pct(times, 50) * 100) / 100,
    timelineP95Ms: Math.round(pct(times, 95) * 100) / 100,
    timelineMaxMs: Math.round(Math.max(...times) * 100) / 100,
    brushSmallMs: Math.round(brushSmall.ms * 100) / 100,
    brushAllMs: Math.round(brushAll.ms),
    peakRssKiB: process.resourceUsage().maxRSS,
  }),
);
