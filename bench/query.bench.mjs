// Query benchmark (`npm run bench -- query`): filter expressions and `ktl latency` on a trace
// of BENCH_EVENTS (default 10 M) events built from the real fixtures (bench/make-big-trace.mjs,
// under bench/data, gitignored). Ratios, never assertions (DESIGN.md):
//
//   filter   one full pass of each expression (core/query, as the worker runs it for the table
//            and the timeline) against one full pass of today's text filter (EventFilter.text,
//            a case-insensitive substring of each event's display text). Target (issue 14): < 2x.
//   latency  pairing net_dev_queue -> net_dev_xmit by skbaddr and sched_wakeup -> sched_switch
//            by pid/next_pid, against the time to read the trace.
//
// Env: BENCH_EVENTS (default 10000000), BENCH_FILE (default bench/data/query-<N>.trace).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The core is TypeScript: run again under tsx, with room for a 10 M-event trace.
if (!process.env.KTL_BENCH_TSX) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=6144', '--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, KTL_BENCH_TSX: '1' } });
  process.exit(r.status ?? 1);
}

const { loadTrace } = await import('../src/cli/load.ts');
const { eventMatcher } = await import('../src/core/analysis/event-filter.ts');
const { pairLatency } = await import('../src/core/analysis/latency.ts');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const FILE = process.env.BENCH_FILE ?? `bench/data/query-${EVENTS}.trace`;
// The fixtures' event lines average ~137 bytes (1.32 GB held 9.67 M events).
const BYTES = Math.round(EVENTS * 137);

if (!existsSync(FILE) || statSync(FILE).size < BYTES * 0.98) {
  mkdirSync('bench/data', { recursive: true });
  console.log(`building ${FILE} (${BYTES} bytes) from the real fixtures ...`);
  const r = spawnSync(process.execPath, ['bench/make-big-trace.mjs', FILE, String(BYTES)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const sec = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const r2 = (x) => Math.round(x * 100) / 100;

let t0 = process.hrtime.bigint();
const trace = await loadTrace(FILE, { values: {}, positionals: [] });
const parseSec = sec(t0);
console.log(`read ${trace.length} events in ${r2(parseSec)} s`);

/** A full pass of the table's filter, as the worker's row index does it: the better of two (JIT warm). */
function pass(filter) {
  let best = Infinity;
  let kept = 0;
  for (let run = 0; run < 2; run++) {
    const t = process.hrtime.bigint();
    const m = eventMatcher(trace, filter);
    kept = 0;
    for (let i = 0; i < trace.length; i++) if (m.test(i)) kept++;
    best = Math.min(best, sec(t));
  }
  return { sec: best, kept };
}

const text = pass({ text: 'skbaddr' });
const EXPRESSIONS = [
  // common fields only: columns and one test per distinct string
  'cpu == 1 && event ~ "net_dev_*"',
  // payload fields: decoded per event, numbers compared
  'len > 64 && dev == "ktlft-a"',
  // a regular expression (RE2) on comm, and a field every event is asked for
  'comm matches "^(ping|iperf)" || prev_state == "S"',
];
const filters = EXPRESSIONS.map((expr) => ({ expr, ...pass({ expr }) }));

const latency = [
  ['net_dev_queue', 'net_dev_xmit', 'skbaddr', null],
  ['sched_wakeup', 'sched_switch', 'pid', 'next_pid'],
].map(([open, close, openKey, closeKey]) => {
  const t = process.hrtime.bigint();
  const r = pairLatency(trace, { open, close, openKey, closeKey });
  return { pair: `${open} -> ${close}`, sec: r2(sec(t)), pairs: r.count, ratioToParse: r2(sec(t) / parseSec) };
});

console.log(
  JSON.stringify(
    {
      file: FILE,
      events: trace.length,
      parseSec: r2(parseSec),
      textFilter: { text: 'skbaddr', sec: r2(text.sec), kept: text.kept },
      filters: filters.map((f) => ({ expr: f.expr, sec: r2(f.sec), kept: f.kept, ratioToTextFilter: r2(f.sec / text.sec) })),
      latency,
    },
    null,
    1,
  ),
);
trace.close();
