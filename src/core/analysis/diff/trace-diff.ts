/**
 * Before and after: two traces or captures compared count by count (issue 16). Pure over two
 * Traces; the caller loads them and, for source lines, passes both hit lists (hits need the
 * source index, which core/io and the worker own).
 *
 * Sections: events per name, per CPU (per interface for captures), per task, per source line;
 * each row both counts, b - a and b / a, biggest change first, with events per second added
 * when the spans differ (a 2 s recording against a 10 s one). Tasks are keyed by comm, not
 * comm-pid: two recordings of the same workload run it under new pids. Then lifecycle findings
 * (the built-in models, or the ones given) and capture findings present in one input only,
 * and for two captures the flows one has and the other lacks.
 */
import type { Trace } from '../../trace/trace';
import { computeStats } from '../stats';
import { captureInfo, isCapture } from '../../formats/capture/common';
import { findings as captureFindings } from '../capture/findings';
import { analyzeLifecycles, objectAttrs, type LifecycleAnalysis } from '../lifecycle/analyze';
import { EventFields } from '../lifecycle/fields';
import type { LifecycleModel } from '../lifecycle/model';
import type { HitEntry } from '../hits';
import { compareCounts, rateSpans, type CountRow } from './count-rows';
import { diffFindings, type ComparableFinding, type FindingsDiff } from './finding-diff';
import { flowCounts } from './flow-counts';
import { diffHits, type HitsDiffRow } from './hits-diff';
import { activityDiff, type ActivityDiff } from './activity';

export interface DiffSide {
  readonly name: string;
  readonly format: string;
  readonly events: number;
  readonly durationNs: number;
  readonly timeSource: string;
}

export interface TraceDiff {
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** True when the rows carry rateA/rateB (events per second): the spans differ by more than 1%. */
  readonly rates: boolean;
  readonly events: CountRow[];
  /** Keys `cpu N`, or the interface name for captures. */
  readonly cpus: CountRow[];
  /** Keys are comms. */
  readonly tasks: CountRow[];
  /** Null when no hits were given. */
  readonly lines: HitsDiffRow[] | null;
  /**
   * Per model that found objects in either trace: objects by final state (with the `reason`
   * attribute when the model records one: `DROPPED reason=NETFILTER_DROP`), and the findings.
   */
  readonly lifecycle: { model: string; outcomes: CountRow[]; findings: FindingsDiff }[];
  /** Findings of core/analysis/capture-findings on each input on its own (lost events, read errors, packet problems). */
  readonly findings: FindingsDiff;
  /** Both captures: packets per flow; null unless both inputs are captures. */
  readonly flows: { rows: CountRow[]; onlyA: CountRow[]; onlyB: CountRow[] } | null;
  /** Events over time on each side (activity.ts), when asked for (the Compare page draws it). */
  readonly activity?: ActivityDiff;
}

export interface DiffInput {
  readonly name: string;
  readonly trace: Trace;
  /** Hits of this trace on source lines (core/analysis/hits), when a source root was given. */
  readonly hits?: readonly HitEntry[];
}

export interface DiffOptions {
  /** Lifecycle models to run on traces (captures get none). */
  readonly models?: readonly LifecycleModel[];
  /** Add the activity over time in this many buckets per side (the Compare page's stacked timelines). */
  readonly activityBuckets?: number;
}

function side(input: DiffInput, events: number, durationNs: number): DiffSide {
  return { name: input.name, format: input.trace.meta.format, events, durationNs, timeSource: input.trace.meta.timeSource };
}

function cpuLabel(trace: Trace, cpu: number): string {
  const iface = captureInfo(trace)?.interfaces[cpu];
  return iface ? `interface ${iface.name}` : `cpu ${cpu}`;
}

function byComm(tasks: readonly { comm: string; count: number }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tasks) m.set(t.comm, (m.get(t.comm) ?? 0) + t.count);
  return m;
}

function ownFindings(all: readonly (ComparableFinding & { source: number; kind: string })[], source: number): ComparableFinding[] {
  // missing-traffic is itself a comparison between the inputs: it belongs to `flows`, not here.
  return all.filter((f) => f.source === source && f.kind !== 'missing-traffic');
}

/** Objects by final state, and by drop reason where the model reads one. */
function outcomes(trace: Trace, l: LifecycleAnalysis | null): Map<string, number> {
  const m = new Map<string, number>();
  if (!l) return m;
  const fields = new EventFields(trace);
  for (const o of l.objects) {
    const state = l.model.states[o.state] ?? '?';
    const reason = objectAttrs(trace, l, o.id, fields)?.reason;
    const key = reason === undefined ? state : `${state} reason=${reason}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

export function diffTraces(a: DiffInput, b: DiffInput, opts: DiffOptions = {}): TraceDiff {
  const sa = computeStats(a.trace);
  const sb = computeStats(b.trace);
  const timed = a.trace.meta.timeSource === 'timestamps' && b.trace.meta.timeSource === 'timestamps';
  const spans = timed ? rateSpans(sa.durationNs, sb.durationNs) : null;
  const cpus = (t: Trace, counts: ReadonlyMap<number, number>): Map<string, number> => new Map([...counts].map(([cpu, n]) => [cpuLabel(t, cpu), n]));
  const found = captureFindings([
    { name: a.name, trace: a.trace },
    { name: b.name, trace: b.trace },
  ]);
  const bothCaptures = isCapture(a.trace.meta.format) && isCapture(b.trace.meta.format);
  let flows: TraceDiff['flows'] = null;
  if (bothCaptures) {
    const rows = compareCounts(flowCounts(a.trace), flowCounts(b.trace));
    flows = { rows, onlyA: rows.filter((r) => r.b === 0), onlyB: rows.filter((r) => r.a === 0) };
  }
  const lifecycle = (opts.models ?? []).map((model) => {
    const la = isCapture(a.trace.meta.format) ? null : analyzeLifecycles(a.trace, model);
    const lb = isCapture(b.trace.meta.format) ? null : analyzeLifecycles(b.trace, model);
    return { model: model.name, outcomes: compareCounts(outcomes(a.trace, la), outcomes(b.trace, lb)), findings: diffFindings(la?.findings ?? [], lb?.findings ?? []) };
  });
  return {
    a: side(a, sa.events, sa.durationNs),
    b: side(b, sb.events, sb.durationNs),
    rates: spans !== null,
    events: compareCounts(new Map(sa.eventCounts), new Map(sb.eventCounts), spans),
    cpus: compareCounts(cpus(a.trace, sa.cpuCounts), cpus(b.trace, sb.cpuCounts), spans),
    tasks: compareCounts(byComm(sa.tasks), byComm(sb.tasks), spans),
    lines: a.hits && b.hits ? diffHits(a.hits, b.hits) : null,
    lifecycle: lifecycle.filter((l) => l.outcomes.length > 0 || l.findings.kinds.length > 0),
    findings: diffFindings(ownFindings(found, 0), ownFindings(found, 1)),
    flows,
    ...(opts.activityBuckets !== undefined ? { activity: activityDiff(a.trace, b.trace, opts.activityBuckets, undefined, { a: sa, b: sb }) } : {}),
  };
}
