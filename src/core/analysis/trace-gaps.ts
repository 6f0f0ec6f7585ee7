/**
 * Where a trace is known to miss events, as places: `CPU:N [LOST M EVENTS]` (the ring buffer
 * overwrote or dropped M events of CPU N) and `##### CPU N buffer started ####` (CPU N's
 * buffer begins later than the others'; its earlier events were overwritten), in file order.
 *
 * Neither line carries a timestamp, so a gap is placed at the time of the first event after it
 * (`beforeEvent`) — for the ftrace trace file that is the lost CPU's next event; past the last
 * event, at the last event's time.
 */
import type { Trace } from '../trace/trace';

export interface TraceGap {
  readonly kind: 'lost' | 'buffer-started';
  readonly cpu: number;
  /** Events the kernel said it lost; null when it did not say (`[LOST EVENTS]`, buffer started). */
  readonly count: number | null;
  /** 1-based line of the mark in the file. */
  readonly line: number;
  /** Index of the first event after the gap (may be trace.length). */
  readonly beforeEvent: number;
  /** RelNs: where the gap is drawn. */
  readonly tsNs: number;
}

/** The trace's gaps in file order (by `beforeEvent`, then line). */
export function traceGaps(trace: Trace): TraceGap[] {
  const n = trace.length;
  const at = (i: number): number => (n === 0 ? 0 : trace.tsNs(Math.min(i, n - 1)));
  const gaps: TraceGap[] = [
    ...trace.lost.map((l) => ({ kind: 'lost' as const, cpu: l.cpu, count: l.count, line: l.line, beforeEvent: l.beforeEvent, tsNs: at(l.beforeEvent) })),
    ...trace.bufferStarts.map((b) => ({ kind: 'buffer-started' as const, cpu: b.cpu, count: null, line: b.line, beforeEvent: b.beforeEvent, tsNs: at(b.beforeEvent) })),
  ];
  return gaps.sort((a, b) => a.beforeEvent - b.beforeEvent || a.line - b.line);
}

/** How a gap reads in a finding or a tooltip. */
export function gapText(g: TraceGap): string {
  return g.kind === 'lost' ? `CPU ${g.cpu} lost ${g.count === null ? 'events' : `${g.count} events`} (line ${g.line})` : `CPU ${g.cpu}'s buffer started late (line ${g.line})`;
}
