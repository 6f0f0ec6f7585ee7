// String table benchmark (run by `npm run bench -- strings`; issue 10, item 2): names an attacker
// chose to collide against random names, and the reader's speed on real trace text.
//
// 1. `ktl stats` on two ftrace texts with the same number of lines, every comm and event name
//    new: in one they collide in 32-bit FNV-1a (the table's former, unseeded hash; generator in
//    test/helpers/fnv-collisions.ts), in the other they are random. Target: colliding/random
//    <= 2 (with FNV-1a it was 19x at 60 k lines, 5.3 MB: 35 s against 1.8 s, growing with the
//    square of the count).
// 2. `ktl stats` throughput (MB/s) on a trace built from the real fixtures
//    (bench/make-big-trace.mjs). With KTL_BASELINE=path/to/other/cli.js it runs that build on the
//    same files too and prints the ratios (e.g. a build of main before the change).
//
// Env: BENCH_LINES (default 200000; a baseline with FNV-1a needs minutes on the colliding file), BENCH_BYTES (real trace, default 256 MiB), BENCH_RUNS (default 3).
import { build } from 'esbuild';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { median, run } from './common.mjs';

const LINES = Number(process.env.BENCH_LINES ?? 200_000);
const BYTES = Number(process.env.BENCH_BYTES ?? 256 * 1024 ** 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASELINE = process.env.KTL_BASELINE;

const statsSec = (cli, file) => median(Array.from({ length: RUNS }, () => run('node', [cli, 'stats', file]).sec));

if (!existsSync('dist/cli.js')) run('node', ['esbuild.mjs']); // when run on its own
mkdirSync('bench/data', { recursive: true });
const MAKE = 'bench/data/strings-make-traces.cjs';
await build({ entryPoints: ['bench/strings-make-traces.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: MAKE, logLevel: 'error' });
const colliding = `bench/data/strings-colliding-${LINES}.trace`;
const random = `bench/data/strings-random-${LINES}.trace`;
if (!existsSync(colliding) || !existsSync(random)) run('node', [MAKE, colliding, random, String(LINES)]);
const real = 'bench/data/strings-real.trace';
if (!existsSync(real) || statSync(real).size < BYTES) run('node', ['bench/make-big-trace.mjs', real, String(BYTES)]);

const builds = [['this build', 'dist/cli.js'], ...(BASELINE ? [['baseline', BASELINE]] : [])];
const results = {};
for (const [name, cli] of builds) {
  const c = statsSec(cli, colliding);
  const r = statsSec(cli, random);
  const realSec = statsSec(cli, real);
  results[name] = { c, r, realSec };
  console.log(`${name}: ${LINES} lines (${(statSync(colliding).size / 1e6).toFixed(1)} MB), FNV-colliding names ${c.toFixed(2)} s, random names ${r.toFixed(2)} s: ratio colliding/random ${(c / r).toFixed(2)} (target <= 2)`);
  console.log(`${name}: real trace ${(statSync(real).size / 1e6).toFixed(0)} MB in ${realSec.toFixed(2)} s = ${(statSync(real).size / 1e6 / realSec).toFixed(0)} MB/s`);
}
if (BASELINE) {
  const a = results['this build'];
  const b = results.baseline;
  console.log(`this build / baseline time: colliding ${(a.c / b.c).toFixed(2)}, random ${(a.r / b.r).toFixed(2)}, real trace ${(a.realSec / b.realSec).toFixed(2)}`);
}
