/**
 * The track a number of the trace summary stands for (its `cpus`, `taskTracks` ids, the CPU
 * names of a range's counts): a task for strace, an interface for a capture, else a CPU. The
 * timeline data names its tracks itself; this lays out the tracks before any data arrives.
 */
import type { TraceSummary } from '../../src/protocol/messages';
import type { TrackId } from './track';

export function trackIdOf(summary: Pick<TraceSummary, 'taskTracks' | 'interfaces'>, n: number): TrackId {
  if (summary.taskTracks) return { kind: 'task', id: n };
  if (summary.interfaces) return { kind: 'interface', id: n };
  return { kind: 'cpu', id: n };
}
