/**
 * One payload field of an ftrace text event without decoding the whole event, so a filter on
 * `len` or `prev_state` costs about what the text filter costs (bench/query.bench.mjs) rather
 * than a full decode per event.
 *
 * Exact, not a guess: formats/ftrace/payload.ts decodes the common shape (tracepoints, kprobes/uprobes)
 * with parseKeyValues (formats/decoded.ts) over the payload's first line, where every `key=` at the line start or
 * after a blank starts a key, a value runs to the next key (trimmed, a trailing ` ==>` dropped)
 * and a repeated key keeps its last value. This reads one key the same way. Shapes that make
 * field names of their own (trace_marker text, function, function_graph, stacks, syscalls) and
 * the `text` field, and kprobe lines (`(sym+off/size) key=…`), are answered by the full decode. test/unit/query-ftrace-fields.test.ts checks
 * every field of every event of every ftrace fixture against decodeEvent().
 */
import type { Trace } from '../trace/trace';

/** "Ask the full decoder." */
export const DECODE = Symbol('decode');

/** Events whose field names are not `key=` words of their payload (formats/ftrace/payload.ts decodeFtracePayload). */
function ownNames(event: string): boolean {
  return (
    event === 'tracing_mark_write' ||
    event === 'print' ||
    event === 'bprint' ||
    event === 'bputs' ||
    event === 'function' ||
    event === 'kernel_stack' ||
    event === 'user_stack' ||
    event.startsWith('funcgraph_') ||
    event.startsWith('sys_enter_') ||
    event.startsWith('sys_exit_')
  );
}

/** JavaScript's `\s` (what parseKeyValues' regular expression means by a blank). */
const isBlank = (c: number): boolean =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
const isKeyStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
const isKeyChar = (c: number): boolean => isKeyStart(c) || (c >= 48 && c <= 57) || c === 46;

/** Index where the key starting at `at` ends with `=` (the `=`'s index), or -1 when `at` starts no key. */
function keyEnd(s: string, at: number): number {
  if (!isKeyStart(s.charCodeAt(at))) return -1;
  let j = at + 1;
  while (j < s.length && isKeyChar(s.charCodeAt(j))) j++;
  return s.charCodeAt(j) === 61 ? j : -1;
}

/** The value of key `name` in a `key=value` line as parseKeyValues gives it, or undefined. */
export function keyValueOf(line: string, name: string, needle = `${name}=`): string | undefined {
  let value: string | undefined;
  let from = 0;
  for (;;) {
    const k = line.indexOf(needle, from);
    if (k < 0) return value;
    from = k + 1;
    if (k > 0 && !isBlank(line.charCodeAt(k - 1))) continue;
    // A longer key ending in `name` was excluded by the blank test; `name` must be a whole key.
    if (keyEnd(line, k) !== k + name.length) continue;
    const start = k + name.length + 1;
    // The value runs to the next key: a blank, then a key word and `=`.
    let end = line.length;
    for (let j = start; j < line.length; j++) {
      if (isBlank(line.charCodeAt(j)) && keyEnd(line, j + 1) >= 0) {
        end = j + 1;
        break;
      }
    }
    let v = line.slice(start, end).trim();
    if (v.endsWith(' ==>')) v = v.slice(0, -4).trimEnd();
    value = v;
    from = end;
  }
}

/** For ftrace text, a reader of one field (string, undefined when absent, DECODE); null for other formats. */
export function ftraceFieldReader(trace: Trace): ((i: number, name: string) => string | undefined | typeof DECODE) | null {
  if (trace.meta.format !== 'ftrace') return null;
  // Per event-name id: 0 unknown, 1 key=value shape, 2 names of its own.
  let shape = new Uint8Array(Math.max(16, trace.strings.size));
  const needles = new Map<string, string>();
  let at = -1;
  let line = '';
  return (i, name) => {
    if (name === 'text') return DECODE;
    const id = trace.eventId(i);
    if (id >= shape.length) {
      const grown = new Uint8Array(id * 2 + 1);
      grown.set(shape);
      shape = grown;
    }
    if (shape[id] === 0) shape[id] = ownNames(trace.strings.get(id)) ? 2 : 1;
    if (shape[id] === 2) return DECODE;
    if (at !== i) {
      const p = trace.payloadText(i);
      const nl = p.indexOf('\n');
      line = nl < 0 ? p : p.slice(0, nl);
      at = i;
    }
    // A probe site `(sym+0x9b/0x250)` is cut off before the keys are read: its end may start a key.
    if (line.charCodeAt(0) === 40) return DECODE;
    let needle = needles.get(name);
    if (needle === undefined) {
      needle = `${name}=`;
      needles.set(name, needle);
    }
    return keyValueOf(line, name, needle);
  };
}
