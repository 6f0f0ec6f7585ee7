// `ktl events --limit 10` benchmark (run by `npm run bench -- events-limit`): with the early
// stop (src/cli/events.ts) the command reads a chunk or so of the file, whatever its size. Its
// peer is `head -n` on the same file, the floor for printing the first lines; the ratio is
// mostly start-up: node's own (`node -e ''`) and ktl's (`ktl --help`: compiling the bundle),
// printed beside it. Targets (issue 17): under 0.3 s on the 2.2 GB file.
//
// Files are built from the real fixtures (bench/make-big-trace.mjs) under bench/data and removed
// afterwards (BENCH_KEEP=1 keeps them). Figures are printed, never asserted (DESIGN.md).
//
// Env: BENCH_SIZES (default 300M,1G,2.2G), BENCH_RUNS (default 5).
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { bytesOf, median, run } from './common.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '300M,1G,2.2G').split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);



const ms = (s) => `${(s * 1000).toFixed(0)} ms`;

if (!existsSync('dist/cli.js')) run('node', ['esbuild.mjs']); // when run on its own
mkdirSync('bench/data', { recursive: true });
const results = [];
const node = median(Array.from({ length: RUNS }, () => run('node', ['-e', '']).sec));
const ktlStart = median(Array.from({ length: RUNS }, () => run('node', ['dist/cli.js', '--help']).sec));
for (const size of SIZES) {
  const file = `bench/data/events-limit-${size}.trace`;
  const built = !existsSync(file);
  if (built) {
    console.log(`building ${file} from the real fixtures ...`);
    run('node', ['bench/make-big-trace.mjs', file, String(bytesOf(size, 'BENCH_SIZES'))]);
  }
  try {
    const cases = [
      { name: '--limit 10', args: ['--limit', '10'] },
      { name: '--limit 10 --event napi_poll --where "cpu == 1"', args: ['--limit', '10', '--event', 'napi_poll', '--where', 'cpu == 1'] },
    ];
    const head = median(Array.from({ length: RUNS }, () => run('head', ['-n', '14', file]).sec));
    for (const c of cases) {
      const times = [];
      let lines = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = run('node', ['dist/cli.js', 'events', file, '--config', '', ...c.args]);
        times.push(r.sec);
        lines = r.stdout.split('\n').filter((l) => l !== '').length;
      }
      const ktl = median(times);
      results.push({ size, bytes: statSync(file).size, case: c.name, lines, ktlSec: ktl, headSec: head, nodeStartSec: node, ktlStartSec: ktlStart, ratioToHead: ktl / head });
      console.log(
        `${size}: ktl events ${c.name}: ${ms(ktl)} (${lines} lines), ${ms(ktl - ktlStart)} past ktl --help (${ms(ktlStart)}; node -e '' ${ms(node)}); ` +
          `head -n ${ms(head)} -> ${(ktl / head).toFixed(0)}x head`,
      );
    }
  } finally {
    if (built && process.env.BENCH_KEEP !== '1') rmSync(file, { force: true });
  }
}
console.log(JSON.stringify(results, null, 2));
