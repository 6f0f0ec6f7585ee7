/**
 * Fields of a strace event, decoded on demand (line shapes in strace.ts). A call that strace
 * split (`<unfinished ...>` ... `<... name resumed>`) is joined again here: its arguments are
 * the start's followed by the resumed line's, its result is the resumed line's.
 */
import type { Trace } from '../../trace/trace';
import type { DecodedPayload } from '../decoded';
import { embeddedAttach, parseBody, parseFdArg, parsePrefix, parseResult, splitArgs } from './lines';
import { readTraceText } from './source';

export interface StraceCall {
  readonly name: string;
  /** The argument list as printed, both halves joined for a split call. */
  readonly argsText: string;
  readonly ret: string | null;
  readonly retval: number;
  readonly errno: string | null;
  readonly errmsg: string | null;
  readonly note: string | null;
  readonly durNs: number | null;
  /** Split call whose resumed half is not in the file. */
  readonly unfinished: boolean;
  /** Line of the resumed half, 0 when the call was not split. */
  readonly resumedLine: number;
  /** Only the resumed half is in the file (the start is missing). */
  readonly resumedOnly: boolean;
}

/** Syscalls whose first argument is a file descriptor. */
export const FD_FIRST_ARG = new Set([
  'read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
  'close', 'fstat', 'newfstatat', 'fstatfs', 'lseek', 'ioctl', 'fcntl', 'flock', 'fsync', 'fdatasync', 'ftruncate',
  'getdents64', 'getdents', 'fchdir', 'fchmod', 'fchown', 'sendfile', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg',
  'sendmmsg', 'recvmmsg', 'bind', 'connect', 'listen', 'accept', 'accept4', 'shutdown', 'getsockname',
  'getpeername', 'setsockopt', 'getsockopt', 'dup', 'dup2', 'dup3', 'epoll_ctl', 'epoll_wait',
  'epoll_pwait', 'epoll_pwait2', 'splice', 'tee', 'fadvise64', 'fallocate', 'readahead', 'fgetxattr',
  'fsetxattr', 'flistxattr', 'fremovexattr', 'inotify_add_watch', 'timerfd_settime', 'timerfd_gettime',
  'openat', 'openat2', 'statx', 'faccessat', 'faccessat2', 'mkdirat', 'unlinkat', 'readlinkat', 'renameat2',
  'close_range', 'syncfs', 'copy_file_range',
]);

/** The call behind event `i` (null for signals, exits and attach notes). */
export function straceCall(trace: Trace, i: number): StraceCall | null {
  const first = firstLine(trace.recordText(i));
  const p = parsePrefix(first);
  const body = first.slice(p.bodyStart);
  let shape = parseBody(body);
  if (shape && shape.kind === 'syscall') {
    const att = embeddedAttach(body);
    if (att) shape = { kind: 'unfinished', name: shape.name, argsStart: shape.argsStart, argsEnd: att.at };
  }
  if (!shape) return null;
  const resumeOffset = trace.extra('resumeOffset')?.get(i) ?? -1;
  const resumeLength = trace.extra('resumeLength')?.get(i) ?? 0;
  const resumedLine = trace.extra('resumeLine')?.get(i) ?? 0;
  if (shape.kind === 'syscall') {
    const r = parseResult(body);
    // A call line the traced program's output cut (strace.ts): its rest is on a later line.
    if (!r && resumeOffset >= 0) shape = { kind: 'unfinished', name: shape.name, argsStart: shape.argsStart, argsEnd: body.length };
    else if (!r) return null;
    else return { name: shape.name, argsText: body.slice(shape.argsStart, r.argsEnd), ret: r.ret, retval: r.retval, errno: r.errno, errmsg: r.errmsg, note: r.note, durNs: r.durNs, unfinished: false, resumedLine: 0, resumedOnly: false };
  }
  if (shape.kind === 'unfinished') {
    const start = body.slice(shape.argsStart, shape.argsEnd);
    const resumed = resumeOffset >= 0 ? readTraceText(trace, resumeOffset, resumeLength) : null;
    if (resumed !== null) {
      // `) = 3` / ` => {...}) = 3`: the rest of a cut line has no prefix of its own.
      const rb = resumed.startsWith(')') ? resumed : resumed.slice(parsePrefix(resumed).bodyStart);
      const rs = rb.startsWith(')') ? ({ kind: 'resumed', restStart: 0 } as const) : parseBody(rb);
      if (rs && rs.kind === 'resumed') {
        const rest = rb.slice(rs.restStart);
        const r = parseResult(rest);
        if (r) {
          return { name: shape.name, argsText: start + rest.slice(0, r.argsEnd), ret: r.ret, retval: r.retval, errno: r.errno, errmsg: r.errmsg, note: r.note, durNs: r.durNs, unfinished: false, resumedLine, resumedOnly: false };
        }
      }
    }
    return { name: shape.name, argsText: start, ret: null, retval: NaN, errno: null, errmsg: null, note: null, durNs: null, unfinished: resumeOffset < 0, resumedLine, resumedOnly: false };
  }
  if (shape.kind === 'resumed') {
    const rest = body.slice(shape.restStart);
    const r = parseResult(rest);
    return {
      name: shape.name,
      argsText: r ? rest.slice(0, r.argsEnd) : rest,
      ret: r?.ret ?? null,
      retval: r?.retval ?? NaN,
      errno: r?.errno ?? null,
      errmsg: r?.errmsg ?? null,
      note: r?.note ?? null,
      durNs: r?.durNs ?? null,
      unfinished: false,
      resumedLine: 0,
      resumedOnly: true,
    };
  }
  return null;
}

export function decodeStraceEvent(trace: Trace, i: number): DecodedPayload {
  const record = trace.recordText(i);
  const lines = record.split('\n');
  const first = lines[0] as string;
  const frames = lines
    .slice(1)
    .map((l) => l.replace(/^\s*>\s*/, '').trim())
    .filter((l) => l.length > 0);
  const withStack = (d: DecodedPayload): DecodedPayload => (frames.length > 0 ? { ...d, stack: frames } : d);
  const body = first.slice(parsePrefix(first).bodyStart);
  const event = trace.event(i);
  if (event === 'attach' || event === 'detach') return { fields: { pid: String(trace.pid(i)) } };
  const shape = parseBody(body);
  if (shape?.kind === 'signal') return withStack({ fields: { signal: shape.signal, info: shape.info } });
  if (shape?.kind === 'exit') {
    if (shape.killedBy !== null) return { fields: shape.core ? { signal: shape.killedBy, core: 'true' } : { signal: shape.killedBy } };
    return { fields: { status: String(shape.status) } };
  }
  const call = straceCall(trace, i);
  if (!call) return withStack({ fields: { text: body.trim() } });
  const fields: Record<string, string> = { args: call.argsText };
  if (call.ret !== null) fields.ret = call.ret;
  if (call.errno !== null) fields.errno = call.errno;
  if (call.errmsg !== null) fields.errmsg = call.errmsg;
  if (call.note !== null) fields.note = call.note;
  if (call.durNs !== null) fields.duration_ns = String(call.durNs);
  if (call.unfinished) fields.unfinished = 'true';
  if (call.resumedLine > 0) fields.resumed_line = String(call.resumedLine);
  if (call.resumedOnly) fields.resumed_only = 'true';
  if (FD_FIRST_ARG.has(call.name)) {
    const fd = parseFdArg(splitArgs(call.argsText)[0] ?? '');
    if (fd && fd.fd >= 0) {
      fields.fd = String(fd.fd);
      if (fd.path !== null) fields.fd_path = fd.path;
    }
  }
  return withStack({ fields });
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}
