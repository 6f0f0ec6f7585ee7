// Big ftrace text files (issue 17 item 3; run by `npm run bench -- bigfile`): per file size,
// `ktl stats` against `wc -l` on the same file in the same run (the memory-bandwidth floor),
// peak RSS per byte of input for `ktl stats` and for the editor's worker (bench/bigfile-worker.mjs:
// open, first rows, first timeline = the index build, timeline requests while zooming and
// panning, a brushed range). Targets: peak RSS <= 0.5x the file; the timeline's requests as
// quick on 10 GB as on 1 GB. Figures are printed, never asserted (DESIGN.md).
//
// The files are built from the real fixtures (bench/make-big-trace.mjs) under bench/data and
// removed afterwards unless BENCH_KEEP=1 (10 GiB of disk while it runs; run it when `uptime`
// shows the machine idle).
// Env: BENCH_SIZES (GiB, default "1,10"), BENCH_RUNS (ktl stats runs per size, default 1), BENCH_KEEP.
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { median, run } from './common.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '1,10').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const KEEP = process.env.BENCH_KEEP === '1';
const GiB = 1024 ** 3;

const r2 = (x) => Math.round(x * 100) / 100;

if (!existsSync('dist/cli.js') || !existsSync('dist/worker.js')) run(process.execPath, ['esbuild.mjs']);
mkdirSync('bench/data', { recursive: true });
const results = [];
for (const gib of SIZES) {
  const file = `bench/data/big-${gib}g.trace`;
  const built = !existsSync(file) || statSync(file).size < gib * GiB;
  if (built) {
    console.log(`building ${file} (${gib} GiB) from the real fixtures ...`);
    run(process.execPath, ['bench/make-big-trace.mjs', file, String(gib * GiB)]);
  }
  try {
    const size = statSync(file).size;
    // Warm the page cache in small reads (a big buffer here would count in the children's peak RSS).
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(1 << 20);
    while (readSync(fd, buf) > 0);
    closeSync(fd);
    const wc = [];
    const ktl = [];
    let rssKiB = 0;
    let events = 0;
    for (let i = 0; i < RUNS; i++) {
      wc.push(run('wc', ['-l', file]).sec);
      const r = run(process.execPath, ['dist/cli.js', 'stats', file, '--json'], { KTL_REPORT_RSS: '1' });
      ktl.push(r.sec);
      events = JSON.parse(r.stdout).events;
      rssKiB = Math.max(rssKiB, Number(/peak RSS (\d+) KiB/.exec(r.stderr)?.[1] ?? 0));
    }
    const w = JSON.parse(run(process.execPath, ['bench/bigfile-worker.mjs', file]).stdout.trim().split('\n').pop());
    results.push({
      file,
      bytes: size,
      events,
      wcSec: r2(median(wc)),
      ktlStatsSec: r2(median(ktl)),
      ratioToWc: r2(median(ktl) / median(wc)),
      statsRssPerByte: r2((rssKiB * 1024) / size),
      worker: { ...w, rssPerByte: r2((w.peakRssKiB * 1024) / size) },
    });
  } finally {
    if (built && !KEEP) rmSync(file, { force: true });
  }
}
console.log(JSON.stringify(results, null, 2));
for (const r of results) {
  console.log(
    `${(r.bytes / GiB).toFixed(1)} GiB, ${r.events} events: ktl stats ${r.ktlStatsSec} s vs wc -l ${r.wcSec} s -> ${r.ratioToWc}x; ` +
      `peak RSS ${r.statsRssPerByte}x the file (stats), ${r.worker.rssPerByte}x (worker; target <= 0.5); ` +
      `worker open ${(r.worker.openMs / 1000).toFixed(1)} s, first timeline ${r.worker.firstTimelineMs} ms, timeline requests p50 ${r.worker.timelineP50Ms} / p95 ${r.worker.timelineP95Ms} ms`,
  );
}
