// Lifecycle benchmark (run by `npm run bench`): lifecycle analysis against the time the ftrace
// reader took to parse the same trace, in the same process and run (DESIGN.md: reported as a
// ratio, never asserted in tests). Target (issue 4): analysis at most 2x the parse time, on
// 10 M events.
//
// Two traces, both built from real fixture lines:
//   af-xdp  bench/data/lifecycle-afxdp.trace: seed 004's descriptor cycle repeated with shifted
//           timestamps and UMEM addresses, then its FIFO break (bench/lifecycle-make-trace.mjs).
//           Every event is a lifecycle step: the worst case for the analysis.
//   skb     the veth captures repeated with shifted timestamps (bench/make-big-trace.mjs, the
//           ftrace bench's builder; bench/data/big.trace is reused when present): about a
//           quarter of the events are skb steps, the rest are scheduler/irq noise to skip.
//
// Env: BENCH_LIFECYCLE_EVENTS (af-xdp trace, default 10 M), BENCH_SKB_BYTES (skb trace when it has
// to be built, default 1 GiB), BENCH_RUNS (default 3), BENCH_ONLY (af-xdp or skb).
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { median } from './common.mjs';

const EVENTS = Number(process.env.BENCH_LIFECYCLE_EVENTS ?? 10_000_000);
const SKB_BYTES = Number(process.env.BENCH_SKB_BYTES ?? 1024 ** 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.env.BENCH_ONLY;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}


mkdirSync('bench/data', { recursive: true });
const cases = [];
if (!ONLY || ONLY === 'af-xdp') {
  const file = `bench/data/lifecycle-afxdp-${EVENTS}.trace`;
  if (!existsSync(file)) {
    console.log(`building ${file} (${EVENTS} events) from seed 004's lines ...`);
    run('node', ['bench/lifecycle-make-trace.mjs', file, String(EVENTS)]);
  }
  cases.push({ file, model: 'af-xdp' });
}
if (!ONLY || ONLY === 'skb') {
  let file = 'bench/data/big.trace';
  if (!existsSync(file)) {
    file = 'bench/data/lifecycle-skb.trace';
    if (!existsSync(file) || statSync(file).size < SKB_BYTES) {
      console.log(`building ${file} (${SKB_BYTES} bytes) from the veth captures ...`);
      run('node', ['bench/make-big-trace.mjs', file, String(SKB_BYTES)]);
    }
  }
  cases.push({ file, model: 'skb' });
}

// Measure the code as it ships: bundled by esbuild with the same settings as dist/cli.js (run
// through tsx instead, the reader was measured 3x slower, the analysis about the same).
const MEASURE = 'bench/data/lifecycle-measure.cjs';
await build({ entryPoints: ['bench/lifecycle-measure.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: MEASURE, logLevel: 'error' });

for (const c of cases) {
  const out = run(process.execPath, ['--max-old-space-size=16384', MEASURE, c.file, c.model, String(RUNS)]);
  const r = JSON.parse(out);
  const parse = median(r.parseSec);
  const analysis = median(r.analysisSec);
  const parseCpu = median(r.parseCpuSec);
  const analysisCpu = median(r.analysisCpuSec);
  const result = { ...r, bytes: statSync(c.file).size, parseMedianSec: parse, analysisMedianSec: analysis, ratio: analysis / parse, parseCpuMedianSec: parseCpu, analysisCpuMedianSec: analysisCpu, cpuRatio: analysisCpu / parseCpu };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `lifecycle ${c.model}: ${r.events} events, ${r.steps} steps, ${r.objects} objects; parse ${parse.toFixed(2)} s (${parseCpu.toFixed(2)} s CPU), ` +
      `analysis ${analysis.toFixed(2)} s (${analysisCpu.toFixed(2)} s CPU) -> ratio ${(analysis / parse).toFixed(2)}x wall, ${(analysisCpu / parseCpu).toFixed(2)}x CPU ` +
      `(target <= 2x); findings ${JSON.stringify(r.findings)}`,
  );
}
