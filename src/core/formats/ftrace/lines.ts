/**
 * String-level matchers for the ftrace line shapes that are off the hot path: latency format,
 * function_graph, and payloads that do not start with `event_name:`.
 * Spec references are in reader.ts.
 */

export interface Classified {
  event: string;
  /** Offset in the payload string where the event's own text starts. */
  payloadStart: number;
}

/**
 * Names an event whose payload has no `name:` prefix. ftrace prints these entry types
 * without a name (kernel/trace/trace_output.c); the names used are the ftrace event names
 * trace-cmd shows for them (ftrace:function, ftrace:kernel_stack, ftrace:context_switch ...).
 */
export function classifyPayload(payload: string, tracer: string | null): Classified {
  const t = payload.trimStart();
  const lead = payload.length - t.length;
  if (t.startsWith('<stack trace>')) return { event: 'kernel_stack', payloadStart: lead };
  if (t.startsWith('<user stack trace>')) return { event: 'user_stack', payloadStart: lead };
  // Function tracer: `func <-parent`, with sym-offset: `func+0x1c/0x60 <-parent+0x2a/0x90`.
  if (/^\S+\s+<-\S/.test(t)) return { event: 'function', payloadStart: lead };
  // ... with func-args (6.15+): `vfs_write(file=0xffff888104c3a200, count=0x3) <-ksys_write+0x6b/0xf0`.
  if (/^[A-Za-z_][\w.]*\(.*\) <-\S/.test(t)) return { event: 'function', payloadStart: lead };
  // Wakeup/ctx entries: `  0:120:R   + [002]  5882: 94:R sleep`, `0:120:R ==> [002] 5882: 94:R sleep`.
  if (/^\d+:\s*-?\d+:\S+\s+==>\s+\[\d+\]/.test(t)) return { event: 'context_switch', payloadStart: lead };
  if (/^\d+:\s*-?\d+:\S+\s+\+\s+\[\d+\]/.test(t)) return { event: 'wakeup', payloadStart: lead };
  // syscalls:sys_enter_* / sys_exit_* print as `sys_dup2(oldfd: a, newfd: 1)` and `sys_dup2 -> 0x1`.
  const sys = /^sys_(\w+)(\(| -> )/.exec(t);
  if (sys) return { event: `${sys[2] === '(' ? 'sys_enter' : 'sys_exit'}_${sys[1]}`, payloadStart: lead };
  // trace_marker_raw entries print as `# <id> buf: <hex bytes>` (TRACE_RAW_DATA).
  if (/^# [0-9a-f]+ buf:/.test(t)) return { event: 'raw_data', payloadStart: lead };
  // A lone symbol (function tracer without parent).
  if (/^[A-Za-z_][\w.]*(?:\+0x[0-9a-f]+\/0x[0-9a-f]+)?$/.test(t)) return { event: 'function', payloadStart: lead };
  // Tracer-specific entries (hwlat `#1 inner/outer(us): ...`, osnoise, ...) carry the tracer's name.
  if (tracer && tracer !== 'nop') return { event: tracer, payloadStart: lead };
  return { event: 'print', payloadStart: lead };
}

export interface LatencyLine {
  comm: string;
  pid: number;
  cpu: number;
  flags: string;
  /** Microseconds since the start of the latency trace. */
  usecs: number;
  payload: string;
  /** Offset of the payload in the line. */
  payloadStart: number;
}

/**
 * latency-format line (lat_print_generic + lat_print_timestamp):
 * `%8.8s-%-7d %3d` comm-pid cpu, the flag characters glued to the CPU, ` %4lldus%c: `.
 */
const LATENCY = /^\s*(.*?)-(\d+)\s+(\d+)([^\s\d]\S*)\s+(\d+)(?:us)?[ !#$%*+@]?:(?: |$)/;

export function parseLatencyLine(line: string): LatencyLine | null {
  const m = LATENCY.exec(line);
  if (!m) return null;
  return {
    comm: m[1] as string,
    pid: Number(m[2]),
    cpu: Number(m[3]),
    flags: m[4] as string,
    usecs: Number(m[5]),
    payload: line.slice(m[0].length),
    payloadStart: m[0].length,
  };
}

export type FuncGraphKind = 'entry' | 'leaf' | 'exit' | 'switch' | 'irq-entry' | 'irq-exit' | 'comment';

export interface FuncGraphLine {
  kind: FuncGraphKind;
  event: string;
  cpu: number;
  /** funcgraph-abstime column, split as whole seconds + ns; null when absent. */
  absSec: number | null;
  absFracNs: number;
  /** funcgraph-proc column; null when absent. */
  comm: string | null;
  pid: number | null;
  /** Latency flags column (funcgraph with latency-format), '' when absent. */
  flags: string;
  durationNs: number | null;
  /** Call depth from the indentation (two spaces per level). */
  depth: number;
  /** For `switch`: the task switched to. */
  nextComm: string;
  nextPid: number;
  /** Offset in the line where the function text (or switch text) starts. */
  payloadStart: number;
}

/** ` 0) ` with an optional `  1234.567890 |  ` abstime column before it. */
const GRAPH_HEAD = /^\s*(?:(\d+)\.(\d+)\s*\|\s*)?(\d+)\)\s/;
const GRAPH_SWITCH = /^\s*(.+?)-(\d+)\s+=>\s+(.+?)-(\d+)\s*$/;
const DURATION_COL = /^\s*([+!#*@$])?\s*(?:(\d+(?:\.\d+)?)\s*us)?\s*$/;
const PROC_COL = /^\s*(.+)-(\d+)\s*$/;

export function parseFuncGraphLine(line: string): FuncGraphLine | null {
  const head = GRAPH_HEAD.exec(line);
  if (!head) return null;
  const rest = line.slice(head[0].length);
  const base: FuncGraphLine = {
    kind: 'entry',
    event: 'funcgraph_entry',
    cpu: Number(head[3]),
    absSec: head[1] === undefined ? null : Number(head[1]),
    absFracNs: head[2] === undefined ? 0 : Number(head[2].slice(0, 9).padEnd(9, '0')),
    comm: null,
    pid: null,
    flags: '',
    durationNs: null,
    depth: 0,
    nextComm: '',
    nextPid: -1,
    payloadStart: head[0].length,
  };
  const sw = GRAPH_SWITCH.exec(rest);
  if (sw && !rest.includes('|')) {
    return { ...base, kind: 'switch', event: 'context_switch', comm: sw[1] as string, pid: Number(sw[2]), nextComm: sw[3] as string, nextPid: Number(sw[4]) };
  }
  // Columns are separated by '|'; the function text follows the duration column.
  const cols = rest.split('|');
  let pos = head[0].length;
  let sawDuration = false;
  let c = 0;
  for (; c < cols.length - 1; c++) {
    const col = cols[c] as string;
    const trimmed = col.trim();
    if (trimmed === '==========>' || trimmed === '<==========') {
      const kind = trimmed === '==========>' ? 'irq-entry' : 'irq-exit';
      return { ...base, kind, event: kind === 'irq-entry' ? 'funcgraph_irq_entry' : 'funcgraph_irq_exit', payloadStart: pos + col.indexOf(trimmed) };
    }
    const dur = DURATION_COL.exec(col);
    if (dur) {
      if (dur[2] !== undefined) base.durationNs = Math.round(Number(dur[2]) * 1000);
      pos += col.length + 1;
      sawDuration = true;
      c++;
      break;
    }
    const proc = PROC_COL.exec(col);
    if (proc && base.comm === null) {
      base.comm = (proc[1] as string).trim();
      base.pid = Number(proc[2]);
    } else if (/^\s*\S{3,6}\s*$/.test(col)) {
      base.flags = trimmed;
    } else {
      return null;
    }
    pos += col.length + 1;
  }
  if (!sawDuration) return null;
  const fn = cols.slice(c).join('|');
  // Two spaces after the bar, then two per nesting level (TRACE_GRAPH_INDENT).
  const indent = fn.length - fn.trimStart().length;
  const body = fn.trim();
  base.depth = Math.max(0, Math.floor((indent - 2) / 2));
  base.payloadStart = pos + indent;
  if (body.startsWith('}')) return { ...base, kind: 'exit', event: 'funcgraph_exit' };
  // funcgraph-retval / funcgraph-retaddr add a trailing `/* <-caller+0x../0x.. ret=0x0 */`
  // to calls (kernel/trace/trace_functions_graph.c print_graph_retval, 6.5+; retaddr 6.12+).
  if (/\)\s*;\s*(?:\/\*.*\*\/)?$/.test(body)) return { ...base, kind: 'leaf' };
  if (/\)\s*\{\s*(?:\/\*.*\*\/)?$/.test(body)) return base;
  const comment = /^\/\*\s*(.*?)\s*\*\/$/.exec(body);
  if (comment) {
    const named = /^([A-Za-z_][\w.]*):(?:\s|$)/.exec(comment[1] as string);
    return { ...base, kind: 'comment', event: named ? (named[1] as string) : 'print', payloadStart: base.payloadStart };
  }
  if (body === '==========>' || body === '<==========') {
    const kind = body === '==========>' ? 'irq-entry' : 'irq-exit';
    return { ...base, kind, event: kind === 'irq-entry' ? 'funcgraph_irq_entry' : 'funcgraph_irq_exit' };
  }
  return null;
}
