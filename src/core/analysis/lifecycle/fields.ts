/**
 * Event text and single-field access for the lifecycle and interleaving analyses, without
 * decoding every field of every event.
 *
 * For ftrace tracepoint and kprobe payloads (`key=val ...`, optionally after a `(sym+off/size)`
 * probe site) one field is found directly in the payload text with exactly the rules of
 * `parseKeyValues` (formats/decoded.ts): a key is a name preceded by the start or
 * whitespace and followed by `=`; its value runs to the next such key, trimmed; the last
 * occurrence wins; sched_switch's trailing ` ==>` is dropped. Every other shape (markers,
 * function tracer, syscalls, other formats) goes through `decodeEvent`, so the answer is always
 * the one `ktl events` shows.
 */
import type { Trace } from '../../trace/trace';
import { decodeEvent } from '../../formats/decode';

/** ftrace events whose payload is not `key=val` text (see decodeFtracePayload). */
const NOT_KEY_VALUE = new Set(['tracing_mark_write', 'print', 'bprint', 'bputs', 'function', 'kernel_stack', 'user_stack', 'funcgraph_entry', 'funcgraph_exit', 'funcgraph_irq_entry', 'funcgraph_irq_exit']);

const NEXT_KEY = /\s[A-Za-z_$][\w$.]*=/g;

export class EventFields {
  private readonly fastById: Int8Array;
  private readonly keyRes = new Map<string, RegExp>();

  constructor(private readonly trace: Trace) {
    // Per event-name id: 1 = key=value fast path, 0 = decodeEvent, -1 = not yet decided.
    this.fastById = new Int8Array(trace.strings.size).fill(-1);
  }

  /** First line of the event's payload: a marker's text, a tracepoint's `key=val ...`. */
  text(i: number): string {
    const p = this.trace.payloadText(i);
    const nl = p.indexOf('\n');
    return nl < 0 ? p : p.slice(0, nl);
  }

  /** Whether field lookups of this event read its payload text directly. */
  isKeyValue(i: number): boolean {
    const id = this.trace.eventId(i);
    let f = this.fastById[id];
    if (f === undefined) return false;
    if (f === -1) {
      const name = this.trace.strings.get(id);
      f = this.trace.meta.format === 'ftrace' && !NOT_KEY_VALUE.has(name) && !name.startsWith('sys_enter_') && !name.startsWith('sys_exit_') ? 1 : 0;
      this.fastById[id] = f;
    }
    return f === 1;
  }

  /**
   * Value of field `name` of event `i`, or undefined. `text` is the event's `text(i)` when the
   * caller already has it.
   */
  field(i: number, name: string, text?: string): string | undefined {
    if (!this.isKeyValue(i)) return decodeEvent(this.trace, i).fields[name];
    return fieldOf(text ?? this.text(i), name, this.keyRe(name));
  }

  /** All fields (decoded), for display. */
  fields(i: number): Record<string, string> {
    return decodeEvent(this.trace, i).fields;
  }

  private keyRe(name: string): RegExp {
    let re = this.keyRes.get(name);
    if (!re) {
      re = new RegExp(`(?:^|\\s)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=`, 'g');
      this.keyRes.set(name, re);
    }
    return re;
  }
}

/** One field of a `key=val ...` payload (the rules of parseKeyValues, see the file comment). */
export function fieldOf(text: string, name: string, keyRe?: RegExp): string | undefined {
  const re = keyRe ?? new RegExp(`(?:^|\\s)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=`, 'g');
  re.lastIndex = 0;
  let valueStart = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) valueStart = m.index + m[0].length;
  if (valueStart < 0) return undefined;
  NEXT_KEY.lastIndex = valueStart;
  const next = NEXT_KEY.exec(text);
  let value = text.slice(valueStart, next ? next.index : text.length).trim();
  if (value.endsWith(' ==>')) value = value.slice(0, -4).trimEnd();
  return value;
}

/**
 * Ids of the event names that mean `name`: the name itself, and `subsystem:name` as perf script
 * writes them (`net:net_dev_queue`, `probe:__xsk_rcv_zc_L7`).
 */
export function eventIdsNamed(trace: Trace, name: string): number[] {
  const out: number[] = [];
  const suffix = `:${name}`;
  for (let id = 0; id < trace.strings.size; id++) {
    const s = trace.strings.get(id);
    if (s === name || (s.endsWith(suffix) && !s.slice(0, -suffix.length).includes(':'))) out.push(id);
  }
  return out;
}
