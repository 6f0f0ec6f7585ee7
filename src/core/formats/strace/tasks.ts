/**
 * What strace output tells of its tasks, learnt line by line in file order: a task's comm (the
 * basename of its last successful execve, inherited through clone/fork) and its thread group
 * (clone's CLONE_THREAD). One class for the reader (comm as string ids) and for the join of
 * ranges read apart (ranges.ts: comm as strings), so both learn them by the same rules.
 */

export class TaskFacts<C> {
  readonly comm = new Map<number, C>();
  readonly tgid = new Map<number, number>();
  /** Parents with a clone in flight (whether it makes a thread): their children may show up before the clone returns. */
  readonly cloning = new Map<number, boolean>();

  /** A task's first line: its thread group and comm, from the parent with a clone in flight (the latest one). */
  know(pid: number): void {
    if (this.tgid.has(pid)) return;
    let parent: number | undefined;
    for (const [p] of this.cloning) parent = p;
    if (parent !== undefined && parent !== pid) {
      this.tgid.set(pid, this.cloning.get(parent) ? (this.tgid.get(parent) ?? parent) : pid);
      const c = this.comm.get(parent);
      if (c !== undefined) this.comm.set(pid, c);
    } else {
      this.tgid.set(pid, pid);
    }
  }

  /** A clone of `pid` returned `retval` (the child, when positive). */
  cloned(pid: number, thread: boolean, retval: number): void {
    this.cloning.delete(pid);
    if (!(retval > 0) || this.tgid.has(retval)) return;
    this.tgid.set(retval, thread ? (this.tgid.get(pid) ?? pid) : retval);
    const c = this.comm.get(pid);
    if (c !== undefined) this.comm.set(retval, c);
  }

  /** A clone whose line was cut (unfinished, or cut by the program's output) returned. */
  resumedClone(pid: number, retval: number): void {
    const thread = this.cloning.get(pid) ?? false;
    this.cloning.delete(pid);
    this.cloned(pid, thread, retval);
  }
}
