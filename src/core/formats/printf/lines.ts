/**
 * Line parsing for printf-style probe output (spec in printf.ts): the default `key=value`
 * shape, a user pattern's groups, and timestamps in their several spellings.
 */
import { parseKeyValues } from '../decoded';
import type { UserRegex } from '../../config/user-regex';

export interface PrintfLine {
  /** Timestamp as (whole seconds, ns), or null when the line has none. */
  sec: number | null;
  fracNs: number;
  cpu: number | null;
  pid: number | null;
  comm: string | null;
  event: string | null;
  /** Offset (UTF-16 units) where the event's own text starts in the line. */
  payloadStart: number;
}

/** bpf_trace_printk lines copied from trace_pipe: `comm-pid [cpu] flags sec.usec: name: text`. */
const TRACE_PIPE = /^\s*(.+?)-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(\d+)\]\s+(?:\S+\s+)?(\d+)\.(\d+):\s+([\w.]+):\s*/;
/** A leading time: `12:34:56[.789]`, `1234.567890`, optionally followed by a colon. */
const LEAD_TIME = /^\s*(?:(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?|(\d+)\.(\d+)):?\s+/;
const HAS_KEY = /(?:^|\s)[A-Za-z_$][\w$.]*=/;
/** The event token: a word before the first key=value (`tracepoint:net:net_dev_xmit`, `probe:`, `full`). */
const EVENT_TOKEN = /^\s*([^\s=]+?):?(?:\s+|$)/;

const TIME_KEYS = ['ts', 'time', 'timestamp', 'nsecs'];
const PID_KEYS = ['pid', 'tid'];
const COMM_KEYS = ['comm', 'task'];
const EVENT_KEYS = ['event', 'probe', 'name'];

export type TsUnit = 'ns' | 'us' | 'ms' | 's';

/** Parses a `key=value` line; null when the line has no `key=value` pair. */
export function parseKeyValueLine(text: string, unit: TsUnit): PrintfLine | null {
  const out: PrintfLine = { sec: null, fracNs: 0, cpu: null, pid: null, comm: null, event: null, payloadStart: 0 };
  const tp = TRACE_PIPE.exec(text);
  if (tp) {
    if (!HAS_KEY.test(text.slice(tp[0].length))) return null;
    out.comm = tp[1] as string;
    out.pid = Number(tp[2]);
    out.cpu = Number(tp[3]);
    out.sec = Number(tp[4]);
    out.fracNs = fracToNs(tp[5] as string);
    out.event = tp[6] as string;
    out.payloadStart = tp[0].length;
    return out;
  }
  let pos = 0;
  const lt = LEAD_TIME.exec(text);
  if (lt) {
    setTime(out, lt[0].trim().replace(/:$/, ''), unit);
    pos = lt[0].length;
  }
  const rest = text.slice(pos);
  if (!HAS_KEY.test(rest)) return null;
  const tok = EVENT_TOKEN.exec(rest);
  if (tok && !(tok[1] as string).includes('=')) {
    out.event = tok[1] as string;
    pos += tok[0].length;
  }
  out.payloadStart = pos;
  const kv = parseKeyValues(text.slice(pos));
  for (const k of TIME_KEYS) {
    const v = kv[k];
    if (v !== undefined && out.sec === null && setTime(out, v, unit)) break;
  }
  const cpu = kv.cpu;
  if (cpu !== undefined && /^\d+$/.test(cpu)) out.cpu = Number(cpu);
  for (const k of PID_KEYS) {
    const v = kv[k];
    if (v !== undefined && /^-?\d+$/.test(v)) {
      out.pid = Number(v);
      break;
    }
  }
  for (const k of COMM_KEYS) {
    const v = kv[k];
    if (v !== undefined) {
      out.comm = v;
      break;
    }
  }
  if (out.event === null) {
    for (const k of EVENT_KEYS) {
      const v = kv[k];
      if (v !== undefined && v !== '') {
        out.event = v;
        break;
      }
    }
  }
  return out;
}

/** Fills the columns from a user pattern's named groups; null when the line does not match. */
export function parsePatternLine(text: string, re: UserRegex, unit: TsUnit): PrintfLine | null {
  const m = re.exec(text);
  if (!m) return null;
  const g = m.groups;
  const out: PrintfLine = { sec: null, fracNs: 0, cpu: null, pid: null, comm: null, event: null, payloadStart: 0 };
  if (g.ts !== undefined) setTime(out, g.ts, unit);
  if (g.cpu !== undefined && /^\d+$/.test(g.cpu)) out.cpu = Number(g.cpu);
  const pid = g.pid ?? g.tid;
  if (pid !== undefined && /^-?\d+$/.test(pid)) out.pid = Number(pid);
  if (g.comm !== undefined) out.comm = g.comm;
  if (g.event !== undefined && g.event !== '') out.event = g.event;
  return out;
}

/** The fields of a pattern match: every named group that is not a column; null when the line does not match. */
export function patternFields(text: string, re: UserRegex): Record<string, string> | null {
  const m = re.exec(text);
  if (!m) return null;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups)) {
    if (v === undefined || k === 'ts' || k === 'cpu' || k === 'pid' || k === 'tid' || k === 'comm' || k === 'event') continue;
    fields[k] = v;
  }
  return fields;
}

/** Sets the time from `12:34:56[.frac]`, `sec.frac` or an integer in `unit`. False when it is none of those. */
function setTime(out: PrintfLine, v: string, unit: TsUnit): boolean {
  let m = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(v);
  if (m) {
    out.sec = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    out.fracNs = m[4] === undefined ? 0 : fracToNs(m[4]);
    return true;
  }
  m = /^(\d+)\.(\d+)$/.exec(v);
  if (m) {
    out.sec = Number(m[1]);
    out.fracNs = fracToNs(m[2] as string);
    return true;
  }
  if (/^\d{1,30}$/.test(v)) {
    const per = unit === 'ns' ? 1n : unit === 'us' ? 1000n : unit === 'ms' ? 1_000_000n : 1_000_000_000n;
    const ns = BigInt(v) * per;
    out.sec = Number(ns / 1_000_000_000n);
    out.fracNs = Number(ns % 1_000_000_000n);
    return true;
  }
  return false;
}

function fracToNs(digits: string): number {
  return Number(digits.slice(0, 9).padEnd(9, '0'));
}
