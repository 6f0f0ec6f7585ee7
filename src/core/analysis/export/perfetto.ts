/**
 * `perfetto` export: the Chrome Trace Event Format (JSON Object Format: `traceEvents`,
 * `displayTimeUnit`, `otherData`), which ui.perfetto.dev and chrome://tracing open.
 * Spec: "Trace Event Format" (Google document 1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU,
 * linked from catapult/docs/trace-event-format.md). `ts` and `dur` are microseconds (fractions
 * keep the ns), relative to the trace's origin (given in otherData.originNs).
 *
 * Tracks (a track is a pid/tid pair; names come from `M` metadata events):
 *   process "CPUs" (pid CPU_PID), thread "CPU n" (tid n): one `i` instant per trace event, its
 *       decoded fields as args (plus ktl.line / ktl.pid / ktl.comm);
 *   process "Interfaces" (pid IFACE_PID), thread per interface: one instant per packet;
 *   process per task (pid = tgid when known, else pid), thread = pid: `X` complete slices for
 *       the time sched_switch shows the task on a CPU (args.cpu);
 *   process "Pairs" (pid PAIR_PID), thread per pairing: with `pairs` (ktl export --pair, the
 *       pairing of ktl latency, analysis/latency.ts), one nestable async slice `b`/`e` per pair,
 *       id `k:n` (pairing k, pair n), from the opening event to the closing one; async, because
 *       pairs of different keys overlap without nesting, which `X` slices on one track may not;
 *   flows: each lifecycle object of the built-in models with two or more steps gets one flow
 *       id; `s` at its first step, `t` at the middle ones, `f` at the last (bp "e": bound to the
 *       instant of that step on its CPU track), so Perfetto draws arrows across CPUs.
 * Events are written in time order as they are made, so memory does not grow with the output:
 * files already in time order (the usual case) are walked as they are; otherwise one Int32Array
 * permutation (4 bytes per event) orders them, since a viewer wants each track's times to only
 * go forward (a capture on several interfaces, concatenated buffers, a marker with its own
 * clock). `ts` counts from the earliest event, so none is negative.
 */
import type { Trace } from '../../trace/trace';
import { eventJson } from '../../formats/decode';
import { captureInfo, isCapture } from '../../formats/capture/common';
import { analyzeLifecycles, type LifecycleAnalysis } from '../lifecycle/analyze';
import type { LifecycleModel } from '../lifecycle/model';
import { TextBatcher, type TextSink } from './text-sink';
import { keyReader, pairLatency, type LatencySpec } from '../latency';

/** Synthetic pids above PID_MAX_LIMIT (2^22), so they never collide with a real task. */
export const CPU_PID = 4_194_305;
export const IFACE_PID = 4_194_306;
export const PAIR_PID = 4_194_307;

export interface PerfettoOptions {
  /** Lifecycle models whose objects become flows (captures get none). */
  readonly models?: readonly LifecycleModel[];
  /** Shown in otherData. */
  readonly file?: string;
  /** Pairings (open/close events, keys) drawn as async slices. */
  readonly pairs?: readonly LatencySpec[];
}

export interface PerfettoSummary {
  /** `i` instants: one per trace event. */
  readonly instants: number;
  readonly slices: number;
  readonly flows: number;
  /** Async slices written (b/e pairs), over all pairings. */
  readonly pairs: number;
  /**
   * Pairs not written because their close is earlier than their open (a clock that went back
   * between them): a slice cannot end before it begins.
   */
  readonly pairsBackwards: number;
}

/** Where a pairing's slices begin and end: per event, the pair it opens / closes (-1: none). */
interface PairIndex {
  readonly name: string;
  readonly openOf: Int32Array;
  readonly closeOf: Int32Array;
  /** The opening event's key (null: the pairing has no key). */
  readonly keyOf: ((i: number) => string | null) | null;
}

type Json = Record<string, unknown>;

function us(ns: number): number {
  return ns / 1000;
}

interface Running {
  pid: number;
  tgid: number;
  comm: string;
  startNs: number;
}

interface FlowModel {
  readonly a: LifecycleAnalysis;
  /** Steps written per object, to tell s / t / f apart. */
  readonly seen: Int32Array;
  /** Flow ids of this model start here (ids are unique across models). */
  readonly idBase: number;
}

export async function exportPerfetto(trace: Trace, sink: TextSink, opts: PerfettoOptions = {}): Promise<PerfettoSummary> {
  const out = new TextBatcher(sink);
  let first = true;
  // Synchronous: the loop awaits the sink once per ~1 MiB chunk (out.due), not once per event.
  const emit = (e: Json): void => {
    out.add(`${first ? '' : ',\n'}${JSON.stringify(e)}`);
    first = false;
  };
  const capture = isCapture(trace.meta.format);
  const info = captureInfo(trace);
  const n = trace.length;
  let minNs = Infinity;
  let lastNs = -Infinity;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const t = trace.tsNs(i);
    if (t < lastNs) sorted = false;
    if (t > lastNs) lastNs = t;
    if (t < minNs) minNs = t;
  }
  if (n === 0) minNs = lastNs = 0;
  const order = sorted ? null : timeOrder(trace);
  const at = (k: number): number => (order ? (order[k] as number) : k);
  const rel = (ns: number): number => us(ns - minNs);
  const other = { format: trace.meta.format, originNs: (trace.originNs + BigInt(Math.round(minNs))).toString(), timeSource: trace.meta.timeSource, ...(opts.file !== undefined ? { file: opts.file } : {}) };
  await out.push(`{"displayTimeUnit":"ns","otherData":${JSON.stringify(other)},"traceEvents":[\n`);

  const trackPid = capture ? IFACE_PID : CPU_PID;
  emit({ ph: 'M', name: 'process_name', pid: trackPid, tid: 0, ts: 0, args: { name: capture ? 'Interfaces' : 'CPUs' } });
  emit({ ph: 'M', name: 'process_sort_index', pid: trackPid, tid: 0, ts: 0, args: { sort_index: -1 } });
  const namedTracks = new Set<number>();

  let flowId = 1;
  const flowModels: FlowModel[] = [];
  if (!capture) {
    for (const model of opts.models ?? []) {
      const a = analyzeLifecycles(trace, model);
      if (a.steps.length === 0) continue;
      flowModels.push({ a, seen: new Int32Array(a.objects.length), idBase: flowId });
      flowId += a.objects.length;
    }
  }

  let pairsBackwards = 0;
  const pairIndex: PairIndex[] = [];
  for (const spec of opts.pairs ?? []) {
    const r = pairLatency(trace, spec);
    const openOf = new Int32Array(n).fill(-1);
    const closeOf = new Int32Array(n).fill(-1);
    for (let p = 0; p < r.count; p++) {
      if ((r.durNs[p] as number) < 0) {
        pairsBackwards++;
        continue;
      }
      openOf[r.opens[p] as number] = p;
      closeOf[r.closes[p] as number] = p;
    }
    const k = pairIndex.length;
    pairIndex.push({ name: `${spec.open}→${spec.close}`, openOf, closeOf, keyOf: spec.openKey !== null ? keyReader(trace, spec.openKey) : null });
    if (k === 0) emit({ ph: 'M', name: 'process_name', pid: PAIR_PID, tid: 0, ts: 0, args: { name: 'Pairs' } });
    emit({ ph: 'M', name: 'thread_name', pid: PAIR_PID, tid: k, ts: 0, args: { name: `${spec.open} → ${spec.close}${spec.openKey !== null ? ` by ${spec.openKey}${spec.closeKey !== null && spec.closeKey !== spec.openKey ? `/${spec.closeKey}` : ''}` : ''}` } });
  }
  let pairs = 0;

  const switchId = trace.strings.find('sched_switch');
  const running = new Map<number, Running>();
  let instants = 0;
  let slices = 0;
  let flows = 0;

  /** Task pid -> the process pid its track was named under (tgid when known then). */
  const taskProc = new Map<number, number>();
  const taskTrack = (pid: number, tgid: number, comm: string): number => {
    const known = taskProc.get(pid);
    if (known !== undefined) return known;
    const proc = tgid >= 0 ? tgid : pid;
    taskProc.set(pid, proc);
    emit({ ph: 'M', name: 'thread_name', pid: proc, tid: pid, ts: 0, args: { name: `${comm}-${pid}` } });
    if (proc === pid) emit({ ph: 'M', name: 'process_name', pid: proc, tid: pid, ts: 0, args: { name: comm } });
    return proc;
  };
  // Steps of each model by event (steps are in file order; events may be walked in time order).
  const stepsAt = flowModels.map((f) => stepIndex(f.a, n));

  for (let k = 0; k < n; k++) {
    const i = at(k);
    const cpu = trace.cpu(i);
    const tsNs = trace.tsNs(i);
    if (!namedTracks.has(cpu)) {
      namedTracks.add(cpu);
      const name = capture ? `interface ${info?.interfaces[cpu]?.name ?? cpu}` : `CPU ${cpu}`;
      emit({ ph: 'M', name: 'thread_name', pid: trackPid, tid: cpu, ts: 0, args: { name } });
      emit({ ph: 'M', name: 'thread_sort_index', pid: trackPid, tid: cpu, ts: 0, args: { sort_index: cpu } });
    }
    const j = eventJson(trace, i);
    emit({ ph: 'i', s: 't', cat: 'event', name: j.event, ts: rel(tsNs), pid: trackPid, tid: cpu, args: { ...j.fields, 'ktl.line': j.line, 'ktl.pid': j.pid, 'ktl.comm': j.comm } });
    instants++;

    for (let m = 0; m < flowModels.length; m++) {
      const f = flowModels[m] as FlowModel;
      const idx = stepsAt[m] as { start: Int32Array };
      for (let s = idx.start[i] as number; s < (idx.start[i + 1] as number); s++) {
        const o = f.a.steps.object(s);
        const obj = f.a.objects[o];
        if (!obj || obj.steps < 2) continue;
        const k = f.seen[o] as number;
        f.seen[o] = k + 1;
        const ph = k === 0 ? 's' : k === obj.steps - 1 ? 'f' : 't';
        emit({ ph, id: f.idBase + o, cat: `lifecycle.${f.a.model.name}`, name: obj.key, ts: rel(tsNs), pid: trackPid, tid: cpu, bp: 'e' });
        flows++;
      }
    }

    for (let k = 0; k < pairIndex.length; k++) {
      const x = pairIndex[k] as PairIndex;
      const closes = x.closeOf[i] as number;
      if (closes >= 0) {
        emit({ ph: 'e', cat: 'pair', id: `${k}:${closes}`, name: x.name, ts: rel(tsNs), pid: PAIR_PID, tid: k, args: { 'ktl.line': trace.line(i) } });
        pairs++;
      }
      const opens = x.openOf[i] as number;
      if (opens >= 0) emit({ ph: 'b', cat: 'pair', id: `${k}:${opens}`, name: x.name, ts: rel(tsNs), pid: PAIR_PID, tid: k, args: { ...(x.keyOf ? { key: x.keyOf(i) } : {}), 'ktl.line': trace.line(i) } });
    }

    if (trace.eventId(i) === switchId && switchId >= 0) {
      const prev = running.get(cpu);
      if (prev && prev.pid > 0) {
        const proc = taskTrack(prev.pid, prev.tgid, prev.comm);
        emit({ ph: 'X', cat: 'sched', name: prev.comm, ts: rel(prev.startNs), dur: us(Math.max(0, tsNs - prev.startNs)), pid: proc, tid: prev.pid, args: { cpu } });
        slices++;
      }
      const nextPid = Number(j.fields.next_pid);
      const nextComm = j.fields.next_comm ?? '';
      if (j.fields.next_pid !== undefined && Number.isInteger(nextPid)) running.set(cpu, { pid: nextPid, tgid: -1, comm: nextComm, startNs: tsNs });
      else running.delete(cpu);
    } else {
      // The task an event ran in tells its tgid, when the trace records it.
      const r = running.get(cpu);
      if (r && r.pid === trace.pid(i) && r.tgid < 0) r.tgid = trace.tgid(i);
    }
    if (out.due) await out.flush();
  }
  // Tasks still on a CPU at the end: their slice ends at the last event.
  for (const [cpu, r] of [...running].sort((x, y) => x[0] - y[0])) {
    if (r.pid <= 0) continue;
    const proc = taskTrack(r.pid, r.tgid, r.comm);
    emit({ ph: 'X', cat: 'sched', name: r.comm, ts: rel(r.startNs), dur: us(Math.max(0, lastNs - r.startNs)), pid: proc, tid: r.pid, args: { cpu } });
    slices++;
  }
  await out.push('\n]}\n');
  await out.flush();
  return { instants, slices, flows, pairs, pairsBackwards };
}

/** Event indices by time, stable (file order among equal times). */
function timeOrder(trace: Trace): Int32Array {
  const n = trace.length;
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = trace.tsNs(i);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((x, y) => (ts[x] as number) - (ts[y] as number) || x - y);
}

/** Steps of event i are start[i] .. start[i + 1] - 1 (steps are in event order). */
function stepIndex(a: LifecycleAnalysis, n: number): { start: Int32Array } {
  const start = new Int32Array(n + 1);
  const steps = a.steps;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    start[i] = s;
    while (s < steps.length && steps.event(s) === i) s++;
  }
  return { start };
}
