/**
 * Filter expressions, find and latency for the webview (issue 14): checking an expression as
 * the user types, the next/previous matching row of the table over the whole trace, and paired
 * event latency with its histogram and instances. Latency results are kept for the last query so
 * brushing the histogram lists instances without pairing again.
 */
import { latencyFigures, pairLatency, type LatencyResult } from '../core/analysis/latency';
import { eventText } from '../core/formats/decode';
import { compileQuery } from '../core/query/compile';
import { QueryError } from '../core/query/parse';
import type { Trace } from '../core/trace/trace';
import { MAX_LATENCY_INSTANCES, type LatencyData, type LatencyHistogram, type LatencyInstance, type LatencyQuery, type QueryProblem } from '../protocol/messages';

/** Histogram bins per decade of duration (log scale). */
const BINS_PER_DECADE = 10;

/** null when `expr` compiles for `trace`; the problem otherwise. */
export function checkQuery(trace: Trace, expr: string): QueryProblem | null {
  try {
    compileQuery(trace, expr);
    return null;
  } catch (err) {
    if (err instanceof QueryError) return { message: err.message, column: err.column };
    throw err;
  }
}

/**
 * The next (direction 1) or previous (-1) position after `from` in `list` (null = every event in
 * file order) whose event matches; wraps around once. Throws QueryError for a bad expression.
 */
export function findRow(trace: Trace, list: Uint32Array | null, expr: string, text: string, from: number, direction: 1 | -1): { position: number; index: number } | null {
  const test = compileQuery(trace, expr);
  const needle = text.trim().toLowerCase();
  if (!test && !needle) return null;
  const n = list ? list.length : trace.length;
  if (n === 0) return null;
  let p = from;
  for (let step = 0; step < n; step++) {
    p = (((p + direction) % n) + n) % n;
    const i = list ? (list[p] as number) : p;
    if (test && !test(i)) continue;
    if (needle && !eventText(trace, i).toLowerCase().includes(needle)) continue;
    return { position: p, index: i };
  }
  return null;
}

/** Position of event `index` in `list` (null = every event in file order); null when the list lacks it. */
export function positionOf(trace: Trace, list: Uint32Array | null, index: number): number | null {
  if (!list) return index < trace.length ? index : null;
  const p = list.indexOf(index);
  return p < 0 ? null : p;
}

export class LatencyService {
  private last: { key: string; result: LatencyResult } | null = null;

  constructor(private readonly trace: Trace) {}

  private pairs(q: LatencyQuery): LatencyResult {
    const key = JSON.stringify([q.open, q.close, q.openKey, q.closeKey]);
    if (this.last?.key !== key) this.last = { key, result: pairLatency(this.trace, { open: q.open, close: q.close, openKey: q.openKey, closeKey: q.closeKey, worst: MAX_LATENCY_INSTANCES }) };
    return this.last.result;
  }

  latency(q: LatencyQuery): LatencyData {
    const r = this.pairs(q);
    return {
      ...latencyFigures(r),
      histogram: logHistogram(r.durNs),
      worst: r.worst.map((p) => this.instance(p.open, p.close, p.durNs)),
    };
  }

  /** Pairs with loNs <= duration <= hiNs, longest first (at most MAX_LATENCY_INSTANCES), and how many there are. */
  instances(q: LatencyQuery, loNs: number, hiNs: number): { total: number; instances: LatencyInstance[] } {
    const r = this.pairs(q);
    const hits: number[] = [];
    for (let k = 0; k < r.durNs.length; k++) {
      const d = r.durNs[k] as number;
      if (d >= loNs && d <= hiNs) hits.push(k);
    }
    hits.sort((a, b) => (r.durNs[b] as number) - (r.durNs[a] as number) || (r.opens[a] as number) - (r.opens[b] as number));
    return { total: hits.length, instances: hits.slice(0, MAX_LATENCY_INSTANCES).map((k) => this.instance(r.opens[k] as number, r.closes[k] as number, r.durNs[k] as number)) };
  }

  private instance(open: number, close: number, durNs: number): LatencyInstance {
    return { open, close, openLine: this.trace.line(open), closeLine: this.trace.line(close), openTsNs: this.trace.tsNs(open), durNs };
  }
}

/**
 * Log-spaced bins from the decade below the shortest duration to the one above the longest
 * (BINS_PER_DECADE per decade); durations under 1 ns (0, or negative under clock disorder) go
 * in the first bin.
 */
export function logHistogram(durNs: Float64Array): LatencyHistogram {
  if (durNs.length === 0) return { edgesNs: [], counts: [] };
  let lo = Infinity;
  let hi = 1;
  for (const d of durNs) {
    if (d >= 1 && d < lo) lo = d;
    if (d > hi) hi = d;
  }
  if (lo === Infinity) lo = 1;
  const first = Math.floor(Math.log10(lo) * BINS_PER_DECADE);
  const last = Math.floor(Math.log10(hi) * BINS_PER_DECADE) + 1;
  const edgesNs: number[] = [];
  for (let b = first; b <= last; b++) edgesNs.push(Math.round(10 ** (b / BINS_PER_DECADE)));
  const counts = new Array<number>(last - first).fill(0);
  for (const d of durNs) {
    const b = d < 1 ? 0 : Math.min(counts.length - 1, Math.max(0, Math.floor(Math.log10(d) * BINS_PER_DECADE) - first));
    counts[b] = (counts[b] as number) + 1;
  }
  return { edgesNs, counts };
}
