/**
 * String-level parsing of strace output lines (spec in strace.ts): the prefix (pid column,
 * timestamp), the body's shape, a syscall's result, and the argument list.
 */

export interface StracePrefix {
  /** `[pid N]` or bare pid column; null when strace printed none (single process, no -f). */
  pid: number | null;
  /** Whole seconds and ns of the timestamp (-t/-tt: of the day, -ttt: since the epoch); null when none. */
  sec: number | null;
  fracNs: number;
  /** -t/-tt (time of day, wraps at midnight) versus -ttt (epoch). */
  timeOfDay: boolean;
  /** -r: the time since the previous line (`%6ld.%06ld`, right-aligned), not a point in time. */
  relative: boolean;
  /** Offset of the body in the line. */
  bodyStart: number;
}

const PREFIX = /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+(?=\S))?(?:(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?\s+|\s*(\d+)\.(\d+)\s+)?/;
/** -r deltas are small; -ttt epoch seconds have 10 digits. */
const RELATIVE_BELOW_SEC = 1e8;

export function parsePrefix(line: string): StracePrefix {
  const m = PREFIX.exec(line) as RegExpExecArray;
  const pid = m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? Number(m[2]) : null;
  let sec: number | null = null;
  let fracNs = 0;
  let timeOfDay = false;
  let relative = false;
  if (m[3] !== undefined) {
    sec = Number(m[3]) * 3600 + Number(m[4]) * 60 + Number(m[5]);
    fracNs = m[6] === undefined ? 0 : fracToNs(m[6]);
    timeOfDay = true;
  } else if (m[7] !== undefined) {
    sec = Number(m[7]);
    fracNs = fracToNs(m[8] as string);
    relative = sec < RELATIVE_BELOW_SEC;
  }
  return { pid, sec, fracNs, timeOfDay, relative, bodyStart: m[0].length };
}

function fracToNs(digits: string): number {
  return Number(digits.slice(0, 9).padEnd(9, '0'));
}

export interface StraceResult {
  /** The return value as printed (`3</etc/passwd>`, `-1`, `0x7fa8...`, `?`). */
  ret: string;
  /** Numeric return value; NaN for `?`. */
  retval: number;
  errno: string | null;
  errmsg: string | null;
  /** Parenthesised note after the value: `in [5]`, `Timeout`, `out [3], left {...}`. */
  note: string | null;
  durNs: number | null;
  /** Offset in the text where `) = ...` (the end of the argument list) starts. */
  argsEnd: number;
}

const DURATION = /\s+<(\d+)\.(\d+)>\s*$/;
const RET = /^(-?\d+|0x[0-9a-fA-F]+|\?)(<.*?>)?(?:\s+(E[A-Z0-9]+|ERESTART\w+|\?)(?:\s+\((.*)\))?|\s+\((.*)\))?\s*$/;

/**
 * The result of a finished call: the last `)` followed by spaces and `= ` (strings inside the
 * arguments may contain `) = `; the result comes last). Null when there is none.
 */
export function parseResult(text: string): StraceResult | null {
  let argsEnd = -1;
  let valueStart = -1;
  const re = /\)\s*= /g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    argsEnd = m.index;
    valueStart = m.index + m[0].length;
  }
  if (argsEnd < 0) return null;
  let value = text.slice(valueStart);
  let durNs: number | null = null;
  const d = DURATION.exec(value);
  if (d) {
    durNs = Number(d[1]) * 1e9 + fracToNs(d[2] as string);
    value = value.slice(0, d.index);
  }
  const r = RET.exec(value);
  if (!r) return { ret: value.trim(), retval: NaN, errno: null, errmsg: null, note: null, durNs, argsEnd };
  const tok = r[1] as string;
  const retval = tok === '?' ? NaN : tok.startsWith('0x') ? parseInt(tok, 16) : Number(tok);
  return {
    ret: tok + (r[2] ?? ''),
    retval,
    errno: r[3] === undefined || r[3] === '?' ? null : r[3],
    errmsg: r[3] !== undefined ? (r[4] ?? null) : null,
    note: r[5] ?? null,
    durNs,
    argsEnd,
  };
}

export type StraceBody =
  | { kind: 'syscall'; name: string; argsStart: number }
  | { kind: 'unfinished'; name: string; argsStart: number; argsEnd: number }
  | { kind: 'resumed'; name: string; restStart: number; unfinishedAgain: boolean }
  | { kind: 'signal'; signal: string; info: string }
  | { kind: 'exit'; status: number | null; killedBy: string | null; core: boolean }
  | { kind: 'attach' | 'detach'; target: number }
  | { kind: 'note'; text: string };

const UNFINISHED = ' <unfinished ...>';
const ATTACHED = /strace: Process (\d+) (attached|detached)\s*$/;

/** Classifies the body of a line (what follows the pid column and timestamp). */
export function parseBody(body: string): StraceBody | null {
  if (body.startsWith('--- ')) {
    const sig = /^--- (SIG[A-Z0-9+-]+|stopped by (SIG\w+))\s*(.*?)\s*---\s*$/.exec(body);
    if (!sig) return null;
    return { kind: 'signal', signal: sig[2] ?? (sig[1] as string), info: sig[2] !== undefined ? 'stopped' : (sig[3] as string) };
  }
  if (body.startsWith('+++ ')) {
    const ex = /^\+\+\+ (?:exited with (-?\d+)|killed by (SIG\w+)( \(core dumped\))?) \+\+\+\s*$/.exec(body);
    if (!ex) return null;
    return { kind: 'exit', status: ex[1] === undefined ? null : Number(ex[1]), killedBy: ex[2] ?? null, core: ex[3] !== undefined };
  }
  if (body.startsWith('<... ')) {
    const res = /^<\.\.\. ([\w?]+) resumed>/.exec(body);
    if (!res) return null;
    return { kind: 'resumed', name: res[1] as string, restStart: res[0].length, unfinishedAgain: body.trimEnd().endsWith('<unfinished ...>') };
  }
  // ` => {parent_tid=[752]}, 88) = 752`: the rest of a call whose line a note cut (the
  // values an in/out argument had on return follow `=>`).
  if (body.startsWith(' => ')) return { kind: 'resumed', name: '', restStart: 0, unfinishedAgain: false };
  const att = /^strace: Process (\d+) (attached|detached)/.exec(body);
  if (att) return { kind: att[2] === 'attached' ? 'attach' : 'detach', target: Number(att[1]) };
  if (body.startsWith('strace: ')) return { kind: 'note', text: body.slice(8) };
  const call = /^([A-Za-z_]\w*|\?{4})\(/.exec(body);
  if (!call) return null;
  const name = call[1] as string;
  const trimmed = body.trimEnd();
  if (trimmed.endsWith(UNFINISHED.trim())) {
    const at = trimmed.lastIndexOf(UNFINISHED.trim());
    return { kind: 'unfinished', name, argsStart: call[0].length, argsEnd: Math.max(call[0].length, at - 1) };
  }
  return { kind: 'syscall', name, argsStart: call[0].length };
}

/**
 * strace -f without -o writes its own notes to the traced program's stderr, so a note can land
 * in the middle of a call that was cut by a task switch: `futex(0x1db4, FUTEX_WAIT..., NULL,
 * FUTEX_BITSET_MATCH_ANYstrace: Process 32105 attached`. Returns where the note starts and the pid.
 */
export function embeddedAttach(body: string): { at: number; target: number; attached: boolean } | null {
  if (!body.includes('strace: Process ')) return null;
  const m = ATTACHED.exec(body);
  if (!m || m.index === 0) return null;
  return { at: m.index, target: Number(m[1]), attached: m[2] === 'attached' };
}

/** Splits an argument list at top-level commas (quotes, brackets, braces and parens respected). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (quote) {
      if (c === '\\') k++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, k).trim());
      start = k + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last || out.length > 0) out.push(last);
  return out;
}

/** `5`, `5</path>`, `5<socket:[1234]>`, `5<TCP:[...]>` -> fd and the -y/-yy annotation. */
export function parseFdArg(arg: string): { fd: number; path: string | null } | null {
  const m = /^(-?\d+)(?:<(.*)>)?$/.exec(arg.trim());
  if (!m) return null;
  return { fd: Number(m[1]), path: m[2] ?? null };
}

/** `[3<socket:[1]> 5]` (select fd sets) -> fds with annotations; `NULL` or `[]` -> none. */
export function parseFdSet(arg: string): { fd: number; path: string | null }[] {
  const t = arg.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return [];
  const inner = t.slice(1, -1);
  const out: { fd: number; path: string | null }[] = [];
  const re = /(\d+)(?:<((?:[^<>]|<[^<>]*>)*)>)?/g;
  let m: RegExpExecArray | null;
  // Only numbers at top level: skip annotations' contents (they may hold digits).
  let k = 0;
  while ((m = re.exec(inner)) !== null) {
    if (m.index < k) continue;
    out.push({ fd: Number(m[1]), path: m[2] ?? null });
    k = m.index + m[0].length;
  }
  return out;
}
