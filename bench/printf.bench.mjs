// printf reader benchmark (run by `npm run bench -- printf`; issue 10, item 3): `ktl stats` on
// bpftrace column output read with the user pattern of test/fixtures/models/printf-columns.json
// (now matched by RE2, re2js, in linear time) and on key=value output (no user pattern), against
// `wc -l` on the same file (the floor no reader can beat). Files are the data lines of the real
// fixtures test/fixtures/printf/bpftrace-net-{columns,kv}.txt repeated with their timestamps
// shifted, under bench/data/ (gitignored). With KTL_BASELINE=path/to/other/cli.js that build
// reads the same files too and the ratios are printed (e.g. main before RE2, which used RegExp).
//
// Env: BENCH_BYTES (each file, default 64 MiB), BENCH_RUNS (default 3).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { median } from './common.mjs';

const BYTES = Number(process.env.BENCH_BYTES ?? 64 * 1024 ** 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASELINE = process.env.KTL_BASELINE;
const CONFIG = 'test/fixtures/models/printf-columns.json';

function run(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  // 4: read with problems (ktl); the files here have none, but a baseline may say otherwise.
  if (r.status !== 0 && r.status !== 4) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { sec, stdout: r.stdout };
}
const timed = (cmd, args) => median(Array.from({ length: RUNS }, () => run(cmd, args).sec));

/** Repeats the fixture's data lines (those `keep` accepts), adding `shift(copy)` to the leading number. */
async function build(out, fixture, keep, shiftUs) {
  const lines = readFileSync(fixture, 'utf8').split('\n').filter(keep);
  const w = createWriteStream(out);
  let size = 0;
  for (let copy = 0; size < BYTES; copy++) {
    const chunk = lines.map((l) => l.replace(/^(\d+)/, (n) => String(Number(n) + copy * shiftUs))).join('\n') + '\n';
    size += Buffer.byteLength(chunk);
    if (!w.write(chunk)) await new Promise((r) => w.once('drain', r));
  }
  await new Promise((r) => w.end(r));
}

if (!existsSync('dist/cli.js')) run('node', ['esbuild.mjs']); // when run on its own
mkdirSync('bench/data', { recursive: true });
const columns = 'bench/data/printf-columns.txt';
const kv = 'bench/data/printf-kv.txt';
if (!existsSync(columns) || statSync(columns).size < BYTES) await build(columns, 'test/fixtures/printf/bpftrace-net-columns.txt', (l) => /^\d+\s/.test(l), 10_000_000);
if (!existsSync(kv) || statSync(kv).size < BYTES) await build(kv, 'test/fixtures/printf/bpftrace-net-kv.txt', (l) => /\w=/.test(l), 0);

const cases = [
  ['columns (user pattern)', columns, ['--config', CONFIG]],
  ['key=value (no pattern)', kv, []],
];
for (const [name, file, extra] of cases) {
  const mb = statSync(file).size / 1e6;
  const wc = timed('wc', ['-l', file]);
  const ktl = timed('node', ['dist/cli.js', 'stats', file, ...extra]);
  let line = `${name}: ${mb.toFixed(0)} MB, ktl stats ${ktl.toFixed(2)} s (${(mb / ktl).toFixed(0)} MB/s), wc -l ${wc.toFixed(3)} s: ratio ktl/wc ${(ktl / wc).toFixed(1)}`;
  if (BASELINE) {
    const base = timed('node', [BASELINE, 'stats', file, ...extra]);
    line += `; baseline ${base.toFixed(2)} s: ratio this/baseline ${(ktl / base).toFixed(2)}`;
  }
  console.log(line);
}
