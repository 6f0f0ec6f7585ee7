/**
 * Track ids from the timeline data's wire numbering: the worker numbers tracks as the trace's
 * `cpu` column does (a CPU; strace: a pid; a capture: an interface index) and an attached
 * capture's interfaces from CAPTURE_TRACK_BASE up. This is the one place that knows it.
 */
import { CAPTURE_TRACK_BASE, type TraceSummary } from '../../src/protocol/messages';
import type { TrackId } from './track';

/** What a track number of `summary`'s trace (or its attached capture) is. */
export function trackIdOf(summary: Pick<TraceSummary, 'taskTracks' | 'interfaces'>, wire: number): TrackId {
  if (wire >= CAPTURE_TRACK_BASE) return { kind: 'attached', id: wire - CAPTURE_TRACK_BASE };
  if (summary.taskTracks) return { kind: 'task', id: wire };
  if (summary.interfaces) return { kind: 'interface', id: wire };
  return { kind: 'cpu', id: wire };
}
