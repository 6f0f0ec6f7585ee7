/**
 * Object lifecycles over a trace: every event a model maps becomes a step (object key, state);
 * the steps of one key, in trace order, are that object's lifecycle. Checked on the way:
 * legal transitions, FIFO order, poison keys, the same key twice in one batch, and (if the
 * model asks) objects that stop short. One pass over the events, O(1) work per event that no
 * mapping names and O(1) amortized per step: linear in the trace.
 *
 * Order. Steps are taken in trace (file) order, which for ftrace is time order across CPUs.
 *
 * Steps. Each event is tried against the mappings that name its event (`net_dev_queue` also
 * names perf script's `net:net_dev_queue`), in model order; the
 * first that yields a key and a known state wins. A step has a target state `to` and may
 * declare where the object came from (`from`: a transition marker's `FILL -> RX`, or a
 * kprobe whose site is itself a transition, like `__xsk_rcv_zc` taking a descriptor FILL->RX).
 * With `cur` the object's state before the step, the step is:
 *   - a start: the key is new, or its previous object ended in a terminal state (the address
 *     was freed and reused: a new generation), or a gap in the trace (lost events, a CPU buffer
 *     that started late) lies between this step and the object's previous one. A start is not
 *     judged against anything before it, except that a declared `from -> to` must be legal.
 *   - a witness: `to === cur`, and no step of the same mapping has reported `cur` yet. Two
 *     observers report one transition (the kernel's kprobe puts a descriptor in RX, then the
 *     application's marker says `FILL -> RX` for the same move). A declared `from -> to` must
 *     be legal; the state does not change.
 *   - a transition `cur -> to` otherwise (a second report of the same state by the same
 *     mapping is the transition S -> S, legal only if listed). Illegal: an invalid-transition
 *     finding. Also a finding when the step declares a `from` that is not `cur` (the event says
 *     the object left FILL, the trace has it in TX).
 *
 * FIFO pairs. Per queue, objects must leave in the order they entered. A queue is named by an
 * attribute of the enter step (`xs`, `q`); leave steps may name it differently (a marker's
 * `q:1` for the socket the kprobes call `xs=0x...`): the first leave of an object that is
 * queued links its leave-queue name to the queue it entered. At a leave of key K:
 *   - K at the head: popped. From now on the queue is in sync: every entry from before the trace
 *     began has left, so every later entry is one the trace saw.
 *   - K queued behind the head: fifo-order, expected = the head. The entries ahead of K are
 *     dropped (counted as skipped) so one disorder is reported once.
 *   - K not queued: fifo-order with expected = the head only if the queue is in sync; before that,
 *     K may have entered before the trace began, so nothing is said.
 *   - a poison key: one poison finding carrying the FIFO's expected key (the slot the poison
 *     was read from was the head's), and the head is popped.
 * Entering a queue while still queued in it is a fifo-order finding too (one object in a ring
 * twice: the AF_XDP FAQ's corruption).
 *
 * Batches. A batch is a maximal run of selected steps by one task (or on one CPU) with no other
 * event of that task (CPU) in between, and no gap in the trace. The same key twice in one batch,
 * with no other step of that object between the two, is a duplicate-in-batch finding (when only
 * a few probes are enabled, a CPU's run can be long enough for a descriptor to go round its whole
 * cycle inside it; that is not a duplicate).
 *
 * Edges. An excerpt starts and ends mid-flight. An object's first step is a start (never an
 * invalid transition, except a declared from->to that is illegal on its own), a leave of an
 * object whose enter is not in the trace says nothing until the queue is in sync, and an
 * object's last state is never a finding unless the model has `incomplete`: then an object
 * that stops in one of those states and is not seen for `afterNs` before the end of the trace,
 * with no gap in the trace after its last step, is reported.
 *
 * Gaps. `CPU:N [LOST M EVENTS]` and `##### CPU N buffer started ####` mean events are
 * missing; across them no transition is judged, FIFO queues are emptied and out of sync, and
 * batches end. An object whose last step was on the CPU that lost events, and that was not in a
 * terminal state, crossed the loss: its lifecycle from there on is unknown (an events-lost
 * finding, and an ObjectLoss the lanes draw as "incomplete: events lost").
 */
import type { Trace } from '../../trace/trace';
import { BlockColumn, int32Column } from '../../trace/columns';
import { EventFields, eventIdsNamed } from './fields';
import { gapText, traceGaps } from '../trace-gaps';
import { NO_STATE, isLegal, isReuse, normalizeKey, type CompiledMapping, type CompiledSelector, type LifecycleModel } from './model';

export type FindingKind = 'invalid-transition' | 'fifo-order' | 'poison' | 'duplicate-in-batch' | 'incomplete' | 'events-lost';

export interface Finding {
  readonly kind: FindingKind;
  readonly key: string;
  /** Generation of the object (0 = first object with this key; poison keys: 0). */
  readonly generation: number;
  /**
   * Time, CPU, 1-based file line and index of the event the finding is about. events-lost: the
   * object's last step before the loss, but `tsNs` is the loss's (where the marker is drawn).
   */
  readonly tsNs: number;
  readonly cpu: number;
  readonly line: number;
  readonly eventIndex: number;
  readonly event: string;
  /** invalid-transition: the state the trace had the object in (null: nothing before). */
  readonly from?: string | null;
  readonly to?: string;
  /** invalid-transition: the `from` the event itself declared, when it differs from `from`. */
  readonly claimedFrom?: string;
  /** fifo-order / poison: the key that should have left (null: the queue was empty). */
  readonly expected?: string | null;
  readonly fifo?: string;
  readonly queue?: string;
  /** duplicate-in-batch / fifo-order (entered twice): the earlier step's line and event. */
  readonly batch?: string;
  readonly firstLine?: number;
  readonly firstEventIndex?: number;
  /** incomplete: the state the object stopped in and how long before the end of the trace. */
  readonly state?: string;
  readonly idleNs?: number;
  /** events-lost: the gap's 1-based line in the file. */
  readonly gapLine?: number;
  readonly message: string;
}

/**
 * An object alive (not in a terminal state) on a CPU whose events were lost: its lane from
 * `tsNs` to its next step (or the end of the trace) is "incomplete: events lost", not a state.
 */
export interface ObjectLoss {
  readonly object: number;
  readonly cpu: number;
  /** RelNs of the gap (trace-gaps.ts). */
  readonly tsNs: number;
  readonly gapLine: number;
}

export const STEP_START = 0;
export const STEP_TRANSITION = 1;
export const STEP_WITNESS = 2;
export type StepKind = 'start' | 'transition' | 'witness';
const STEP_KIND_NAMES: readonly StepKind[] = ['start', 'transition', 'witness'];

/**
 * Why an object began: its key was first seen; the previous object with this key ended in a
 * terminal state; or the previous one made a `reuse` transition (freed without a trace event).
 */
export type ObjectOrigin = 'first-seen' | 'after-terminal' | 'reused';

export interface LifecycleObject {
  readonly id: number;
  readonly key: string;
  readonly generation: number;
  readonly origin: ObjectOrigin;
  /** Current (final) state index. */
  readonly state: number;
  readonly steps: number;
  readonly firstEvent: number;
  readonly lastEvent: number;
  readonly firstTsNs: number;
  readonly lastTsNs: number;
  /** CPUs its steps ran on, in order of first appearance. */
  readonly cpus: readonly number[];
  /** Index (in `steps`) of its last step; `objectAttrs` reads that step's attributes. */
  readonly lastStep: number;
}

interface MutableObject {
  id: number;
  key: string;
  generation: number;
  origin: ObjectOrigin;
  state: number;
  steps: number;
  firstEvent: number;
  lastEvent: number;
  firstTsNs: number;
  lastTsNs: number;
  cpus: number[];
  lastStep: number;
  /** Bit per mapping that has reported the current state. */
  mask: number;
  epoch: number;
}

export interface TransitionCount {
  /** null: a start (first step of an object). */
  readonly from: string | null;
  readonly to: string;
  readonly count: number;
  /** null for starts. */
  readonly legal: boolean | null;
}

/** Steps in trace order, as parallel columns (no object per step). */
export interface StepColumns {
  readonly length: number;
  /** Event index in the trace. */
  event(s: number): number;
  object(s: number): number;
  state(s: number): number;
  /** transition: the state before; start/witness: the declared `from`; NO_STATE when none. */
  prev(s: number): number;
  kind(s: number): number;
  mapping(s: number): number;
}

export interface LifecycleAnalysis {
  readonly model: LifecycleModel;
  readonly objects: readonly LifecycleObject[];
  readonly steps: StepColumns;
  readonly transitions: readonly TransitionCount[];
  readonly findings: readonly Finding[];
  /** Events a mapping named but that gave no step: no key, or a state the model does not have. */
  readonly ignored: { readonly noKey: number; readonly unknownState: number };
  /** FIFO entries dropped because a later entry left first. */
  readonly fifoSkipped: number;
  /** Objects that crossed a loss on their CPU, in trace order (each is also an events-lost finding). */
  readonly losses: readonly ObjectLoss[];
}

/** Which of a mapping's attributes to read: some of its fields, some of its pattern groups. */
interface AttrNames {
  readonly fields: readonly string[];
  readonly groups: readonly string[];
}

interface Extracted {
  key: string;
  to: number;
  from: number;
  attrs: Record<string, string> | null;
}

/**
 * Runs mapping `m` on event `i`; null when it does not apply, 'no-key' / 'unknown-state' when it
 * applies but gives no step. Only the attributes in `attrNames` are read (all when null): the
 * analysis reads just the ones its FIFO queues need, the rest is read again on demand.
 */
function extract(m: CompiledMapping, model: LifecycleModel, fields: EventFields, i: number, text: string, attrNames: AttrNames | null = null): Extracted | null | 'no-key' | 'unknown-state' {
  let groups: Record<string, string | undefined> | null = null;
  if (m.pattern !== null) {
    const mm = m.pattern.exec(text);
    if (mm === null) return null;
    groups = mm.groups ?? {};
  }
  const rawKey = m.keyField === null ? groups?.key : fields.field(i, m.keyField, text);
  if (rawKey === undefined || rawKey === '') return 'no-key';
  let to = m.state;
  if (to === NO_STATE) {
    const s = groups?.[m.stateGroup as string];
    const idx = s === undefined ? undefined : stateIndex(model, s);
    if (idx === undefined) return 'unknown-state';
    to = idx;
  }
  let from = m.from;
  if (m.fromGroup) {
    const s = groups?.from;
    if (s !== undefined) {
      const idx = stateIndex(model, s);
      if (idx === undefined) return 'unknown-state';
      from = idx;
    }
  }
  let attrs: Record<string, string> | null = null;
  const fieldNames = attrNames === null ? m.fields : attrNames.fields;
  const groupNames = attrNames === null ? m.attrGroups : attrNames.groups;
  if (fieldNames.length > 0 || groupNames.length > 0) {
    attrs = {};
    for (const f of fieldNames) {
      const v = fields.field(i, f, text);
      if (v !== undefined) attrs[f] = v;
    }
    for (const g of groupNames) {
      const v = groups?.[g];
      if (v !== undefined) attrs[g] = v;
    }
  }
  return { key: normalizeKey(rawKey, m.keyFormat), to, from, attrs };
}

/** State index of captured text: as written first (the common case), then case-insensitively. */
function stateIndex(model: LifecycleModel, text: string): number | undefined {
  const i = model.states.indexOf(text);
  return i >= 0 ? i : model.stateByName.get(text.toLowerCase());
}

interface FifoEntry {
  scope: FifoScope;
  pos: number;
  event: number;
}

interface FifoScope {
  name: string;
  keys: (string | null)[];
  head: number;
  synced: boolean;
}

class Fifo {
  readonly scopes = new Map<string, FifoScope>();
  /** Leave-side queue name -> the queue it was linked to. */
  readonly links = new Map<string, FifoScope>();
  /** Key -> its queued entries (one entry, or several when it entered more than once). */
  private readonly pending = new Map<string, FifoEntry | FifoEntry[]>();
  skipped = 0;

  constructor(readonly name: string) {}

  reset(): void {
    for (const s of this.scopes.values()) {
      s.keys = [];
      s.head = 0;
      s.synced = false;
    }
    this.pending.clear();
  }

  /** The oldest entry of `key`, in any queue. */
  first(key: string): FifoEntry | undefined {
    const v = this.pending.get(key);
    return v === undefined || !Array.isArray(v) ? v : v[0];
  }

  /** The oldest entry of `key` in queue `s`. */
  entryIn(key: string, s: FifoScope): FifoEntry | undefined {
    const v = this.pending.get(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return v.scope === s ? v : undefined;
    return v.find((e) => e.scope === s);
  }

  add(key: string, s: FifoScope, event: number): void {
    const entry: FifoEntry = { scope: s, pos: s.keys.length, event };
    s.keys.push(key);
    const v = this.pending.get(key);
    if (v === undefined) this.pending.set(key, entry);
    else if (Array.isArray(v)) v.push(entry);
    else this.pending.set(key, [v, entry]);
  }

  headKey(s: FifoScope): string | null {
    while (s.head < s.keys.length && s.keys[s.head] === null) s.head++;
    if (s.head > 1024 && s.head * 2 > s.keys.length) this.compact(s);
    return s.head < s.keys.length ? (s.keys[s.head] as string) : null;
  }

  /** Drops consumed slots so a long trace's queue array stays the size of what is queued. */
  private compact(s: FifoScope): void {
    const shift = s.head;
    s.keys = s.keys.slice(shift);
    s.head = 0;
    for (const v of this.pending.values()) {
      if (!Array.isArray(v)) {
        if (v.scope === s) v.pos -= shift;
      } else for (const e of v) if (e.scope === s) e.pos -= shift;
    }
  }

  removeEntry(key: string, entry: FifoEntry): void {
    entry.scope.keys[entry.pos] = null;
    const v = this.pending.get(key);
    if (v === entry) this.pending.delete(key);
    else if (Array.isArray(v)) {
      const k = v.indexOf(entry);
      if (k >= 0) v.splice(k, 1);
      if (v.length === 1) this.pending.set(key, v[0] as FifoEntry);
      else if (v.length === 0) this.pending.delete(key);
    }
  }

  /** Pops the head of `s` (with its pending entry). */
  popHead(s: FifoScope): void {
    const key = this.headKey(s);
    if (key === null) return;
    const entry = this.entryIn(key, s);
    if (entry && entry.pos === s.head) this.removeEntry(key, entry);
    else s.keys[s.head] = null;
  }

  /** The event that queued the head of `s`. */
  headEvent(s: FifoScope): number {
    const key = this.headKey(s);
    const entry = key !== null ? this.entryIn(key, s) : undefined;
    return entry ? entry.event : 0;
  }
}

interface BatchRun {
  lastEvent: number;
  epoch: number;
  keys: Map<string, number>;
}

export interface AnalyzeOptions {
  /** Called now and then with the number of events done, for progress reporting. */
  onProgress?: (done: number, total: number) => void;
}

export function analyzeLifecycles(trace: Trace, model: LifecycleModel, opts: AnalyzeOptions = {}): LifecycleAnalysis {
  const n = trace.length;
  const fields = new EventFields(trace);

  // Event-name id -> the mappings naming it.
  const byEvent: (CompiledMapping[] | undefined)[] = new Array(trace.strings.size);
  for (const m of model.mappings) {
    for (const ev of m.events) {
      for (const id of eventIdsNamed(trace, ev)) {
        const list = (byEvent[id] ??= []);
        if (!list.includes(m)) list.push(m);
      }
    }
  }

  // Gaps: event indices before which events are known to be missing.
  const gapList = traceGaps(trace);
  const gaps = [...new Set(gapList.map((g) => g.beforeEvent))];
  let gapAt = 0;
  let nextGap = gaps[0] ?? Infinity;
  let epoch = 0;
  // Per CPU: the live (non-terminal) objects whose last step was there, to find who crosses a loss.
  const liveOnCpu = new Map<number, Set<number>>();
  const losses: ObjectLoss[] = [];
  let lossAt = 0;

  const fifos = model.fifo.map((f) => new Fifo(f.name));
  // Per mapping: the FIFO sides and batches whose selector names it (or any mapping).
  type Side = { fifo: number; leave: boolean; sel: CompiledSelector };
  const sidesOf: Side[][] = model.mappings.map((m) => {
    const out: Side[] = [];
    model.fifo.forEach((f, k) => {
      // Leaves first: an event that leaves one queue and enters another is judged on the way out.
      if (f.leave.mapping === -1 || f.leave.mapping === m.index) out.push({ fifo: k, leave: true, sel: f.leave });
    });
    model.fifo.forEach((f, k) => {
      if (f.enter.mapping === -1 || f.enter.mapping === m.index) out.push({ fifo: k, leave: false, sel: f.enter });
    });
    return out;
  });
  // Attributes the analysis itself needs (FIFO queue names); the rest is read on demand.
  const hotAttrs: AttrNames[] = model.mappings.map((m) => {
    const names = new Set<string>();
    for (const f of model.fifo) for (const sel of [f.enter, f.leave]) if (sel.queue !== null && (sel.mapping === -1 || sel.mapping === m.index)) names.add(sel.queue);
    return { fields: m.fields.filter((x) => names.has(x)), groups: m.attrGroups.filter((x) => names.has(x)) };
  });
  const batchesOf: number[][] = model.mappings.map((m) => model.batches.flatMap((b, k) => (b.select.mapping === -1 || b.select.mapping === m.index ? [k] : [])));
  const batchRuns = model.batches.map(() => new Map<number, BatchRun>());
  const trackCpu = model.batches.some((b) => b.by === 'cpu');
  const trackTask = model.batches.some((b) => b.by === 'task');
  const lastOfCpu = new Int32Array(trackCpu ? 65536 : 0).fill(-1);
  let lastOfTask = new Int32Array(trackTask ? 65536 : 0).fill(-1);

  const objects: MutableObject[] = [];
  const current = new Map<string, number>();
  const findings: Finding[] = [];
  const transitionCounts = new Map<number, number>();
  const ignored = { noKey: 0, unknownState: 0 };
  let endTsNs = -Infinity;
  const wantEnd = model.incomplete !== null;

  const stEvent = int32Column();
  const stObject = int32Column();
  const stState = new BlockColumn(Uint8Array);
  const stPrev = new BlockColumn(Uint8Array);
  const stKind = new BlockColumn(Uint8Array);
  const stMapping = new BlockColumn(Uint8Array);

  const base = (i: number, key: string, generation: number): Pick<Finding, 'key' | 'generation' | 'tsNs' | 'cpu' | 'line' | 'eventIndex' | 'event'> => ({
    key,
    generation,
    tsNs: trace.tsNs(i),
    cpu: trace.cpu(i),
    line: trace.line(i),
    eventIndex: i,
    event: trace.event(i),
  });
  const sn = (s: number): string => model.states[s] as string;

  const selects = (sel: CompiledSelector, e: Extracted): boolean => (sel.state === NO_STATE || sel.state === e.to) && (sel.from === NO_STATE || sel.from === e.from);

  const fifoFinding = (f: Fifo, scope: FifoScope, e: Extracted, i: number, expected: string | null, why: string): void => {
    findings.push({ kind: 'fifo-order', ...base(i, e.key, 0), expected, fifo: f.name, queue: scope.name, message: `${f.name} (queue ${scope.name || '-'}): ${e.key} left ${why}` });
  };

  /** FIFO leave; for a poison key returns what the queue expected instead of reporting. */
  const fifoLeave = (f: Fifo, sel: CompiledSelector, e: Extracted, i: number, poison: boolean): { expected: string | null; queue: string } | null => {
    const q = sel.queue !== null ? (e.attrs?.[sel.queue] ?? '') : '';
    let scope = f.links.get(q);
    if (!scope) {
      const first = poison ? undefined : f.first(e.key);
      if (!first) return null; // no idea which queue this is yet
      scope = first.scope;
      f.links.set(q, scope);
    }
    const head = f.headKey(scope);
    if (poison) {
      if (!scope.synced || head === null) return null;
      f.popHead(scope);
      return { expected: head, queue: scope.name };
    }
    const mine = f.entryIn(e.key, scope);
    if (mine && mine.pos === scope.head) {
      f.removeEntry(e.key, mine);
      scope.synced = true;
      return null;
    }
    if (mine) {
      fifoFinding(f, scope, e, i, head, `before ${head}, which entered earlier (line ${trace.line(f.headEvent(scope))})`);
      // Drop what was skipped so this disorder is reported once.
      while (f.headKey(scope) !== null && scope.head < mine.pos) {
        f.popHead(scope);
        f.skipped++;
      }
      f.removeEntry(e.key, mine);
      scope.synced = true;
      return null;
    }
    // Not queued here. If it is queued in another queue of this FIFO, it left through the wrong one.
    const elsewhere = f.first(e.key);
    if (elsewhere) f.removeEntry(e.key, elsewhere);
    if (scope.synced) fifoFinding(f, scope, e, i, head, head === null ? 'without having entered (the queue was empty)' : `but ${head} was next`);
    return null;
  };
  const fifoEnter = (f: Fifo, sel: CompiledSelector, e: Extracted, i: number, gen: number): void => {
    const q = sel.queue !== null ? (e.attrs?.[sel.queue] ?? '') : '';
    let scope = f.scopes.get(q);
    if (!scope) {
      scope = { name: q, keys: [], head: 0, synced: false };
      f.scopes.set(q, scope);
    }
    const already = f.first(e.key);
    if (already) {
      findings.push({
        kind: 'fifo-order',
        ...base(i, e.key, gen),
        expected: null,
        fifo: f.name,
        queue: q,
        firstLine: trace.line(already.event),
        firstEventIndex: already.event,
        message: `${f.name} (queue ${q || '-'}): ${e.key} entered again while still queued (entered at line ${trace.line(already.event)})`,
      });
    }
    f.add(e.key, scope, i);
  };

  const step = (i: number, m: CompiledMapping, e: Extracted, prevCpuEvent: number, prevTaskEvent: number): void => {
    const bit = 1 << m.index;
    const { key, to, from } = e;
    if (m.poison.has(key)) {
      let fifoInfo: { expected: string | null; queue: string; fifo: string } | null = null;
      for (const side of sidesOf[m.index] as Side[]) {
        if (!side.leave || !selects(side.sel, e)) continue;
        const f = fifos[side.fifo] as Fifo;
        const r = fifoLeave(f, side.sel, e, i, true);
        if (r && !fifoInfo) fifoInfo = { ...r, fifo: f.name };
      }
      const b = base(i, key, 0);
      findings.push({
        kind: 'poison',
        ...b,
        to: sn(to),
        ...(fifoInfo ? { expected: fifoInfo.expected, fifo: fifoInfo.fifo, queue: fifoInfo.queue } : {}),
        message: `poison value ${key} seen (${b.event}, line ${b.line})${fifoInfo ? `; ${fifoInfo.fifo} expected ${fifoInfo.expected}` : ''}`,
      });
      return;
    }
    let oid = current.get(key);
    let o = oid === undefined ? undefined : objects[oid];
    let kind: number;
    let prev: number;
    const ts = trace.tsNs(i);
    const cpu = trace.cpu(i);
    const claimIllegal = from !== NO_STATE && !isLegal(model, from, to);
    const origin: ObjectOrigin | null =
      o === undefined ? 'first-seen' : model.terminal[o.state] === true ? 'after-terminal' : o.epoch === epoch && to !== o.state && isReuse(model, o.state, to) ? 'reused' : null;
    if (origin !== null || o === undefined || o.epoch !== epoch) {
      if (origin !== null || o === undefined) {
        // The previous object with this key (a reused address) is over: it crosses no later loss.
        if (o) liveOnCpu.get(trace.cpu(o.lastEvent))?.delete(o.id);
        oid = objects.length;
        o = { id: oid, key, generation: o ? o.generation + 1 : 0, origin: origin ?? 'first-seen', state: to, steps: 0, firstEvent: i, lastEvent: i, firstTsNs: ts, lastTsNs: ts, cpus: [], lastStep: -1, mask: 0, epoch };
        objects.push(o);
        current.set(key, oid);
      }
      kind = STEP_START;
      prev = from;
      o.mask = 0;
      if (claimIllegal) findings.push({ kind: 'invalid-transition', ...base(i, key, o.generation), from: sn(from), to: sn(to), message: `${key}: ${sn(from)} -> ${sn(to)} is not a legal transition (as the event itself says)` });
    } else if (to === o.state && (o.mask & bit) === 0) {
      kind = STEP_WITNESS;
      prev = from;
      if (claimIllegal) findings.push({ kind: 'invalid-transition', ...base(i, key, o.generation), from: sn(from), to: sn(to), message: `${key}: ${sn(from)} -> ${sn(to)} is not a legal transition (as the event itself says)` });
    } else {
      kind = STEP_TRANSITION;
      prev = o.state;
      const legal = isLegal(model, o.state, to);
      const mismatch = from !== NO_STATE && from !== o.state;
      if (!legal || mismatch) {
        findings.push({
          kind: 'invalid-transition',
          ...base(i, key, o.generation),
          from: sn(o.state),
          to: sn(to),
          ...(mismatch ? { claimedFrom: sn(from) } : {}),
          message: !legal
            ? `${key}: ${sn(o.state)} -> ${sn(to)} is not a legal transition${mismatch ? ` (the event says ${sn(from)} -> ${sn(to)})` : ''}`
            : `${key}: the event says ${sn(from)} -> ${sn(to)}, but the object was in ${sn(o.state)}`,
        });
      }
      o.mask = 0;
    }
    const prevObjectEvent = o.steps > 0 ? o.lastEvent : -1;
    if (o.steps > 0) liveOnCpu.get(trace.cpu(o.lastEvent))?.delete(o.id);
    if (model.terminal[to] !== true) {
      let live = liveOnCpu.get(cpu);
      if (!live) liveOnCpu.set(cpu, (live = new Set()));
      live.add(o.id);
    }
    o.state = to;
    o.mask |= bit;
    o.epoch = epoch;
    o.steps++;
    o.lastEvent = i;
    o.lastTsNs = ts;
    if (!o.cpus.includes(cpu)) o.cpus.push(cpu);
    o.lastStep = stEvent.length;
    if (kind !== STEP_WITNESS) {
      const tk = (kind === STEP_START ? NO_STATE : prev) * 256 + to;
      transitionCounts.set(tk, (transitionCounts.get(tk) ?? 0) + 1);
    }
    stEvent.push(i);
    stObject.push(o.id);
    stState.push(to);
    stPrev.push(prev);
    stKind.push(kind);
    stMapping.push(m.index);

    for (const side of sidesOf[m.index] as Side[]) {
      if (!selects(side.sel, e)) continue;
      const f = fifos[side.fifo] as Fifo;
      if (side.leave) fifoLeave(f, side.sel, e, i, false);
      else fifoEnter(f, side.sel, e, i, o.generation);
    }
    for (const k of batchesOf[m.index] as number[]) {
      const b = model.batches[k] as (typeof model.batches)[number];
      if (!selects(b.select, e)) continue;
      const group = b.by === 'cpu' ? cpu : trace.pid(i);
      if (group < 0) continue;
      const prevOfGroup = b.by === 'cpu' ? prevCpuEvent : prevTaskEvent;
      const runs = batchRuns[k] as Map<number, BatchRun>;
      let run = runs.get(group);
      if (!run || run.epoch !== epoch || run.lastEvent !== prevOfGroup) {
        run = { lastEvent: i, epoch, keys: new Map() };
        runs.set(group, run);
      }
      // Twice in the batch, with no other step of this object in between (a descriptor that went
      // round its whole cycle between two steps of one long run is not a duplicate).
      const first = run.keys.get(key);
      if (first !== undefined && first === prevObjectEvent) {
        findings.push({
          kind: 'duplicate-in-batch',
          ...base(i, key, o.generation),
          batch: b.name,
          firstLine: trace.line(first),
          firstEventIndex: first,
          message: `${key} twice in one ${b.name} batch (${b.by} ${group}): lines ${trace.line(first)} and ${trace.line(i)}`,
        });
      }
      run.keys.set(key, i);
      run.lastEvent = i;
    }
  };

  /** The gaps before event `upTo`: every live object on the gap's CPU crossed it. */
  const crossGaps = (upTo: number): void => {
    for (; lossAt < gapList.length && (gapList[lossAt] as (typeof gapList)[number]).beforeEvent <= upTo; lossAt++) {
      const g = gapList[lossAt] as (typeof gapList)[number];
      const live = liveOnCpu.get(g.cpu);
      if (!live) continue;
      for (const id of live) {
        const o = objects[id] as MutableObject;
        losses.push({ object: id, cpu: g.cpu, tsNs: g.tsNs, gapLine: g.line });
        findings.push({
          kind: 'events-lost',
          ...base(o.lastEvent, o.key, o.generation),
          // Drawn at the loss, where the lane turns "incomplete", not back at the last step.
          tsNs: g.tsNs,
          state: sn(o.state),
          gapLine: g.line,
          message: `${o.key} was ${sn(o.state)} when ${gapText(g)}: incomplete, what happened to it next is not in the trace`,
        });
      }
      live.clear();
    }
  };

  const PROGRESS_EVERY = 1 << 20;
  for (let i = 0; i < n; i++) {
    crossGaps(i);
    if (i >= nextGap) {
      epoch++;
      for (const f of fifos) f.reset();
      nextGap = gaps[++gapAt] ?? Infinity;
    }
    let prevCpuEvent = -1;
    let prevTaskEvent = -1;
    if (trackCpu) {
      const c = trace.cpu(i);
      prevCpuEvent = lastOfCpu[c] as number;
      lastOfCpu[c] = i;
    }
    if (trackTask) {
      const pid = trace.pid(i);
      if (pid >= 0) {
        if (pid >= lastOfTask.length) {
          let size = lastOfTask.length;
          while (size <= pid) size *= 2;
          const grown = new Int32Array(size).fill(-1);
          grown.set(lastOfTask);
          lastOfTask = grown;
        }
        prevTaskEvent = lastOfTask[pid] as number;
        lastOfTask[pid] = i;
      }
    }
    if (wantEnd) {
      const ts = trace.tsNs(i);
      if (ts > endTsNs) endTsNs = ts;
    }
    if (opts.onProgress && (i & (PROGRESS_EVERY - 1)) === 0) opts.onProgress(i, n);
    const ms = byEvent[trace.eventId(i)];
    if (ms === undefined) continue;
    const text = fields.text(i);
    let why: 'no-key' | 'unknown-state' | null = null;
    for (const m of ms) {
      const e = extract(m, model, fields, i, text, hotAttrs[m.index] as AttrNames);
      if (e === null) continue;
      if (typeof e === 'string') {
        why ??= e;
        continue;
      }
      why = null;
      step(i, m, e, prevCpuEvent, prevTaskEvent);
      break;
    }
    if (why === 'no-key') ignored.noKey++;
    else if (why === 'unknown-state') ignored.unknownState++;
  }

  crossGaps(Infinity);
  if (model.incomplete !== null) {
    const inc = model.incomplete;
    for (const o of objects) {
      if (current.get(o.key) !== o.id || model.terminal[o.state] === true || inc.states[o.state] !== true || o.epoch !== epoch) continue;
      const idle = endTsNs - o.lastTsNs;
      if (idle < inc.afterNs) continue;
      findings.push({
        kind: 'incomplete',
        ...base(o.lastEvent, o.key, o.generation),
        state: sn(o.state),
        idleNs: idle,
        message: `${o.key} stopped in ${sn(o.state)} at line ${trace.line(o.lastEvent)} and was not seen for the last ${(idle / 1e6).toFixed(3)} ms of the trace`,
      });
    }
  }
  findings.sort((a, b) => a.eventIndex - b.eventIndex);

  for (const c of [stEvent, stObject, stState, stPrev, stKind, stMapping]) c.setLength(stEvent.length);
  const steps: StepColumns = {
    length: stEvent.length,
    event: (s) => stEvent.get(s),
    object: (s) => stObject.get(s),
    state: (s) => stState.get(s),
    prev: (s) => stPrev.get(s),
    kind: (s) => stKind.get(s),
    mapping: (s) => stMapping.get(s),
  };
  const transitions: TransitionCount[] = [...transitionCounts]
    .map(([k, count]) => {
      const from = Math.floor(k / 256);
      const to = k % 256;
      return from === NO_STATE ? { from: null, to: sn(to), count, legal: null } : { from: sn(from), to: sn(to), count, legal: isLegal(model, from, to) };
    })
    .sort((a, b) => (a.from ?? '').localeCompare(b.from ?? '') || a.to.localeCompare(b.to));
  return {
    model,
    objects: objects.map(({ mask: _m, epoch: _e, ...o }) => o),
    steps,
    transitions,
    findings,
    ignored,
    fifoSkipped: fifos.reduce((a, f) => a + f.skipped, 0),
    losses,
  };
}

const groupedSteps = new WeakMap<LifecycleAnalysis, (objectId: number) => Int32Array>();

/** Step indices of each object, grouped (one counting-sort pass over the steps, cached). */
export function stepsByObject(a: LifecycleAnalysis): (objectId: number) => Int32Array {
  let f = groupedSteps.get(a);
  if (!f) {
    f = groupSteps(a);
    groupedSteps.set(a, f);
  }
  return f;
}

/** State segments for lifecycle lanes, as parallel columns. */
export interface LaneSegments {
  readonly length: number;
  readonly object: Int32Array;
  /** State index, or LOST_SEGMENT: from a loss on the object's CPU to its next step. */
  readonly state: Uint8Array;
  readonly startNs: Float64Array;
  /** The next step's time; for an object's last step, its own time (or `openUntilNs`, see laneSegments). */
  readonly endNs: Float64Array;
  /** Step index of the segment's first step (a lost segment: the step before the loss), for details and the flight recorder. */
  readonly step: Int32Array;
  /** A lost segment: the 1-based line of the gap in the file; 0 for a state segment. */
  readonly gapLine: Int32Array;
}

/** The state of a lane segment whose object crossed a loss: "incomplete: events lost" (models have at most 250 states; NO_STATE is 255). */
export const LOST_SEGMENT = 254;

const lossesByObject = new WeakMap<LifecycleAnalysis, Map<number, ObjectLoss[]>>();

/** The losses an object crossed, in trace order (cached per analysis). */
export function objectLosses(a: LifecycleAnalysis, objectId: number): readonly ObjectLoss[] {
  let m = lossesByObject.get(a);
  if (!m) {
    m = new Map();
    for (const l of a.losses) {
      const list = m.get(l.object);
      if (list) list.push(l);
      else m.set(l.object, [l]);
    }
    lossesByObject.set(a, m);
  }
  return m.get(objectId) ?? [];
}

/** Whether the object's last step came before a loss on its CPU: where it ended is not known. */
export function endsInLoss(a: LifecycleAnalysis, trace: Trace, objectId: number): boolean {
  const l = objectLosses(a, objectId);
  const last = l[l.length - 1];
  const o = a.objects[objectId];
  return last !== undefined && o !== undefined && last.tsNs >= trace.tsNs(o.lastEvent);
}

/**
 * The state segments of `objectIds` for a timeline: each step's state lasts until the object's
 * next step. An object's last segment ends at its last step, unless the object is not in a
 * terminal state and `openUntilNs` is given (the end of the trace: it was still there). A loss
 * on the object's CPU between two steps (or after its last) cuts the segment: from the loss on,
 * a LOST_SEGMENT up to the next step (or `openUntilNs`). Only segments overlapping
 * [fromNs, toNs] are returned.
 */
export function laneSegments(a: LifecycleAnalysis, trace: Trace, objectIds: readonly number[], fromNs = -Infinity, toNs = Infinity, openUntilNs?: number): LaneSegments {
  const stepsOf = stepsByObject(a);
  let n = 0;
  for (const id of objectIds) n += stepsOf(id).length + objectLosses(a, id).length;
  const object = new Int32Array(n);
  const state = new Uint8Array(n);
  const startNs = new Float64Array(n);
  const endNs = new Float64Array(n);
  const step = new Int32Array(n);
  const gapLine = new Int32Array(n);
  let k = 0;
  const push = (id: number, st: number, start: number, end: number, s: number, gap: number): void => {
    if (end < fromNs || start > toNs) return;
    object[k] = id;
    state[k] = st;
    startNs[k] = start;
    endNs[k] = end;
    step[k] = s;
    gapLine[k] = gap;
    k++;
  };
  for (const id of objectIds) {
    const steps = stepsOf(id);
    const losses = objectLosses(a, id);
    let lossAt = 0;
    const o = a.objects[id] as LifecycleObject;
    for (let j = 0; j < steps.length; j++) {
      const s = steps[j] as number;
      const start = trace.tsNs(a.steps.event(s));
      const next = steps[j + 1];
      const nextNs = next !== undefined ? trace.tsNs(a.steps.event(next)) : Infinity;
      // The first loss after this step and before the next one (each loss lies between two steps).
      const loss = losses[lossAt];
      if (loss !== undefined && loss.tsNs >= start && loss.tsNs <= nextNs) {
        while (lossAt < losses.length && (losses[lossAt] as ObjectLoss).tsNs <= nextNs) lossAt++;
        const end = next !== undefined ? nextNs : Math.max(loss.tsNs, openUntilNs ?? loss.tsNs);
        push(id, a.steps.state(s), start, loss.tsNs, s, 0);
        push(id, LOST_SEGMENT, loss.tsNs, end, s, loss.gapLine);
        continue;
      }
      const end = next !== undefined ? nextNs : openUntilNs !== undefined && a.model.terminal[o.state] !== true ? Math.max(start, openUntilNs) : start;
      push(id, a.steps.state(s), start, end, s, 0);
    }
  }
  return {
    length: k,
    object: object.subarray(0, k),
    state: state.subarray(0, k),
    startNs: startNs.subarray(0, k),
    endNs: endNs.subarray(0, k),
    step: step.subarray(0, k),
    gapLine: gapLine.subarray(0, k),
  };
}

function groupSteps(a: LifecycleAnalysis): (objectId: number) => Int32Array {
  const offsets = new Int32Array(a.objects.length + 1);
  for (let s = 0; s < a.steps.length; s++) (offsets[a.steps.object(s) + 1] as number)++;
  for (let k = 0; k < a.objects.length; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  const fill = offsets.slice(0, a.objects.length);
  const order = new Int32Array(a.steps.length);
  for (let s = 0; s < a.steps.length; s++) {
    const o = a.steps.object(s);
    order[fill[o] as number] = s;
    fill[o] = (fill[o] as number) + 1;
  }
  return (objectId) => order.subarray(offsets[objectId] as number, offsets[objectId + 1] as number);
}

export function stepKindName(kind: number): StepKind {
  return STEP_KIND_NAMES[kind] as StepKind;
}

/** The attributes of step `s` (fields / pattern groups), read again from the event. */
export function stepAttrs(trace: Trace, a: LifecycleAnalysis, s: number, fields = new EventFields(trace)): Record<string, string> | null {
  const m = a.model.mappings[a.steps.mapping(s)] as CompiledMapping;
  const i = a.steps.event(s);
  const e = extract(m, a.model, fields, i, fields.text(i));
  return e !== null && typeof e !== 'string' ? e.attrs : null;
}

/** The attributes of an object's last step (e.g. an skb's drop `reason` and `location`). */
export function objectAttrs(trace: Trace, a: LifecycleAnalysis, objectId: number, fields = new EventFields(trace)): Record<string, string> | null {
  const o = a.objects[objectId];
  return o && o.lastStep >= 0 ? stepAttrs(trace, a, o.lastStep, fields) : null;
}

const cpuSets = new WeakMap<Trace, number[]>();

/** CPUs that have events, ascending (cached per trace). */
export function traceCpus(trace: Trace): number[] {
  let cpus = cpuSets.get(trace);
  if (!cpus) {
    const seen = new Uint8Array(65536);
    for (let i = 0; i < trace.length; i++) seen[trace.cpu(i)] = 1;
    cpus = [];
    for (let c = 0; c < seen.length; c++) if (seen[c]) cpus.push(c);
    cpuSets.set(trace, cpus);
  }
  return cpus;
}

export interface FlightRecord {
  readonly cpu: number;
  /** Event indices, oldest first; on the finding's CPU the last one is the finding's event. */
  readonly events: readonly number[];
}

/**
 * The "flight recorder" of a finding: on every CPU of the trace, the `perCpu` events up to and
 * including event `eventIndex` in trace order (the ftrace ring buffers' view just before the
 * finding). Scans backwards at most `maxScan` events.
 */
export function flightRecorder(trace: Trace, eventIndex: number, perCpu = 10, maxScan = 1_000_000): FlightRecord[] {
  const cpus = traceCpus(trace);
  const lists = new Map<number, number[]>(cpus.map((c) => [c, []]));
  let open = cpus.length;
  const stop = Math.max(0, eventIndex - maxScan);
  for (let i = Math.min(eventIndex, trace.length - 1); i >= stop && open > 0; i--) {
    const list = lists.get(trace.cpu(i)) as number[];
    if (list.length >= perCpu) continue;
    list.push(i);
    if (list.length === perCpu) open--;
  }
  return cpus.map((cpu) => ({ cpu, events: (lists.get(cpu) as number[]).reverse() }));
}
