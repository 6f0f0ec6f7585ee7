/**
 * Probe hits per source line before and after (seed 002 counted hits against drop counters;
 * seed 004 ran the patched kernel until the corruption stopped): one row per (file, line,
 * event) with both counts, biggest change first. The gutter shows `5 → 0 hits` from these rows.
 */
import type { HitEntry } from '../hits';
import { byChange, ratioOf } from './count-rows';

export interface HitsDiffRow {
  readonly file: string;
  readonly line: number;
  readonly event: string;
  readonly function: string | null;
  readonly a: number;
  readonly b: number;
  readonly diff: number;
  readonly ratio: number | null;
}

function hitKey(h: { file: string; line: number; event: string }): string {
  return `${h.file}\u0000${h.line}\u0000${h.event}`;
}

export function diffHits(a: readonly HitEntry[], b: readonly HitEntry[]): HitsDiffRow[] {
  const rows = new Map<string, { file: string; line: number; event: string; function: string | null; a: number; b: number }>();
  const add = (h: HitEntry, side: 'a' | 'b'): void => {
    const k = hitKey(h);
    let r = rows.get(k);
    if (!r) {
      r = { file: h.file, line: h.line, event: h.event, function: h.function, a: 0, b: 0 };
      rows.set(k, r);
    }
    r[side] += h.count;
  };
  for (const h of a) add(h, 'a');
  for (const h of b) add(h, 'b');
  return [...rows.values()]
    .map((r) => ({ ...r, diff: r.b - r.a, ratio: ratioOf(r.a, r.b) }))
    .sort((x, y) => byChange(x, y, hitKey(x), hitKey(y)));
}

/** Per source line (events on one line summed): what the gutter shows for a file. */
export function hitsDiffByLine(rows: readonly HitsDiffRow[], file: string): Map<number, { a: number; b: number }> {
  const out = new Map<number, { a: number; b: number }>();
  for (const r of rows) {
    if (r.file !== file) continue;
    const l = out.get(r.line) ?? { a: 0, b: 0 };
    l.a += r.a;
    l.b += r.b;
    out.set(r.line, l);
  }
  return out;
}
