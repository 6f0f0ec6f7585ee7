/**
 * The JSON shapes of lifecycle and interleaving results, shared by `ktl lifecycle`,
 * `ktl interleave`, the golden tests and (through the worker) the timeline view.
 */
import type { Trace } from '../../trace/trace';
import { eventJson, type EventJson } from '../../formats/decode';
import { EventFields } from './fields';
import { NO_STATE, normalizeKey } from './model';
import { flightRecorder, objectAttrs, stepAttrs, stepKindName, stepsByObject, type Finding, type LifecycleAnalysis, type ObjectOrigin, type StepKind, type TransitionCount } from './analyze';
import type { CriticalSection, InterleaveResult, InterleaveWindow } from './interleave';

export interface StepJson {
  tsNs: number;
  cpu: number;
  pid: number;
  comm: string;
  event: string;
  line: number;
  state: string;
  kind: StepKind;
  /** transition: the state before; start/witness: the `from` the event declared. */
  from?: string;
  attrs?: Record<string, string>;
}

export interface ObjectJson {
  key: string;
  generation: number;
  origin: ObjectOrigin;
  state: string;
  terminal: boolean;
  steps: number;
  cpus: number[];
  firstTsNs: number;
  lastTsNs: number;
  firstLine: number;
  lastLine: number;
  attrs?: Record<string, string>;
  history?: StepJson[];
}

export type FindingJson = Finding & { flight?: { cpu: number; events: EventJson[] }[] };

export interface LifecycleJson {
  model: string;
  events: number;
  objectCount: number;
  stepCount: number;
  objects: ObjectJson[];
  transitions: TransitionCount[];
  findings: FindingJson[];
  findingCounts: Record<string, number>;
  ignored: { noKey: number; unknownState: number };
  fifoSkipped: number;
}

export interface LifecycleJsonOptions {
  /** Include each object's steps (default true). */
  history?: boolean;
  /** Only these keys (compared as hex numbers when both look like one). */
  keys?: readonly string[];
  /** Attach the flight recorder (this many events per CPU) to every finding. */
  flight?: number;
}

function keyMatches(key: string, wanted: readonly string[]): boolean {
  return wanted.some((w) => w === key || normalizeKey(w, 'hex') === normalizeKey(key, 'hex'));
}

export function lifecycleJson(trace: Trace, a: LifecycleAnalysis, opts: LifecycleJsonOptions = {}): LifecycleJson {
  const history = opts.history ?? true;
  const keys = opts.keys && opts.keys.length > 0 ? opts.keys : null;
  const fields = new EventFields(trace);
  const stepsOf = history ? stepsByObject(a) : null;
  const objects: ObjectJson[] = [];
  for (const o of a.objects) {
    if (keys && !keyMatches(o.key, keys)) continue;
    const j: ObjectJson = {
      key: o.key,
      generation: o.generation,
      origin: o.origin,
      state: a.model.states[o.state] as string,
      terminal: a.model.terminal[o.state] === true,
      steps: o.steps,
      cpus: [...o.cpus],
      firstTsNs: o.firstTsNs,
      lastTsNs: o.lastTsNs,
      firstLine: trace.line(o.firstEvent),
      lastLine: trace.line(o.lastEvent),
    };
    const attrs = objectAttrs(trace, a, o.id, fields);
    if (attrs && Object.keys(attrs).length > 0) j.attrs = attrs;
    if (stepsOf) j.history = [...stepsOf(o.id)].map((s) => stepJson(trace, a, s, fields));
    objects.push(j);
  }
  const findings: FindingJson[] = [];
  const findingCounts: Record<string, number> = {};
  for (const f of a.findings) {
    if (keys && !keyMatches(f.key, keys)) continue;
    findingCounts[f.kind] = (findingCounts[f.kind] ?? 0) + 1;
    const j: FindingJson = { ...f };
    if (opts.flight !== undefined && opts.flight > 0) j.flight = flightRecorder(trace, f.eventIndex, opts.flight).map((r) => ({ cpu: r.cpu, events: r.events.map((i) => eventJson(trace, i)) }));
    findings.push(j);
  }
  return {
    model: a.model.name,
    events: trace.length,
    objectCount: a.objects.length,
    stepCount: a.steps.length,
    objects,
    transitions: [...a.transitions],
    findings,
    findingCounts,
    ignored: { ...a.ignored },
    fifoSkipped: a.fifoSkipped,
  };
}

export function stepJson(trace: Trace, a: LifecycleAnalysis, s: number, fields = new EventFields(trace)): StepJson {
  const i = a.steps.event(s);
  const j: StepJson = {
    tsNs: trace.tsNs(i),
    cpu: trace.cpu(i),
    pid: trace.pid(i),
    comm: trace.comm(i),
    event: trace.event(i),
    line: trace.line(i),
    state: a.model.states[a.steps.state(s)] as string,
    kind: stepKindName(a.steps.kind(s)),
  };
  const prev = a.steps.prev(s);
  if (prev !== NO_STATE) j.from = a.model.states[prev] as string;
  const attrs = stepAttrs(trace, a, s, fields);
  if (attrs && Object.keys(attrs).length > 0) j.attrs = attrs;
  return j;
}

export interface EventRefJson {
  line: number;
  tsNs: number;
  cpu: number;
  event: string;
}

export interface SectionJson {
  cpu: number;
  startTsNs: number;
  endTsNs: number;
  opens: number;
  open: EventRefJson;
  /** null: still open at the end of the trace. */
  close: EventRefJson | null;
}

export interface WindowJson {
  rank: number;
  cpus: [number, number];
  startTsNs: number;
  endTsNs: number;
  overlapNs: number;
  gapNs: number;
  distanceNs: number;
  a: SectionJson;
  b: SectionJson;
  inside: (EventRefJson & { intoCpu: number })[];
  message: string;
}

export interface InterleaveJson {
  key: { field: string | null; value: string };
  pair: { open: string; close: string } | null;
  cpus: number[];
  events: EventJson[];
  sections: SectionJson[];
  windows: WindowJson[];
  unpairedCloses: number;
  unclosed: number;
}

function ref(trace: Trace, i: number): EventRefJson {
  return { line: trace.line(i), tsNs: trace.tsNs(i), cpu: trace.cpu(i), event: trace.event(i) };
}

function sectionJson(trace: Trace, s: CriticalSection): SectionJson {
  return { cpu: s.cpu, startTsNs: s.startTsNs, endTsNs: s.endTsNs, opens: s.opens, open: ref(trace, s.open), close: s.close === null ? null : ref(trace, s.close) };
}

const us = (ns: number): string => `${(ns / 1000).toFixed(3)} µs`;

export function windowMessage(trace: Trace, w: InterleaveWindow): string {
  const sec = (s: CriticalSection): string => `${trace.event(s.open)} (line ${trace.line(s.open)}) .. ${s.close === null ? 'end of trace' : `${trace.event(s.close)} (line ${trace.line(s.close)})`}`;
  const both = `CPU ${w.a.cpu} [${sec(w.a)}] and CPU ${w.b.cpu} [${sec(w.b)}]`;
  if (w.overlapNs <= 0) return `${both} missed each other by ${us(w.gapNs)}`;
  const ins = w.inside.map((x) => `CPU ${x.cpu} ran ${trace.event(x.event)} (line ${trace.line(x.event)}) while CPU ${x.intoCpu} was inside`).join('; ');
  return `${both} overlap for ${us(w.overlapNs)}${ins ? `: ${ins}` : ''}`;
}

export function interleaveJson(trace: Trace, q: { field: string | null; value: string; pair?: { open: string; close: string } }, r: InterleaveResult): InterleaveJson {
  return {
    key: { field: q.field, value: q.value },
    pair: q.pair ?? null,
    cpus: [...r.cpus],
    events: r.events.map((i) => eventJson(trace, i)),
    sections: r.sections.map((s) => sectionJson(trace, s)),
    windows: r.windows.map((w, k) => ({
      rank: k + 1,
      cpus: [w.a.cpu, w.b.cpu],
      startTsNs: w.startTsNs,
      endTsNs: w.endTsNs,
      overlapNs: w.overlapNs,
      gapNs: w.gapNs,
      distanceNs: w.distanceNs,
      a: sectionJson(trace, w.a),
      b: sectionJson(trace, w.b),
      inside: w.inside.map((x) => ({ ...ref(trace, x.event), intoCpu: x.intoCpu })),
      message: windowMessage(trace, w),
    })),
    unpairedCloses: r.unpairedCloses,
    unclosed: r.unclosed,
  };
}
