/**
 * The table's sort: the filtered index list reordered by one column, stable (ties keep file
 * order), either way. Strings (comm, event) sort by a rank computed once per distinct string,
 * so a 10 M-row sort compares numbers, not strings.
 */
import type { RowSort } from '../protocol/messages';
import type { Trace } from '../core/trace/trace';

export function sortedRows(trace: Trace, matching: Uint32Array | null, sort: RowSort): Uint32Array {
  const list = matching ? Uint32Array.from(matching) : Uint32Array.from({ length: trace.length }, (_, i) => i);
  const key = sortKey(trace, sort.column, list);
  const dir = sort.descending ? -1 : 1;
  // Sort positions by (key, file index): the index as the tie-break keeps it stable both ways.
  const order = Uint32Array.from({ length: list.length }, (_, k) => k);
  order.sort((a, b) => dir * ((key[a] as number) - (key[b] as number)) || (list[a] as number) - (list[b] as number));
  const out = new Uint32Array(list.length);
  for (let k = 0; k < order.length; k++) out[k] = list[order[k] as number] as number;
  return out;
}

/** The sort key of each listed row. */
function sortKey(trace: Trace, column: RowSort['column'], list: Uint32Array): Float64Array {
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
