/**
 * Cross-CPU interleavings on one shared object (seed 004's `xs=0xffff90fd32693c00`, an
 * `skbaddr`, a napi struct): the events that touch it from every CPU, in time order, and the
 * windows in which two CPUs were inside the object's critical section at once.
 *
 * Touching. An event touches the object when its field FIELD equals VALUE (`xs=0x...`); with no
 * FIELD, when any of its fields equals VALUE or, for a marker, its text contains VALUE as a
 * whole word. Values that are both hex numbers compare as numbers (`0x016ce900` = `0x16ce900`).
 *
 * Critical sections, for a pair (OPEN, CLOSE) of event names, e.g. (`__xsk_rcv_zc_L7`,
 * `xsk_flush`; perf script's `probe:xsk_flush` matches too). Per CPU, in time order over the touching events: an OPEN starts a section if
 * none is open on that CPU (further OPENs before the CLOSE belong to the same section: one NAPI
 * poll produces several descriptors, then flushes once); the next CLOSE on that CPU ends it.
 * A CLOSE with no open section on its CPU began before the trace did and is only counted
 * (`unpairedCloses`). A section still open at the end of the trace is kept, open until the last
 * event of the trace, only when CLOSE events on this object exist at all (otherwise the CLOSE
 * probe was simply not recorded and the section's end is unknown; counted as `unclosed`).
 *
 * Windows. Two sections on different CPUs form a window when they overlap in time: the
 * interval [later start, earlier end] during which both CPUs were inside. `inside` lists the
 * CLOSE events of one CPU that fell inside the other's section (seed 004: CPU 0's xsk_flush
 * while CPU 2 was between its __xsk_rcv_zc and its own flush). With `nearNs`, sections that
 * missed each other by at most that many nanoseconds are reported too (gapNs > 0). Ranked by
 * how close they came: `distanceNs` = (later start) - (earlier end), ascending; negative is an
 * overlap of that length, so the largest overlaps come first, then the nearest misses.
 */
import type { Trace } from '../../trace/trace';
import { EventFields, eventIdsNamed } from './fields';
import { normalizeKey } from './model';

export interface InterleaveQuery {
  /** Field name, or null to match any field (and marker text). */
  readonly field: string | null;
  readonly value: string;
  /** Event names opening and closing a critical section. */
  readonly pair?: { readonly open: string; readonly close: string };
  /** Also report sections that missed each other by at most this many ns (default 0). */
  readonly nearNs?: number;
}

export interface CriticalSection {
  readonly cpu: number;
  /** Event index of the OPEN that started it. */
  readonly open: number;
  /** Event index of the CLOSE that ended it; null when still open at the end of the trace. */
  readonly close: number | null;
  /** OPEN events in the section. */
  readonly opens: number;
  readonly startTsNs: number;
  readonly endTsNs: number;
}

export interface InterleaveWindow {
  /** The section that started first, and the other. */
  readonly a: CriticalSection;
  readonly b: CriticalSection;
  /** Overlap interval (near misses: the gap between the two sections). */
  readonly startTsNs: number;
  readonly endTsNs: number;
  readonly overlapNs: number;
  readonly gapNs: number;
  /** Rank key: negative = overlap of that length, positive = gap. */
  readonly distanceNs: number;
  /** CLOSE events of one CPU inside the other CPU's section. */
  readonly inside: readonly { readonly event: number; readonly cpu: number; readonly intoCpu: number }[];
}

export interface InterleaveResult {
  /** Event indices touching the object, in time order (ties: trace order). */
  readonly events: readonly number[];
  /** CPUs those events ran on, ascending. */
  readonly cpus: readonly number[];
  readonly sections: readonly CriticalSection[];
  readonly windows: readonly InterleaveWindow[];
  readonly unpairedCloses: number;
  readonly unclosed: number;
}

/** `FIELD=VALUE` or a bare VALUE. */
export function parseObjectKey(spec: string): { field: string | null; value: string } | null {
  const m = /^([A-Za-z_$][\w$.]*)=(.+)$/.exec(spec);
  if (m) return { field: m[1] as string, value: m[2] as string };
  return spec.length > 0 && !spec.includes('=') ? { field: null, value: spec } : null;
}

const HEX = /^(?:0x)?[0-9a-fA-F]+$/;

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  return HEX.test(a) && HEX.test(b) && /[xX]/.test(a + b) && normalizeKey(a, 'hex') === normalizeKey(b, 'hex');
}

/** The events touching the object, in time order. */
export function touchingEvents(trace: Trace, field: string | null, value: string, fields = new EventFields(trace)): number[] {
  // Cheap pre-filter on the payload text: hex values by their significant digits.
  const needle = (HEX.test(value) && /^0x/i.test(value) ? normalizeKey(value, 'hex').slice(2) : value).toLowerCase();
  const word = new RegExp(`(?:^|[^0-9A-Za-z_])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^0-9A-Za-z_])`, 'i');
  const out: number[] = [];
  for (let i = 0; i < trace.length; i++) {
    const text = fields.text(i);
    if (!text.toLowerCase().includes(needle)) continue;
    let hit: boolean;
    if (field !== null) {
      const v = fields.field(i, field, text);
      hit = v !== undefined && sameValue(v, value);
    } else {
      // Any field; free text (a marker's, or text before the first key) by whole word.
      hit = Object.entries(fields.fields(i)).some(([k, v]) => (k === 'text' ? word.test(v) : sameValue(v, value)));
    }
    if (hit) out.push(i);
  }
  return out.sort((x, y) => trace.tsNs(x) - trace.tsNs(y) || x - y);
}

export function interleave(trace: Trace, q: InterleaveQuery): InterleaveResult {
  const events = touchingEvents(trace, q.field, q.value);
  const cpus = [...new Set(events.map((i) => trace.cpu(i)))].sort((a, b) => a - b);
  if (!q.pair) return { events, cpus, sections: [], windows: [], unpairedCloses: 0, unclosed: 0 };
  const { open, close } = q.pair;
  const openIds = new Set(eventIdsNamed(trace, open));
  const closeIds = new Set(eventIdsNamed(trace, close));
  let endTsNs = 0;
  for (let i = 0; i < trace.length; i++) endTsNs = Math.max(endTsNs, trace.tsNs(i));

  const sections: CriticalSection[] = [];
  const active = new Map<number, { open: number; opens: number }>();
  let unpairedCloses = 0;
  let closesSeen = 0;
  for (const i of events) {
    const id = trace.eventId(i);
    const cpu = trace.cpu(i);
    if (openIds.has(id)) {
      const s = active.get(cpu);
      if (s) s.opens++;
      else active.set(cpu, { open: i, opens: 1 });
    } else if (closeIds.has(id)) {
      closesSeen++;
      const s = active.get(cpu);
      if (!s) {
        unpairedCloses++;
        continue;
      }
      active.delete(cpu);
      sections.push({ cpu, open: s.open, close: i, opens: s.opens, startTsNs: trace.tsNs(s.open), endTsNs: trace.tsNs(i) });
    }
  }
  let unclosed = 0;
  for (const [cpu, s] of active) {
    if (closesSeen > 0) sections.push({ cpu, open: s.open, close: null, opens: s.opens, startTsNs: trace.tsNs(s.open), endTsNs });
    else unclosed++;
  }
  sections.sort((a, b) => a.startTsNs - b.startTsNs || a.open - b.open);

  const near = Math.max(0, q.nearNs ?? 0);
  const windows: InterleaveWindow[] = [];
  // Sweep in start order; `live` holds the sections that may still meet a later one.
  let live: CriticalSection[] = [];
  for (const s of sections) {
    live = live.filter((a) => a.endTsNs + near >= s.startTsNs);
    for (const a of live) {
      if (a.cpu === s.cpu) continue;
      const overlap = Math.min(a.endTsNs, s.endTsNs) - s.startTsNs;
      const gap = -overlap;
      if (overlap <= 0 && !(near > 0 && gap <= near)) continue;
      const inside: { event: number; cpu: number; intoCpu: number }[] = [];
      for (const [x, y] of [
        [a, s],
        [s, a],
      ] as const) {
        if (x.close === null) continue;
        const t = trace.tsNs(x.close);
        if (t > y.startTsNs && (t < y.endTsNs || y.close === null)) inside.push({ event: x.close, cpu: x.cpu, intoCpu: y.cpu });
      }
      windows.push({
        a,
        b: s,
        startTsNs: overlap > 0 ? s.startTsNs : Math.min(a.endTsNs, s.endTsNs),
        endTsNs: overlap > 0 ? Math.min(a.endTsNs, s.endTsNs) : s.startTsNs,
        overlapNs: Math.max(0, overlap),
        gapNs: Math.max(0, gap),
        distanceNs: -overlap,
        inside,
      });
    }
    live.push(s);
  }
  windows.sort((x, y) => x.distanceNs - y.distanceNs || x.startTsNs - y.startTsNs);
  return { events, cpus, sections, windows, unpairedCloses, unclosed };
}
