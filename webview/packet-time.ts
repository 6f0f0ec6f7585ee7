/**
 * The capture table's Time column in Wireshark's display formats, chosen in its header:
 * seconds since the first packet, delta from the previous displayed packet ("delta time
 * displayed": file order among the packets the filter keeps, whatever the sort), and the date and
 * time of day in UTC. Computed from the exact absolute times as bigint nanoseconds (never float
 * seconds), shown with the precision of the packet's interface (pcap µs: 6 digits, ns: 9).
 */
import type { PacketRowView } from '../src/protocol/messages';

export type TimeMode = 'relative' | 'delta' | 'absolute';

export const TIME_MODES: readonly { readonly mode: TimeMode; readonly label: string; readonly title: string }[] = [
  { mode: 'relative', label: 'Time (s)', title: 'Seconds since the first packet of the capture' },
  { mode: 'delta', label: 'Delta (s)', title: 'Seconds since the previous displayed packet (file order among the packets the filter keeps)' },
  { mode: 'absolute', label: 'Date, time (UTC)', title: 'Date and time of day, UTC: YYYY-MM-DD HH:MM:SS and the fraction of the capture precision' },
];

export function isTimeMode(v: unknown): v is TimeMode {
  return v === 'relative' || v === 'delta' || v === 'absolute';
}

const NS = 1_000_000_000n;

/** A decimal ns count (bigint text), or null when it is not one. */
function ns(text: string): bigint | null {
  return /^-?\d{1,30}$/.test(text) ? BigInt(text) : null;
}

/** `ns` as seconds with `digits` decimals, truncated toward zero: -1500 ns, 6 -> "-0.000001". */
export function secondsText(value: bigint, digits: number): string {
  const sign = value < 0n ? '-' : '';
  const a = value < 0n ? -value : value;
  const frac = (a % NS).toString().padStart(9, '0').slice(0, digits);
  return `${sign}${a / NS}${digits > 0 ? `.${frac}` : ''}`;
}

/** `YYYY-MM-DD HH:MM:SS.fff…` (UTC) of an absolute time in ns since 1970, `digits` decimals. */
export function utcText(value: bigint, digits: number): string {
  // Floor division, so a time before 1970 keeps a positive fraction.
  let secs = value / NS;
  let rem = value % NS;
  if (rem < 0n) {
    secs -= 1n;
    rem += NS;
  }
  const date = new Date(Number(secs) * 1000);
  if (Number.isNaN(date.getTime())) return '?';
  const iso = date.toISOString();
  const frac = rem.toString().padStart(9, '0').slice(0, digits);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${digits > 0 ? `.${frac}` : ''}`;
}

/** The Time cell of a packet row in `mode`; `originNs` is the capture's first packet (decimal ns). */
export function packetTimeText(mode: TimeMode, row: PacketRowView, originNs: string): string {
  const t = ns(row.timeNs);
  if (t === null) return '?';
  if (mode === 'absolute') return utcText(t, row.digits);
  if (mode === 'delta') {
    const prev = row.prevTimeNs === null ? t : ns(row.prevTimeNs);
    return prev === null ? '?' : secondsText(t - prev, row.digits);
  }
  const origin = ns(originNs);
  return origin === null ? '?' : secondsText(t - origin, row.digits);
}
