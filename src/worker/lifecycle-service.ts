/**
 * The lifecycle and interleaving views' queries over a loaded trace (worker side): the model
 * list (built-ins + the workspace's .vscode/kernel-trace.json, whose text the extension host
 * reads and passes along), one analysis per model (computed on first use, cached), windows of
 * lanes over a time range, a finding's flight recorder, and one object across CPUs.
 *
 * A lanes reply carries at most MAX_LIFECYCLE_LANES objects and, per lane, at most one segment
 * per pixel column (a segment is dropped only when it ends in the column where the previous
 * kept one ended: it could not be seen), so its size is bounded by lanes x resolution whatever
 * the trace.
 */
import type { EventRow, InterleaveData, LifecycleFinding, LifecycleLanes, LifecycleModelInfo, LifecycleSummary, LifecycleToWebview, ModelProblem } from '../protocol/messages';
import { LANE_LOST_STATE, MAX_FLIGHT_PER_CPU, MAX_INTERLEAVE_EVENTS, MAX_LIFECYCLE_FINDINGS, MAX_LIFECYCLE_LANES, MAX_TIMELINE_RESOLUTION } from '../protocol/messages';
import type { WorkerLifecycleRequest, WorkspaceModels } from '../protocol/worker-messages';
import { analyzeLifecycles, endsInLoss, flightRecorder, laneSegments, LOST_SEGMENT, type LifecycleAnalysis } from '../core/analysis/lifecycle/analyze';
import { parseKernelTraceConfig, type LifecycleModel } from '../core/analysis/lifecycle/model';
import { ModelError } from '../core/config/kernel-trace-json';
import { builtinModel, builtinModelNames } from '../core/analysis/lifecycle/models/index';
import { interleave, parseObjectKey } from '../core/analysis/lifecycle/interleave';
import { windowMessage } from '../core/analysis/lifecycle/json';
import type { Trace } from '../core/trace/trace';

interface Workspace {
  readonly text: string;
  readonly path: string;
  readonly models: readonly LifecycleModel[];
  readonly problems: readonly ModelProblem[];
}

export class LifecycleService {
  private readonly analyses = new Map<string, LifecycleAnalysis>();
  /** Per analysis: `key#generation` -> object id (for placing findings on lanes). */
  private readonly objectIds = new WeakMap<LifecycleAnalysis, Map<string, number>>();
  private workspace: Workspace | null = null;
  private endTsNs: number | null = null;

  constructor(private readonly trace: Trace) {}

  /** Answers one request (throws on a bad one; the caller turns it into requestError). */
  answer(msg: WorkerLifecycleRequest, config: WorkspaceModels | null, row: (index: number) => EventRow): LifecycleToWebview {
    this.setConfig(config);
    switch (msg.type) {
      case 'lifecycleModels': {
        const ws = this.workspace;
        return { type: 'lifecycleModels', requestId: msg.requestId, models: this.models(), configPath: ws?.path ?? null, problems: ws?.problems ?? [] };
      }
      case 'lifecycle':
        return { type: 'lifecycle', requestId: msg.requestId, summary: this.summary(msg.model) };
      case 'lifecycleLanes':
        return { type: 'lifecycleLanes', requestId: msg.requestId, lanes: this.lanes(msg.model, msg.first, msg.count, msg.startNs, msg.endNs, msg.resolution) };
      case 'flightRecorder': {
        if (msg.index >= this.trace.length) throw new Error(`no event ${msg.index} (the trace has ${this.trace.length})`);
        const per = Math.min(MAX_FLIGHT_PER_CPU, Math.max(1, msg.perCpu));
        const columns = flightRecorder(this.trace, msg.index, per).map((r) => ({ cpu: r.cpu, rows: r.events.map(row) }));
        return { type: 'flightRecorder', requestId: msg.requestId, index: msg.index, columns };
      }
      case 'interleave':
        return { type: 'interleave', requestId: msg.requestId, data: this.interleave(msg.key, msg.pair, row) };
    }
  }

  models(): LifecycleModelInfo[] {
    const out: LifecycleModelInfo[] = builtinModelNames().map((name) => {
      const m = builtinModel(name) as LifecycleModel;
      return { id: `builtin:${name}`, name, description: m.description, source: 'builtin' };
    });
    for (const m of this.workspace?.models ?? []) out.push({ id: `workspace:${m.name}`, name: m.name, description: m.description, source: 'workspace' });
    return out;
  }

  summary(modelId: string): LifecycleSummary {
    const a = this.analysis(modelId);
    const t = this.trace;
    const ids = this.objectIndex(a);
    const findings: LifecycleFinding[] = a.findings.slice(0, MAX_LIFECYCLE_FINDINGS).map((f) => ({
      kind: f.kind,
      key: f.key,
      lane: f.kind === 'poison' ? -1 : (ids.get(`${f.key}#${f.generation}`) ?? -1),
      tsNs: f.tsNs,
      cpu: f.cpu,
      line: f.line,
      index: f.eventIndex,
      event: t.event(f.eventIndex),
      message: f.message,
    }));
    return {
      model: modelId,
      states: [...a.model.states],
      objects: a.objects.length,
      steps: a.steps.length,
      findings,
      findingTotal: a.findings.length,
      transitions: a.transitions.map((x) => ({ ...x })),
    };
  }

  lanes(modelId: string, first: number, count: number, startNs: number, endNs: number, resolution: number): LifecycleLanes {
    if (!(endNs > startNs)) throw new Error('empty time range');
    const a = this.analysis(modelId);
    const t = this.trace;
    const n = Math.max(0, Math.min(MAX_LIFECYCLE_LANES, count, a.objects.length - first));
    const ids: number[] = [];
    for (let k = 0; k < n; k++) ids.push(first + k);
    const seg = laneSegments(a, t, ids, startNs, endNs, this.traceEnd());
    const res = Math.min(MAX_TIMELINE_RESOLUTION, Math.max(1, Math.floor(resolution)));
    const nsPerPx = (endNs - startNs) / res;
    const column = (ns: number): number => Math.floor((ns - startNs) / nsPerPx);
    const keep: number[] = [];
    let lastObject = -1;
    let lastColumn = -Infinity;
    for (let k = 0; k < seg.length; k++) {
      const o = seg.object[k] as number;
      if (o !== lastObject) {
        lastObject = o;
        lastColumn = -Infinity;
      }
      const end = column(seg.endNs[k] as number);
      // A lost segment is kept whatever its width: the lane must not look complete where it is not.
      if (end <= lastColumn && seg.state[k] !== LOST_SEGMENT) continue;
      keep.push(k);
      lastColumn = end;
    }
    const names: string[] = [];
    const nameIds = new Map<string, number>();
    const lane = new Uint32Array(keep.length);
    const state = new Uint8Array(keep.length);
    const start = new Float64Array(keep.length);
    const end = new Float64Array(keep.length);
    const index = new Uint32Array(keep.length);
    const line = new Uint32Array(keep.length);
    const name = new Uint32Array(keep.length);
    keep.forEach((k, j) => {
      const ev = a.steps.event(seg.step[k] as number);
      const evName = t.event(ev);
      let id = nameIds.get(evName);
      if (id === undefined) {
        id = names.length;
        names.push(evName);
        nameIds.set(evName, id);
      }
      lane[j] = (seg.object[k] as number) - first;
      state[j] = seg.state[k] === LOST_SEGMENT ? LANE_LOST_STATE : (seg.state[k] as number);
      start[j] = seg.startNs[k] as number;
      end[j] = seg.endNs[k] as number;
      index[j] = ev;
      line[j] = (seg.gapLine[k] as number) || t.line(ev);
      name[j] = id;
    });
    return {
      model: modelId,
      first,
      startNs,
      endNs,
      lanes: ids.map((id) => {
        const o = a.objects[id] as LifecycleAnalysis['objects'][number];
        return { lane: id, key: o.key, generation: o.generation, state: o.state, lost: endsInLoss(a, t, id), steps: o.steps, cpus: [...o.cpus], firstTsNs: o.firstTsNs, lastTsNs: o.lastTsNs };
      }),
      segments: { lane, state, startNs: start, endNs: end, index, line, name },
      names,
    };
  }

  interleave(spec: string, pair: { open: string; close: string } | null, row: (index: number) => EventRow): InterleaveData {
    const key = parseObjectKey(spec.trim());
    if (!key) throw new Error(`expected FIELD=VALUE (e.g. xs=0xffff90fd32693c00) or a bare VALUE, got "${spec}"`);
    const t = this.trace;
    const q = { ...key, ...(pair ? { pair } : {}) };
    const r = interleave(t, q);
    return {
      key: key.field === null ? key.value : `${key.field}=${key.value}`,
      pair,
      cpus: [...r.cpus],
      events: r.events.slice(0, MAX_INTERLEAVE_EVENTS).map(row),
      total: r.events.length,
      windows: r.windows.map((w, k) => ({
        rank: k + 1,
        cpus: [w.a.cpu, w.b.cpu] as const,
        startNs: w.startTsNs,
        endNs: w.endTsNs,
        overlapNs: w.overlapNs,
        gapNs: w.gapNs,
        opens: [w.a.open, w.b.open] as const,
        inside: w.inside.map((x) => x.event),
        message: windowMessage(t, w),
      })),
      sections: r.sections.length,
      unpairedCloses: r.unpairedCloses,
      unclosed: r.unclosed,
    };
  }

  /** The analysis for `builtin:NAME` / `workspace:NAME`, computed once per model. */
  analysis(modelId: string): LifecycleAnalysis {
    const cached = this.analyses.get(modelId);
    if (cached) return cached;
    const model = this.model(modelId);
    const a = analyzeLifecycles(this.trace, model);
    this.analyses.set(modelId, a);
    return a;
  }

  private model(modelId: string): LifecycleModel {
    const m = /^(builtin|workspace):(.+)$/.exec(modelId);
    const name = m?.[2] ?? '';
    const found = m?.[1] === 'builtin' ? builtinModel(name) : this.workspace?.models.find((x) => x.name === name);
    if (!found) {
      const problems = this.workspace?.problems.length ? ` (${this.workspace.path} has ${this.workspace.problems.length} problem${this.workspace.problems.length === 1 ? '' : 's'})` : '';
      throw new Error(`no lifecycle model "${modelId}"; models: ${this.models().map((x) => x.id).join(', ')}${problems}`);
    }
    return found;
  }

  /** Takes the workspace config the host read; a changed file drops its models' analyses. */
  private setConfig(config: WorkspaceModels | null): void {
    if (config === null) {
      if (this.workspace !== null) this.dropWorkspace();
      this.workspace = null;
      return;
    }
    if (this.workspace?.text === config.text && this.workspace.path === config.path) return;
    this.dropWorkspace();
    try {
      this.workspace = { ...config, models: parseKernelTraceConfig(config.text, config.path), problems: [] };
    } catch (err) {
      const problems = err instanceof ModelError ? err.errors.map((e) => ({ path: e.path, message: e.message })) : [{ path: '(top level)', message: err instanceof Error ? err.message : String(err) }];
      this.workspace = { ...config, models: [], problems };
    }
  }

  private dropWorkspace(): void {
    for (const id of [...this.analyses.keys()]) if (id.startsWith('workspace:')) this.analyses.delete(id);
  }

  private objectIndex(a: LifecycleAnalysis): Map<string, number> {
    let m = this.objectIds.get(a);
    if (!m) {
      m = new Map(a.objects.map((o) => [`${o.key}#${o.generation}`, o.id]));
      this.objectIds.set(a, m);
    }
    return m;
  }

  /** Time of the last event: objects not in a terminal state stay open until then. */
  private traceEnd(): number {
    if (this.endTsNs === null) {
      let end = 0;
      for (let i = 0; i < this.trace.length; i++) end = Math.max(end, this.trace.tsNs(i));
      this.endTsNs = end;
    }
    return this.endTsNs;
  }
}
