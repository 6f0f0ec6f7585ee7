/**
 * What survives a tab switch (VS Code keeps it via setState/getState while the editor is
 * hidden): the filter, where the table was scrolled and which row was selected. Restored
 * state comes back as `unknown` (it may be from an older build), so it is parsed, not cast.
 */
import { isTimeMode, type TimeMode } from './packet-time';

export interface FilterState {
  readonly events: readonly string[];
  readonly cpus: readonly number[];
  /** comm substring or pid digits. */
  readonly task: string;
  /** Case-insensitive substring of the event's field text. */
  readonly text: string;
  /** Events in [startNs, endNs) only (RelNs); absent: any time. */
  readonly timeRange?: readonly [number, number];
  /** A filter expression (README "Filter expressions"); '' = none. */
  readonly expr: string;
}

export interface ViewState {
  readonly version: 1;
  readonly filter: FilterState;
  /** Position (in the filtered list) of the row at the top of the table; may be fractional. */
  readonly firstRow: number;
  /** Position (in the filtered list) of the selected row. */
  readonly selected: number | null;
  /** The timeline's visible range and brushed selection (RelNs). */
  readonly timeline?: TimelineState;
  /** Which view is shown under the timeline. */
  readonly tab?: ViewTab;
  /** The lifecycle model picked (`builtin:af-xdp`, `workspace:NAME`). */
  readonly lifecycleModel?: string;
  /** The interleave view's object (`FIELD=VALUE`) and pair (`OPEN,CLOSE`) boxes. */
  readonly interleave?: { readonly key: string; readonly pair: string };
  /** Pane sizes the user dragged (CSS px), per editor. */
  readonly layout?: LayoutState;
}

export interface LayoutState {
  /** Width of the sidebar (facet lists). */
  readonly sidebarPx?: number;
  /** Event table column widths by column class (`c-time` …). */
  readonly columns?: Readonly<Record<string, number>>;
  /** Height of the selected event's details under the table. */
  readonly detailsPx?: number;
  /** A capture's Time column format (packet-time.ts). */
  readonly timeMode?: TimeMode;
  /** Height of the timeline's tracks area (its bottom edge dragged). */
  readonly timelinePx?: number;
}

/** A pane size worth keeping: a finite number of CSS px within what any screen has. */
function paneSize(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100_000 ? Math.round(v) : undefined;
}

export function parseLayoutState(v: unknown): LayoutState | undefined {
  if (!isRecord(v)) return undefined;
  const sidebarPx = paneSize(v.sidebarPx);
  const detailsPx = paneSize(v.detailsPx);
  const timelinePx = paneSize(v.timelinePx);
  const columns: Record<string, number> = {};
  if (isRecord(v.columns)) {
    for (const [k, w] of Object.entries(v.columns).slice(0, MAX_ITEMS)) {
      const px = paneSize(w);
      if (/^c-[a-z]{1,12}$/.test(k) && px !== undefined) columns[k] = px;
    }
  }
  const out = {
    ...(isTimeMode(v.timeMode) ? { timeMode: v.timeMode } : {}),
    ...(sidebarPx !== undefined ? { sidebarPx } : {}),
    ...(detailsPx !== undefined ? { detailsPx } : {}),
    ...(timelinePx !== undefined ? { timelinePx } : {}),
    ...(Object.keys(columns).length > 0 ? { columns } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

export type ViewTab = 'events' | 'lifecycles' | 'interleave' | 'latency';

export interface TimelineState {
  readonly range: [number, number];
  readonly selection: [number, number] | null;
}

export const EMPTY_FILTER: FilterState = { events: [], cpus: [], task: '', text: '', expr: '' };

export const INITIAL_STATE: ViewState = { version: 1, filter: EMPTY_FILTER, firstRow: 0, selected: null };

/** Same bounds as src/protocol/guards.ts so a restored filter is always sendable. */
const MAX_ITEMS = 4096;
const MAX_TEXT = 1024;
/** protocol MAX_FILTER_EXPR. */
const MAX_EXPR = 4096;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function shortString(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, MAX_TEXT) : '';
}

export function parseFilterState(v: unknown): FilterState {
  if (!isRecord(v)) return EMPTY_FILTER;
  const events = Array.isArray(v.events) ? v.events.filter((e): e is string => typeof e === 'string' && e.length <= MAX_TEXT) : [];
  const cpus = Array.isArray(v.cpus) ? v.cpus.filter(isIndex) : [];
  return {
    events: events.slice(0, MAX_ITEMS),
    cpus: cpus.slice(0, MAX_ITEMS),
    task: shortString(v.task),
    text: shortString(v.text),
    ...(Array.isArray(v.timeRange) && v.timeRange.length === 2 && v.timeRange.every((x) => typeof x === 'number' && Number.isFinite(x)) && (v.timeRange[1] as number) > (v.timeRange[0] as number)
      ? { timeRange: [v.timeRange[0] as number, v.timeRange[1] as number] as const }
      : {}),
    // Longer than the wire allows: dropped rather than cut (a cut expression means something else).
    expr: typeof v.expr === 'string' && v.expr.length <= MAX_EXPR ? v.expr : '',
  };
}

export function parseViewState(v: unknown): ViewState {
  if (!isRecord(v) || v.version !== 1) return INITIAL_STATE;
  const firstRow = typeof v.firstRow === 'number' && Number.isFinite(v.firstRow) && v.firstRow >= 0 ? v.firstRow : 0;
  const timeline = parseTimelineState(v.timeline);
  const tab = v.tab === 'events' || v.tab === 'lifecycles' || v.tab === 'interleave' || v.tab === 'latency' ? v.tab : undefined;
  const layout = parseLayoutState(v.layout);
  const il = isRecord(v.interleave) ? { key: shortString(v.interleave.key), pair: shortString(v.interleave.pair) } : undefined;
  return {
    version: 1,
    filter: parseFilterState(v.filter),
    firstRow,
    selected: isIndex(v.selected) ? v.selected : null,
    ...(timeline ? { timeline } : {}),
    ...(tab ? { tab } : {}),
    ...(typeof v.lifecycleModel === 'string' && v.lifecycleModel.length <= MAX_TEXT ? { lifecycleModel: v.lifecycleModel } : {}),
    ...(il ? { interleave: il } : {}),
    ...(layout ? { layout } : {}),
  };
}

/** A finite [start, end) with start < end, or null. */
function parseRange(v: unknown): [number, number] | null {
  if (!Array.isArray(v) || v.length !== 2) return null;
  const [a, b] = v as unknown[];
  return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) && a < b ? [a, b] : null;
}

export function parseTimelineState(v: unknown): TimelineState | undefined {
  if (!isRecord(v)) return undefined;
  const range = parseRange(v.range);
  return range ? { range, selection: parseRange(v.selection) } : undefined;
}
