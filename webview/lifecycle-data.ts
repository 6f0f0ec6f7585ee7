/**
 * Deep checks of the lifecycle and interleave replies before they are drawn (the protocol
 * guard looks at the envelope only); the drawing loops index typed arrays by what these say.
 * Strings stay untrusted after this: they are drawn on canvas or set as textContent.
 */
import type { EventRow, InterleaveData, LifecycleFinding, LifecycleLanes, LifecycleModelInfo, LifecycleSummary, ModelProblem } from '../src/protocol/messages';
import { LANE_LOST_STATE } from '../src/protocol/messages';
import { isCount as isIndex, isEventRow, isFiniteNumber, isRecord } from './sanitize';

function isStringList(v: unknown): v is readonly string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export function isModelList(v: unknown): v is readonly LifecycleModelInfo[] {
  return Array.isArray(v) && v.every((m) => isRecord(m) && typeof m.id === 'string' && typeof m.name === 'string' && typeof m.description === 'string' && (m.source === 'builtin' || m.source === 'workspace'));
}

export function isProblemList(v: unknown): v is readonly ModelProblem[] {
  return Array.isArray(v) && v.every((p) => isRecord(p) && typeof p.path === 'string' && typeof p.message === 'string');
}

function isFinding(v: unknown, lanes: number): v is LifecycleFinding {
  return (
    isRecord(v) &&
    typeof v.kind === 'string' &&
    typeof v.key === 'string' &&
    typeof v.lane === 'number' &&
    Number.isSafeInteger(v.lane) &&
    v.lane >= -1 &&
    v.lane < lanes &&
    isFiniteNumber(v.tsNs) &&
    isIndex(v.cpu) &&
    isIndex(v.line) &&
    isIndex(v.index) &&
    typeof v.event === 'string' &&
    typeof v.message === 'string'
  );
}

export function isLifecycleSummary(v: unknown): v is LifecycleSummary {
  if (!isRecord(v) || typeof v.model !== 'string' || !isStringList(v.states) || !isIndex(v.objects) || !isIndex(v.steps) || !isIndex(v.findingTotal)) return false;
  const objects = v.objects;
  if (!Array.isArray(v.findings) || !v.findings.every((f) => isFinding(f, objects))) return false;
  return Array.isArray(v.transitions) && v.transitions.every((t) => isRecord(t) && (t.from === null || typeof t.from === 'string') && typeof t.to === 'string' && isIndex(t.count));
}

export function isLifecycleLanes(v: unknown, states: number): v is LifecycleLanes {
  if (!isRecord(v) || typeof v.model !== 'string' || !isIndex(v.first) || !isFiniteNumber(v.startNs) || !isFiniteNumber(v.endNs) || !(v.endNs > v.startNs)) return false;
  if (!isStringList(v.names) || !Array.isArray(v.lanes)) return false;
  const first = v.first;
  const lanesOk = v.lanes.every(
    (l, k) =>
      isRecord(l) &&
      l.lane === first + k &&
      typeof l.key === 'string' &&
      isIndex(l.generation) &&
      isIndex(l.state) &&
      l.state < states &&
      typeof l.lost === 'boolean' &&
      isIndex(l.steps) &&
      Array.isArray(l.cpus) &&
      l.cpus.every(isIndex) &&
      isFiniteNumber(l.firstTsNs) &&
      isFiniteNumber(l.lastTsNs),
  );
  if (!lanesOk) return false;
  const s = v.segments;
  if (!isRecord(s)) return false;
  const { lane, state, startNs, endNs, index, line, name } = s;
  if (!(lane instanceof Uint32Array && state instanceof Uint8Array && startNs instanceof Float64Array && endNs instanceof Float64Array && index instanceof Uint32Array && line instanceof Uint32Array && name instanceof Uint32Array)) return false;
  const n = lane.length;
  if (![state, startNs, endNs, index, line, name].every((a) => a.length === n)) return false;
  for (let k = 0; k < n; k++) {
    const st = state[k] as number;
    if ((lane[k] as number) >= v.lanes.length || (st >= states && st !== LANE_LOST_STATE) || (name[k] as number) >= v.names.length) return false;
  }
  return true;
}

export function isFlightColumns(v: unknown): v is readonly { cpu: number; rows: readonly EventRow[] }[] {
  return Array.isArray(v) && v.every((c) => isRecord(c) && isIndex(c.cpu) && Array.isArray(c.rows) && c.rows.every(isEventRow));
}

export function isInterleaveData(v: unknown): v is InterleaveData {
  if (!isRecord(v) || typeof v.key !== 'string' || !Array.isArray(v.cpus) || !v.cpus.every(isIndex) || !isIndex(v.total)) return false;
  if (!(v.pair === null || (isRecord(v.pair) && typeof v.pair.open === 'string' && typeof v.pair.close === 'string'))) return false;
  if (!Array.isArray(v.events) || !v.events.every(isEventRow)) return false;
  if (!isIndex(v.sections) || !isIndex(v.unpairedCloses) || !isIndex(v.unclosed)) return false;
  return (
    Array.isArray(v.windows) &&
    v.windows.every(
      (w) =>
        isRecord(w) &&
        isIndex(w.rank) &&
        Array.isArray(w.cpus) &&
        w.cpus.length === 2 &&
        w.cpus.every(isIndex) &&
        isFiniteNumber(w.startNs) &&
        isFiniteNumber(w.endNs) &&
        isFiniteNumber(w.overlapNs) &&
        isFiniteNumber(w.gapNs) &&
        Array.isArray(w.opens) &&
        w.opens.length === 2 &&
        w.opens.every(isIndex) &&
        Array.isArray(w.inside) &&
        w.inside.every(isIndex) &&
        typeof w.message === 'string',
    )
  );
}
