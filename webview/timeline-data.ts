/**
 * Deep checks of the timeline replies before they are drawn: the guard in src/protocol only
 * looks at the envelope, and the drawing loops index typed arrays by what these say.
 */
import { MAX_TIMELINE_LINKS, type CountEntry, type RangeStatsView, type TimelineData, type TimelineLinks, type TimelineTrack, type TrackId } from '../src/protocol/messages';
import { isEventRow } from './sanitize';

const MAX_TRACKS = 4096;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Every index in `a` is below `n` (or -1 where `allowNone`). */
function indicesBelow(a: Uint32Array | Int32Array, n: number, allowNone: boolean): boolean {
  for (let k = 0; k < a.length; k++) {
    const v = a[k] as number;
    if (v >= n || v < (allowNone ? -1 : 0)) return false;
  }
  return true;
}

const TRACK_KINDS: readonly unknown[] = ['cpu', 'task', 'interface', 'attached'] satisfies TrackId['kind'][];

function isTrackId(v: unknown): v is TrackId {
  return isRecord(v) && TRACK_KINDS.includes(v.kind) && isIndex(v.id);
}

function isTrack(v: unknown, res: number, names: number, tasks: number): v is TimelineTrack {
  if (!isRecord(v) || !isTrackId(v.track) || !isIndex(v.total)) return false;
  if (!(v.counts instanceof Uint32Array) || v.counts.length !== res) return false;
  if (!(v.dominant instanceof Int32Array) || v.dominant.length !== res || !indicesBelow(v.dominant, names, true)) return false;
  const ev = v.events;
  if (ev !== null) {
    if (!isRecord(ev) || !(ev.tsNs instanceof Float64Array) || !(ev.name instanceof Uint32Array) || !(ev.index instanceof Uint32Array)) return false;
    const n = ev.tsNs.length;
    if (ev.name.length !== n || ev.index.length !== n || !indicesBelow(ev.name, names, false)) return false;
  }
  const sl = v.slices;
  if (sl !== null) {
    if (!isRecord(sl) || !(sl.startNs instanceof Float64Array) || !(sl.endNs instanceof Float64Array) || !(sl.task instanceof Uint32Array)) return false;
    const n = sl.startNs.length;
    if (sl.endNs.length !== n || sl.task.length !== n || !indicesBelow(sl.task, tasks, false)) return false;
  }
  const sb = v.sliceBuckets;
  if (sb !== null && !(sb instanceof Int32Array && sb.length === res && indicesBelow(sb, tasks, true))) return false;
  return true;
}

export function isTimelineData(v: unknown): v is TimelineData {
  if (!isRecord(v)) return false;
  const { startNs, endNs, resolution, names, tasks, tracks } = v;
  if (!isFiniteNumber(startNs) || !isFiniteNumber(endNs) || !(endNs > startNs) || !isIndex(resolution) || resolution < 1) return false;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return false;
  if (!Array.isArray(tasks) || !tasks.every((t) => isRecord(t) && typeof t.comm === 'string' && typeof t.pid === 'number')) return false;
  if (!Array.isArray(tracks) || tracks.length > MAX_TRACKS) return false;
  if (v.links !== undefined && !isLinks(v.links)) return false;
  return tracks.every((t) => isTrack(t, resolution, names.length, tasks.length));
}

/** Packet links: equal-length columns of the right types, finite times, at most MAX_TIMELINE_LINKS. */
function isLinks(v: unknown): v is TimelineLinks {
  if (!isRecord(v) || !isIndex(v.total)) return false;
  const { packet, iface, packetTsNs, event, cpu, eventTsNs } = v;
  if (!(packet instanceof Uint32Array) || !(iface instanceof Uint32Array) || !(event instanceof Uint32Array) || !(cpu instanceof Uint32Array)) return false;
  if (!(packetTsNs instanceof Float64Array) || !(eventTsNs instanceof Float64Array)) return false;
  const n = packet.length;
  if (n > MAX_TIMELINE_LINKS || n > v.total || [iface, packetTsNs, event, cpu, eventTsNs].some((c) => c.length !== n)) return false;
  return packetTsNs.every(Number.isFinite) && eventTsNs.every(Number.isFinite);
}

export function isCountList(v: unknown): v is readonly CountEntry[] {
  return Array.isArray(v) && v.every((e) => isRecord(e) && typeof e.name === 'string' && isIndex(e.count));
}

/** A range panel reply: counts, tasks and run times well-formed, the end rows real rows. */
export function isRangeStats(v: unknown): v is RangeStatsView {
  if (!isRecord(v) || !isFiniteNumber(v.startNs) || !isFiniteNumber(v.endNs) || !isIndex(v.total)) return false;
  if (!isCountList(v.events) || !isCountList(v.cpus)) return false;
  if (!Array.isArray(v.tasks) || !v.tasks.every((t) => isRecord(t) && typeof t.comm === 'string' && Number.isSafeInteger(t.pid) && isIndex(t.count))) return false;
  if (!Array.isArray(v.runTime) || !v.runTime.every((r) => isRecord(r) && isIndex(r.cpu) && typeof r.comm === 'string' && Number.isSafeInteger(r.pid) && isFiniteNumber(r.runNs) && r.runNs >= 0)) return false;
  return (v.first === null || isEventRow(v.first)) && (v.last === null || isEventRow(v.last));
}
