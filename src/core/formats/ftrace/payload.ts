/**
 * On-demand decoding of an ftrace event's payload into fields (DESIGN.md: fields stay raw
 * until asked for). Shapes, from kernel/trace/trace_output.c and trace_kprobe.c:
 *   tracepoints      `key=val key=val ...` (values may contain spaces: `prev_comm=Web Content`)
 *   kprobes          `(sym+0x9b/0x250) key=val ...`     kretprobes `(caller+0xc/0xe <- func) ...`
 *   uprobes          `(0x446420) arg1=...`              uretprobes `(0x446540 <- 0x446420) ...`
 *   trace_marker     `tracing_mark_write: <text>` (text kept whole under `text`)
 *   function tracer  `func <-parent`, with func-args `func(a=1, b=0x2) <-parent` (call.ts)
 *   stacks           `<stack trace>` followed by ` => symbol` lines
 *   function_graph   `func() {`, `func();`, `} /* func *\/`, `/* comment *\/`, with arguments,
 *                    return addresses and values (call.ts)
 */
import { addArgFields, parseCall, parseCallComment, type CallComment } from './call';
import { parseFuncGraphLine } from './lines';
import { parseKeyValues, type DecodedPayload, type ProbeSite } from '../decoded';

/** Events whose payload is free text written by user space (trace_marker) or trace_printk. */
const TEXT_EVENTS = new Set(['tracing_mark_write', 'print', 'bprint', 'bputs']);

const PROBE = /^\(\s*(?:([^\s()+]+)\+0x([0-9a-fA-F]+)\/0x([0-9a-fA-F]+)|(0x[0-9a-fA-F]+|[^\s()+]+))(?:\s+<-\s+([^\s()]+))?\s*\)\s*/;

/**
 * Decodes `payload` (what follows `event: `, continuation lines included) for `event`.
 * `record` is the event's whole line, needed by shapes whose data precedes the payload
 * (function_graph durations).
 */
export function decodeFtracePayload(event: string, payload: string, record: string): DecodedPayload {
  const nl = payload.indexOf('\n');
  const first = nl < 0 ? payload : payload.slice(0, nl);
  const stack = nl < 0 ? undefined : parseStack(payload.slice(nl + 1));
  if (TEXT_EVENTS.has(event)) return withStack({ fields: { text: first } }, stack);
  switch (event) {
    case 'function':
      return withStack({ fields: parseFunction(first) }, stack);
    case 'kernel_stack':
    case 'user_stack':
      return { fields: {}, stack: stack ?? [] };
    case 'funcgraph_entry':
    case 'funcgraph_exit':
    case 'funcgraph_irq_entry':
    case 'funcgraph_irq_exit':
      return { fields: parseGraph(record) };
    default:
      break;
  }
  if (event.startsWith('sys_enter_') || event.startsWith('sys_exit_')) {
    const sys = parseSyscall(first);
    if (sys) return withStack({ fields: sys }, stack);
  }
  const probe = PROBE.exec(first);
  if (probe) {
    const site: ProbeSite =
      probe[1] !== undefined
        ? { symbol: probe[1], offset: parseInt(probe[2] as string, 16), size: parseInt(probe[3] as string, 16), address: null, returnFrom: probe[5] ?? null }
        : /^0x/.test(probe[4] as string)
          ? { symbol: null, offset: null, size: null, address: probe[4] as string, returnFrom: probe[5] ?? null }
          : { symbol: probe[4] as string, offset: 0, size: null, address: null, returnFrom: probe[5] ?? null };
    return withStack({ fields: parseKeyValues(first.slice(probe[0].length)), probe: site }, stack);
  }
  return withStack({ fields: parseKeyValues(first) }, stack);
}

function withStack(d: DecodedPayload, stack: readonly string[] | undefined): DecodedPayload {
  return stack && stack.length > 0 ? { ...d, stack } : d;
}

function parseStack(text: string): string[] {
  const frames: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*=>\s*(.*?)\s*$/.exec(line);
    if (m) frames.push(m[1] as string);
  }
  return frames;
}

/** `sys_dup2(oldfd: a, newfd: 1)` -> {oldfd: 'a', newfd: '1'}; `sys_dup2 -> 0x1` -> {ret: '0x1'}. */
function parseSyscall(text: string): Record<string, string> | null {
  const exit = /^sys_\w+ -> (\S+)\s*$/.exec(text);
  if (exit) return { ret: exit[1] as string };
  const enter = /^sys_\w+\((.*)\)\s*$/.exec(text);
  if (!enter) return null;
  const fields: Record<string, string> = {};
  for (const arg of (enter[1] as string).split(/,\s*/)) {
    const m = /^(\w+):\s*(.*)$/.exec(arg);
    if (m) fields[m[1] as string] = m[2] as string;
  }
  return fields;
}

function parseFunction(text: string): Record<string, string> {
  // func-args (6.15+): `vfs_write(file=0x.., count=0x3) <-ksys_write+0x6b/0xf0`
  const call = parseCall(text.trimStart());
  if (call) {
    const fields: Record<string, string> = { func: call.func };
    const parent = /^\s*<-\s*(\S+)/.exec(text.trimStart().slice(call.end));
    if (parent) fields.parent = parent[1] as string;
    addArgFields(fields, call.args);
    return fields;
  }
  const m = /^\s*(\S+)(?:\s+<-\s*(\S+))?/.exec(text);
  if (!m) return { text };
  return m[2] === undefined ? { func: m[1] as string } : { func: m[1] as string, parent: m[2] };
}

function parseGraph(record: string): Record<string, string> {
  const g = parseFuncGraphLine(record);
  if (!g) return { text: record.trim() };
  const body = record.slice(g.payloadStart).trim();
  const fields: Record<string, string> = { depth: String(g.depth) };
  let comment: CallComment = {};
  const tail = /^\}\s*\/\*\s*(.*?)\s*\*\/$/.exec(body);
  const call = g.kind === 'entry' || g.kind === 'leaf' ? parseCall(body) : null;
  if (call) {
    fields.func = call.func;
    const c = /\/\*\s*(.*?)\s*\*\/\s*$/.exec(body.slice(call.end));
    if (c) comment = parseCallComment(c[1] as string, false);
  } else if (tail) {
    // funcgraph-tail `} /* func */`; funcgraph-retval `} /* func = 0x0 */` (6.5) or `} /* func ret=0x0 */`
    comment = parseCallComment(tail[1] as string, true);
    if (comment.func !== undefined) fields.func = comment.func;
  }
  if (call) addArgFields(fields, call.args);
  if (comment.caller !== undefined) fields.caller = comment.caller;
  if (comment.retval !== undefined) fields.retval = comment.retval;
  if (g.durationNs !== null) fields.duration_ns = String(g.durationNs);
  if (g.kind === 'leaf') fields.leaf = 'true';
  return fields;
}
