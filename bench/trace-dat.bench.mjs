// trace.dat benchmark (run by `npm run bench`): `ktl stats` against `trace-cmd report -i FILE >
// /dev/null` on the same >= 500 MB trace.dat in the same run (DESIGN.md: ratios, never asserted
// in tests). Target (issue 5): ktl at most half of trace-cmd's time.
//
// The input is a real recording made on this machine by
//   sudo test/fixtures/capture/capture-trace-dat.sh bench bench/data
// (ping floods over a veth pair with all net/skb/napi/irq/sched/sock events on, 330 MB per-CPU
// ring buffers filled until they wrap, `trace-cmd extract` -> big.v7-zstd.dat, then
// `trace-cmd convert --file-version 6 --compression none` -> big.v6.dat, ~686 MB, ~16.5 M
// events). When the file is missing and this runs as root with trace-cmd installed, it records
// it; otherwise it says how and stops. The zstd file is timed too, as a second figure.
//
// Times are wall clock (the target) and CPU (user + sys, steadier on a shared machine), median
// of BENCH_RUNS (default 3). Env: BENCH_RUNS, BENCH_FILE (default bench/data/big.v6.dat).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './common.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILE = process.env.BENCH_FILE ?? 'bench/data/big.v6.dat';
const ZSTD = 'bench/data/big.v7-zstd.dat';
const MIN_BYTES = 500 * 1024 * 1024;
const STATS_OUT = join(tmpdir(), `ktl-trace-dat-bench-${process.pid}.json`);

/** Runs `cmd` through bash's `time`, stdout to `out`; returns wall and CPU seconds. */
function timed(cmd, env = {}, out = '/dev/null') {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ( ${cmd} > '${out}' )`], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  const [real, user, sys] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
  return { wall: real, cpu: user + sys, stderr: r.stderr };
}

const have = (cmd) => spawnSync('bash', ['-c', `command -v ${cmd}`]).status === 0;

if (!have('trace-cmd')) {
  console.log('trace-dat bench skipped: trace-cmd (the peer) is not installed (Debian: apt-get install trace-cmd)');
  process.exit(0);
}
if (!existsSync(FILE) || statSync(FILE).size < MIN_BYTES) {
  if (process.getuid?.() !== 0) {
    console.log(`trace-dat bench skipped: ${FILE} is missing; record it as root: sudo test/fixtures/capture/capture-trace-dat.sh bench bench/data`);
    process.exit(0);
  }
  console.log(`recording ${FILE} (root, tracefs, trace-cmd; a few minutes) ...`);
  const r = spawnSync('bash', ['test/fixtures/capture/capture-trace-dat.sh', 'bench', 'bench/data', String(MIN_BYTES)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
if (!existsSync('dist/cli.js')) spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });

function compare(file) {
  const size = statSync(file).size;
  void readFileSync(file).length; // warm the page cache for both tools
  const tc = [];
  const ktl = [];
  let events = 0;
  let rssKiB = 0;
  for (let i = 0; i < RUNS; i++) {
    tc.push(timed(`trace-cmd report -i '${file}'`));
    const k = timed(`node dist/cli.js stats '${file}' --json`, { KTL_REPORT_RSS: '1' }, STATS_OUT);
    ktl.push(k);
    events = JSON.parse(readFileSync(STATS_OUT, 'utf8')).events;
    rssKiB = Math.max(rssKiB, Number(/peak RSS (\d+) KiB/.exec(k.stderr)?.[1] ?? 0));
  }
  const m = (xs, key) => median(xs.map((x) => x[key]));
  const result = {
    file,
    bytes: size,
    events,
    runs: RUNS,
    traceCmdWallSec: m(tc, 'wall'),
    ktlWallSec: m(ktl, 'wall'),
    ratioWall: m(ktl, 'wall') / m(tc, 'wall'),
    traceCmdCpuSec: m(tc, 'cpu'),
    ktlCpuSec: m(ktl, 'cpu'),
    ratioCpu: m(ktl, 'cpu') / m(tc, 'cpu'),
    ktlPeakRssMiB: rssKiB / 1024,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `trace.dat ${(size / 1048576).toFixed(0)} MiB, ${events} events: ktl stats ${result.ktlWallSec.toFixed(2)} s wall / ${result.ktlCpuSec.toFixed(2)} s CPU, ` +
      `trace-cmd report ${result.traceCmdWallSec.toFixed(2)} s / ${result.traceCmdCpuSec.toFixed(2)} s -> ratio ${result.ratioWall.toFixed(3)} wall, ${result.ratioCpu.toFixed(3)} CPU (target <= 0.5); ktl peak RSS ${result.ktlPeakRssMiB.toFixed(0)} MiB`,
  );
}

compare(FILE);
if (existsSync(ZSTD) && FILE !== ZSTD) compare(ZSTD);
