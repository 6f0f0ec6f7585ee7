/**
 * Runtime guards for messages crossing the webview boundary. A webview is a web page: its
 * messages are checked field by field before the host acts on them, and the webview checks
 * what the host sends before drawing it.
 */
import { MAX_FILTER_EXPR, MAX_FLIGHT_PER_CPU, MAX_LIFECYCLE_LANES, MAX_PAGE_ROWS, MAX_TIMELINE_RESOLUTION, type EventFilter, type HostToWebview, type RowSort, type SortColumn, type WebviewToHost } from './messages';

const MAX_FILTER_ITEMS = 4096;
const MAX_FILTER_TEXT = 1024;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isShortString(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_FILTER_TEXT;
}

export function isEventFilter(v: unknown): v is EventFilter {
  if (!isRecord(v)) return false;
  const { events, cpus, task, text, timeRange, expr } = v;
  if (timeRange !== undefined && !(Array.isArray(timeRange) && timeRange.length === 2 && timeRange.every((x) => typeof x === 'number' && Number.isFinite(x)) && timeRange[1] > timeRange[0])) return false;
  if (events !== undefined && !(Array.isArray(events) && events.length <= MAX_FILTER_ITEMS && events.every(isShortString))) return false;
  if (cpus !== undefined && !(Array.isArray(cpus) && cpus.length <= MAX_FILTER_ITEMS && cpus.every(isIndex))) return false;
  if (task !== undefined && !isShortString(task)) return false;
  if (text !== undefined && !isShortString(text)) return false;
  if (expr !== undefined && !(typeof expr === 'string' && expr.length <= MAX_FILTER_EXPR)) return false;
  return true;
}

function isExpr(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_FILTER_EXPR;
}

const SORT_COLUMNS: ReadonlySet<unknown> = new Set<SortColumn>(['line', 'ts', 'cpu', 'pid', 'comm', 'event', 'source', 'destination', 'protocol', 'length', 'info']);

function isRowSort(v: unknown): v is RowSort {
  return isRecord(v) && SORT_COLUMNS.has(v.column) && typeof v.descending === 'boolean';
}

function isLatencyQuery(v: Record<string, unknown>): boolean {
  const name = (x: unknown): boolean => isShortString(x) && x.length > 0;
  return name(v.open) && name(v.close) && (v.openKey === null || name(v.openKey)) && (v.closeKey === null || name(v.closeKey));
}

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'rows':
      return isIndex(v.requestId) && isIndex(v.start) && isIndex(v.count) && v.count <= MAX_PAGE_ROWS && isEventFilter(v.filter) && (v.sort === undefined || isRowSort(v.sort));
    case 'revealLine':
      return isIndex(v.line) && v.line >= 1;
    case 'timeline':
      return isIndex(v.requestId) && isTimeRange(v) && isIndex(v.resolution) && v.resolution >= 1 && v.resolution <= MAX_TIMELINE_RESOLUTION && isCpuList(v.cpus) && isEventFilter(v.filter);
    case 'timelineRange':
      return isIndex(v.requestId) && isTimeRange(v) && isCpuList(v.cpus) && isEventFilter(v.filter);
    case 'rangeStats':
      return isIndex(v.requestId) && isTimeRange(v) && isEventFilter(v.filter);
    case 'eventAt':
      return isIndex(v.requestId) && isIndex(v.index) && isEventFilter(v.filter);
    case 'fds':
      return isIndex(v.requestId);
    case 'setCaptureOffset':
      // Decimal ns as text (bigint): at most 20 digits, so ±3 centuries.
      return v.offsetNs === null || (typeof v.offsetNs === 'string' && /^-?\d{1,20}$/.test(v.offsetNs));
    case 'detachCapture':
      return true;
    case 'openCapturePacket':
      return isIndex(v.index);
    case 'packet':
      return isIndex(v.requestId) && isIndex(v.index);
    case 'findings':
      return isIndex(v.requestId);
    case 'journey':
      return isIndex(v.requestId) && isIndex(v.index);
    case 'checkQuery':
      return isIndex(v.requestId) && isExpr(v.expr);
    case 'find':
      return (
        isIndex(v.requestId) &&
        isEventFilter(v.filter) &&
        (v.sort === null || isRowSort(v.sort)) &&
        isExpr(v.expr) &&
        isShortString(v.text) &&
        Number.isSafeInteger(v.from) &&
        (v.from as number) >= -1 &&
        (v.direction === 1 || v.direction === -1)
      );
    case 'positionOf':
      return isIndex(v.requestId) && isEventFilter(v.filter) && (v.sort === null || isRowSort(v.sort)) && isIndex(v.index);
    case 'latency':
      return isIndex(v.requestId) && isLatencyQuery(v);
    case 'latencyInstances':
      return isIndex(v.requestId) && isLatencyQuery(v) && typeof v.loNs === 'number' && typeof v.hiNs === 'number' && Number.isFinite(v.loNs) && Number.isFinite(v.hiNs);
    case 'lifecycleModels':
      return isIndex(v.requestId);
    case 'lifecycle':
      return isIndex(v.requestId) && isShortString(v.model);
    case 'lifecycleLanes':
      return (
        isIndex(v.requestId) &&
        isShortString(v.model) &&
        isIndex(v.first) &&
        isIndex(v.count) &&
        v.count <= MAX_LIFECYCLE_LANES &&
        isTimeRange(v) &&
        isIndex(v.resolution) &&
        v.resolution >= 1 &&
        v.resolution <= MAX_TIMELINE_RESOLUTION
      );
    case 'flightRecorder':
      return isIndex(v.requestId) && isIndex(v.index) && isIndex(v.perCpu) && v.perCpu >= 1 && v.perCpu <= MAX_FLIGHT_PER_CPU;
    case 'interleave':
      return isIndex(v.requestId) && isShortString(v.key) && v.key.length > 0 && (v.pair === null || isPair(v.pair));
    case 'revealEvent':
      return isIndex(v.line) && v.line >= 1 && isShortString(v.event);
    default:
      return false;
  }
}

/** An (OPEN, CLOSE) pair of event names for interleave's critical sections. */
function isPair(v: unknown): boolean {
  return isRecord(v) && isShortString(v.open) && v.open.length > 0 && isShortString(v.close) && v.close.length > 0;
}

/** A half-open time range of finite RelNs, start before end. */
function isTimeRange(v: Record<string, unknown>): boolean {
  const { startNs, endNs } = v;
  return typeof startNs === 'number' && typeof endNs === 'number' && Number.isFinite(startNs) && Number.isFinite(endNs) && startNs < endNs;
}

function isCpuList(v: unknown): boolean {
  return v === null || (Array.isArray(v) && v.length <= MAX_FILTER_ITEMS && v.every(isIndex));
}

/** Shallow check of the envelope; the webview renders every string with textContent anyway. */
export function isHostToWebview(v: unknown): v is HostToWebview {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'progress':
      return typeof v.bytesRead === 'number' && typeof v.totalBytes === 'number';
    case 'summary':
      return isRecord(v.summary);
    case 'loadError':
      return typeof v.message === 'string';
    case 'rows':
      return isIndex(v.requestId) && isIndex(v.total) && isIndex(v.start) && Array.isArray(v.rows);
    case 'requestError':
      return isIndex(v.requestId) && typeof v.message === 'string';
    case 'applyFilter':
      return isEventFilter(v.filter);
    case 'timeline':
      return isIndex(v.requestId) && isRecord(v.data);
    case 'timelineRange':
      return isIndex(v.requestId) && isIndex(v.total) && Array.isArray(v.cpus) && Array.isArray(v.events);
    case 'rangeStats':
      return isIndex(v.requestId) && isRecord(v.stats);
    case 'eventAt':
      return isIndex(v.requestId) && isRecord(v.row) && (v.position === null || isIndex(v.position));
    case 'fds':
      return isIndex(v.requestId) && Array.isArray(v.views) && isIndex(v.total);
    case 'captureOverlay':
      return v.overlay === null || isRecord(v.overlay);
    case 'packet':
      return isIndex(v.requestId) && isRecord(v.packet);
    case 'findings':
      return isIndex(v.requestId) && Array.isArray(v.findings) && isIndex(v.total);
    case 'selectPacket':
      return isIndex(v.index);
    case 'journey':
      return isIndex(v.requestId) && (v.journey === null || isRecord(v.journey)) && typeof v.reason === 'string';
    case 'lifecycleModels':
      return isIndex(v.requestId) && Array.isArray(v.models) && Array.isArray(v.problems) && (v.configPath === null || typeof v.configPath === 'string');
    case 'lifecycle':
      return isIndex(v.requestId) && isRecord(v.summary);
    case 'lifecycleLanes':
      return isIndex(v.requestId) && isRecord(v.lanes);
    case 'flightRecorder':
      return isIndex(v.requestId) && isIndex(v.index) && Array.isArray(v.columns);
    case 'interleave':
      return isIndex(v.requestId) && isRecord(v.data);
    case 'checkQuery':
      return isIndex(v.requestId) && (v.problem === null || isRecord(v.problem));
    case 'find':
      return isIndex(v.requestId) && (v.position === null || isIndex(v.position)) && (v.index === null || isIndex(v.index)) && (v.problem === null || isRecord(v.problem));
    case 'positionOf':
      return isIndex(v.requestId) && (v.position === null || isIndex(v.position));
    case 'latency':
      return isIndex(v.requestId) && isRecord(v.data);
    case 'latencyInstances':
      return isIndex(v.requestId) && isIndex(v.total) && Array.isArray(v.instances);
    default:
      return false;
  }
}
