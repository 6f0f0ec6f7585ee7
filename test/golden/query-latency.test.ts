// Golden: `ktl latency` against a direct computation written here from the trace text alone
// (a line regex, integer µs arithmetic, sort, nearest rank) — no reader, decoder or core code —
// on the veth ping trace (sched_wakeup -> sched_switch by pid/next_pid), the RPS lifecycle trace
// (net_dev_queue -> net_dev_xmit by skbaddr) and seed 004's race (__xsk_rcv_zc_L7 -> xsk_flush by
// xs: the second descriptor's open is a repeated open, its flush an unmatched close).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runKtl, runKtlFailing } from '../helpers/lifecycle-golden';

interface Expected {
  count: number;
  minNs: number | null;
  p50Ns: number | null;
  p90Ns: number | null;
  p99Ns: number | null;
  maxNs: number | null;
  unmatchedOpens: number;
  unmatchedCloses: number;
  worst: { openLine: number; closeLine: number; durNs: number }[];
}

/** The stated rule, computed straight from the lines: key -> first pending open line and time (ns). */
function direct(file: string, open: string, close: string, openKey: string, closeKey: string): Expected {
  const pending = new Map<string, { line: number; ns: number }>();
  const pairs: { openLine: number; closeLine: number; durNs: number }[] = [];
  let unmatchedOpens = 0;
  let unmatchedCloses = 0;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, k) => {
      const m = /\]\s+\S+\s+(\d+)\.(\d{6}): (\S+): (.*)$/.exec(text);
      if (!m) return;
      const ns = Number(m[1]) * 1e9 + Number(m[2]) * 1000;
      const name = m[3];
      const field = (key: string): string | undefined => new RegExp(`(?:^| )${key}=(\\S+)`).exec(m[4] as string)?.[1];
      if (name === close) {
        const key = field(closeKey);
        if (key === undefined) return;
        const o = pending.get(key);
        if (o) {
          pending.delete(key);
          pairs.push({ openLine: o.line, closeLine: k + 1, durNs: ns - o.ns });
        } else unmatchedCloses++;
      } else if (name === open) {
        const key = field(openKey);
        if (key === undefined) return;
        if (pending.has(key)) unmatchedOpens++;
        else pending.set(key, { line: k + 1, ns });
      }
    });
  const d = pairs.map((p) => p.durNs).sort((a, b) => a - b);
  const pct = (p: number): number | null => (d.length ? (d[Math.ceil((p * d.length) / 100) - 1] as number) : null);
  const worst = [...pairs].sort((a, b) => b.durNs - a.durNs || a.openLine - b.openLine).slice(0, 10);
  return { count: d.length, minNs: d[0] ?? null, p50Ns: pct(50), p90Ns: pct(90), p99Ns: pct(99), maxNs: d.at(-1) ?? null, unmatchedOpens: unmatchedOpens + pending.size, unmatchedCloses, worst };
}

const CASES: [string, string, string, string, string][] = [
  ['test/fixtures/ftrace/veth-ping.trace', 'sched_wakeup', 'sched_switch', 'pid', 'next_pid'],
  ['test/fixtures/ftrace/lifecycle-veth-rps.trace', 'net_dev_queue', 'net_dev_xmit', 'skbaddr', 'skbaddr'],
  ['test/fixtures/ftrace/seed004-xsk-flush-race.trace', '__xsk_rcv_zc_L7', 'xsk_flush', 'xs', 'xs'],
];

for (const [file, open, close, ok, ck] of CASES) {
  test(`ktl latency ${file} ${open} -> ${close} by ${ok}/${ck} matches the direct computation`, () => {
    const key = ok === ck ? ok : `${ok},${ck}`;
    const got = JSON.parse(runKtl(['latency', file, '--pair', `${open},${close}`, '--key', key, '--json'])) as Expected;
    const want = direct(file, open, close, ok, ck);
    assert.ok(want.count > 0);
    assert.deepEqual(got, want);
  });
}

test('seed 004: the second descriptor of the same socket is a repeated open and its flush unmatched', () => {
  const got = JSON.parse(runKtl(['latency', CASES[2]![0], '--pair', '__xsk_rcv_zc_L7,xsk_flush', '--key', 'xs', '--json'])) as Expected;
  assert.equal(got.count, 1);
  assert.equal(got.unmatchedOpens, 1);
  assert.equal(got.unmatchedCloses, 1);
});

test('ktl latency usage errors', () => {
  assert.match(runKtlFailing(['latency', CASES[0]![0], '--pair', 'a']).stderr, /--pair expects OPEN,CLOSE/);
  assert.match(runKtlFailing(['latency', CASES[0]![0], '--pair', 'a,b', '--key', 'x,y,z']).stderr, /--key expects/);
});
