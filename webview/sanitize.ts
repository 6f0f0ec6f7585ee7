/**
 * Deep checks of what the host sends. src/protocol/guards.ts checks the envelope only
 * (`isHostToWebview`); before a summary or a page of rows is drawn, every field the
 * webview reads is checked here, so a malformed message is dropped instead of drawing
 * "undefined" or throwing halfway through a render. Strings are still untrusted after
 * this: they are only ever rendered with textContent.
 */
import type { CaptureOverlayInfo, CountEntry, EventRow, FdSummary, FdUseRow, TaskEntry, TraceSummary } from '../src/protocol/messages';
import { MAX_SUMMARY_GAPS, MAX_TASK_TRACKS } from '../src/protocol/messages';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A pid, or -1 where the format has none (packets, function_graph without funcgraph-proc). */
function isPid(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= -1;
}

function isCountEntry(v: unknown): v is CountEntry {
  return isRecord(v) && typeof v.name === 'string' && isCount(v.count);
}

function isTaskEntry(v: unknown): v is TaskEntry {
  return isRecord(v) && typeof v.comm === 'string' && isPid(v.pid) && isCount(v.count);
}

function isErrorEntry(v: unknown): v is { line: number; message: string } {
  return isRecord(v) && isCount(v.line) && typeof v.message === 'string';
}

function isInterfaceEntry(v: unknown): boolean {
  return isRecord(v) && isCount(v.index) && typeof v.name === 'string' && typeof v.linkType === 'string';
}

export function isEventRow(v: unknown): v is EventRow {
  return (
    isRecord(v) &&
    isCount(v.index) &&
    isCount(v.line) &&
    isFiniteNumber(v.tsNs) &&
    isCount(v.cpu) &&
    isPid(v.pid) &&
    (v.tgid === null || isCount(v.tgid)) &&
    typeof v.comm === 'string' &&
    typeof v.flags === 'string' &&
    typeof v.event === 'string' &&
    typeof v.text === 'string' &&
    (v.packet === undefined || isPacketRow(v.packet))
  );
}

function isPacketRow(v: unknown): boolean {
  return (
    isRecord(v) &&
    typeof v.timeNs === 'string' &&
    /^-?\d{1,30}$/.test(v.timeNs) &&
    (v.prevTimeNs === null || (typeof v.prevTimeNs === 'string' && /^-?\d{1,30}$/.test(v.prevTimeNs))) &&
    isCount(v.digits) &&
    v.digits <= 9 &&
    typeof v.source === 'string' &&
    typeof v.destination === 'string' &&
    typeof v.protocol === 'string' &&
    isCount(v.length) &&
    isCount(v.caplen) &&
    typeof v.info === 'string'
  );
}

export function isTraceSummary(v: unknown): v is TraceSummary {
  return (
    isRecord(v) &&
    typeof v.fileName === 'string' &&
    typeof v.format === 'string' &&
    (v.tracer === null || typeof v.tracer === 'string') &&
    (v.stoppedBy === undefined || typeof v.stoppedBy === 'string') &&
    isCount(v.events) &&
    Array.isArray(v.cpus) &&
    v.cpus.every(isCount) &&
    isFiniteNumber(v.firstTsNs) &&
    isFiniteNumber(v.durationNs) &&
    typeof v.originNs === 'string' &&
    typeof v.timeSource === 'string' &&
    (v.lineKind === 'line' || v.lineKind === 'packet' || v.lineKind === 'none') &&
    Array.isArray(v.eventCounts) &&
    v.eventCounts.every(isCountEntry) &&
    Array.isArray(v.cpuCounts) &&
    v.cpuCounts.every(isCountEntry) &&
    Array.isArray(v.tasks) &&
    v.tasks.every(isTaskEntry) &&
    isCount(v.lostEvents) &&
    isCount(v.errorCount) &&
    Array.isArray(v.errors) &&
    v.errors.every(isErrorEntry) &&
    (v.interfaces === undefined || (Array.isArray(v.interfaces) && v.interfaces.every(isInterfaceEntry))) &&
    (v.reading === undefined || (isRecord(v.reading) && isCount(v.reading.bytesRead) && isCount(v.reading.totalBytes))) &&
    (v.gaps === undefined || (Array.isArray(v.gaps) && v.gaps.length <= MAX_SUMMARY_GAPS && v.gaps.every(isGap))) &&
    (v.taskTracks === undefined || (Array.isArray(v.taskTracks) && v.taskTracks.length <= MAX_TASK_TRACKS && v.taskTracks.every((x) => isRecord(x) && isCount(x.id) && typeof x.label === 'string')))
  );
}

function isGap(v: unknown): boolean {
  return isRecord(v) && (v.kind === 'lost' || v.kind === 'buffer-started') && isCount(v.cpu) && (v.count === null || isCount(v.count)) && isCount(v.line) && isFiniteNumber(v.tsNs);
}

function isNullableString(v: unknown): v is string | null {
  return v === null || typeof v === 'string';
}

function isFdUseRow(v: unknown): v is FdUseRow {
  return (
    isRecord(v) &&
    isCount(v.index) &&
    isCount(v.line) &&
    isFiniteNumber(v.tsNs) &&
    isPid(v.pid) &&
    typeof v.call === 'string' &&
    typeof v.kind === 'string' &&
    isNullableString(v.asked) &&
    isNullableString(v.ready) &&
    isNullableString(v.ret) &&
    isNullableString(v.errno)
  );
}

export function isFdSummary(v: unknown): v is FdSummary {
  if (!isRecord(v)) return false;
  const s = v.stall;
  return (
    isPid(v.process) &&
    isCount(v.fd) &&
    isNullableString(v.path) &&
    isFiniteNumber(v.firstTsNs) &&
    isFiniteNumber(v.lastTsNs) &&
    typeof v.closed === 'boolean' &&
    Array.isArray(v.calls) &&
    v.calls.every(isCountEntry) &&
    [v.waitsForRead, v.readyForRead, v.waitsForWrite, v.readyForWrite, v.reads, v.writes, v.useCount].every(isCount) &&
    (s === null || (isRecord(s) && isCount(s.writePolls) && isFiniteNumber(s.sinceTsNs) && isCount(s.sinceLine) && typeof s.everWritable === 'boolean')) &&
    Array.isArray(v.uses) &&
    v.uses.every(isFdUseRow)
  );
}

const DECIMAL_NS = /^-?\d{1,20}$/;

export function isCaptureOverlay(v: unknown): v is CaptureOverlayInfo {
  if (!isRecord(v)) return false;
  const e = v.estimate;
  return (
    typeof v.name === 'string' &&
    isCount(v.packets) &&
    Array.isArray(v.interfaces) &&
    v.interfaces.length <= 4096 &&
    v.interfaces.every((x) => typeof x === 'string') &&
    (e === null || (isRecord(e) && typeof e.offsetNs === 'string' && DECIMAL_NS.test(e.offsetNs) && typeof e.method === 'string' && isCount(e.matches) && isFiniteNumber(e.residualNs))) &&
    typeof v.offsetNs === 'string' &&
    DECIMAL_NS.test(v.offsetNs) &&
    typeof v.userSet === 'boolean'
  );
}
