/**
 * strace in byte ranges (ranges.ts): what a range read apart could not know at its start and
 * what it leaves open at its end, for the join (the sequential pass over the ranges in file
 * order at merge time).
 *
 * A range does not know its tasks' comm and thread group, nor which calls are in flight at its
 * start. So it logs, in order, every step by which reading in order learns or uses them
 * (TaskOp: a task's first line, execve and clone results, a resumed line whose call started
 * before the range, a line whose meaning depends on calls in flight), and gives each event a
 * "version" (the task's facts right after some logged step) instead of a comm and tgid. The join
 * replays the steps on the facts learnt from the ranges before (tasks.ts, the same rules) and
 * writes the versions' values into the columns. Steps are a handful per task, clone and execve,
 * not per event.
 */

import { activeMemoryBudget } from '../../trace/memory-budget';

/** One step of reading in order that needs the task facts or calls in flight known before the range. */
export type TaskOp =
  /** A task's line: its facts from its parent's clone in flight when it is new (TaskFacts.know). */
  | readonly ['know', pid: number]
  /** Version `v` is the task's facts now. */
  | readonly ['read', pid: number, v: number]
  /** A successful execve renamed the task. */
  | readonly ['exec', pid: number, comm: string]
  /** A clone call is in flight (its line is cut). */
  | readonly ['cloning', pid: number, thread: boolean]
  /** A clone line with its result. */
  | readonly ['cloned', pid: number, thread: boolean, retval: number]
  /** A clone whose line was cut returned. */
  | readonly ['resumedClone', pid: number, retval: number]
  /** A line with a pid column: the first task's pid would be learnt here if it were not yet known. */
  | readonly ['adopt', pid: number]
  | readonly ['attach', pid: number]
  /** A call of the task started (or it exited): any call it had in flight before the range is over. */
  | readonly ['drop', pid: number]
  /** `<... name resumed>` of a call that started before the range (ResumedLine). */
  | readonly ['resumed', ResumedLine]
  /**
   * A line that is not strace's: the traced program's output if a call is in flight, else an
   * issue (the range reported it as one: its index among the range's issues).
   */
  | readonly ['other', issue: number, line: number, offset: number];

export interface ResumedLine {
  readonly pid: number;
  readonly name: string;
  /** `<... name resumed> <unfinished ...>`: cut again. */
  readonly again: boolean;
  /** Whether the rest parsed as `) = RET`. */
  readonly hasResult: boolean;
  readonly durNs: number | null;
  readonly retval: number;
  /** The errno's string id in the range ('' when none). */
  readonly errno: number;
  /** Line in the range, file offset and byte length of the resumed line. */
  readonly line: number;
  readonly offset: number;
  readonly length: number;
  /**
   * The stand-in string interned where reading in order interns the program's name (a successful
   * execve: the name is in the call's start, before the range), or null.
   */
  readonly stand: string | null;
}

/** A call in flight at a range's end: its event (index in the range), name and, for execve, the program. */
export type OpenCall = readonly [pid: number, index: number, name: string, exec: string | null];

export interface StraceBoundary {
  /** Read apart (a later range), or by the file's own reader (the first range). */
  readonly apart: boolean;
  // Times (reader.ts, time()): the state at the end, and what the range did not know.
  readonly timed: boolean;
  readonly timeOfDay: boolean;
  /** Some line had a -ttt time (since the epoch). */
  readonly epoch: boolean;
  /** Events before the range's first -t/-tt/-ttt time: their tsNs hold ns since the range's start (-r deltas added up), not since the origin. */
  readonly leading: number;
  readonly anchored: boolean;
  /** First -t/-tt time of day of the range (seconds), -1 when none: midnight may pass at the cut. */
  readonly firstTod: number;
  readonly lastTod: number;
  /** Midnights passed within the range (seconds). */
  readonly dayOffset: number;
  readonly lastSec: number;
  readonly lastFracNs: number;
  /** Largest |tsNs| of the events after `leading` (a later range: days added must keep it exact). */
  readonly maxAbsNs: number;
  // Tasks.
  /** The first range: what it learnt of the tasks (comm as strings). */
  readonly facts: FactsState | null;
  readonly ops: readonly TaskOp[];
  /** A later range: each event's version (TaskOp 'read'). */
  readonly versions: Uint32Array | null;
  /** A later range: the pid its lines without a pid column took (RangeSeed.firstPid), and whether there were any. */
  readonly firstPid: number;
  readonly unprefixed: boolean;
  // What is open at the end.
  readonly pending: readonly OpenCall[];
  /** A call cut by the program's output without its rest yet (line in the range, offset). */
  readonly split: { readonly line: number; readonly offset: number } | null;
  readonly outputLines: number;
  readonly firstOutput: { readonly line: number; readonly offset: number } | null;
}

export interface FactsState {
  readonly comm: readonly (readonly [number, string])[];
  readonly tgid: readonly (readonly [number, number])[];
  readonly cloning: readonly (readonly [number, boolean])[];
  readonly attached: readonly number[];
  readonly defaultPid: number;
}

/**
 * Most steps one range logs: a few per task, clone and execve (41,880 for the two ranges of a
 * 1 GiB trace of short-lived processes), more only for a hostile file (millions of lines that
 * are not strace's while calls may be in flight); past it the file is read in order.
 */
export const MAX_TASK_OPS = 1 << 20;

/**
 * A later range's log of task steps and its events' versions. A task's version is kept until a
 * step may change its facts (execve, a clone returning it as the child, a resumed call).
 */
export class TaskLog {
  readonly ops: TaskOp[] = [];
  private readonly current = new Map<number, number>();
  private readonly known = new Set<number>();
  private readonly checked = new Set<number>();
  private nextVersion = 0;
  private vers = new Uint32Array(1024);
  private count = 0;
  /** The reading's memory budget (4 bytes an event here, beside the columns). */
  private readonly budget = activeMemoryBudget();

  /** More than MAX_TASK_OPS steps: the rest are not kept (the file is read in order). */
  overflow = false;

  constructor(private readonly adoptable: boolean) {
    if (this.budget) this.budget.columnBytes += this.vers.byteLength;
  }

  add(op: TaskOp): void {
    if (this.ops.length < MAX_TASK_OPS) this.ops.push(op);
    else this.overflow = true;
  }

  know(pid: number): void {
    if (this.known.has(pid)) return;
    this.known.add(pid);
    this.add(['know', pid]);
  }

  /** A line with a pid column (reading in order may learn the first task's pid from it). */
  prefixed(pid: number): void {
    if (!this.adoptable || this.checked.has(pid)) return;
    // Once per pid: the answer changes only when the first task's pid is learnt (then the join reads in order).
    this.checked.add(pid);
    this.add(['adopt', pid]);
  }

  /** The task's current version (logged when new). */
  version(pid: number): number {
    let v = this.current.get(pid);
    if (v === undefined) {
      v = this.nextVersion++;
      this.add(['read', pid, v]);
      this.current.set(pid, v);
    }
    return v;
  }

  /** The task's facts may have changed: its next event reads them again. */
  changed(pid: number): void {
    this.current.delete(pid);
  }

  /** The next event's version. */
  pushEvent(pid: number): void {
    if (this.count === this.vers.length) {
      const grown = new Uint32Array(this.vers.length * 2);
      grown.set(this.vers);
      if (this.budget) this.budget.columnBytes += grown.byteLength - this.vers.byteLength;
      this.vers = grown;
    }
    this.vers[this.count++] = this.version(pid);
  }

  /** Event `index` of the range now has the task's current facts (an execve's start, renamed by its result). */
  setEvent(index: number, pid: number): void {
    this.vers[index] = this.version(pid);
  }

  /** The events' versions, in a buffer of their own (moved to the merging thread). */
  versions(): Uint32Array {
    return this.vers.slice(0, this.count);
  }
}
