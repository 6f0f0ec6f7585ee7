/**
 * "Both timelines stacked" of Compare with… (issue 16): how each input's events spread over its
 * own span, per event name, so a before/after pair can be laid one above the other and aligned
 * at their starts or at the first occurrence of an event both have.
 *
 * Each side's span (first to last event, ns) is cut into `buckets` equal buckets; a row counts
 * the events of one name per bucket on each side (row 0: every event). The page shifts and
 * re-scales the buckets, so the data does not depend on the alignment chosen. Bounded: rows ×
 * 2 × buckets numbers, whatever the trace size.
 */
import type { Trace } from '../../trace/trace';

export interface ActivityRow {
  /** Event name; null for the row of every event. */
  readonly event: string | null;
  readonly a: number[];
  readonly b: number[];
  /** ns from the side's first event to this row's first event on that side; null when the side has none. */
  readonly firstA: number | null;
  readonly firstB: number | null;
}

export interface ActivityDiff {
  readonly buckets: number;
  /** ns from the first to the last event of each side (0 with fewer than two distinct times). */
  readonly spanA: number;
  readonly spanB: number;
  readonly rows: ActivityRow[];
}

/** One event name's counts per bucket on one side, and its first time (ns from the side's first event). */
interface NameActivity {
  readonly row: number[];
  first: number;
}

interface SideActivity {
  readonly span: number;
  readonly all: number[];
  /** By event name (string ids differ between traces). */
  readonly byName: Map<string, NameActivity>;
}

/** A side's first (earliest) event time and span, ns: what computeStats gives as firstTsNs and durationNs. */
export interface SideBounds {
  readonly firstTsNs: number;
  readonly durationNs: number;
}

function boundsOf(trace: Trace): SideBounds {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < trace.length; i++) {
    const t = trace.tsNs(i);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return trace.length === 0 ? { firstTsNs: 0, durationNs: 0 } : { firstTsNs: lo, durationNs: hi - lo };
}

function sideActivity(trace: Trace, bounds: SideBounds, buckets: number): SideActivity {
  const n = trace.length;
  const lo = bounds.firstTsNs;
  const span = bounds.durationNs;
  const all = new Array<number>(buckets).fill(0);
  const byId = new Map<number, NameActivity>();
  const byName = new Map<string, NameActivity>();
  for (let i = 0; i < n; i++) {
    const rel = trace.tsNs(i) - lo;
    // The last event falls in the last bucket, not one past it.
    const k = span > 0 ? Math.min(buckets - 1, Math.floor((rel / span) * buckets)) : 0;
    all[k] = (all[k] as number) + 1;
    const id = trace.eventId(i);
    let e = byId.get(id);
    if (!e) {
      e = { row: new Array<number>(buckets).fill(0), first: rel };
      byId.set(id, e);
      byName.set(trace.strings.get(id), e);
    }
    e.row[k] = (e.row[k] as number) + 1;
    if (rel < e.first) e.first = rel;
  }
  return { span, all, byName };
}

const total = (row: readonly number[]): number => row.reduce((x, y) => x + y, 0);

/**
 * The activity rows of two traces: every event, then the `maxEvents` busiest names over both
 * sides (by a + b, then by name), each with both sides' counts per bucket. `bounds`: each side's
 * first time and span when the caller has them (diffTraces has computeStats'), else scanned here.
 */
export function activityDiff(a: Trace, b: Trace, buckets = 240, maxEvents = 8, bounds?: { readonly a: SideBounds; readonly b: SideBounds }): ActivityDiff {
  const sa = sideActivity(a, bounds?.a ?? boundsOf(a), buckets);
  const sb = sideActivity(b, bounds?.b ?? boundsOf(b), buckets);
  const na = sa.byName;
  const nb = sb.byName;
  const empty = (): number[] => new Array<number>(buckets).fill(0);
  const names = [...new Set([...na.keys(), ...nb.keys()])]
    .map((name) => ({ name, total: total(na.get(name)?.row ?? []) + total(nb.get(name)?.row ?? []) }))
    .sort((x, y) => y.total - x.total || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
    .slice(0, maxEvents);
  const rows: ActivityRow[] = [
    { event: null, a: sa.all, b: sb.all, firstA: a.length > 0 ? 0 : null, firstB: b.length > 0 ? 0 : null },
    ...names.map(({ name }) => {
      const x = na.get(name);
      const y = nb.get(name);
      return { event: name, a: x?.row ?? empty(), b: y?.row ?? empty(), firstA: x?.first ?? null, firstB: y?.first ?? null };
    }),
  ];
  return { buckets, spanA: sa.span, spanB: sb.span, rows };
}
