// Export benchmark (`npm run bench -- export`, issue 16): `ktl export --to perfetto|parquet|jsonl`
// on a >= 1 GiB ftrace text built from the real fixtures (bench/make-big-trace.mjs), against
// `ktl stats` on the same file in the same run (the parse alone: every export parses first).
// Reported as ratios (export time / parse time) and peak RSS of each process, so the cost of
// the export itself and its memory on top of the loaded trace show. Exports stream (a batch
// of rows at a time): peak RSS should stay near the parse's.
//
// Env: BENCH_BYTES (default 1 GiB), BENCH_FORMATS (default perfetto,parquet,jsonl),
// BENCH_KEEP=1 keeps bench/data/export-* (otherwise the trace and the outputs are removed).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { run as timedRun } from './common.mjs';

const BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const FORMATS = (process.env.BENCH_FORMATS ?? 'perfetto,parquet,jsonl').split(',');
const DIR = 'bench/data/export';
const FILE = `${DIR}/big.trace`;

/** common.mjs's run, with the peak RSS ktl reports on stderr under KTL_REPORT_RSS=1 (MiB). */
function run(cmd, args, env = {}) {
  const r = timedRun(cmd, args, env);
  return { ...r, rssMiB: Number(/peak RSS (\d+) KiB/.exec(r.stderr)?.[1] ?? 0) / 1024 };
}

if (!existsSync('dist/cli.js')) run('node', ['esbuild.mjs']);
mkdirSync(DIR, { recursive: true });
try {
  if (!existsSync(FILE) || statSync(FILE).size < BYTES) {
    console.log(`building ${FILE} (${BYTES} bytes) from the real fixtures ...`);
    run('node', ['bench/make-big-trace.mjs', FILE, String(BYTES)]);
  }
  const size = statSync(FILE).size;
  const parse = run('node', ['dist/cli.js', 'stats', FILE, '--json'], { KTL_REPORT_RSS: '1' });
  const events = JSON.parse(parse.stdout).events;
  const results = [];
  for (const format of FORMATS) {
    const out = `${DIR}/out.${format}`;
    const r = run('node', ['dist/cli.js', 'export', FILE, '--to', format, '--out', out], { KTL_REPORT_RSS: '1' });
    const said = JSON.parse(r.stdout);
    if (said.events !== events) throw new Error(`${format}: ${said.events} events exported, ktl stats says ${events}`);
    const outBytes = said.files.reduce((a, f) => a + statSync(f).size, 0);
    results.push({ format, sec: r.sec, ratioToParse: r.sec / parse.sec, peakRssMiB: r.rssMiB, rssOverParseMiB: r.rssMiB - parse.rssMiB, outMiB: outBytes / 1048576 });
    for (const f of said.files) rmSync(f, { force: true });
  }
  console.log(JSON.stringify({ file: FILE, bytes: size, events, parseSec: parse.sec, parsePeakRssMiB: parse.rssMiB, results }, null, 2));
  for (const r of results) {
    console.log(
      `export ${r.format.padEnd(8)} ${(size / 1048576).toFixed(0)} MiB, ${events} events: ${r.sec.toFixed(1)} s = ${r.ratioToParse.toFixed(1)}x parse (${parse.sec.toFixed(1)} s); ` +
        `peak RSS ${r.peakRssMiB.toFixed(0)} MiB (parse ${parse.rssMiB.toFixed(0)} MiB, +${r.rssOverParseMiB.toFixed(0)}); output ${r.outMiB.toFixed(0)} MiB`,
    );
  }
} finally {
  if (process.env.BENCH_KEEP !== '1') {
    rmSync(DIR, { recursive: true, force: true });
    if (existsSync('bench/data') && readdirSync('bench/data').length === 0) rmSync('bench/data', { recursive: true });
  }
}
