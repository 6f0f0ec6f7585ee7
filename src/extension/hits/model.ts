/**
 * The hits of one trace arranged for the editor: by file and line, by function, by event;
 * the user's picks for ambiguous names applied; shading levels and the short labels.
 * Pure (no `vscode`): everything here is a function of the worker's HitsResult and the picks.
 *
 * Ambiguity (never guess silently): an event whose name matches several definitions or call
 * sites comes from the worker as one entry per site, each with the event's whole count. Until
 * the user picks one site, every candidate is annotated and labelled ambiguous; after a pick
 * only the picked site is.
 */
import type { HitEntry, HitsResult } from '../../core/analysis/hits';
import type { EventFilter } from '../../protocol/messages';

export interface AnnotatedHit extends HitEntry {
  /** How many sites the worker placed this event on (1 = unambiguous). */
  readonly sites: number;
  /** The user picked this site among several. */
  readonly picked: boolean;
}

export interface LineHits {
  readonly file: string;
  readonly line: number;
  /** Sum over the events on this line (different events, so the sum means something). */
  readonly count: number;
  readonly entries: readonly AnnotatedHit[];
  /** At least one event here is ambiguous and not picked. */
  readonly ambiguous: boolean;
}

export interface FunctionHits {
  readonly file: string;
  readonly function: string;
  readonly count: number;
  readonly events: readonly string[];
  /** Lines of the function with hits, ascending. */
  readonly lines: readonly number[];
  readonly allProbes: boolean;
}

export interface EventSites {
  readonly event: string;
  readonly count: number;
  /** Every candidate site, in file/line order. */
  readonly sites: readonly HitEntry[];
  /** `file:line` of the picked site, when the user picked one (and it still exists). */
  readonly picked: string | null;
}

/** Shading levels of the gutter mark (1 = fewest hits). */
export const LEVELS = 4;

export function siteKey(file: string, line: number): string {
  return `${file}:${line}`;
}

export class HitModel {
  readonly byFile = new Map<string, Map<number, LineHits>>();
  readonly byEvent: EventSites[] = [];
  readonly maxLineCount: number;

  constructor(
    readonly result: HitsResult,
    picks: ReadonlyMap<string, string>,
  ) {
    const perEvent = new Map<string, HitEntry[]>();
    for (const h of result.hits) {
      let list = perEvent.get(h.event);
      if (!list) perEvent.set(h.event, (list = []));
      list.push(h);
    }
    const kept: AnnotatedHit[] = [];
    for (const [event, sites] of perEvent) {
      const wanted = picks.get(event);
      const picked = sites.length > 1 && wanted !== undefined && sites.some((s) => siteKey(s.file, s.line) === wanted) ? wanted : null;
      this.byEvent.push({ event, count: sites[0]?.count ?? 0, sites, picked });
      for (const s of sites) {
        if (picked !== null && siteKey(s.file, s.line) !== picked) continue;
        kept.push({ ...s, sites: sites.length, picked: picked !== null });
      }
    }
    this.byEvent.sort((a, b) => b.count - a.count || (a.event < b.event ? -1 : 1));

    const lines = new Map<string, Map<number, AnnotatedHit[]>>();
    for (const h of kept) {
      let f = lines.get(h.file);
      if (!f) lines.set(h.file, (f = new Map()));
      let l = f.get(h.line);
      if (!l) f.set(h.line, (l = []));
      l.push(h);
    }
    let max = 0;
    for (const [file, m] of lines) {
      const out = new Map<number, LineHits>();
      for (const [line, entries] of m) {
        entries.sort((a, b) => b.count - a.count || (a.event < b.event ? -1 : 1));
        const count = entries.reduce((n, e) => n + e.count, 0);
        max = Math.max(max, count);
        out.set(line, { file, line, count, entries, ambiguous: entries.some((e) => e.sites > 1 && !e.picked) });
      }
      this.byFile.set(file, out);
    }
    this.maxLineCount = max;
  }

  lines(file: string): ReadonlyMap<number, LineHits> | undefined {
    return this.byFile.get(file);
  }

  at(file: string, line: number): LineHits | undefined {
    return this.byFile.get(file)?.get(line);
  }

  /**
   * Functions of `file` with hits. Entries without a function name (tracepoint call sites)
   * count for the function `enclosing` names for their line, or are left out.
   */
  functions(file: string, enclosing: (line: number) => string | undefined = () => undefined): FunctionHits[] {
    const m = this.byFile.get(file);
    if (!m) return [];
    const acc = new Map<string, { count: number; events: Set<string>; lines: number[]; allProbes: boolean }>();
    for (const lh of m.values()) {
      for (const e of lh.entries) {
        const fn = e.function ?? enclosing(e.line);
        if (fn === undefined) continue;
        let a = acc.get(fn);
        if (!a) acc.set(fn, (a = { count: 0, events: new Set(), lines: [], allProbes: true }));
        a.count += e.count;
        a.events.add(e.event);
        if (!a.lines.includes(e.line)) a.lines.push(e.line);
        if (!e.mapping.startsWith('probe-')) a.allProbes = false;
      }
    }
    return [...acc].map(([fn, a]) => ({
      file,
      function: fn,
      count: a.count,
      events: [...a.events].sort(),
      lines: a.lines.sort((x, y) => x - y),
      allProbes: a.allProbes,
    }));
  }

  /** Events with more than one candidate site. */
  ambiguousEvents(): EventSites[] {
    return this.byEvent.filter((e) => e.sites.length > 1);
  }

  /** 1..LEVELS on a log scale of this trace's busiest line. */
  level(count: number): number {
    if (count <= 0) return 1;
    if (this.maxLineCount <= 1) return LEVELS;
    return Math.min(LEVELS, Math.max(1, Math.ceil((LEVELS * Math.log1p(count)) / Math.log1p(this.maxLineCount))));
  }
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The end-of-line text: `5 hits`, `9 hits · 2 events`, `5 hits · ambiguous`. */
export function lineLabel(lh: LineHits): string {
  const parts = [plural(lh.count, 'hit')];
  if (lh.entries.length > 1) parts.push(plural(lh.entries.length, 'event'));
  if (lh.ambiguous) parts.push('ambiguous');
  return parts.join(' · ');
}

/** The CodeLens title: `312 hits · 2 probes`. */
export function functionLabel(f: FunctionHits): string {
  return `${plural(f.count, 'hit')} · ${plural(f.events.length, f.allProbes ? 'probe' : 'event')}`;
}

/** Function-tracer events are keyed `function:<name>` by the hits analysis. */
const FUNCTION_EVENT = /^function:(.+)$/;

/**
 * The table filter showing the events of `events` (hit event keys). Exact for probe and
 * tracepoint names; a function-tracer key becomes event `function` + its name as field text,
 * which also matches lines that name it as the caller, and only one such name fits in a
 * filter: `exact` says when the filter shows more than asked.
 */
export function eventFilter(events: readonly string[]): { filter: EventFilter; exact: boolean } {
  const names = new Set<string>();
  const funcs: string[] = [];
  for (const e of events) {
    const m = FUNCTION_EVENT.exec(e);
    if (m) {
      names.add('function');
      funcs.push(m[1] as string);
    } else names.add(e);
  }
  const filter: { events: string[]; text?: string } = { events: [...names].sort() };
  if (funcs.length === 1 && names.size === 1) {
    filter.text = funcs[0] as string;
    return { filter, exact: false };
  }
  return { filter, exact: funcs.length === 0 };
}
