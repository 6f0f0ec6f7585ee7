/**
 * Per file descriptor view of a strace trace: for each fd of each process, every call that
 * used it, in time order, and what the readiness calls (select, poll, epoll_ctl) asked about
 * it and got back. Seed 003's hunt ("select on fd 5 never returns it writable, sendmsg is
 * never called") is the `stall` of one view: the fd was asked about for writing N times since
 * it was last writable, and nothing was written to it since.
 *
 * An fd's life runs from the call that returned it (open, socket, accept, dup, pipe ...) to a
 * successful close; the next fd with the same number is a new view. Threads share their
 * process's fd table: views are keyed by the thread group (strace.ts infers it from clone).
 */
import type { Trace } from '../trace/trace';
import { parseFdArg, parseFdSet, splitArgs } from '../formats/strace/lines';
import { FD_FIRST_ARG, straceCall, type StraceCall } from '../formats/strace/payload';

export type Readiness = 'in' | 'out' | 'pri';

export interface FdUse {
  /** Event index in the trace. */
  readonly index: number;
  readonly tsNs: number;
  readonly pid: number;
  readonly call: string;
  /** open: the call returned the fd; close; io: read/write-like use; wait: a readiness query; other. */
  readonly kind: 'open' | 'close' | 'io' | 'wait' | 'other';
  /** For `wait`: what was asked, and what the call reported ready (empty on a timeout). */
  readonly asked?: readonly Readiness[];
  readonly ready?: readonly Readiness[];
  readonly ret: string | null;
  readonly errno: string | null;
  readonly durNs: number | null;
}

export interface FdStall {
  /** Readiness queries for writing, none answered "writable", since the last write or writable answer. */
  readonly writePolls: number;
  /** Time of the first of those queries. */
  readonly sinceTsNs: number;
  /** Its event index (traces without timestamps have only this). */
  readonly sinceIndex: number;
  /** Whether any query ever reported the fd writable. */
  readonly everWritable: boolean;
}

export interface FdView {
  /** Thread group (process) whose fd table holds the fd. */
  readonly process: number;
  readonly fd: number;
  /** The -y/-yy annotation or the path it was opened with, when known. */
  path: string | null;
  /** Index of the call that returned the fd, or -1 when it was open before the trace. */
  openedAt: number;
  /** Index of the close, or -1 when still open at the end. */
  closedAt: number;
  firstTsNs: number;
  lastTsNs: number;
  /** Calls per syscall name. */
  readonly calls: Record<string, number>;
  waitsForRead: number;
  readyForRead: number;
  waitsForWrite: number;
  readyForWrite: number;
  reads: number;
  writes: number;
  lastWritableTsNs: number | null;
  lastWriteTsNs: number | null;
  /** Write stall: queried for writing since it was last writable, with no write since. Null when none. */
  stall: FdStall | null;
  readonly uses: FdUse[];
}

const WRITES = new Set(['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'send', 'sendto', 'sendmsg', 'sendmmsg', 'sendfile']);
const READS = new Set(['read', 'readv', 'pread64', 'preadv', 'preadv2', 'recv', 'recvfrom', 'recvmsg', 'recvmmsg']);
const RETURNS_FD = new Set([
  'open', 'openat', 'openat2', 'creat', 'socket', 'accept', 'accept4', 'dup', 'dup2', 'dup3', 'epoll_create', 'epoll_create1',
  'eventfd', 'eventfd2', 'timerfd_create', 'signalfd', 'signalfd4', 'memfd_create', 'inotify_init', 'inotify_init1',
  'perf_event_open', 'pidfd_open', 'userfaultfd', 'fanotify_init', 'io_uring_setup', 'bpf', 'open_tree', 'fsopen', 'fsmount',
]);
const SELECTS = new Set(['select', '_newselect', 'pselect6', 'pselect6_time64']);
const POLLS = new Set(['poll', 'ppoll', 'ppoll_time64']);

export interface FdViewOptions {
  /** Keep only these fds / processes. */
  readonly fds?: readonly number[];
  readonly processes?: readonly number[];
}

export function straceFdViews(trace: Trace, opts: FdViewOptions = {}): FdView[] {
  if (trace.meta.format !== 'strace') return [];
  const live = new Map<string, FdView>();
  const all: FdView[] = [];
  const wantFd = opts.fds && opts.fds.length > 0 ? new Set(opts.fds) : null;
  const wantProc = opts.processes && opts.processes.length > 0 ? new Set(opts.processes) : null;

  const view = (process: number, fd: number, tsNs: number): FdView | null => {
    if (wantFd && !wantFd.has(fd)) return null;
    if (wantProc && !wantProc.has(process)) return null;
    const key = `${process}:${fd}`;
    let v = live.get(key);
    if (!v) {
      v = newView(process, fd, tsNs);
      live.set(key, v);
      all.push(v);
    }
    return v;
  };

  for (let i = 0; i < trace.length; i++) {
    const name = trace.event(i);
    if (name === 'signal' || name === 'exit' || name === 'killed' || name === 'attach' || name === 'detach') continue;
    const call = straceCall(trace, i);
    if (!call) continue;
    const pid = trace.pid(i);
    const tgid = trace.tgid(i);
    const process = tgid >= 0 ? tgid : pid;
    const tsNs = trace.tsNs(i);
    const base = { index: i, tsNs, pid, call: call.name, ret: call.ret, errno: call.errno, durNs: call.durNs };
    const args = splitArgs(call.argsText);
    const ok = !call.unfinished && call.errno === null && !Number.isNaN(call.retval) && call.retval >= 0;

    if (SELECTS.has(call.name)) {
      selectUses(call, args).forEach(({ fd, path, asked, ready }) => {
        const v = view(process, fd, tsNs);
        if (v) addUse(v, { ...base, kind: 'wait', asked, ready }, path);
      });
      continue;
    }
    if (POLLS.has(call.name)) {
      pollUses(call, args[0] ?? '').forEach(({ fd, path, asked, ready }) => {
        const v = view(process, fd, tsNs);
        if (v) addUse(v, { ...base, kind: 'wait', asked, ready }, path);
      });
      continue;
    }
    if (call.name === 'epoll_ctl') {
      const target = parseFdArg(args[2] ?? '');
      const events = args[3] ?? '';
      if (target) {
        const v = view(process, target.fd, tsNs);
        if (v) addUse(v, { ...base, kind: 'other', asked: readinessOf(events) }, target.path);
      }
    }
    if ((call.name === 'pipe' || call.name === 'pipe2' || call.name === 'socketpair') && ok) {
      const arr = call.name === 'socketpair' ? args[3] : args[0];
      for (const f of parseFdSet(arr ?? '')) {
        const v = reopen(live, all, process, f.fd, tsNs, wantFd, wantProc);
        if (v) addUse(v, { ...base, kind: 'open' }, f.path, i);
      }
      continue;
    }
    if (FD_FIRST_ARG.has(call.name)) {
      const f = parseFdArg(args[0] ?? '');
      if (f && f.fd >= 0) {
        const v = view(process, f.fd, tsNs);
        if (v) {
          const kind = call.name === 'close' ? 'close' : WRITES.has(call.name) || READS.has(call.name) ? 'io' : 'other';
          addUse(v, { ...base, kind }, f.path);
          if (kind === 'close' && ok) {
            v.closedAt = i;
            live.delete(`${process}:${f.fd}`);
          }
        }
      }
    }
    if (RETURNS_FD.has(call.name) && ok && call.ret !== null) {
      const r = parseFdArg(call.ret);
      if (r && r.fd >= 0) {
        const v = reopen(live, all, process, r.fd, tsNs, wantFd, wantProc);
        if (v) addUse(v, { ...base, kind: 'open' }, r.path ?? openedPath(call, args), i);
      }
    }
  }
  for (const v of all) finishView(v);
  return all;
}

function newView(process: number, fd: number, tsNs: number): FdView {
  return {
    process,
    fd,
    path: null,
    openedAt: -1,
    closedAt: -1,
    firstTsNs: tsNs,
    lastTsNs: tsNs,
    calls: {},
    waitsForRead: 0,
    readyForRead: 0,
    waitsForWrite: 0,
    readyForWrite: 0,
    reads: 0,
    writes: 0,
    lastWritableTsNs: null,
    lastWriteTsNs: null,
    stall: null,
    uses: [],
  };
}

/** A call returned `fd`: a new life of that number (the previous one, if any, ends here). */
function reopen(
  live: Map<string, FdView>,
  all: FdView[],
  process: number,
  fd: number,
  tsNs: number,
  wantFd: Set<number> | null,
  wantProc: Set<number> | null,
): FdView | null {
  if (wantFd && !wantFd.has(fd)) return null;
  if (wantProc && !wantProc.has(process)) return null;
  const v = newView(process, fd, tsNs);
  live.set(`${process}:${fd}`, v);
  all.push(v);
  return v;
}

function addUse(v: FdView, use: FdUse, path: string | null, openedAt = -1): void {
  v.uses.push(use);
  v.calls[use.call] = (v.calls[use.call] ?? 0) + 1;
  v.lastTsNs = use.tsNs;
  if (path !== null) v.path = path;
  if (openedAt >= 0) v.openedAt = openedAt;
  if (use.kind === 'io') {
    if (WRITES.has(use.call)) {
      v.writes++;
      v.lastWriteTsNs = use.tsNs;
    } else {
      v.reads++;
    }
  }
  if (use.kind === 'wait' && use.asked) {
    if (use.asked.includes('in')) v.waitsForRead++;
    if (use.asked.includes('out')) v.waitsForWrite++;
    if (use.ready?.includes('in')) v.readyForRead++;
    if (use.ready?.includes('out')) {
      v.readyForWrite++;
      v.lastWritableTsNs = use.tsNs;
    }
  }
}

/** The stall: write queries after the last time the fd was writable, and no write after them. */
function finishView(v: FdView): void {
  let polls = 0;
  let since: FdUse | null = null;
  for (const u of v.uses) {
    if (u.kind === 'wait' && u.asked?.includes('out')) {
      if (u.ready?.includes('out')) {
        polls = 0;
        since = null;
      } else {
        since ??= u;
        polls++;
      }
    } else if (u.kind === 'io' && WRITES.has(u.call)) {
      polls = 0;
      since = null;
    }
  }
  v.stall = polls > 0 && since !== null ? { writePolls: polls, sinceTsNs: since.tsNs, sinceIndex: since.index, everWritable: v.readyForWrite > 0 } : null;
}

interface WaitUse {
  fd: number;
  path: string | null;
  asked: Readiness[];
  ready: Readiness[];
}

/** select(nfds, readfds, writefds, exceptfds, timeout): the sets asked, and `in [..], out [..]` in the result. */
function selectUses(call: StraceCall, args: string[]): WaitUse[] {
  const byFd = new Map<number, WaitUse>();
  const sets: [Readiness, string | undefined][] = [
    ['in', args[1]],
    ['out', args[2]],
    ['pri', args[3]],
  ];
  for (const [r, arg] of sets) {
    for (const f of parseFdSet(arg ?? '')) {
      let u = byFd.get(f.fd);
      if (!u) {
        u = { fd: f.fd, path: f.path, asked: [], ready: [] };
        byFd.set(f.fd, u);
      }
      u.asked.push(r);
      if (f.path !== null) u.path = f.path;
    }
  }
  const note = call.note ?? '';
  for (const [label, r] of [
    ['in', 'in'],
    ['out', 'out'],
    ['except', 'pri'],
  ] as const) {
    const set = bracketAfter(note, `${label} `);
    if (set === null) continue;
    for (const f of parseFdSet(set)) byFd.get(f.fd)?.ready.push(r);
  }
  return [...byFd.values()];
}

/** poll([{fd=5, events=POLLOUT}], ...) = 1 ([{fd=5, revents=POLLOUT}]). */
function pollUses(call: StraceCall, arg: string): WaitUse[] {
  const out: WaitUse[] = [];
  const re = /\{fd=(-?\d+)(?:<((?:[^<>]|<[^<>]*>)*)>)?, events=([^}]*)\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(arg)) !== null) {
    const fd = Number(m[1]);
    if (fd < 0) continue;
    out.push({ fd, path: m[2] ?? null, asked: readinessOf(m[3] as string), ready: [] });
  }
  const note = call.note ?? '';
  const rr = /\{fd=(-?\d+)(?:<(?:[^<>]|<[^<>]*>)*>)?, revents=([^}]*)\}/g;
  while ((m = rr.exec(note)) !== null) {
    const fd = Number(m[1]);
    out.find((u) => u.fd === fd)?.ready.push(...readinessOf(m[2] as string));
  }
  return out;
}

/** POLLIN/POLLOUT/POLLPRI, EPOLLIN/EPOLLOUT/EPOLLPRI (and the RD/WR NORM/BAND variants). */
function readinessOf(flags: string): Readiness[] {
  const out: Readiness[] = [];
  if (/\bE?POLL(?:IN|RDNORM|RDBAND)\b/.test(flags)) out.push('in');
  if (/\bE?POLL(?:OUT|WRNORM|WRBAND)\b/.test(flags)) out.push('out');
  if (/\bE?POLLPRI\b/.test(flags)) out.push('pri');
  return out;
}

/** The bracketed list after `label` in `text` (`out [3 5]`), brackets included; null when absent. */
function bracketAfter(text: string, label: string): string | null {
  const re = new RegExp(`(?:^|[\\s,(])${label}\\[`);
  const m = re.exec(text);
  if (!m) return null;
  const start = m.index + m[0].length - 1;
  let depth = 0;
  for (let k = start; k < text.length; k++) {
    if (text[k] === '[') depth++;
    else if (text[k] === ']' && --depth === 0) return text.slice(start, k + 1);
  }
  return null;
}

/** The path an open-like call was given (`openat(AT_FDCWD, "/etc/passwd", ...)`). */
function openedPath(call: StraceCall, args: string[]): string | null {
  const arg = call.name === 'openat' || call.name === 'openat2' ? args[1] : call.name === 'open' || call.name === 'creat' ? args[0] : undefined;
  const m = arg ? /^"((?:[^"\\]|\\.)*)"/.exec(arg) : null;
  return m ? (m[1] as string) : null;
}
