/**
 * Canonical dump of a trace for golden tests: everything the model holds, in a stable order.
 * Small traces are listed event by event; for large ones the listing is cut to the first and
 * last events and a SHA-256 over the full listing keeps the snapshot exact.
 */
import { createHash } from 'node:crypto';
import { computeStats } from '../../src/core/analysis/stats';
import { eventJson } from '../../src/core/formats/decode';
import type { Trace } from '../../src/core/trace/trace';

const LIST_ALL_UP_TO = 1500;
const LIST_EDGE = 100;

export function canonicalDump(trace: Trace): unknown {
  const s = computeStats(trace);
  const lines: string[] = [];
  for (let i = 0; i < trace.length; i++) lines.push(JSON.stringify({ ...eventJson(trace, i), flags: trace.flags(i), text: trace.payloadText(i) }));
  const listing =
    lines.length <= LIST_ALL_UP_TO
      ? lines
      : [...lines.slice(0, LIST_EDGE), `... ${lines.length - 2 * LIST_EDGE} events ...`, ...lines.slice(-LIST_EDGE)];
  return {
    meta: trace.meta,
    originNs: trace.originNs.toString(),
    bytesRead: trace.bytesRead,
    stats: {
      events: s.events,
      cpus: s.cpus,
      firstTsNs: s.firstTsNs,
      durationNs: s.durationNs,
      eventCounts: Object.fromEntries(s.eventCounts),
      tasks: s.tasks.length,
      lostEvents: s.lostEvents,
    },
    lost: trace.lost,
    bufferStarts: trace.bufferStarts,
    issueCount: trace.issueCount,
    issues: trace.issues,
    eventsSha256: createHash('sha256').update(lines.join('\n')).digest('hex'),
    events: listing.map((l) => (l.startsWith('{') ? JSON.parse(l) : l)),
  };
}
