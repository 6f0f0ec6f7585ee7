/**
 * printf-style lines in byte ranges (formats/range.ts). Every line stands on its own (a user
 * pattern or key=value pairs) but for its time: a line without one takes the previous line's,
 * and a time of day (< 1 day) jumping back by more than 12 h passes midnight. So a range may
 * start at any line; the join (a pass over the ranges' boundary states in file order, then
 * over the time column of the later ranges) gives a range's events before its first time the
 * time before the range, and adds the midnights passed before the range to its times of day.
 *
 * Read in order after all (the range says why): a later range with both times of day and other
 * times (which of its events pass midnight is not one rule), or whose times with days added
 * would leave the exact range of float64 ns (104 days).
 */
import type { MergeRules, TracePart } from '../../trace/trace-part';
import type { RangeSupport } from '../range';
import { midnightSec } from '../text-util';
import { compilePattern } from './options';
import { rememberPattern } from './payload';
import { PrintfReader, printfTimeSource, type PrintfBoundary } from './reader';

export const printfRanges: RangeSupport = {
  plan(head, options) {
    const r = new PrintfReader(options.printf);
    r.push(head);
    const t = r.finish(null);
    if (t.length === 0) return { ok: false, reason: `no printf line in the first ${head.length} bytes` };
    const first = t.record(0);
    return { ok: true, seed: { originNs: t.originNs, tracer: null }, minStart: first.offset + first.length };
  },
  // Lines stand on their own: any line may start a range.
  canStartAt: () => true,
  createRangeReader: (options, range) => new PrintfReader({ ...options.printf, range }),
  join: (parts, options) => {
    const pattern = compilePattern(options.printf ?? {});
    const joined = joinPrintf(parts);
    if ('inOrder' in joined) return joined;
    return {
      ...joined,
      finished: (t) => {
        if (pattern !== null && typeof pattern !== 'string') rememberPattern(t, pattern);
      },
    };
  },
};

interface PartFix {
  /** The last time before the range (sec, ns): its leading events' time. */
  readonly sec: number;
  readonly fracNs: number;
  /** Seconds of midnights passed before the range, added to its times of day. */
  readonly days: number;
}

export function joinPrintf(parts: readonly TracePart[]): MergeRules | { readonly inOrder: string } {
  const states = parts.map((p) => p.boundary as PrintfBoundary | null);
  const s0 = states[0];
  if (!s0 || s0.apart) throw new Error("the first range of a printf file is read by the file's own reader");
  let sec = s0.lastSec;
  let fracNs = s0.lastFracNs;
  let dayOffset = s0.dayOffset;
  let lastDaySec = s0.lastDaySec;
  let timed = s0.timed;
  const fixes: (PartFix | null)[] = [null];
  for (let k = 1; k < states.length; k++) {
    const s = states[k];
    if (!s || !s.apart) throw new Error('a later range of a printf file is read apart');
    let days = 0;
    if (s.timeOfDay) {
      days = dayOffset;
      days += midnightSec(lastDaySec, s.firstDaySec);
      if (days !== 0 && s.maxAbsNs + days * 1e9 > Number.MAX_SAFE_INTEGER) return { inOrder: 'times past 104 days from the first event' };
      dayOffset = days + s.dayOffset;
      lastDaySec = s.lastDaySec;
    }
    fixes.push({ sec, fracNs, days });
    if (s.anchored) {
      sec = s.lastSec + days;
      fracNs = s.lastFracNs;
    }
    timed ||= s.timed;
  }
  return {
    fixup: (b, merged) => {
      const origin = b.originNs ?? 0n;
      const oSec = Number(origin / 1_000_000_000n);
      const oFrac = Number(origin - BigInt(oSec) * 1_000_000_000n);
      const ts = b.cols.tsNs;
      for (let k = 1; k < merged.length; k++) {
        const m = merged[k] as (typeof merged)[number];
        const fix = fixes[k] as PartFix;
        const leading = Math.min((states[k] as PrintfBoundary).leading, m.length);
        // As TraceBuilder.relativeNs computes it when reading in order.
        const before = (fix.sec - oSec) * 1e9 + (fix.fracNs - oFrac);
        for (let e = 0; e < leading; e++) ts.set(m.firstEvent + e, before);
        if (fix.days !== 0) for (let e = leading; e < m.length; e++) ts.set(m.firstEvent + e, ts.get(m.firstEvent + e) + fix.days * 1e9);
      }
      b.meta.timeSource = printfTimeSource(timed, b.length, 'timestamps');
    },
  };
}
