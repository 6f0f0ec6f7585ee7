/**
 * A capture's packets as rows of the packet list (worker side): the columns core computes
 * (core/formats/capture/columns.ts) with the exact absolute time and the precision of the
 * packet's interface, so that the webview's time modes never go through float seconds.
 */
import type { PacketRowView } from '../protocol/messages';
import { captureInfo } from '../core/formats/capture/common';
import { packetColumns } from '../core/formats/capture/columns';
import { absNsText } from '../core/trace/time';
import type { Trace } from '../core/trace/trace';
import type { PacketInfo } from '../core/net/packet';

/** Decimal digits a timestamp resolution needs (`10^-6` 6, `10^-9` 9, `2^-10` 4), at most 9 (ns). */
export function resolutionDigits(tsresol: string): number {
  const dec = /^10\^-(\d+)$/.exec(tsresol);
  if (dec) return Math.min(9, Number(dec[1]));
  const bin = /^2\^-(\d+)$/.exec(tsresol);
  if (bin) return Math.min(9, Math.ceil(Number(bin[1]) * Math.log10(2)));
  return 9;
}

/**
 * The packet-list row of packet `i`, or undefined when the trace is not a capture. `displayed`:
 * the indices passing the filter in file order (null: every packet), for the previous displayed
 * packet's time.
 */
export function packetRow(trace: Trace, i: number, displayed: Uint32Array | null, decoded?: PacketInfo): PacketRowView | undefined {
  const info = captureInfo(trace);
  if (!info) return undefined;
  const iface = info.interfaces[trace.cpu(i)];
  const prev = previousDisplayed(i, displayed);
  return {
    timeNs: absNsText(trace.absNs(i)),
    prevTimeNs: prev === null ? null : absNsText(trace.absNs(prev)),
    digits: iface ? resolutionDigits(iface.tsresol) : 9,
    ...packetColumns(trace, i, decoded),
  };
}

/** The displayed packet before `i` in file order (binary search in the ascending list), or null. */
export function previousDisplayed(i: number, displayed: Uint32Array | null): number | null {
  if (!displayed) return i > 0 ? i - 1 : null;
  let lo = 0;
  let hi = displayed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((displayed[mid] as number) < i) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? (displayed[lo - 1] as number) : null;
}
