/**
 * Two count tables side by side: one row per key with both counts, the difference (b - a) and
 * the ratio (b / a), sorted by change. The building block of every section of a trace diff.
 */

export interface CountRow {
  readonly key: string;
  /** Count in the first (before) input. */
  readonly a: number;
  /** Count in the second (after) input. */
  readonly b: number;
  /** b - a. */
  readonly diff: number;
  /** b / a; null when a is 0 (JSON has no Infinity). */
  readonly ratio: number | null;
  /** Events per second in each input, when the spans differ (see RateSpans). */
  readonly rateA?: number;
  readonly rateB?: number;
}

/** The spans (s) counts are divided by to compare rates; null when rates make no sense. */
export interface RateSpans {
  readonly aSec: number;
  readonly bSec: number;
}

/** |diff| descending, then the larger count, then key: the biggest changes first, stably. */
export function byChange<T extends { readonly a: number; readonly b: number; readonly diff: number }>(x: T, y: T, kx: string, ky: string): number {
  return Math.abs(y.diff) - Math.abs(x.diff) || Math.max(y.a, y.b) - Math.max(x.a, x.b) || (kx < ky ? -1 : kx > ky ? 1 : 0);
}

export function ratioOf(a: number, b: number): number | null {
  return a === 0 ? null : b / a;
}

/** Rows for every key in either table, biggest change first. */
export function compareCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, spans: RateSpans | null = null): CountRow[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows: CountRow[] = [];
  for (const key of keys) {
    const ca = a.get(key) ?? 0;
    const cb = b.get(key) ?? 0;
    const row: CountRow = { key, a: ca, b: cb, diff: cb - ca, ratio: ratioOf(ca, cb) };
    rows.push(spans ? { ...row, rateA: ca / spans.aSec, rateB: cb / spans.bSec } : row);
  }
  return rows.sort((x, y) => byChange(x, y, x.key, y.key));
}

/** Spans differing by more than this share make counts alone misleading: rates are added. */
const SPAN_TOLERANCE = 0.01;

/** Rate spans for two durations (ns), or null when they are equal enough or either is 0. */
export function rateSpans(aNs: number, bNs: number): RateSpans | null {
  if (!(aNs > 0 && bNs > 0)) return null;
  if (Math.abs(aNs - bNs) <= SPAN_TOLERANCE * Math.max(aNs, bNs)) return null;
  return { aSec: aNs / 1e9, bSec: bNs / 1e9 };
}
