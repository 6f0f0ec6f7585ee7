/**
 * A checker for the Chrome Trace Event Format (JSON Object Format), as ui.perfetto.dev and
 * chrome://tracing read it. Spec: "Trace Event Format" (Google document
 * 1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU). Checks what a viewer relies on:
 *   - the top level is an object with a `traceEvents` array (displayTimeUnit "ms" or "ns");
 *   - every event has a known `ph`, a finite `ts` >= 0 (µs), integer `pid` and `tid`, a name;
 *   - `X` has `dur` >= 0; `i` has scope `s` in g/p/t; `M` is one of the metadata names with args;
 *   - timestamps never go backwards on one track (pid, tid) for i / X / B / E;
 *   - B/E balance per track (and X slices nest: none ends inside another it started after);
 *   - flows (s/t/f) pair up per (cat, id): one s first, one f last, steps between, ts in order;
 *   - async slices (b/e) pair up per (cat, id): one b, then one e with the same name, not earlier;
 *   - every track with events is named by a thread_name metadata event.
 * Returns the problems (empty when the document is valid) and counts by phase.
 */

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'P', 'O', 'N', 'D', 'M', 'R', 'c', '(', ')']);
const METADATA = new Set(['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index']);

export interface CheckResult {
  readonly problems: string[];
  readonly byPhase: Record<string, number>;
  /** Instants of category `event`: one per trace event in our exports. */
  readonly eventInstants: number;
  readonly flowIds: number;
  /** Async slices (b/e pairs by cat and id). */
  readonly asyncIds: number;
}

type Ev = Record<string, unknown>;

export function checkTraceEvents(doc: unknown, maxProblems = 20): CheckResult {
  const problems: string[] = [];
  const byPhase: Record<string, number> = {};
  const bad = (i: number, msg: string): void => {
    if (problems.length < maxProblems) problems.push(`event ${i}: ${msg}`);
  };
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as Ev).traceEvents)) return { problems: ['top level is not an object with a traceEvents array'], byPhase, eventInstants: 0, flowIds: 0, asyncIds: 0 };
  const top = doc as Ev;
  if (top.displayTimeUnit !== undefined && top.displayTimeUnit !== 'ms' && top.displayTimeUnit !== 'ns') problems.push(`displayTimeUnit ${String(top.displayTimeUnit)}`);
  const events = top.traceEvents as unknown[];
  const lastTs = new Map<string, number>();
  const open = new Map<string, string[]>();
  const xEnds = new Map<string, number[]>();
  const named = new Set<string>();
  const used = new Set<string>();
  const flows = new Map<string, { phases: string[]; ts: number[] }>();
  const asyncs = new Map<string, { phases: string[]; ts: number[]; names: string[] }>();
  let eventInstants = 0;
  events.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) return bad(i, 'not an object');
    const e = raw as Ev;
    const ph = e.ph;
    if (typeof ph !== 'string' || !PHASES.has(ph)) return bad(i, `unknown ph ${String(ph)}`);
    byPhase[ph] = (byPhase[ph] ?? 0) + 1;
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) bad(i, `ts ${String(e.ts)}`);
    if (!Number.isInteger(e.pid)) bad(i, `pid ${String(e.pid)}`);
    if (!Number.isInteger(e.tid)) bad(i, `tid ${String(e.tid)}`);
    if (typeof e.name !== 'string') bad(i, 'no name');
    const track = `${String(e.pid)}/${String(e.tid)}`;
    const ts = e.ts as number;
    if (ph === 'M') {
      if (!METADATA.has(e.name as string)) bad(i, `metadata ${String(e.name)}`);
      if (typeof e.args !== 'object' || e.args === null) bad(i, 'metadata without args');
      if (e.name === 'thread_name') named.add(track);
      return;
    }
    if (ph === 's' || ph === 't' || ph === 'f') {
      if (e.id === undefined) return bad(i, 'flow without id');
      if (typeof e.cat !== 'string') bad(i, 'flow without cat');
      const key = `${String(e.cat)}#${String(e.id)}`;
      let f = flows.get(key);
      if (!f) {
        f = { phases: [], ts: [] };
        flows.set(key, f);
      }
      f.phases.push(ph);
      f.ts.push(ts);
      used.add(track);
      return;
    }
    if (ph === 'b' || ph === 'e') {
      if (e.id === undefined) return bad(i, 'async event without id');
      if (typeof e.cat !== 'string') bad(i, 'async event without cat');
      const key = `${String(e.cat)}#${String(e.id)}`;
      const a = asyncs.get(key) ?? { phases: [], ts: [], names: [] };
      asyncs.set(key, a);
      a.phases.push(ph);
      a.ts.push(ts);
      a.names.push(String(e.name));
      used.add(track);
      return;
    }
    if (ph === 'i' || ph === 'I') {
      if (e.s !== undefined && e.s !== 'g' && e.s !== 'p' && e.s !== 't') bad(i, `instant scope ${String(e.s)}`);
      if (e.cat === 'event') eventInstants++;
    }
    if (ph === 'X' && (typeof e.dur !== 'number' || !(e.dur >= 0))) bad(i, `dur ${String(e.dur)}`);
    if (ph === 'i' || ph === 'I' || ph === 'X' || ph === 'B' || ph === 'E') {
      used.add(track);
      const last = lastTs.get(track);
      if (last !== undefined && ts < last) bad(i, `ts ${ts} before ${last} on track ${track}`);
      lastTs.set(track, ts);
    }
    if (ph === 'B') {
      const s = open.get(track) ?? [];
      s.push(String(e.name));
      open.set(track, s);
    } else if (ph === 'E') {
      const s = open.get(track);
      if (!s || s.length === 0) bad(i, `E without B on track ${track}`);
      else s.pop();
    } else if (ph === 'X') {
      const ends = xEnds.get(track) ?? [];
      while (ends.length > 0 && (ends[ends.length - 1] as number) <= ts) ends.pop();
      const end = ts + (e.dur as number);
      if (ends.length > 0 && end > (ends[ends.length - 1] as number)) bad(i, `X slice [${ts}, ${end}] overlaps its parent on track ${track}`);
      ends.push(end);
      xEnds.set(track, ends);
    }
  });
  for (const [track, s] of open) if (s.length > 0) problems.push(`track ${track}: ${s.length} B without E`);
  for (const [key, f] of flows) {
    const p = f.phases;
    if (p[0] !== 's' || p[p.length - 1] !== 'f' || p.filter((x) => x === 's').length !== 1 || p.filter((x) => x === 'f').length !== 1 || p.length < 2) problems.push(`flow ${key}: phases ${p.join('')}`);
    for (let k = 1; k < f.ts.length; k++) if ((f.ts[k] as number) < (f.ts[k - 1] as number)) problems.push(`flow ${key}: goes back in time`);
  }
  for (const [key, a] of asyncs) {
    if (a.phases.join('') !== 'be') problems.push(`async ${key}: phases ${a.phases.join('')}`);
    else if ((a.ts[1] as number) < (a.ts[0] as number)) problems.push(`async ${key}: ends before it begins`);
    else if (a.names[0] !== a.names[1]) problems.push(`async ${key}: b named ${a.names[0]}, e named ${a.names[1]}`);
  }
  for (const t of used) if (!named.has(t)) problems.push(`track ${t} has no thread_name`);
  return { problems: problems.slice(0, maxProblems), byPhase, eventInstants, flowIds: flows.size, asyncIds: asyncs.size };
}
