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

interface SideActivity {
  readonly span: number;
  readonly all: number[];
  readonly byEvent: Map<number, number[]>;
  readonly first: Map<number, number>;
  readonly names: Map<number, string>;
}

function sideActivity(trace: Trace, buckets: number): SideActivity {
  const n = trace.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = trace.tsNs(i);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const span = n === 0 ? 0 : hi - lo;
  const all = new Array<number>(buckets).fill(0);
  const byEvent = new Map<number, number[]>();
  const first = new Map<number, number>();
  const names = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const rel = trace.tsNs(i) - lo;
    // The last event falls in the last bucket, not one past it.
    const k = span > 0 ? Math.min(buckets - 1, Math.floor((rel / span) * buckets)) : 0;
    all[k] = (all[k] as number) + 1;
    const id = trace.eventId(i);
    let row = byEvent.get(id);
    if (!row) {
      row = new Array<number>(buckets).fill(0);
      byEvent.set(id, row);
      names.set(id, trace.strings.get(id));
    }
    row[k] = (row[k] as number) + 1;
    const f = first.get(id);
    if (f === undefined || rel < f) first.set(id, rel);
  }
  return { span, all, byEvent, first, names };
}

/** Counts of `name` on one side, by its name (ids differ between traces). */
function byName(s: SideActivity): Map<string, { row: number[]; first: number; total: number }> {
  const m = new Map<string, { row: number[]; first: number; total: number }>();
  for (const [id, row] of s.byEvent) m.set(s.names.get(id) as string, { row, first: s.first.get(id) as number, total: row.reduce((x, y) => x + y, 0) });
  return m;
}

/**
 * The activity rows of two traces: every event, then the `maxEvents` busiest names over both
 * sides (by a + b, then by name), each with both sides' counts per bucket.
 */
export function activityDiff(a: Trace, b: Trace, buckets = 240, maxEvents = 8): ActivityDiff {
  const sa = sideActivity(a, buckets);
  const sb = sideActivity(b, buckets);
  const na = byName(sa);
  const nb = byName(sb);
  const empty = (): number[] => new Array<number>(buckets).fill(0);
  const names = [...new Set([...na.keys(), ...nb.keys()])]
    .map((name) => ({ name, total: (na.get(name)?.total ?? 0) + (nb.get(name)?.total ?? 0) }))
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
