/**
 * Latency between paired events (KernelShark's latency plot, Trace Compass's latency
 * statistics): an opening event and a closing one, paired per key value.
 *
 * Pairing rule, in file order: an open whose key has no pending open becomes pending; an open
 * whose key already has one pending is counted in `unmatchedOpens` and dropped (the first open
 * is the start: for sched_wakeup -> sched_switch that is the wakeup latency from the first
 * wakeup); a close takes the pending open of its key (one pair) or, with none pending, is
 * counted in `unmatchedCloses`. Opens still pending at the end are unmatched too. An event
 * without the key field takes no part. When open and close are the same event name, an event
 * closes a pending open of its key, else opens.
 *
 * Keys: `openField` read from the opening event, `closeField` from the closing one (default: the
 * same name), compared as text. A name is the event's own field first (sched_wakeup's `pid` is
 * the woken task), else the common column (cpu, pid, tgid, comm). No key: one global pairing.
 *
 * Percentiles are nearest-rank: p-th = the ceil(p/100 * n)-th smallest duration.
 */
import { decodeEvent } from '../formats/decode';
import type { Trace } from '../trace/trace';
import { DECODE, ftraceFieldReader } from '../query/ftrace-fields';

export interface LatencySpec {
  readonly open: string;
  readonly close: string;
  /** Key field of the opening event; null pairs globally. */
  readonly openKey: string | null;
  /** Key field of the closing event; null = openKey. */
  readonly closeKey: string | null;
  /** How many worst instances to keep. */
  readonly worst?: number;
}

export interface LatencyPair {
  /** Event indices. */
  readonly open: number;
  readonly close: number;
  readonly durNs: number;
}

/** The figures of pairing, as `ktl latency --json` and the Latency view show them. */
export interface LatencyFigures {
  readonly count: number;
  /** null when there is no pair. */
  readonly minNs: number | null;
  readonly p50Ns: number | null;
  readonly p90Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number | null;
  readonly unmatchedOpens: number;
  readonly unmatchedCloses: number;
}

export interface LatencyResult extends LatencyFigures {
  /** Longest first (ties: earlier open first). */
  readonly worst: readonly LatencyPair[];
  /** Every pair in close order: open index, close index, duration ns (for the histogram and brushing). */
  readonly opens: Uint32Array;
  readonly closes: Uint32Array;
  readonly durNs: Float64Array;
}

/** Just the figures of a result (no pairs). */
export function latencyFigures(r: LatencyResult): LatencyFigures {
  const { count, minNs, p50Ns, p90Ns, p99Ns, maxNs, unmatchedOpens, unmatchedCloses } = r;
  return { count, minNs, p50Ns, p90Ns, p99Ns, maxNs, unmatchedOpens, unmatchedCloses };
}

const DEFAULT_WORST = 10;
const COMMON = new Set(['cpu', 'pid', 'tgid', 'comm']);

export function pairLatency(trace: Trace, spec: LatencySpec): LatencyResult {
  const openId = trace.strings.find(spec.open);
  const closeId = trace.strings.find(spec.close);
  const openKey = keyReader(trace, spec.openKey);
  const closeKey = keyReader(trace, spec.closeKey ?? spec.openKey);
  const pending = new Map<string, number>();
  let unmatchedOpens = 0;
  let unmatchedCloses = 0;
  const opens: number[] = [];
  const closes: number[] = [];
  const durs: number[] = [];
  for (let i = 0; i < trace.length; i++) {
    const ev = trace.eventId(i);
    const isOpen = ev === openId;
    const isClose = ev === closeId;
    if (!isOpen && !isClose) continue;
    if (isClose) {
      const k = closeKey(i);
      if (k !== null) {
        const o = pending.get(k);
        if (o !== undefined) {
          pending.delete(k);
          opens.push(o);
          closes.push(i);
          durs.push(Math.round(trace.tsNs(i) - trace.tsNs(o)));
          continue;
        }
        if (!isOpen) {
          unmatchedCloses++;
          continue;
        }
      } else if (!isOpen) continue;
    }
    const k = openKey(i);
    if (k === null) continue;
    if (pending.has(k)) unmatchedOpens++;
    else pending.set(k, i);
  }
  unmatchedOpens += pending.size;
  const sorted = Float64Array.from(durs).sort();
  const rank = (p: number): number | null => (sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number));
  const order = durs.map((_, k) => k).sort((a, b) => (durs[b] as number) - (durs[a] as number) || (opens[a] as number) - (opens[b] as number));
  const worst = order.slice(0, spec.worst ?? DEFAULT_WORST).map((k) => ({ open: opens[k] as number, close: closes[k] as number, durNs: durs[k] as number }));
  return {
    count: durs.length,
    minNs: sorted.length ? (sorted[0] as number) : null,
    p50Ns: rank(50),
    p90Ns: rank(90),
    p99Ns: rank(99),
    maxNs: sorted.length ? (sorted[sorted.length - 1] as number) : null,
    unmatchedOpens,
    unmatchedCloses,
    worst,
    opens: Uint32Array.from(opens),
    closes: Uint32Array.from(closes),
    durNs: Float64Array.from(durs),
  };
}

/** Reads one key of event i as text, null when the event lacks it; always '' with no key. */
export function keyReader(trace: Trace, name: string | null): (i: number) => string | null {
  if (name === null) return () => '';
  const common = COMMON.has(name) ? name : null;
  const quick = ftraceFieldReader(trace);
  return (i) => {
    const v = quick ? quick(i, name) : DECODE;
    if (v !== DECODE && v !== undefined) return v;
    if (v === DECODE) {
      const fields = decodeEvent(trace, i).fields;
      if (Object.hasOwn(fields, name)) return fields[name] ?? null;
    }
    switch (common) {
      case 'cpu':
        return String(trace.cpu(i));
      case 'pid':
        return String(trace.pid(i));
      case 'tgid':
        return String(trace.tgid(i));
      case 'comm':
        return trace.comm(i);
    }
    return null;
  };
}
