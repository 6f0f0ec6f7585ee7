/**
 * The table's sort: the filtered index list reordered by one column, stable (ties keep file
 * order), either way. Strings (comm, event) sort by a rank computed once per distinct string,
 * so a 10 M-row sort compares numbers, not strings.
 *
 * A capture's packet-list columns (Source, Destination, Protocol, Length, Info) sort as
 * Wireshark sorts them: addresses by type then value (IPv4 10.0.0.9 before 10.0.0.10,
 * core/net/address-order.ts), Protocol and Info as text, Length by the frame's length on the wire.
 * Addresses and Info need each listed packet decoded once (core/formats/capture/columns.ts).
 */
import type { RowSort, SortColumn } from '../protocol/messages';
import type { Trace } from '../core/trace/trace';
import { packetEndpoints, protocolLabel } from '../core/formats/capture/columns';
import { decodePacket } from '../core/formats/capture/decode';
import { sortAddresses } from '../core/net/address-order';

export function sortedRows(trace: Trace, matching: Uint32Array | null, sort: RowSort): Uint32Array {
  const list = matching ? Uint32Array.from(matching) : Uint32Array.from({ length: trace.length }, (_, i) => i);
  const key = sortKey(trace, sort.column, list);
  const n = list.length;
  // Each key becomes its rank among the distinct keys (reversed when descending), packed with
  // the row's position as rank * n + position: one native numeric sort of a Float64Array, no
  // comparator call per pair (10x faster on 1 M rows). The position (file order: `list` is
  // ascending) breaks ties, so the sort is stable both ways. rank * n < n^2 stays exact below
  // 2^53 for up to 94 M rows.
  const distinct = Float64Array.from(new Set(key)).sort();
  const top = distinct.length - 1;
  const packed = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const rank = lowerBound(distinct, key[k] as number);
    packed[k] = (sort.descending ? top - rank : rank) * n + k;
  }
  packed.sort();
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[k] = list[(packed[k] as number) % n] as number;
  return out;
}

/** Index of `v` in the ascending `a` (it is there). */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The sort key of each listed row. */
function sortKey(trace: Trace, column: RowSort['column'], list: Uint32Array): Float64Array {
  const packet = packetKey(trace, column, list);
  if (packet) return packet;
  const key = new Float64Array(list.length);
  if (column === 'comm' || column === 'event') {
    const idOf = column === 'comm' ? (i: number) => trace.commId(i) : (i: number) => trace.eventId(i);
    const ids = [...new Set(Array.from(list, idOf))];
    ids.sort((a, b) => {
      const x = trace.strings.get(a);
      const y = trace.strings.get(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const rank = new Map(ids.map((id, r) => [id, r]));
    for (let k = 0; k < list.length; k++) key[k] = rank.get(idOf(list[k] as number)) as number;
    return key;
  }
  const get = column === 'ts' ? (i: number) => trace.tsNs(i) : column === 'cpu' ? (i: number) => trace.cpu(i) : column === 'pid' ? (i: number) => trace.pid(i) : (i: number) => trace.line(i);
  for (let k = 0; k < list.length; k++) key[k] = get(list[k] as number);
  return key;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keys of the packet-list columns; null for the other columns. */
function packetKey(trace: Trace, column: SortColumn, list: Uint32Array): Float64Array | null {
  if (column === 'length') {
    const len = trace.extra('origLen');
    return Float64Array.from(list, (i) => len?.get(i) ?? 0);
  }
  if (column === 'protocol') return rankKey(list, (i) => protocolLabel(trace.event(i)), (t) => t.sort(byText));
  if (column === 'source' || column === 'destination' || column === 'info') {
    // Addresses mostly come straight from the IP header; Info needs the packet decoded.
    const text = (i: number): string => (column === 'info' ? decodePacket(trace, i).info : column === 'source' ? packetEndpoints(trace, i).source : packetEndpoints(trace, i).destination);
    return rankKey(list, text, column === 'info' ? (t) => t.sort(byText) : sortAddresses);
  }
  return null;
}

/** Each row's rank among the distinct texts of the list under `compare`. */
function rankKey(list: Uint32Array, text: (i: number) => string, order: (distinct: string[]) => string[]): Float64Array {
  const texts = Array.from(list, text);
  const distinct = order([...new Set(texts)]);
  const rank = new Map(distinct.map((t, r) => [t, r]));
  return Float64Array.from(texts, (t) => rank.get(t) as number);
}
