/**
 * Deep checks of what the host sends. src/protocol/guards.ts checks the envelope only
 * (`isHostToWebview`); before a summary or a page of rows is drawn, every field the
 * webview reads is checked here, so a malformed message is dropped instead of drawing
 * "undefined" or throwing halfway through a render. Strings are still untrusted after
 * this: they are only ever rendered with textContent.
 */
import type { CountEntry, EventRow, TaskEntry, TraceSummary } from '../src/protocol/messages';

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
    typeof v.text === 'string'
  );
}

export function isTraceSummary(v: unknown): v is TraceSummary {
  return (
    isRecord(v) &&
    typeof v.fileName === 'string' &&
    typeof v.format === 'string' &&
    (v.tracer === null || typeof v.tracer === 'string') &&
    isCount(v.events) &&
    Array.isArray(v.cpus) &&
    v.cpus.every(isCount) &&
    isFiniteNumber(v.firstTsNs) &&
    isFiniteNumber(v.durationNs) &&
    typeof v.originNs === 'string' &&
    typeof v.timeSource === 'string' &&
    Array.isArray(v.eventCounts) &&
    v.eventCounts.every(isCountEntry) &&
    Array.isArray(v.cpuCounts) &&
    v.cpuCounts.every(isCountEntry) &&
    Array.isArray(v.tasks) &&
    v.tasks.every(isTaskEntry) &&
    isCount(v.lostEvents) &&
    isCount(v.errorCount) &&
    Array.isArray(v.errors) &&
    v.errors.every(isErrorEntry)
  );
}
