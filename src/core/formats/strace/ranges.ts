/**
 * strace output in byte ranges (formats/range.ts). State crosses the cuts: calls in flight
 * (`<unfinished ...>` completed by `<... name resumed>` lines later), the tasks' comm and thread
 * group (execve, clone), `-r` times added up and times of day passing midnight, the traced
 * program's output counted while a call is in flight. Each later range is read apart by a
 * reader that logs what it could not know (boundary.ts); `joinStrace` then replays those logs
 * in file order on what the ranges before learnt — a pass over the boundary states (a handful
 * of steps per task, clone, execve and call in flight at a cut) and over the comm, tgid and
 * time columns of the later ranges — so the merged trace is the one reading in order makes.
 *
 * Where a range starts: at a line strace printed (a call, a resumed call, a signal, an exit, an
 * attach note), never at the traced program's output, a ` > ` stack frame (strace -k: it
 * belongs to the call before), the rest of a cut call (`) = 3`, ` => ...`) or a -c summary row.
 *
 * Read in order after all (the join says why), where no fix-up is exact or worth it:
 * - a call cut by the program's output whose rest lies past a cut (`write(1, "hi\n", 3hi` /
 *   `) = 3`): until its rest comes, every line's meaning depends on it;
 * - the first task's pid learnt past the file's head (lines without a pid column are that
 *   task's: learning it rewrites the events before; when the head learns it, no range starts
 *   before that line);
 * - a resumed line past a cut whose call reading in order does not find (it becomes an event of
 *   its own there, whose name and errno strings would be interned in another order);
 * - both -t/-tt times of day and -ttt times in one file (whether a midnight passed applies to a
 *   line depends on the kind of its time);
 * - a range whose -r times or days added would leave the exact range of float64 ns (104 days);
 * - a range with more than MAX_STORED_ISSUES issues where a line turns out to be the program's output.
 */
import type { MergeRules, TracePart } from '../../trace/trace-part';
import type { TraceBuilder } from '../../trace/trace';
import { MAX_STORED_ISSUES } from '../../trace/trace';
import type { RangeSupport } from '../range';
import { NUL } from '../ascii';
import { midnightSec } from '../text-util';
import { parseBody, parsePrefix } from './lines';
import { CLONES, SPLIT_AT_END, StraceReader, basename, outputIssue, straceTimeSource, SUMMARY_HEAD, SUMMARY_ROW } from './reader';
import { rememberSource } from './source';
import { TaskFacts } from './tasks';
import type { ResumedLine, StraceBoundary } from './boundary';

const utf8 = new TextDecoder('utf-8');

/** Longest line a range may start at (the reader parses lines up to 256 KiB as text). */
const MAX_START_LINE = 64 * 1024;

export const straceRanges: RangeSupport = {
  // errno holds string ids.
  stringExtras: ['errno'],
  plan(head) {
    const r = new StraceReader();
    r.push(head);
    const t = r.finish(null);
    if (t.length === 0) return { ok: false, reason: `no strace call in the first ${head.length} bytes` };
    const first = t.record(0);
    // No range starts before the first task's pid is learnt (it rewrites the events before it): the later ranges then know it.
    return { ok: true, seed: { originNs: t.originNs, tracer: null, firstPid: r.firstTaskPid }, minStart: Math.max(first.offset + first.length, r.firstPidEnd) };
  },
  canStartAt: (line) => mayStartRange(line),
  createRangeReader: (_options, range) => new StraceReader({ range }),
  join: (parts) => joinStrace(parts),
};

/** Whether a range may start at `line`: a line strace printed that does not continue the one before. */
export function mayStartRange(line: Uint8Array): boolean {
  if (line.length === 0 || line.length > MAX_START_LINE || line.indexOf(NUL) >= 0) return false;
  const text = utf8.decode(line).replace(/\r$/, '');
  if (SUMMARY_HEAD.test(text) || SUMMARY_ROW.test(text)) return false;
  const p = parsePrefix(text);
  const shape = parseBody(text.slice(p.bodyStart));
  if (!shape || shape.kind === 'note') return false;
  // ` => {...}) = 752`: the rest of a cut call.
  return !(shape.kind === 'resumed' && shape.name === '');
}

/** A call in flight: the part its event is in, its index there, its name and (execve) program. */
interface Open {
  readonly part: number;
  readonly index: number;
  readonly name: string;
  readonly exec: string | null;
}

/** A call started in one range and resumed in a later one. */
interface Completion {
  readonly target: number;
  readonly part: number;
  readonly r: ResumedLine;
  readonly comm: string | null;
}

/** What the fix-up does to a later range's events. */
interface PartFix {
  /** The tasks' facts at each version: tgid, comm, pid. */
  readonly tgid: Int32Array;
  readonly comm: string[];
  readonly pid: Int32Array;
  /** Leading events' times are since the range's start: this is the time before it (sec, ns). */
  readonly leadSec: number;
  readonly leadFracNs: number;
  /** Seconds of midnights passed before the range, added to its later events. */
  readonly days: number;
}

type Joined = MergeRules | { readonly inOrder: string };

/**
 * The sequential pass: each later range's logged steps replayed, in file order, on the facts
 * and calls in flight the ranges before it left. Null parts are not expected (the caller passes
 * what was read).
 */
export function joinStrace(parts: TracePart[]): Joined {
  const states = parts.map((p) => p.boundary as StraceBoundary | null);
  const s0 = states[0];
  if (!s0 || s0.apart || !s0.facts) throw new Error("the first range of a strace file is read by the file's own reader");
  const tasks = new TaskFacts<string>();
  for (const [pid, c] of s0.facts.comm) tasks.comm.set(pid, c);
  for (const [pid, t] of s0.facts.tgid) tasks.tgid.set(pid, t);
  for (const [pid, thread] of s0.facts.cloning) tasks.cloning.set(pid, thread);
  const attached = new Set(s0.facts.attached);
  const defaultPid = s0.facts.defaultPid;
  const pending = new Map<number, Open>();
  for (const [pid, index, name, exec] of s0.pending) pending.set(pid, { part: 0, index, name, exec });
  // Time: the last line's (sec, ns) (with midnights passed), midnights passed, the last time of day.
  let sec = s0.lastSec;
  let fracNs = s0.lastFracNs;
  let dayOffset = s0.dayOffset;
  let lastTod = s0.lastTod;
  let timed = s0.timed;
  let timeOfDay = s0.timeOfDay;
  let epoch = s0.epoch;
  let outputLines = s0.outputLines;
  let firstOutput = s0.firstOutput;
  const fixes: (PartFix | null)[] = [null];
  const completions: Completion[] = [];
  const stands: Map<string, string>[] = [new Map()];
  const firstEvents = [0];
  const lineBases = [0];
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k] as TracePart;
    const prevPart = parts[k - 1] as TracePart;
    firstEvents.push((firstEvents[k - 1] as number) + prevPart.length);
    const lineBase = (lineBases[k - 1] as number) + prevPart.lines;
    lineBases.push(lineBase);
    const s = states[k];
    if (!s || !s.apart) throw new Error('a later range of a strace file is read apart');
    const prev = states[k - 1] as StraceBoundary;
    if (prev.split) return { inOrder: `a call cut by the traced program's output (line ${prev.split.line + (lineBases[k - 1] as number)}) gets its result past a cut` };
    if (s.firstPid !== defaultPid && (s.firstPid !== -1 || s.unprefixed)) return { inOrder: "the first task's pid (lines without a pid column) is learnt past the file's head" };

    // Times: the range's leading events add to the time before it; midnight may pass at the cut.
    let days = dayOffset;
    if (s.firstTod >= 0) days += midnightSec(lastTod, s.firstTod);
    if (days !== 0 && s.maxAbsNs + days * 1e9 > Number.MAX_SAFE_INTEGER) return { inOrder: 'times past 104 days from the first event' };
    const leadSec = sec;
    const leadFracNs = fracNs;
    if (s.anchored) {
      sec = s.lastSec + days;
      fracNs = s.lastFracNs;
    } else {
      const f = s.lastFracNs + fracNs;
      sec = s.lastSec + sec + Math.floor(f / 1e9);
      fracNs = f % 1e9;
      if (sec * 1e9 > Number.MAX_SAFE_INTEGER) return { inOrder: '-r times adding up past 104 days' };
    }
    if (s.firstTod >= 0) {
      dayOffset = days + s.dayOffset;
      lastTod = s.lastTod;
    }
    timed ||= s.timed;
    timeOfDay ||= s.timeOfDay;
    epoch ||= s.epoch;

    // Tasks and calls in flight.
    const versions = s.ops.reduce((n, op) => (op[0] === 'read' ? n + 1 : n), 0);
    const fix: PartFix = { tgid: new Int32Array(versions), comm: new Array<string>(versions), pid: new Int32Array(versions), leadSec, leadFracNs, days };
    const stand = new Map<string, string>();
    const removed = new Set<number>();
    let firstOther: { line: number; offset: number } | null = null;
    for (const op of s.ops) {
      switch (op[0]) {
        case 'know':
          tasks.know(op[1]);
          break;
        case 'read': {
          const [, pid, v] = op;
          fix.tgid[v] = tasks.tgid.get(pid) ?? pid;
          fix.comm[v] = tasks.comm.get(pid) ?? '<...>';
          fix.pid[v] = pid;
          break;
        }
        case 'exec':
          tasks.comm.set(op[1], op[2]);
          break;
        case 'cloning':
          tasks.cloning.set(op[1], op[2]);
          break;
        case 'cloned':
          tasks.cloned(op[1], op[2], op[3]);
          break;
        case 'resumedClone':
          tasks.resumedClone(op[1], op[2]);
          break;
        case 'adopt':
          if (defaultPid === -1 && !attached.has(op[1])) return { inOrder: "the first task's pid (lines without a pid column) is learnt past the file's head" };
          break;
        case 'attach':
          attached.add(op[1]);
          break;
        case 'drop':
          pending.delete(op[1]);
          break;
        case 'resumed': {
          const r = op[1];
          const open = pending.get(r.pid);
          if (!open || !(open.name === r.name || r.name === '????' || r.name === '')) {
            return { inOrder: `a resumed call (line ${r.line + lineBase}) whose start is not in flight when reading in order` };
          }
          if (r.again) break;
          pending.delete(r.pid);
          let comm: string | null = null;
          if (open.exec !== null && r.hasResult && r.retval === 0) {
            comm = basename(open.exec);
            tasks.comm.set(r.pid, comm);
          }
          if (r.stand !== null) stand.set(r.stand, comm ?? '');
          completions.push({ target: (firstEvents[open.part] as number) + open.index, part: k, r, comm });
          if (CLONES.has(open.name) && r.hasResult) tasks.resumedClone(r.pid, r.retval);
          break;
        }
        case 'other':
          // The traced program's output after all: a call from before the range is in flight.
          if (pending.size > 0) {
            removed.add(op[1]);
            outputLines++;
            firstOther ??= { line: op[2], offset: op[3] };
          }
          break;
      }
    }
    for (const [pid, index, name, exec] of s.pending) pending.set(pid, { part: k, index, name, exec });
    outputLines += s.outputLines;
    if (!firstOutput) {
      const a = s.firstOutput;
      const first = a && (!firstOther || a.offset < firstOther.offset) ? a : firstOther;
      if (first) firstOutput = { line: first.line + lineBase, offset: first.offset };
    }
    if (removed.size > 0) {
      if (part.issueCount > part.issues.length) return { inOrder: `more than ${MAX_STORED_ISSUES} issues in a range where lines turn out to be the program's output` };
      parts[k] = { ...part, issues: part.issues.filter((_, i) => !removed.has(i)), issueCount: part.issueCount - removed.size };
    }
    fixes.push(fix);
    stands.push(stand);
  }
  if (timeOfDay && epoch) return { inOrder: 'both -t/-tt times of day and -ttt times since the epoch' };
  const last = states.at(-1) as StraceBoundary;
  const lastLineBase = lineBases.at(-1) as number;
  const endSplit = last.split ? { line: last.split.line + lastLineBase, offset: last.split.offset } : null;
  const meta = { timed, timeOfDay };
  return {
    substitute: (k, str) => (str.charCodeAt(0) === 0 ? (stands[k]?.get(str) ?? str) : str),
    fixup: (b, merged) => {
      fixColumns(b, merged, states, fixes, completions);
      b.meta.timeSource = straceTimeSource(meta.timed, meta.timeOfDay, b.length, 'timestamps');
      if (endSplit) b.issue(endSplit.line, endSplit.offset, SPLIT_AT_END);
      if (firstOutput) b.issue(firstOutput.line, firstOutput.offset, outputIssue(outputLines));
    },
    finished: (t, source) => {
      if (source) rememberSource(t, source);
    },
  };
}

/** Writes what the later ranges did not know into the merged columns. */
function fixColumns(b: TraceBuilder, merged: readonly { firstEvent: number; length: number; lineBase: number; ids: Uint32Array }[], states: readonly (StraceBoundary | null)[], fixes: readonly (PartFix | null)[], completions: readonly Completion[]): void {
  const origin = b.originNs ?? 0n;
  const oSec = Number(origin / 1_000_000_000n);
  const oFrac = Number(origin - BigInt(oSec) * 1_000_000_000n);
  const { tgid, comm, tsNs } = b.cols;
  const resumeLine = b.extras.get('resumeLine');
  const resumeOffset = b.extras.get('resumeOffset');
  const resumeLength = b.extras.get('resumeLength');
  const dur = b.extras.get('durNs');
  const ret = b.extras.get('ret');
  const errno = b.extras.get('errno');
  if (!resumeLine || !resumeOffset || !resumeLength || !dur || !ret || !errno) throw new Error('strace columns are missing');
  for (let k = 1; k < merged.length; k++) {
    const m = merged[k] as (typeof merged)[number];
    const fix = fixes[k] as PartFix;
    const s = states[k] as StraceBoundary;
    const vers = s.versions as Uint32Array;
    const commIds = fix.comm.map((c) => b.strings.intern(c));
    for (let v = 0; v < fix.tgid.length; v++) if (fix.tgid[v] !== fix.pid[v]) b.meta.hasTgid = true;
    const base = m.firstEvent;
    for (let e = 0; e < m.length; e++) {
      const v = vers[e] as number;
      tgid.set(base + e, fix.tgid[v] as number);
      comm.set(base + e, commIds[v] as number);
      // A resumed line in the range: its line number counted from the range's start.
      if (resumeOffset.get(base + e) >= 0) resumeLine.set(base + e, resumeLine.get(base + e) + m.lineBase);
    }
    // Times as reading in order makes them: (sec, ns) added with a carry, then relative to the origin.
    const leading = Math.min(s.leading, m.length);
    for (let e = 0; e < leading; e++) {
      const local = tsNs.get(base + e);
      const ls = Math.floor(local / 1e9);
      const f = local - ls * 1e9 + fix.leadFracNs;
      const sec = ls + fix.leadSec + Math.floor(f / 1e9);
      tsNs.set(base + e, (sec - oSec) * 1e9 + ((f % 1e9) - oFrac));
    }
    if (fix.days !== 0) for (let e = leading; e < m.length; e++) tsNs.set(base + e, tsNs.get(base + e) + fix.days * 1e9);
  }
  for (const c of completions) {
    const m = merged[c.part] as (typeof merged)[number];
    const r = c.r;
    dur.set(c.target, r.durNs ?? NaN);
    ret.set(c.target, r.retval);
    errno.set(c.target, m.ids[r.errno] as number);
    resumeLine.set(c.target, r.line + m.lineBase);
    resumeOffset.set(c.target, r.offset);
    resumeLength.set(c.target, r.length);
    if (c.comm !== null) comm.set(c.target, b.strings.intern(c.comm));
  }
}
