/**
 * Calls as the function and function_graph tracers print them, with the options of newer
 * kernels (kernel/trace/trace_output.c print_function_args, trace_functions_graph.c
 * print_graph_retval / print_graph_retaddr):
 *   func-args / funcgraph-args (6.15+)   `vfs_write(file=0xffff888104c3a200, count=0x3)`
 *   funcgraph-retaddr (6.12+)            `down_read(sem=0xffff8880100bea78) { /* <-n_tty_write+0xa3/0x540 *\/`
 *   funcgraph-retval (6.5–6.14)          `kmalloc(); /* = 0xffff... *\/`, `} /* proc_reg_write = -5 *\/`
 *   funcgraph-retval (6.15+)             `func(); /* <-caller+0x1c/0x60 ret=0x0 *\/`, `} /* func ret=-22 *\/`
 * Arguments print as `name=value` joined by `, ` (a name is left out when BTF has none); values
 * are numbers, pointers or `(type)0x..` casts, so a top-level `, ` always separates two.
 */

export interface CallText {
  readonly func: string;
  /** Arguments in order; an argument printed without a name is named `argN` (N from 0). */
  readonly args: readonly (readonly [string, string])[];
  /** Offset in the text just after the closing `)`. */
  readonly end: number;
}

const NAME = /^[A-Za-z_][\w.$]*/;
const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** `func(a=1, b=0x2)...` → the function, its arguments and where the call text ends; null otherwise. */
export function parseCall(text: string): CallText | null {
  const name = NAME.exec(text);
  if (!name || text.charCodeAt(name[0].length) !== 0x28 /* ( */) return null;
  const args: [string, string][] = [];
  let depth = 0;
  let start = name[0].length + 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (c !== ')') return null;
      pushArg(args, text.slice(start, i));
      return { func: name[0], args, end: i + 1 };
    } else if (c === ',' && depth === 0) {
      pushArg(args, text.slice(start, i));
      start = i + 1;
    }
  }
  return null;
}

function pushArg(args: [string, string][], raw: string): void {
  const t = raw.trim();
  if (t === '') return; // `func()`
  const m = /^([A-Za-z_]\w*)=/.exec(t);
  if (m) args.push([m[1] as string, t.slice(m[0].length)]);
  else args.push([`arg${args.length}`, t]);
}

export interface CallComment {
  /** The function named in an exit comment (`} /* func ret=0x0 *\/`). */
  readonly func?: string;
  /** The return address, `sym+0xoff/0xsize`. */
  readonly caller?: string;
  readonly retval?: string;
}

/** The text inside a call's or an exit's `/* ... *\/`. `exit` says the first word may be the function. */
export function parseCallComment(inner: string, exit: boolean): CallComment {
  const words = inner.trim().split(/\s+/).filter((w) => w !== '');
  const out: { func?: string; caller?: string; retval?: string } = {};
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as string;
    if (w.startsWith('<-') && w.length > 2) out.caller = w.slice(2);
    else if (w.startsWith('ret=')) out.retval = w.slice(4);
    else if (w === '=' && k + 1 < words.length) out.retval = words[++k] as string; // 6.5–6.14: `= 0x0`
    else if (k === 0 && exit && out.func === undefined) out.func = w;
  }
  return out;
}

/** Names the fields of a decoded call take; an argument named like one of them gets `arg_`. */
const RESERVED = new Set(['func', 'parent', 'caller', 'retval', 'depth', 'duration_ns', 'leaf', 'text']);

/** Adds a call's arguments to `fields`, in order, renaming those that clash with the call's own fields. */
export function addArgFields(fields: Record<string, string>, args: readonly (readonly [string, string])[]): void {
  for (const [name, value] of args) {
    let key = RESERVED.has(name) || Object.hasOwn(fields, name) ? `arg_${name}` : name;
    while (Object.hasOwn(fields, key)) key = `_${key}`;
    fields[key] = value;
  }
}
