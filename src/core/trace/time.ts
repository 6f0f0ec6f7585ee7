/**
 * Typed time. Every source keeps its absolute origin as bigint nanoseconds (`AbsNs`); events
 * carry nanoseconds relative to it as a number (`RelNs`: exact up to 2^53 ns, 104 days), which
 * is what the columnar model stores and the hot paths add and compare. Absolute times cross
 * JSON as decimal strings (`AbsNsText`: JSON has no bigint, and a number would lose the last
 * digits of a wall-clock time). Counter clocks (`trace_clock=counter`, x86-tsc) count `Ticks`,
 * not nanoseconds: the model puts them on the time axis one tick per nanosecond and says so
 * (`TraceMeta.timeSource = 'counter'`).
 *
 * The brands cost nothing at run time (the values are plain numbers, bigints and strings); they
 * make the compiler refuse a relative time where an absolute one is meant, or ticks where
 * nanoseconds are. The constructors below are the only casts: each says which unit it vouches for.
 */

declare const unit: unique symbol;
type Branded<T, U extends string> = T & { readonly [unit]: U };

/** Nanoseconds relative to a trace's origin (its first event), as the model stores them. */
export type RelNs = Branded<number, 'rel-ns'>;
/** Absolute nanoseconds on the source's clock (boot time, wall clock since 1970, ...). */
export type AbsNs = Branded<bigint, 'abs-ns'>;
/** An AbsNs as a decimal string (`-`, then digits): the form absolute times take on the wire. */
export type AbsNsText = Branded<string, 'abs-ns-text'>;
/** Counts of a counter clock; not nanoseconds. */
export type Ticks = Branded<number, 'ticks'>;

/** A number of nanoseconds relative to the origin (the caller vouches for the unit). */
export function relNs(ns: number): RelNs {
  return ns as RelNs;
}

/** A bigint of absolute nanoseconds (the caller vouches for the unit and the clock). */
export function absNs(ns: bigint): AbsNs {
  return ns as AbsNs;
}

/** Whole seconds + nanoseconds of a printed `sec.frac` timestamp, as AbsNs. */
export function absFromSecNs(sec: number, fracNs: number): AbsNs {
  return absNs(BigInt(sec) * 1_000_000_000n + BigInt(fracNs));
}

/** The absolute time of a relative one. */
export function absAt(origin: AbsNs, rel: RelNs): AbsNs {
  return absNs(origin + BigInt(rel));
}

/** The time relative to `origin` of an absolute one (exact within 2^53 ns of the origin). */
export function relTo(origin: AbsNs, abs: AbsNs): RelNs {
  return relNs(Number(abs - origin));
}

/** The wire form of an absolute time. */
export function absNsText(ns: AbsNs): AbsNsText {
  return ns.toString() as AbsNsText;
}

/** ns as seconds with all nine decimals, exact at any size (`12.000000345`, `-0.500000000`). */
export function nsSecondsText(ns: bigint): string {
  const a = ns < 0n ? -ns : ns;
  return `${ns < 0n ? '-' : ''}${a / 1_000_000_000n}.${String(a % 1_000_000_000n).padStart(9, '0')}`;
}

/** An absolute time back from its wire form; null when the text is not one (untrusted input). */
export function parseAbsNsText(text: string): AbsNs | null {
  return /^-?\d{1,30}$/.test(text) ? absNs(BigInt(text)) : null;
}

/** A counter clock's count. */
export function ticks(n: number): Ticks {
  return n as Ticks;
}

/** Where a tick count goes on the time axis: one tick per nanosecond (timeSource 'counter' says so). */
export function ticksOnNsAxis(t: Ticks): RelNs {
  return relNs(t);
}
