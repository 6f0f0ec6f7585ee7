/**
 * Reader for strace output.
 *
 * Spec: strace(1) (doc/strace.1.in in strace/strace): -f (`[pid N] ` prefix on stderr, a
 * bare `N ` pid column with -o), -t/-tt (`HH:MM:SS[.usec]`), -ttt (`sec.usec` since the
 * epoch), -r (`%6ld.%06ld` since the previous line; added up), -T (`<sec.usec>` time spent in the call), -y/-yy (`3</path>`, `5<TCP:[...]>`
 * after fds), -k (` > frame` lines after a call), and the "unfinished/resumed" convention:
 * when another task's line interrupts a call, strace prints `name(args <unfinished ...>` and
 * later `<... name resumed>rest) = ret`. Signals print as `--- SIGCHLD {si_signo=...} ---`,
 * exits as `+++ exited with 0 +++` / `+++ killed by SIGKILL +++`.
 *
 * One event per call: an unfinished call is recorded at its start line (its time is the
 * call's start) and completed by its resumed line, found by pid; the resumed line's place
 * is kept in extra columns, so decoding joins both halves (payload.ts). Per event
 * the extra columns hold `durNs` (-T, NaN when absent), `ret` (NaN for `?`), `errno` (a
 * string id, '' when none) and `resumeLine`/`resumeOffset`/`resumeLength` (0/-1/0 when the
 * call was not split).
 *
 * strace and the traced program on one terminal (`strace -f prog 2>&1 | tee log`): strace prints
 * a call's line in two writes, `write(1, "hi\n", 3` before the call and `) = 3` after it, and
 * the program's own output lands between: `write(1, "hi\n", 3hi` / `) = 3 <0.000011>`. Such
 * a split call is completed by the next line that starts with `)` (or ` => `, or is ` <unfinished
 * ...>` when another task's line came first); the program's output is left out of the call's
 * arguments when it is the call's own string. Lines of program output met while a call is in
 * flight are counted and reported once, not as errors line by line. strace's `-c`/`-C` summary
 * table (`% time     seconds  usecs/call ...`) is recognised and skipped.
 *
 * strace has no CPU column: every event is on CPU 0. There is no comm either: the comm of a
 * pid is the basename of its last successful execve, inherited through clone/fork; `<...>`
 * before that. The thread group comes from clone's CLONE_THREAD flag (tasks.ts).
 *
 * A byte range after the file's head may be read apart (`range`, ranges.ts): the reader then
 * logs what it cannot know (boundary.ts) and the join completes it in file order.
 */
import { LineSplitter, type LineSink } from '../line-splitter';
import { NUL } from '../ascii';
import type { ByteSource } from '../../trace/byte-source';
import { relNs, type RelNs } from '../../trace/time';
import { TraceBuilder, newEventRecord, type ExtraColumn, type TimeSource, type Trace } from '../../trace/trace';
import { embeddedAttach, parseBody, parsePrefix, parseResult, splitArgs, type StraceBody, type StracePrefix, type StraceResult } from './lines';
import { rememberSource } from './source';
import { TaskFacts } from './tasks';
import { MAX_TASK_OPS, TaskLog, type StraceBoundary } from './boundary';
import type { RangeBoundary, RangeReader, RangeStart } from '../range';
import { finishLines, midnightSec, preview, pushLines, stopLines, unescapeC, utf8Length } from '../text-util';

const utf8 = new TextDecoder('utf-8');

/** Longest line parsed as text; longer lines (huge buffers printed with -s) are kept unparsed. */
const MAX_PARSED_LINE = 256 * 1024;

export interface StraceOptions {
  maxLineBytes?: number;
  /** A byte range after the file's first event, read apart (ranges.ts). */
  range?: RangeStart;
}

interface Pending {
  index: number;
  name: string;
  /** For execve: the program, to rename the task when the call succeeds. */
  exec: string | null;
}

export const CLONES = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** What the end of the file reports of a call cut by the program's output that never got its rest. */
export const SPLIT_AT_END = 'strace call without a result (expected ") = RET" or " <unfinished ...>" on a later line): the file ends first';

/** The issue counting the lines of the traced program's output, at the first of them. */
export function outputIssue(n: number): string {
  return `${n} line${n === 1 ? '' : 's'} of the traced program's own output (printed between a call and its result) skipped; the first is here`;
}

/** A call whose line the traced program's output cut (`write(1, "hi\n", 3hi`): its rest comes later. */
interface Split extends Pending {
  pid: number;
  lineNo: number;
  offset: number;
}

export const SUMMARY_HEAD = /^% time\s+seconds\s+usecs\/call\s+calls\s+errors\s+syscall\s*$/;
export const SUMMARY_ROW = /^\s*(?:-+(?:\s+-+)*|\d+\.\d+\s+\d+\.\d+\s+\d+\s+\d+(?:\s+\d+)?\s+\S+)\s*$/;

export class StraceReader implements RangeReader, LineSink {
  private readonly b = new TraceBuilder('strace');
  /** The one record refilled for every event (TraceBuilder.push copies it). */
  private readonly rec = newEventRecord();
  private readonly splitter: LineSplitter;
  private readonly dur: ExtraColumn;
  private readonly ret: ExtraColumn;
  private readonly errno: ExtraColumn;
  private readonly resumeLine: ExtraColumn;
  private readonly resumeOffset: ExtraColumn;
  private readonly resumeLength: ExtraColumn;
  private readonly emptyId: number;
  private readonly unknownCommId: number;
  /** Unfinished calls by pid. */
  private readonly pending = new Map<number, Pending>();
  /** Comm (string ids) and thread group of each task (read in order). */
  private readonly tasks = new TaskFacts<number>();
  /**
   * A range read apart: the task steps it logs instead (boundary.ts), and the pids whose calls in
   * flight it knows (a call started or the task exited in the range: an earlier call is over).
   */
  private readonly log: TaskLog | null = null;
  private readonly touched = new Set<number>();
  /** A range read apart: lines without a pid column were met. */
  private unprefixed = false;
  /** The range is not the file's end (RangeReader.endRange). */
  private rangeOnly = false;
  /** A range read apart whose log outgrew its bound (a hostile file: millions of lines that are not strace's while calls may be in flight). */
  get inOrderOnly(): string | null {
    return this.log?.overflow ? `more than ${MAX_TASK_OPS} steps to replay in one range` : null;
  }
  /**
   * Pid of lines without a pid column: strace -f without -o prefixes `[pid N]` only while
   * several tasks exist, so the first task's early lines carry none. -1 until a prefixed line
   * names a task that was not attached as a child; then the earlier events get that pid.
   */
  private defaultPid = -1;
  private readonly unknownPidEvents: number[] = [];
  private readonly attached = new Set<number>();
  private lastSec = 0;
  /**
   * Whether a -t/-tt/-ttt time was met: before it, a range read apart keeps ns since its start in
   * tsNs (the -r deltas added up), completed by the join. Reading from the file's start: from the start.
   */
  private anchored = true;
  private leading = 0;
  private firstTod = -1;
  private epoch = false;
  private maxAbsNs = 0;
  /** Whether any line had a time (-t, -tt, -ttt or -r); without, timeSource is 'none'. */
  private timed = false;
  /** Whether a line had a -t/-tt time of day (then timeSource is 'time-of-day'). */
  private timeOfDay = false;
  private lastFracNs = 0;
  private dayOffset = 0;
  private lastTimeOfDay = -1;
  private lastWasEvent = false;
  /** The call whose line the program's output cut, waiting for its rest. */
  private split: Split | null = null;
  /** Lines of the traced program's own output (and where the first was). */
  private outputLines = 0;
  private firstOutput: { line: number; offset: number } | null = null;
  /** Inside strace's -c/-C summary table. */
  private inSummary = false;
  /** Counts per line shape, for the sniffer. */
  readonly shapes = { calls: 0, resumed: 0, paired: 0, signals: 0, exits: 0, durations: 0 };

  constructor(opts: StraceOptions = {}) {
    this.splitter = new LineSplitter(this, opts.maxLineBytes, opts.range?.offset);
    this.emptyId = this.b.strings.intern('');
    this.unknownCommId = this.b.strings.intern('<...>');
    this.dur = this.b.extraColumn('durNs', 'f64');
    this.ret = this.b.extraColumn('ret', 'f64');
    this.errno = this.b.extraColumn('errno', 'u32');
    this.resumeLine = this.b.extraColumn('resumeLine', 'u32');
    this.resumeOffset = this.b.extraColumn('resumeOffset', 'f64');
    this.resumeLength = this.b.extraColumn('resumeLength', 'u32');
    if (opts.range) {
      this.b.seedOrigin(opts.range.seed.originNs);
      const firstPid = opts.range.seed.firstPid ?? -1;
      this.log = new TaskLog(firstPid === -1);
      this.defaultPid = firstPid;
      this.anchored = false;
    }
  }

  get linesSeen(): number {
    return this.splitter.linesSeen;
  }

  endRange(): void {
    this.rangeOnly = true;
  }

  /** The first task's pid once a line with a pid column named it (lines without one are its); -1 before. */
  get firstTaskPid(): number {
    return this.defaultPid;
  }

  /** Where the line that named the first task's pid ends (file offset), 0 before. */
  firstPidEnd = 0;

  push(chunk: Uint8Array): void {
    pushLines(this.splitter, this.b, chunk);
  }

  stop(message: string): void {
    stopLines(this.splitter, this.b, message);
  }

  finish(source: ByteSource | null): Trace {
    finishLines(this.splitter, this.b);
    if (!this.anchored) this.leading = this.b.length;
    // A range's end is not the file's: the join reports these at the file's end.
    const atEnd = !this.rangeOnly && this.log === null;
    if (this.split && atEnd) {
      this.b.issue(this.split.lineNo, this.split.offset, SPLIT_AT_END);
      this.split = null;
    }
    if (this.firstOutput && atEnd) this.b.issue(this.firstOutput.line, this.firstOutput.offset, outputIssue(this.outputLines));
    this.b.meta.timeSource = this.timeSource();
    const t = this.b.finish(source);
    if (source) rememberSource(t, source);
    return t;
  }

  /**
   * What is read so far. Settled: the events before the first one a later line may still
   * change (an unfinished or split call's result, a pid not yet known, the last call's frames).
   */
  snapshot(source: ByteSource | null): Trace {
    let settled = this.b.length - 1;
    for (const p of this.pending.values()) settled = Math.min(settled, p.index);
    if (this.split) settled = Math.min(settled, this.split.index);
    if (this.unknownPidEvents.length > 0) settled = Math.min(settled, this.unknownPidEvents[0] as number);
    const t = this.b.snapshot(source, { ...this.b.meta, timeSource: this.timeSource() }, settled);
    if (source) rememberSource(t, source);
    return t;
  }

  private timeSource(): TimeSource {
    return straceTimeSource(this.timed, this.timeOfDay, this.b.length, this.b.meta.timeSource);
  }

  /** What the range left open and did not know (after finish). */
  boundary(): RangeBoundary {
    const strings = this.b.strings;
    const versions = this.log?.versions() ?? null;
    const state: StraceBoundary = {
      apart: this.log !== null,
      timed: this.timed,
      timeOfDay: this.timeOfDay,
      epoch: this.epoch,
      leading: this.leading,
      anchored: this.anchored,
      firstTod: this.firstTod,
      lastTod: this.lastTimeOfDay,
      dayOffset: this.dayOffset,
      lastSec: this.lastSec,
      lastFracNs: this.lastFracNs,
      maxAbsNs: this.maxAbsNs,
      facts:
        this.log === null
          ? {
              comm: [...this.tasks.comm].map(([pid, id]) => [pid, strings.get(id)] as const),
              tgid: [...this.tasks.tgid],
              cloning: [...this.tasks.cloning],
              attached: [...this.attached],
              defaultPid: this.defaultPid,
            }
          : null,
      ops: this.log?.ops ?? [],
      versions,
      firstPid: this.defaultPid,
      unprefixed: this.unprefixed,
      pending: [...this.pending].map(([pid, p]) => [pid, p.index, p.name, p.exec] as const),
      split: this.split ? { line: this.split.lineNo, offset: this.split.offset } : null,
      outputLines: this.outputLines,
      firstOutput: this.firstOutput,
    };
    return { state, transfer: versions ? [versions.buffer as ArrayBuffer] : [] };
  }

  overlong(lineNo: number, offset: number, maxLineBytes: number): void {
    this.b.issue(lineNo, offset, `line is longer than ${maxLineBytes} bytes; skipped`);
    this.lastWasEvent = false;
  }

  line(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): void {
    if (e === s) {
      this.lastWasEvent = false;
      return;
    }
    // -k: ` > /usr/lib/libc.so.6(__write+0x14) [0x10e2d4]` frames under the call.
    if (buf[s] === 0x20 && buf[s + 1] === 0x3e && buf[s + 2] === 0x20) {
      if (this.lastWasEvent) this.b.extendLast(offset + (e - s));
      else this.b.issue(lineNo, offset, 'stack frame line (strace -k) without a call before it; skipped');
      return;
    }
    if (buf.subarray(s, e).indexOf(NUL) >= 0) {
      this.b.issue(lineNo, offset, 'binary data (NUL byte) in a strace line; line skipped');
      this.lastWasEvent = false;
      return;
    }
    if (this.split && this.continueSplit(buf, s, e, offset, lineNo)) return;
    const text = utf8.decode(buf.subarray(s, Math.min(e, s + MAX_PARSED_LINE)));
    if (this.summaryLine(text)) return;
    const p = parsePrefix(text);
    const body = text.slice(p.bodyStart);
    let shape = parseBody(body);
    const attach = shape && shape.kind === 'syscall' ? embeddedAttach(body) : null;
    if (attach && shape) shape = { kind: 'unfinished', name: (shape as { name: string }).name, argsStart: (shape as { argsStart: number }).argsStart, argsEnd: attach.at };
    // (A range read apart comes after the file's first event.)
    if (!shape && (this.split !== null || this.pending.size > 0) && (this.b.length > 0 || this.log !== null)) {
      // The traced program's output while one of its calls is in flight.
      this.outputLines++;
      this.firstOutput ??= { line: lineNo, offset };
      this.lastWasEvent = false;
      return;
    }
    if (!shape) {
      this.b.issue(lineNo, offset, `not a strace line (expected "[PID] [TIME] syscall(args) = ret", "--- SIG... ---" or "+++ ... +++"): ${preview(text.trim())}`);
      // Or the program's output, if a call started before the range is still in flight.
      this.log?.add(['other', this.b.issueCount - 1, lineNo, offset]);
      this.lastWasEvent = false;
      return;
    }
    if (this.log) {
      if (p.pid !== null) this.log.prefixed(p.pid);
      else this.unprefixed = true;
    } else if (p.pid !== null && this.defaultPid === -1 && !this.attached.has(p.pid)) {
      this.adoptFirstPid(p.pid);
      this.firstPidEnd = offset + (e - s);
    }
    const pid = p.pid ?? this.defaultPid;
    const tsNs = this.time(p);
    const payloadStart = utf8Length(text, p.bodyStart);
    this.lastWasEvent = this.handle(shape, body, text, p, pid, tsNs, offset, e - s, payloadStart, lineNo);
    if (attach) this.attach(attach.target, attach.attached, tsNs, offset, e - s, payloadStart, lineNo);
  }

  private handle(shape: StraceBody, body: string, text: string, p: StracePrefix, pid: number, tsNs: RelNs, offset: number, length: number, payloadStart: number, lineNo: number): boolean {
    const b = this.b;
    switch (shape.kind) {
      case 'syscall': {
        const r = parseResult(body);
        if (!r) {
          this.startSplit(shape.name, body.slice(shape.argsStart), text, pid, tsNs, offset, length, payloadStart, lineNo);
          return true;
        }
        this.shapes.calls++;
        if (r.durNs !== null) this.shapes.durations++;
        this.beforeCall(pid, shape.name, body.slice(shape.argsStart, r.argsEnd), r.retval);
        this.event(pid, shape.name, tsNs, offset, length, payloadStart, lineNo);
        this.setResult(b.length - 1, r.durNs, r.retval, r.errno);
        if (CLONES.has(shape.name)) this.afterClone(pid, body.slice(shape.argsStart, r.argsEnd), r.retval);
        return true;
      }
      case 'unfinished': {
        this.shapes.calls++;
        this.event(pid, shape.name, tsNs, offset, length, payloadStart, lineNo);
        this.touch(pid);
        this.pending.set(pid, this.openCall(pid, shape.name, body.slice(shape.argsStart, shape.argsEnd)));
        return true;
      }
      case 'resumed': {
        this.shapes.resumed++;
        const open = this.pending.get(pid);
        const rest = body.slice(shape.restStart);
        if (!open && this.log && !this.touched.has(pid)) {
          this.resumedBefore(pid, shape.name, shape.unfinishedAgain, rest, lineNo, offset, length);
          return false;
        }
        if (open && (open.name === shape.name || shape.name === '????' || shape.name === '')) {
          if (shape.unfinishedAgain) return false;
          this.pending.delete(pid);
          this.completeCall(open, pid, parseResult(rest), lineNo, offset, length);
          return false;
        }
        // The start of the call is not in the file (or was cut): an event of its own.
        const r = parseResult(rest);
        this.event(pid, shape.name, tsNs, offset, length, payloadStart, lineNo);
        this.setResult(b.length - 1, r?.durNs ?? null, r?.retval ?? NaN, r?.errno ?? null);
        if (r && r.durNs !== null) this.shapes.durations++;
        return true;
      }
      case 'signal':
        this.shapes.signals++;
        this.event(pid, 'signal', tsNs, offset, length, payloadStart, lineNo);
        this.setResult(b.length - 1, null, NaN, null);
        return true;
      case 'exit':
        this.shapes.exits++;
        this.event(pid, shape.killedBy === null ? 'exit' : 'killed', tsNs, offset, length, payloadStart, lineNo);
        this.setResult(b.length - 1, null, shape.status ?? NaN, null);
        this.touch(pid);
        this.pending.delete(pid);
        return true;
      case 'attach':
      case 'detach':
        this.attach(shape.target, shape.kind === 'attach', tsNs, offset, length, payloadStart, lineNo);
        return false;
      case 'note':
        return false;
    }
  }

  /**
   * A call line with no result: the traced program's output followed strace's text on the
   * same line. Recorded like an unfinished call; its record leaves out the program's output
   * when that is the call's own string (`write(1, "hi\n", 3hi`).
   */
  private startSplit(name: string, args: string, text: string, pid: number, tsNs: RelNs, offset: number, length: number, payloadStart: number, lineNo: number): void {
    if (this.split) this.b.issue(this.split.lineNo, this.split.offset, 'strace call without a result (expected ") = RET" or " <unfinished ...>" on a later line): another call came first');
    this.shapes.calls++;
    const junk = ownOutput(args);
    const junkBytes = junk === '' ? 0 : utf8Length(text, text.length) - utf8Length(text, text.length - junk.length);
    this.event(pid, name, tsNs, offset, length - junkBytes, payloadStart, lineNo);
    this.split = { ...this.openCall(pid, name, args), pid, lineNo, offset };
  }

  /** A call whose result comes on a later line (the last event): what completing it needs. */
  private openCall(pid: number, name: string, args: string): Pending {
    if (CLONES.has(name)) {
      const thread = /CLONE_THREAD/.test(args);
      if (this.log) this.log.add(['cloning', pid, thread]);
      else this.tasks.cloning.set(pid, thread);
    }
    const exec = name === 'execve' || name === 'execveat' ? execPath(name, args) : null;
    return { index: this.b.length - 1, name, exec };
  }

  /** The result of an open call arrived (`<... resumed>` or the rest of a cut line) at lineNo. */
  private completeCall(open: Pending, pid: number, r: StraceResult | null, lineNo: number, offset: number, length: number): void {
    this.shapes.paired++;
    if (r && r.durNs !== null) this.shapes.durations++;
    this.setResult(open.index, r?.durNs ?? null, r?.retval ?? NaN, r?.errno ?? null);
    this.resumeLine.set(open.index, lineNo);
    this.resumeOffset.set(open.index, offset);
    this.resumeLength.set(open.index, length);
    if (open.exec !== null && r && r.retval === 0) {
      const name = basename(open.exec);
      const id = this.b.strings.intern(name);
      if (this.log) {
        this.log.add(['exec', pid, name]);
        this.log.changed(pid);
        this.log.setEvent(open.index, pid);
      } else {
        this.tasks.comm.set(pid, id);
        this.b.cols.comm.set(open.index, id);
      }
    }
    if (CLONES.has(open.name) && r) {
      if (this.log) {
        this.log.add(['resumedClone', pid, r.retval]);
        if (r.retval > 0) this.log.changed(r.retval);
      } else {
        this.tasks.resumedClone(pid, r.retval);
      }
    }
  }

  /**
   * A range read apart: `<... name resumed>` of a task with no call in flight in the range. Reading
   * in order completes the call that started before the range (or, when there is none, makes an
   * event of it: the join then reads the file in order). Logged for the join, with the errno and
   * the program's stand-in interned where reading in order interns them.
   */
  private resumedBefore(pid: number, name: string, again: boolean, rest: string, lineNo: number, offset: number, length: number): void {
    const log = this.log as TaskLog;
    const r = again ? null : parseResult(rest);
    const errno = r?.errno ?? null;
    const errnoId = errno === null ? this.emptyId : this.b.strings.intern(errno);
    let stand: string | null = null;
    if (r && r.retval === 0) {
      stand = `\u0000exec ${offset}`;
      this.b.strings.intern(stand);
    }
    log.add(['resumed', { pid, name, again, hasResult: r !== null, durNs: r?.durNs ?? null, retval: r?.retval ?? NaN, errno: errnoId, line: lineNo, offset, length, stand }]);
    if (again) return;
    // Reading in order: the call is over (or the join reads in order).
    this.touched.add(pid);
    log.changed(pid);
    if (r && r.retval > 0) log.changed(r.retval);
  }

  /** A call of the task starts or it exits: in a range read apart, any call in flight before it is over. */
  private touch(pid: number): void {
    if (!this.log || this.touched.has(pid)) return;
    this.touched.add(pid);
    this.log.add(['drop', pid]);
  }

  /** The rest of a split call: `) = RET`, ` => {...}) = RET` or ` <unfinished ...>`. */
  private continueSplit(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): boolean {
    const split = this.split as Split;
    const c0 = buf[s];
    const text = c0 === 0x29 /* ) */ || c0 === 0x20 ? utf8.decode(buf.subarray(s, Math.min(e, s + MAX_PARSED_LINE))) : '';
    if (text.startsWith(' <unfinished ...>')) {
      this.split = null;
      this.touch(split.pid);
      this.pending.set(split.pid, { index: split.index, name: split.name, exec: split.exec });
      this.lastWasEvent = true;
      return true;
    }
    if (!text.startsWith(')') && !text.startsWith(' => ')) return false;
    const r = parseResult(text);
    if (!r) return false;
    this.split = null;
    this.completeCall(split, split.pid, r, lineNo, offset, e - s);
    this.lastWasEvent = true;
    return true;
  }

  /** strace's -c/-C summary table: its header, separators and rows. */
  private summaryLine(text: string): boolean {
    if (SUMMARY_HEAD.test(text)) {
      this.inSummary = true;
      return true;
    }
    if (this.inSummary && SUMMARY_ROW.test(text)) return true;
    this.inSummary = false;
    return false;
  }

  /** The first task's pid is now known: give it to the events read without one. */
  private adoptFirstPid(pid: number): void {
    this.defaultPid = pid;
    const b = this.b;
    const tasks = this.tasks;
    const comm = tasks.comm.get(-1);
    if (comm !== undefined && !tasks.comm.has(pid)) tasks.comm.set(pid, comm);
    if (!tasks.tgid.has(pid)) tasks.tgid.set(pid, pid);
    const open = this.pending.get(-1);
    if (open) {
      this.pending.delete(-1);
      this.pending.set(pid, open);
    }
    const cloning = tasks.cloning.get(-1);
    if (cloning !== undefined) {
      tasks.cloning.delete(-1);
      tasks.cloning.set(pid, cloning);
    }
    for (const [k, v] of tasks.tgid) if (v === -1) tasks.tgid.set(k, pid);
    // Events of the first task, and of its threads (their thread group is the first task).
    for (const i of this.unknownPidEvents) {
      if (b.cols.pid.get(i) === -1) b.cols.pid.set(i, pid);
      b.cols.tgid.set(i, pid);
    }
    this.unknownPidEvents.length = 0;
  }

  private attach(target: number, attached: boolean, tsNs: RelNs, offset: number, length: number, payloadStart: number, lineNo: number): void {
    if (attached) {
      this.attached.add(target);
      this.log?.add(['attach', target]);
    }
    this.knowPid(target);
    this.event(target, attached ? 'attach' : 'detach', tsNs, offset, length, payloadStart, lineNo);
    this.setResult(this.b.length - 1, null, NaN, null);
  }

  /** Timestamp in ns relative to the origin; lines without one take the previous line's time. */
  private time(p: StracePrefix): RelNs {
    if (p.sec !== null) {
      this.timed = true;
      let sec = p.sec;
      let fracNs = p.fracNs;
      if (p.relative) {
        // -r: add the delta to the previous line's time.
        fracNs += this.lastFracNs;
        sec += this.lastSec + Math.floor(fracNs / 1e9);
        fracNs %= 1e9;
      } else {
        if (!this.anchored) {
          this.anchored = true;
          this.leading = this.b.length;
        }
        if (p.timeOfDay) {
          this.timeOfDay = true;
          if (this.firstTod < 0) this.firstTod = sec;
          // -t/-tt print the time of day: a jump back by more than 12 h is midnight passing.
          this.dayOffset += midnightSec(this.lastTimeOfDay, sec);
          this.lastTimeOfDay = sec;
          sec += this.dayOffset;
        } else {
          this.epoch = true;
        }
      }
      this.lastSec = sec;
      this.lastFracNs = fracNs;
    }
    // A range read apart, before its first point in time: ns since the range's start (exact below 2^53: 104 days of -r deltas).
    if (!this.anchored) return relNs(this.lastSec * 1e9 + this.lastFracNs);
    const ns = this.b.relativeNs(this.lastSec, this.lastFracNs);
    if (this.log && Math.abs(ns) > this.maxAbsNs) this.maxAbsNs = Math.abs(ns);
    return ns;
  }

  /** A child's first line often comes before its parent's clone returns (TaskFacts.know). */
  private knowPid(pid: number): void {
    if (this.log) this.log.know(pid);
    else this.tasks.know(pid);
  }

  private event(pid: number, name: string, tsNs: RelNs, offset: number, length: number, payloadStart: number, lineNo: number): void {
    this.knowPid(pid);
    const b = this.b;
    const log = this.log;
    // A range read apart: the join writes comm and tgid from the event's version.
    const tgid = log ? 0 : (this.tasks.tgid.get(pid) ?? pid);
    if (tgid !== pid && !log) b.meta.hasTgid = true;
    log?.pushEvent(pid);
    const r = this.rec;
    r.tsNs = tsNs;
    r.cpu = 0;
    r.pid = pid;
    r.tgid = tgid;
    r.commId = log ? this.unknownCommId : (this.tasks.comm.get(pid) ?? this.unknownCommId);
    r.eventId = b.strings.intern(name);
    r.flagsId = this.emptyId;
    r.line = lineNo;
    r.recOffset = offset;
    r.recLength = length;
    r.payloadStart = payloadStart;
    const i = b.push(r);
    if (tgid === -1 && !log && this.unknownPidEvents.length < 1_000_000) this.unknownPidEvents.push(i);
    this.dur.push(NaN);
    this.ret.push(NaN);
    this.errno.push(this.emptyId);
    this.resumeLine.push(0);
    this.resumeOffset.push(-1);
    this.resumeLength.push(0);
  }

  private setResult(index: number, durNs: number | null, retval: number, errno: string | null): void {
    this.dur.set(index, durNs ?? NaN);
    this.ret.set(index, retval);
    this.errno.set(index, errno === null ? this.emptyId : this.b.strings.intern(errno));
  }

  /** A complete execve that succeeded renames the task (before its event is recorded). */
  private beforeCall(pid: number, name: string, args: string, retval: number): void {
    if (name !== 'execve' && name !== 'execveat') return;
    if (retval !== 0) return;
    this.knowPid(pid);
    const path = execPath(name, args);
    if (path === null) return;
    const comm = basename(path);
    const id = this.b.strings.intern(comm);
    if (this.log) {
      this.log.add(['exec', pid, comm]);
      this.log.changed(pid);
    } else {
      this.tasks.comm.set(pid, id);
    }
  }

  private afterClone(pid: number, args: string, retval: number): void {
    const thread = /CLONE_THREAD/.test(args);
    if (this.log) {
      this.log.add(['cloned', pid, thread, retval]);
      if (retval > 0) this.log.changed(retval);
    } else {
      this.tasks.cloned(pid, thread, retval);
    }
  }
}

function execPath(name: string, args: string): string | null {
  const a = splitArgs(args);
  const arg = name === 'execveat' ? a[1] : a[0];
  if (!arg) return null;
  const m = /^"((?:[^"\\]|\\.)*)"/.exec(arg);
  return m ? (m[1] as string) : null;
}

/**
 * The traced program's output glued to a cut call line, when it is the call's own string:
 * `1, "hi\n", 3hi` → `hi` (the last argument is a count followed by the start of the string
 * the call wrote). '' when that is not the case.
 */
function ownOutput(args: string): string {
  const a = splitArgs(args);
  const last = a[a.length - 1] ?? '';
  const m = /^(\d+)(\D.*)$/.exec(last);
  if (!m) return '';
  const glued = m[2] as string;
  for (const arg of a) {
    const q = /^"((?:[^"\\]|\\.)*)"/.exec(arg);
    if (!q) continue;
    const written = unescapeC(q[1] as string);
    if (written.startsWith(glued) || glued.startsWith(written.split('\n')[0] as string)) return glued;
  }
  return '';
}

/** timeSource of strace output: 'none' without any time, a wall clock for -t/-tt. */
export function straceTimeSource(timed: boolean, timeOfDay: boolean, length: number, otherwise: TimeSource): TimeSource {
  if (!timed && length > 0) return 'none';
  // -t/-tt times are a wall clock: shown as strace wrote them (HH:MM:SS.uuuuuu), not as seconds.
  return timeOfDay ? 'time-of-day' : otherwise;
}

/** The kernel's comm: the file name, at most 15 bytes (TASK_COMM_LEN - 1). */
export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return path.slice(slash + 1).slice(0, 15);
}

/** Whether `head` is strace output: mostly `syscall(args) = ret` lines. */
export function sniffStrace(head: Uint8Array): string | null {
  const r = new StraceReader();
  r.push(head);
  const t = r.finish(null);
  if (r.shapes.calls > 0 && t.issueCount * 4 <= t.length) return null;
  const first = t.issues[0];
  return `no strace lines${first ? ` (line ${first.line}: ${first.message})` : ''}`;
}
