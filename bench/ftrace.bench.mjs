// ftrace text benchmark (run by `npm run bench`): ktl against its peer on the same file in the same run (DESIGN.md:
// performance is reported as ratios, never asserted in tests).
//
// ftrace text: `ktl stats` on a >= 1 GiB trace built from the real fixtures, against `wc -l`
// on the same file (the memory-bandwidth floor no reader can beat). Targets (issue 2): at
// most 30x wc -l, peak RSS at most 1 GiB.
//
// Env: BENCH_BYTES (default 1 GiB), BENCH_RUNS (default 3), BENCH_FILE (default bench/data/big.trace).
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { median, run } from './common.mjs';

const BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILE = process.env.BENCH_FILE ?? 'bench/data/big.trace';



if (!existsSync('dist/cli.js')) run('node', ['esbuild.mjs']); // when run on its own
if (!existsSync(FILE) || statSync(FILE).size < BYTES) {
  mkdirSync(dirname(FILE), { recursive: true });
  console.log(`building ${FILE} (${BYTES} bytes) from the real fixtures ...`);
  run('node', ['bench/make-big-trace.mjs', FILE, String(BYTES)]);
}
const size = statSync(FILE).size;
// Warm the page cache so both tools read from memory, not from the disk. In small reads: a
// 1 GiB buffer in this process would count in each child's peak RSS (Linux carries the
// forking process's high-water mark across exec).
{
  const fd = openSync(FILE, 'r');
  const buf = Buffer.alloc(1 << 20);
  while (readSync(fd, buf) > 0);
  closeSync(fd);
}

const wc = [];
const ktl = [];
let rssKiB = 0;
let events = 0;
for (let i = 0; i < RUNS; i++) {
  wc.push(run('wc', ['-l', FILE]).sec);
  const r = run('node', ['dist/cli.js', 'stats', FILE, '--json'], { KTL_REPORT_RSS: '1' });
  ktl.push(r.sec);
  events = JSON.parse(r.stdout).events;
  rssKiB = Math.max(rssKiB, Number(/peak RSS (\d+) KiB/.exec(r.stderr)?.[1] ?? 0));
}
const mib = size / 1048576;
const result = {
  file: FILE,
  bytes: size,
  events,
  runs: RUNS,
  wcSec: median(wc),
  ktlSec: median(ktl),
  ratioToWc: median(ktl) / median(wc),
  ktlMiBps: mib / median(ktl),
  peakRssMiB: rssKiB / 1024,
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `ftrace text ${mib.toFixed(0)} MiB, ${events} events: ktl stats ${result.ktlSec.toFixed(2)} s (${result.ktlMiBps.toFixed(0)} MiB/s), ` +
    `wc -l ${result.wcSec.toFixed(2)} s -> ratio ${result.ratioToWc.toFixed(1)}x (target <= 30x); peak RSS ${result.peakRssMiB.toFixed(0)} MiB (target <= 1024)`,
);
