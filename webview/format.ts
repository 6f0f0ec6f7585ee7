/**
 * Text formatting for numbers and times. Pure functions (no DOM), so the test can reason
 * about what a cell shows. Times are nanoseconds; the integer maths keeps them exact up to
 * Number.MAX_SAFE_INTEGER ns (104 days), the same bound as the protocol's RelNs.
 */

const NS_PER_S = 1_000_000_000;

const countFormat = new Intl.NumberFormat('en-US');

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/**
 * A duration for people, with its unit: "850 ns", "12.3 µs", "4.56 ms", "1.234 s".
 * Three significant-ish decimals are enough to compare spans at a glance.
 */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '?';
  const sign = ns < 0 ? '-' : '';
  const a = Math.abs(ns);
  if (a < 1_000) return `${sign}${Math.round(a)} ns`;
  if (a < 1_000_000) return `${sign}${trimDecimals(a / 1_000)} µs`;
  if (a < NS_PER_S) return `${sign}${trimDecimals(a / 1_000_000)} ms`;
  return `${sign}${trimDecimals(a / NS_PER_S)} s`;
}

/** Like formatDuration without the space, for the narrow delta column: "+12.3µs", "-24.1µs" (time went back). */
export function formatDelta(ns: number): string {
  return `${ns < 0 ? '' : '+'}${formatDuration(ns).replace(' ', '')}`;
}

/** 3 significant digits below 100, 1 decimal below 1000, integers above: 1.23, 12.3, 123. */
function trimDecimals(v: number): string {
  if (v < 10) return v.toFixed(2);
  if (v < 100) return v.toFixed(1);
  return v.toFixed(0);
}

/**
 * Seconds with a fixed number of decimals, truncated (not rounded) like ftrace's
 * `secs.usecs` column: 459384791000 ns, 6 -> "459.384791".
 */
export function formatSeconds(ns: number, decimals: 6 | 9): string {
  if (!Number.isFinite(ns)) return '?';
  const sign = ns < 0 ? '-' : '';
  const a = Math.abs(Math.trunc(ns));
  const secs = Math.floor(a / NS_PER_S);
  const frac = String(a - secs * NS_PER_S).padStart(9, '0').slice(0, decimals);
  return `${sign}${secs}.${frac}`;
}

/**
 * Absolute timestamp as the trace wrote it: origin (decimal ns, a bigint in a string) plus
 * a relative time in ns, as "secs.nnnnnnnnn". Falls back to "?" if the origin is malformed.
 */
export function formatAbsoluteSeconds(originNs: string, relNs: number, decimals: 6 | 9): string {
  if (!/^-?\d{1,30}$/.test(originNs) || !Number.isSafeInteger(relNs)) return '?';
  const abs = BigInt(originNs) + BigInt(relNs);
  const neg = abs < 0n;
  const a = neg ? -abs : abs;
  const secs = a / 1_000_000_000n;
  const frac = (a % 1_000_000_000n).toString().padStart(9, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${secs}.${frac}`;
}

/**
 * A time-of-day clock (strace -t/-tt): origin + relative ns as the tool wrote it,
 * "HH:MM:SS.uuuuuu" (microseconds, strace's resolution), "+Nd " in front once midnight has passed.
 */
export function formatTimeOfDay(originNs: string, relNs: number): string {
  if (!/^\d{1,30}$/.test(originNs) || !Number.isSafeInteger(relNs)) return '?';
  const abs = BigInt(originNs) + BigInt(relNs);
  if (abs < 0n) return '?';
  const secs = abs / 1_000_000_000n;
  const day = secs / 86400n;
  const inDay = Number(secs % 86400n);
  const two = (n: number): string => String(n).padStart(2, '0');
  const us = (abs % 1_000_000_000n).toString().padStart(9, '0').slice(0, 6);
  return `${day > 0n ? `+${day}d ` : ''}${two(Math.floor(inDay / 3600))}:${two(Math.floor(inDay / 60) % 60)}:${two(inDay % 60)}.${us}`;
}

/** Absolute value of a counter trace clock: origin + relative count, as an integer. */
export function formatAbsoluteCount(originNs: string, rel: number): string {
  if (!/^-?\d{1,30}$/.test(originNs) || !Number.isSafeInteger(rel)) return '?';
  return (BigInt(originNs) + BigInt(rel)).toString();
}

/** Bytes for the loading indicator: "812 B", "12.3 KiB", "4.56 MiB", "1.23 GiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${trimDecimals(v)} ${units[u]}`;
}

/** "comm-pid", the way ftrace's TASK-PID column writes a task; just the name when there is no pid (-1). */
export function formatTask(comm: string, pid: number): string {
  return pid < 0 ? comm || '?' : `${comm}-${pid}`;
}

/** How an event's position in its file is shown: `line N` (text), `packet N` (captures), or not at all (trace.dat). */
export function positionLabel(kind: 'line' | 'packet' | 'none', line: number): string | null {
  if (kind === 'none' || line < 1) return null;
  return `${kind} ${line}`;
}

/**
 * Where an event happened, for a details line: a capture's interface (`veth-a`), `CPU n`, or
 * null for a trace without CPUs (strace: every call is "CPU 0"; its task says where).
 */
export function eventPlace(s: { readonly taskTracks?: readonly unknown[]; readonly interfaces?: readonly { readonly index: number; readonly name: string }[] } | null, cpu: number): string | null {
  if (s?.taskTracks) return null;
  return s ? trackName(s, cpu) : `CPU ${cpu}`;
}

/** A track's label: a capture's interface name (`veth-a`), else `CPU n`. */
export function trackName(s: { readonly interfaces?: readonly { readonly index: number; readonly name: string }[] }, cpu: number): string {
  return s.interfaces?.find((i) => i.index === cpu)?.name ?? `CPU ${cpu}`;
}
