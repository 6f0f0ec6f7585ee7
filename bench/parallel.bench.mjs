// Both cores (issue 17, item 2; run by `npm run bench -- parallel`): `ktl stats` on a 1 GiB
// ftrace text file built from the real fixtures (bench/make-big-trace.mjs), read with one job
// and with two (core/io/parallel-load.ts), each as a ratio to `wc -l` on the same file in the
// same run, and the peak RSS per byte of the file for both. Runs alternate (wc, 1 job, 2 jobs)
// so a change in the machine's load hits all three alike; medians are reported with the load
// average before and after (the machine is shared). The file is removed afterwards unless
// BENCH_KEEP=1. Target: two jobs at most 10x `wc -l` (one job measured 21-26x).
//
// Each ktl run's threads are sampled for their CPU seconds: the busiest thread's is what the
// wall time would approach on two free cores (the machine is shared: see runSampled).
//
// BENCH_FORMAT=strace: the same on a 1 GiB strace file (`-f -o -tt -T -y`, many short-lived
// processes with unfinished/resumed calls) built from the real strace fixtures
// (bench/make-big-strace.mjs); its ranges are joined by a sequential pass (formats/strace/ranges.ts).
//
// Env: BENCH_FORMAT (ftrace or strace, default ftrace), BENCH_BYTES (default 1 GiB), BENCH_RUNS
// (default 3), BENCH_FILE (default bench/data/parallel.trace or .strace), BENCH_JOBS (default "1,2").
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { median, run } from './common.mjs';

const FORMATS = {
  ftrace: { maker: 'bench/make-big-trace.mjs', file: 'bench/data/parallel.trace', label: 'ftrace text' },
  strace: { maker: 'bench/make-big-strace.mjs', file: 'bench/data/parallel.strace', label: 'strace' },
};
const FORMAT = FORMATS[process.env.BENCH_FORMAT ?? 'ftrace'];
if (!FORMAT) throw new Error(`BENCH_FORMAT must be one of ${Object.keys(FORMATS).join(', ')}`);
const BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILE = process.env.BENCH_FILE ?? FORMAT.file;
const JOBS = (process.env.BENCH_JOBS ?? '1,2').split(',').map(Number);


/**
 * Runs `node ARGS` and samples its threads' CPU time (utime + stime of /proc/PID/task/TID/stat,
 * in clock ticks of 10 ms) every 20 ms: on a shared machine the wall time says little about
 * what two free cores would give, the CPU seconds of the busiest thread bound it from below.
 */
async function runSampled(args, env) {
  const t0 = process.hrtime.bigint();
  const child = spawn('node', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const cpu = new Map();
  const sample = () => {
    try {
      for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
        const f = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpu.set(tid, Number(f[11]) + Number(f[12]));
      }
    } catch {
      // the process or a thread ended between listing and reading
    }
  };
  const timer = setInterval(sample, 20);
  const status = await new Promise((res) => child.on('exit', (code) => res(code)));
  clearInterval(timer);
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  if (status !== 0) throw new Error(`node ${args.join(' ')} failed (${status}): ${stderr}`);
  const ticks = [...cpu.values()].sort((a, b) => b - a);
  return { sec, stdout, stderr, busiestThreadSec: (ticks[0] ?? 0) / 100, secondThreadSec: (ticks[1] ?? 0) / 100, cpuSec: ticks.reduce((a, b) => a + b, 0) / 100 };
}

const load = () => loadavg().map((x) => Number(x.toFixed(2)));

if (!existsSync('dist/cli.js') || !existsSync('dist/parallel-worker.js')) run('node', ['esbuild.mjs']); // when run on its own
const built = !existsSync(FILE) || statSync(FILE).size < BYTES;
if (built) {
  mkdirSync(dirname(FILE), { recursive: true });
  console.log(`building ${FILE} (${BYTES} bytes) from the real fixtures ...`);
  run('node', [FORMAT.maker, FILE, String(BYTES)]);
}
try {
  const size = statSync(FILE).size;
  // Warm the page cache in small reads (a big buffer here would count in each child's peak RSS).
  {
    const fd = openSync(FILE, 'r');
    const buf = Buffer.alloc(1 << 20);
    while (readSync(fd, buf) > 0);
    closeSync(fd);
  }
  const loadBefore = load();
  const wc = [];
  const ktl = new Map(JOBS.map((j) => [j, { sec: [], busiest: [], second: [], cpu: [], rssKiB: 0, out: '' }]));
  for (let i = 0; i < RUNS; i++) {
    wc.push(run('wc', ['-l', FILE]).sec);
    for (const j of JOBS) {
      const r = await runSampled(['dist/cli.js', 'stats', FILE, '--json', '--jobs', String(j)], { KTL_REPORT_RSS: '1' });
      const k = ktl.get(j);
      k.sec.push(r.sec);
      k.busiest.push(r.busiestThreadSec);
      k.second.push(r.secondThreadSec);
      k.cpu.push(r.cpuSec);
      k.rssKiB = Math.max(k.rssKiB, Number(/peak RSS (\d+) KiB/.exec(r.stderr)?.[1] ?? 0));
      k.out = r.stdout;
    }
  }
  const outs = new Set([...ktl.values()].map((k) => k.out));
  const wcSec = median(wc);
  const result = {
    file: FILE,
    bytes: size,
    runs: RUNS,
    loadBefore,
    loadAfter: load(),
    wcSec,
    sameStats: outs.size === 1,
    jobs: Object.fromEntries(
      [...ktl].map(([j, k]) => [
        j,
        {
          sec: median(k.sec),
          allSec: k.sec,
          ratioToWc: median(k.sec) / wcSec,
          cpuSec: median(k.cpu),
          busiestThreadCpuSec: median(k.busiest),
          secondThreadCpuSec: median(k.second),
          busiestThreadRatioToWc: median(k.busiest) / wcSec,
          peakRssMiB: k.rssKiB / 1024,
          rssPerFileByte: (k.rssKiB * 1024) / size,
        },
      ]),
    ),
  };
  console.log(JSON.stringify(result, null, 2));
  for (const [j, r] of Object.entries(result.jobs)) {
    console.log(
      `${FORMAT.label} ${(size / 1048576).toFixed(0)} MiB, ${j} job${j === '1' ? '' : 's'}: ktl stats ${r.sec.toFixed(2)} s = ${r.ratioToWc.toFixed(1)}x wc -l (${wcSec.toFixed(2)} s); ` +
        `CPU ${r.cpuSec.toFixed(2)} s, busiest thread ${r.busiestThreadCpuSec.toFixed(2)} s = ${r.busiestThreadRatioToWc.toFixed(1)}x wc -l, next ${r.secondThreadCpuSec.toFixed(2)} s; ` +
        `peak RSS ${r.peakRssMiB.toFixed(0)} MiB = ${r.rssPerFileByte.toFixed(2)}x the file`,
    );
  }
  console.log(`load average before ${loadBefore.join(' ')}, after ${result.loadAfter.join(' ')}; same stats for every job count: ${result.sameStats}`);
} finally {
  if (built && process.env.BENCH_KEEP !== '1') rmSync(FILE, { force: true });
}
