/**
 * The one meaning of an EventFilter (the table, the timeline, the counts, `ktl events`, and
 * anything else that filters): event names, CPUs, task (comm substring, or an exact pid/tgid
 * written as digits), a case-insensitive substring of the event's display text, a time range
 * [startNs, endNs) and a filter expression (core/query). `key` identifies the filter for caches; null means the filter keeps
 * every event. A bad expression throws the QueryError that says where (the worker answers the
 * request with it). The protocol re-exports the type (the webview sends it).
 */
import { eventText } from '../formats/decode';
import { compileQuery } from '../query/compile';
import type { Trace } from '../trace/trace';

export interface EventFilter {
  /** Event names to keep; empty or absent = all. */
  readonly events?: readonly string[];
  /** CPU numbers to keep; empty or absent = all. */
  readonly cpus?: readonly number[];
  /** Task filter: substring of comm (any case), or an exact pid/tgid written as digits. */
  readonly task?: string;
  /** Case-insensitive substring of the event's display text. */
  readonly text?: string;
  /** Events in [startNs, endNs) only, RelNs (a brushed range's "Filter table to range"). */
  readonly timeRange?: readonly [number, number];
  /** A filter expression (core/query, README "Filter expressions"); blank or absent = all. */
  readonly expr?: string;
}

/** The filter as a predicate over event indices. */
export function eventMatcher(t: Trace, filter: EventFilter): { key: string; test: (i: number) => boolean } | null {
  const events = filter.events ?? [];
  const cpus = filter.cpus ?? [];
  const task = (filter.task ?? '').trim();
  const text = (filter.text ?? '').trim().toLowerCase();
  const range = filter.timeRange ?? null;
  const exprText = (filter.expr ?? '').trim();
  const expr = exprText ? compileQuery(t, exprText) : null;
  if (events.length === 0 && cpus.length === 0 && !task && !text && !range && !expr) return null;
  const key = JSON.stringify([[...events].sort(), [...cpus].sort((a, b) => a - b), task, text, range, expr ? exprText : '']);
  const eventIds = new Set(events.map((e) => t.strings.find(e)));
  const cpuSet = new Set(cpus);
  const taskPid = /^\d+$/.test(task) ? Number(task) : null;
  const taskLower = task.toLowerCase();
  const commMatches = new Map<number, boolean>();
  return {
    key,
    test: (i) => {
      if (eventIds.size > 0 && !eventIds.has(t.eventId(i))) return false;
      if (cpuSet.size > 0 && !cpuSet.has(t.cpu(i))) return false;
      if (range && !(t.tsNs(i) >= range[0] && t.tsNs(i) < range[1])) return false;
      if (task) {
        const commId = t.commId(i);
        let hit = commMatches.get(commId);
        if (hit === undefined) {
          hit = t.strings.get(commId).toLowerCase().includes(taskLower);
          commMatches.set(commId, hit);
        }
        if (!hit && !(taskPid !== null && (t.pid(i) === taskPid || t.tgid(i) === taskPid))) return false;
      }
      if (expr && !expr(i)) return false;
      if (text && !eventText(t, i).toLowerCase().includes(text)) return false;
      return true;
    },
  };
}
