/**
 * The strace per-fd views (core/analysis/strace-fds.ts) as the webview's fd panel shows them:
 * write stalls first (most unanswered write queries first), then in order of first use;
 * bounded in views and uses per view so one message stays small whatever the trace.
 */
import type { FdSummary, FdUseRow } from '../protocol/messages';
import { MAX_FD_USES, MAX_FD_VIEWS } from '../protocol/messages';
import { straceFdViews, type FdUse, type FdView } from '../core/analysis/strace-fds';
import type { Trace } from '../core/trace/trace';

export function fdSummaries(trace: Trace): { views: FdSummary[]; total: number } {
  const views = straceFdViews(trace);
  const order = views
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (b.v.stall?.writePolls ?? -1) - (a.v.stall?.writePolls ?? -1) || a.v.firstTsNs - b.v.firstTsNs || a.i - b.i);
  return { views: order.slice(0, MAX_FD_VIEWS).map(({ v }) => summary(trace, v)), total: views.length };
}

function summary(trace: Trace, v: FdView): FdSummary {
  return {
    process: v.process,
    fd: v.fd,
    path: v.path,
    firstTsNs: v.firstTsNs,
    lastTsNs: v.lastTsNs,
    closed: v.closedAt >= 0,
    calls: Object.entries(v.calls)
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    waitsForRead: v.waitsForRead,
    readyForRead: v.readyForRead,
    waitsForWrite: v.waitsForWrite,
    readyForWrite: v.readyForWrite,
    reads: v.reads,
    writes: v.writes,
    stall: v.stall ? { writePolls: v.stall.writePolls, sinceTsNs: v.stall.sinceTsNs, sinceLine: trace.line(v.stall.sinceIndex), everWritable: v.stall.everWritable } : null,
    useCount: v.uses.length,
    uses: usesShown(v.uses).map((u) => useRow(trace, u)),
  };
}

/** The first uses and, for a stall, the last ones (where the fd got stuck), up to MAX_FD_USES. */
function usesShown(uses: readonly FdUse[]): readonly FdUse[] {
  if (uses.length <= MAX_FD_USES) return uses;
  const head = Math.floor(MAX_FD_USES / 2);
  return [...uses.slice(0, head), ...uses.slice(uses.length - (MAX_FD_USES - head))];
}

function useRow(trace: Trace, u: FdUse): FdUseRow {
  return {
    index: u.index,
    line: trace.line(u.index),
    tsNs: u.tsNs,
    pid: u.pid,
    call: u.call,
    kind: u.kind,
    asked: u.asked ? u.asked.join('|') : null,
    ready: u.asked ? (u.ready ?? []).join('|') || '-' : null,
    ret: u.ret,
    errno: u.errno,
  };
}
