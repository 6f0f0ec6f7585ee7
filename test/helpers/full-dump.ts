/**
 * Everything a Trace holds, event by event and column by column (ids as well as the strings
 * they name), for comparing two reads of one file exactly: canonicalDump's listing plus every
 * raw column, the string table in id order, the extra columns and the exact times.
 */
import type { Trace } from '../../src/core/trace/trace';
import { canonicalDump } from './dump';

/** Extra columns the readers make (trace-cmd report's buffer, perf script's period, strace's call columns, captures'). */
const EXTRAS = ['buffer', 'period', 'durNs', 'ret', 'errno', 'resumeLine', 'resumeOffset', 'resumeLength', 'caplen', 'origLen', 'interface'];

export function fullDump(trace: Trace): unknown {
  const events: unknown[] = [];
  for (let i = 0; i < trace.length; i++) {
    const r = trace.record(i);
    const row: (number | string)[] = [
      trace.tsNs(i),
      trace.absNs(i).toString(),
      trace.cpu(i),
      trace.pid(i),
      trace.tgid(i),
      trace.commId(i),
      trace.eventId(i),
      trace.flags(i),
      trace.line(i),
      r.offset,
      r.length,
      r.payloadStart,
    ];
    for (const name of EXTRAS) {
      const col = trace.extra(name);
      if (col) row.push(`${name}=${col.get(i)}`);
    }
    events.push(row);
  }
  const strings: string[] = [];
  for (let id = 0; id < trace.strings.size; id++) strings.push(trace.strings.get(id));
  return { canonical: canonicalDump(trace), strings, events, columnBytes: trace.columnBytes() > 0 };
}
