/**
 * Display text of a trace.dat record from its event's `print fmt` (the TP_printk of the
 * tracepoint: a C format string and C expressions over `REC->field`), rendered the way
 * libtraceevent renders it for `trace-cmd report` (without plugins): printf conversions
 * (%d %i %u %x %X %o %c %s with flags, width, precision, h/hh/l/ll/z lengths), %p and its
 * kernel extensions (%pS/%ps/%pF/%pf/%pB symbols from the file's kallsyms, %pI4/%pI6/%pI6c,
 * %pM/%pm, %pU), and the tracepoint helpers (__get_str, __get_dynamic_array(_len),
 * __get_bitmask, __print_symbolic, __print_flags, __print_hex(_str), __print_array, sizeof,
 * casts, arithmetic, comparisons, ?:). A format this cannot render falls back to
 * `name=value` pairs of the decoded fields. Parsed formats are cached per event.
 *
 * Print fmts come from the file (untrusted). The recursive-descent parser and the evaluator stop
 * at the first construct they cannot handle by calling `unsupported(why)`, which unwinds to the
 * one place that turns it into a value: `attempt()` gives `{ ok: false, why }`. Only that
 * signal is caught there; anything else would be a bug and is not swallowed. So that no other
 * error can come out of hostile input, the limits that JavaScript itself would hit are checked
 * first: nesting depth (call stack), padding widths (string length), octal literals.
 */
import { arraySpan, decodeFields } from './fields';
import { FIELD_ARRAY, FIELD_DYNAMIC, FIELD_SIGNED, type EventFormat, type FieldDef } from './event-format';
import type { DatContext } from './context';
import { unescapeC } from '../text-util';

type Node =
  | { readonly t: 'num'; readonly v: bigint }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'field'; readonly name: string }
  | { readonly t: 'index'; readonly base: Node; readonly index: Node }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Node[] }
  | { readonly t: 'cast'; readonly type: string; readonly e: Node }
  | { readonly t: 'unary'; readonly op: string; readonly e: Node }
  | { readonly t: 'bin'; readonly op: string; readonly l: Node; readonly r: Node }
  | { readonly t: 'cond'; readonly c: Node; readonly a: Node; readonly b: Node }
  | { readonly t: 'list'; readonly items: readonly Node[] }
  | { readonly t: 'sizeof'; readonly type: string };

interface ParsedPrint {
  readonly format: string;
  readonly args: readonly Node[];
}

/** The parser's and evaluator's "cannot render this" signal; caught only by attempt(). */
class Unsupported extends Error {}

function unsupported(why: string): never {
  throw new Unsupported(why);
}

/** Runs `fn`; a construct it cannot handle gives its reason instead of a value. */
function attempt<T>(fn: () => T): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof Unsupported) return { ok: false, why: err.message };
    throw err;
  }
}

/** Deepest expression nesting rendered (the kernel's print fmts stay far below). */
const MAX_DEPTH = 200;
/** Widest padding (%*d, %.*s, %99999d) rendered, in characters. */
const MAX_WIDTH = 1 << 16;

// ---- tokenizer ----------------------------------------------------------------------------

type Tok = { readonly k: 'num'; readonly v: bigint } | { readonly k: 'str'; readonly v: string } | { readonly k: 'id'; readonly v: string } | { readonly k: 'op'; readonly v: string };

const OPS = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '(', ')', '[', ']', '{', '}', ',', '?', ':', '+', '-', '*', '/', '%', '<', '>', '&', '^', '|', '!', '~', '.'];

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let raw = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) {
          raw += s.slice(j, j + 2);
          j += 2;
        } else raw += s[j++];
      }
      if (j >= s.length) unsupported('unterminated string');
      const v = unescapeC(raw);
      const last = out[out.length - 1];
      // Adjacent literals concatenate, as in C.
      if (last && last.k === 'str') out[out.length - 1] = { k: 'str', v: last.v + v };
      else out.push({ k: 'str', v });
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(s.slice(i));
      if (!m) unsupported('bad char literal');
      out.push({ k: 'num', v: BigInt(unescapeC(m[1] as string).charCodeAt(0)) });
      i += m[0].length;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*/.exec(s.slice(i));
    if (num) {
      const t = num[1] as string;
      if (/^0\d*[89]/.test(t)) unsupported(`bad octal literal ${t}`);
      out.push({ k: 'num', v: /^0\d/.test(t) ? BigInt(`0o${t.slice(1)}`) : BigInt(t) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_$][\w$]*/.exec(s.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) unsupported(`unexpected character ${c}`);
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}

// ---- parser -------------------------------------------------------------------------------

const TYPE_WORDS = new Set(['unsigned', 'signed', 'int', 'long', 'short', 'char', 'void', 'bool', '_Bool', 'const', 'volatile', 'struct', 'enum', 'union', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', '__u8', '__u16', '__u32', '__u64', '__s8', '__s16', '__s32', '__s64', 'size_t', 'ssize_t', 'pid_t', 'gfp_t', 'dma_addr_t', 'phys_addr_t', 'loff_t', 'sector_t', 'uid_t', 'gid_t', 'umode_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', '__be16', '__be32', '__be64', '__le16', '__le32', '__le64']);

const BIN_PREC: Record<string, number> = { '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10 };

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: readonly Tok[]) {}

  peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.k === 'op' && t.v === v;
  }
  take(): Tok {
    const t = this.toks[this.i++];
    if (!t) unsupported('unexpected end of print fmt');
    return t;
  }
  expect(v: string): void {
    const t = this.take();
    if (t.k !== 'op' || t.v !== v) unsupported(`expected ${v}`);
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }

  /** A type name in parentheses starts at the current token (just after "(")? */
  private typeAhead(): number {
    let j = 0;
    let sawWord = false;
    for (;;) {
      const t = this.peek(j);
      if (!t) return -1;
      if (t.k === 'op' && t.v === ')') return sawWord ? j : -1;
      if (t.k === 'op' && t.v === '*') {
        if (!sawWord) return -1;
      } else if (t.k === 'id') {
        if (t.v === 'REC') return -1;
        if (!sawWord && !TYPE_WORDS.has(t.v) && !/_t$/.test(t.v)) return -1;
        sawWord = true;
      } else return -1;
      j++;
    }
  }

  expr(minPrec = 0): Node {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (!t || t.k !== 'op') break;
      if (t.v === '?' && minPrec === 0) {
        this.take();
        const a = this.expr(0);
        this.expect(':');
        const b = this.expr(0);
        l = { t: 'cond', c: l, a, b };
        continue;
      }
      const p = BIN_PREC[t.v];
      if (p === undefined || p <= minPrec - 1 || p < minPrec) break;
      this.take();
      const r = this.expr(p + 1);
      l = { t: 'bin', op: t.v, l, r };
    }
    return l;
  }

  private unary(): Node {
    if (this.depth >= MAX_DEPTH) unsupported(`expression nested deeper than ${MAX_DEPTH}`);
    this.depth++;
    const n = this.unaryAt();
    this.depth--;
    return n;
  }

  private unaryAt(): Node {
    const t = this.peek();
    if (t && t.k === 'op' && ['-', '!', '~', '+', '&', '*'].includes(t.v)) {
      this.take();
      const e = this.unary();
      return t.v === '&' || t.v === '*' || t.v === '+' ? e : { t: 'unary', op: t.v, e };
    }
    if (t && t.k === 'op' && t.v === '(') {
      const r = this.peek(1);
      if (r && r.k === 'id' && r.v === 'REC' && this.isOp(')', 2) && this.isOp('->', 3)) {
        // `(REC)->field`
        this.take();
        this.take();
        this.take();
        this.take();
        const f = this.take();
        if (f.k !== 'id') unsupported('REC-> without a field name');
        return this.postfix({ t: 'field', name: f.v });
      }
      this.take();
      const tl = this.typeAhead();
      if (tl >= 0) {
        const words: string[] = [];
        for (let k = 0; k < tl; k++) words.push(this.take().v as string);
        this.expect(')');
        return { t: 'cast', type: words.join(' ').replace(/ \*/g, '*'), e: this.unary() };
      }
      const e = this.expr(0);
      this.expect(')');
      return this.postfix(e);
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Node): Node {
    for (;;) {
      if (this.isOp('[')) {
        this.take();
        const index = this.expr(0);
        this.expect(']');
        e = { t: 'index', base: e, index };
        continue;
      }
      if (this.isOp('->') || this.isOp('.')) unsupported('member access outside REC');
      return e;
    }
  }

  private primary(): Node {
    const t = this.take();
    if (t.k === 'num') return { t: 'num', v: t.v };
    if (t.k === 'str') return { t: 'str', v: t.v };
    if (t.k === 'op' && t.v === '{') {
      const items: Node[] = [];
      while (!this.isOp('}')) {
        items.push(this.expr(0));
        if (this.isOp(',')) this.take();
      }
      this.expect('}');
      return { t: 'list', items };
    }
    if (t.k === 'id') {
      if (t.v === 'REC') {
        this.expect('->');
        const f = this.take();
        if (f.k !== 'id') unsupported('REC-> without a field name');
        return { t: 'field', name: f.v };
      }
      if (t.v === 'sizeof') {
        this.expect('(');
        const words: string[] = [];
        while (!this.isOp(')')) words.push(String(this.take().v));
        this.expect(')');
        return { t: 'sizeof', type: words.join(' ') };
      }
      if (this.isOp('(')) {
        this.take();
        const args: Node[] = [];
        while (!this.isOp(')')) {
          args.push(this.expr(0));
          if (this.isOp(',')) this.take();
          else if (!this.isOp(')')) unsupported('bad argument list');
        }
        this.expect(')');
        return { t: 'call', name: t.v, args };
      }
      if (t.v === 'true') return { t: 'num', v: 1n };
      if (t.v === 'false' || t.v === 'NULL') return { t: 'num', v: 0n };
      // A bare name is a field inside the __get_str(name)-style helpers.
      return { t: 'field', name: t.v };
    }
    unsupported(`unexpected ${t.v}`);
  }
}

export function parsePrintFmt(text: string): ParsedPrint {
  const toks = tokenize(text);
  const first = toks[0];
  if (!first || first.k !== 'str') unsupported('print fmt does not start with a string');
  const p = new Parser(toks.slice(1));
  const args: Node[] = [];
  while (!p.done()) {
    p.expect(',');
    args.push(p.expr(0));
  }
  for (const a of args) if (treeDepth(a) > MAX_DEPTH) unsupported(`expression nested deeper than ${MAX_DEPTH}`);
  return { format: first.v, args };
}

/** Depth of an expression tree, without recursion (a chain `a + b + c ...` nests to the left). */
function treeDepth(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [n, d] = top;
    if (d > max) max = d;
    if (d > MAX_DEPTH) break;
    const kids = n.t === 'index' ? [n.base, n.index] : n.t === 'call' ? n.args : n.t === 'cast' || n.t === 'unary' ? [n.e] : n.t === 'bin' ? [n.l, n.r] : n.t === 'cond' ? [n.c, n.a, n.b] : n.t === 'list' ? n.items : [];
    for (const k of kids) stack.push([k, d + 1]);
  }
  return max;
}

// ---- evaluation ---------------------------------------------------------------------------

/** A value: integer, string, or a field's bytes (arrays, strings, pointers into the record). */
type Val = bigint | string | { readonly bytes: Uint8Array; readonly field: FieldDef | null };

interface Env {
  readonly ctx: DatContext;
  readonly f: EventFormat;
  readonly data: Uint8Array;
}

function fieldDef(env: Env, name: string): FieldDef {
  const f = env.f.fields.find((x) => x.name === name) ?? env.f.common.find((x) => x.name === name);
  if (!f) unsupported(`no field ${name}`);
  return f;
}

function fieldBytes(env: Env, f: FieldDef): Uint8Array {
  if (f.flags & FIELD_ARRAY) {
    const { start, len } = arraySpan(f, env.data, env.ctx.endian);
    // A static array of size 0 (`char buf[]`) runs to the end of the record.
    const n = f.size === 0 && !(f.flags & FIELD_DYNAMIC) ? env.data.length - start : len;
    return env.data.subarray(start, start + n);
  }
  return env.data.subarray(f.offset, Math.min(env.data.length, f.offset + f.size));
}

function readInt(env: Env, bytes: Uint8Array, at: number, size: number, signed: boolean): bigint {
  if (at + size > bytes.length || size < 1 || size > 8) return 0n;
  const v = env.ctx.endian.uint(bytes, at, size);
  return signed ? BigInt.asIntN(size * 8, v) : v;
}

function elemSize(f: FieldDef): number {
  if (f.arrayLen && f.arrayLen > 0) return Math.max(1, Math.floor(f.size / f.arrayLen));
  const t = f.type.replace(/\[.*$/, '').replace(/^__(data|rel)_loc\s+/, '');
  if (/long long|64/.test(t)) return 8;
  if (/long/.test(t) || t.endsWith('*')) return 8;
  if (/short|16/.test(t)) return 2;
  if (/char|8/.test(t)) return 1;
  return 4;
}

function num(env: Env, v: Val): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return 0n;
  const f = v.field;
  if (!f) return 0n;
  if (f.flags & FIELD_ARRAY) {
    // An array used as a number: its address in C; the first element is what formats index.
    return readInt(env, v.bytes, 0, Math.min(8, elemSize(f)), (f.flags & FIELD_SIGNED) !== 0);
  }
  return readInt(env, v.bytes, 0, f.size, (f.flags & FIELD_SIGNED) !== 0);
}

function str(env: Env, v: Val): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  const nul = v.bytes.indexOf(0);
  return utf8.decode(nul < 0 ? v.bytes : v.bytes.subarray(0, nul));
}

const utf8 = new TextDecoder('utf-8');

function castInt(type: string, v: bigint, kernelLong: number): bigint {
  const t = type.replace(/\b(const|volatile)\b/g, '').trim();
  if (t.endsWith('*')) return BigInt.asUintN(kernelLong * 8, v);
  const unsigned = /\bunsigned\b|^u\d|^__u|^uint|_t$/.test(t) && !/^s\d|^__s|^int\d|ssize_t|loff_t/.test(t);
  let bits = 32;
  if (/long long|64/.test(t)) bits = 64;
  else if (/\blong\b|size_t|ptrdiff/.test(t)) bits = kernelLong * 8;
  else if (/short|16/.test(t)) bits = 16;
  else if (/char|8\b|bool/.test(t)) bits = 8;
  if (/bool/.test(t)) return v !== 0n ? 1n : 0n;
  return unsigned ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
}

function evaluate(env: Env, n: Node): Val {
  switch (n.t) {
    case 'num':
      return n.v;
    case 'str':
      return n.v;
    case 'field': {
      const f = fieldDef(env, n.name);
      return { bytes: fieldBytes(env, f), field: f };
    }
    case 'index': {
      const base = evaluate(env, n.base);
      const idx = Number(num(env, evaluate(env, n.index)));
      if (typeof base !== 'object' || !base.field) unsupported('index of a non-array');
      const es = elemSize(base.field);
      return readInt(env, base.bytes, idx * es, es, (base.field.flags & FIELD_SIGNED) !== 0);
    }
    case 'cast': {
      const v = evaluate(env, n.e);
      if (/char\s*\*/.test(n.type) && typeof v !== 'bigint') return v;
      if (n.type.endsWith('*') && typeof v === 'object' && v.field && v.field.flags & FIELD_ARRAY) return v;
      return castInt(n.type, num(env, v), env.ctx.kernelLong);
    }
    case 'unary': {
      const v = num(env, evaluate(env, n.e));
      return n.op === '-' ? -v : n.op === '!' ? (v === 0n ? 1n : 0n) : ~v;
    }
    case 'bin':
      return binary(env, n.op, n.l, n.r);
    case 'cond':
      return truthy(env, evaluate(env, n.c)) ? evaluate(env, n.a) : evaluate(env, n.b);
    case 'sizeof':
      return BigInt(sizeOfType(n.type, env.ctx.kernelLong));
    case 'call':
      return call(env, n.name, n.args);
    case 'list':
      unsupported('brace list outside __print_symbolic/__print_flags');
  }
}

function truthy(env: Env, v: Val): boolean {
  if (typeof v === 'string') return true;
  if (typeof v === 'object') return !(v.field && !(v.field.flags & FIELD_ARRAY)) || num(env, v) !== 0n;
  return v !== 0n;
}

function sizeOfType(t: string, kernelLong: number): number {
  if (t.endsWith('*') || /\blong\b/.test(t)) return /long long/.test(t) ? 8 : kernelLong;
  if (/64/.test(t)) return 8;
  if (/short|16/.test(t)) return 2;
  if (/char|8/.test(t)) return 1;
  return 4;
}

function binary(env: Env, op: string, ln: Node, rn: Node): bigint {
  if (op === '&&') return truthy(env, evaluate(env, ln)) && truthy(env, evaluate(env, rn)) ? 1n : 0n;
  if (op === '||') return truthy(env, evaluate(env, ln)) || truthy(env, evaluate(env, rn)) ? 1n : 0n;
  const l = num(env, evaluate(env, ln));
  const r = num(env, evaluate(env, rn));
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return r === 0n ? 0n : l / r;
    case '%':
      return r === 0n ? 0n : l % r;
    case '<<':
      return r > 127n ? 0n : l << r;
    case '>>':
      return r > 127n ? 0n : l >> r;
    case '&':
      return l & r;
    case '|':
      return l | r;
    case '^':
      return l ^ r;
    case '<':
      return l < r ? 1n : 0n;
    case '>':
      return l > r ? 1n : 0n;
    case '<=':
      return l <= r ? 1n : 0n;
    case '>=':
      return l >= r ? 1n : 0n;
    case '==':
      return l === r ? 1n : 0n;
    case '!=':
      return l !== r ? 1n : 0n;
    default:
      unsupported(`operator ${op}`);
  }
}

function pairs(env: Env, args: readonly Node[]): { v: bigint; s: string }[] {
  const out: { v: bigint; s: string }[] = [];
  for (const a of args) {
    if (a.t !== 'list' || a.items.length < 2) unsupported('bad symbol list');
    out.push({ v: num(env, evaluate(env, a.items[0] as Node)), s: str(env, evaluate(env, a.items[1] as Node)) });
  }
  return out;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function call(env: Env, name: string, args: readonly Node[]): Val {
  const arg = (k: number): Node => {
    const a = args[k];
    if (!a) unsupported(`${name}: missing argument`);
    return a;
  };
  switch (name) {
    case '__get_str':
    case '__get_rel_str':
    case '__get_dynamic_array':
    case '__get_rel_dynamic_array': {
      const f = arg(0);
      if (f.t !== 'field') unsupported(`${name} of an expression`);
      return evaluate(env, f);
    }
    case '__get_dynamic_array_len':
    case '__get_rel_dynamic_array_len': {
      const v = evaluate(env, arg(0));
      return typeof v === 'object' ? BigInt(v.bytes.length) : 0n;
    }
    case '__get_bitmask':
    case '__get_rel_bitmask':
    case '__get_cpumask':
    case '__get_rel_cpumask': {
      const v = evaluate(env, arg(0));
      if (typeof v !== 'object') unsupported('bitmask of a non-array');
      return bitmask(env, v.bytes);
    }
    case '__print_symbolic':
    case '__print_symbolic_u64': {
      const v = num(env, evaluate(env, arg(0)));
      for (const p of pairs(env, args.slice(1))) if (p.v === v) return p.s;
      return `0x${BigInt.asUintN(64, v).toString(16)}`;
    }
    case '__print_flags':
    case '__print_flags_u64': {
      let v = num(env, evaluate(env, arg(0)));
      const delim = str(env, evaluate(env, arg(1)));
      const parts: string[] = [];
      for (const p of pairs(env, args.slice(2))) {
        if (v === 0n) break;
        if (p.v !== 0n && (v & p.v) === p.v) {
          parts.push(p.s);
          v &= ~p.v;
        }
      }
      if (v !== 0n) parts.push(`0x${BigInt.asUintN(64, v).toString(16)}`);
      return parts.join(delim);
    }
    case '__print_hex':
    case '__print_hex_str': {
      const v = evaluate(env, arg(0));
      const len = Number(num(env, evaluate(env, arg(1))));
      const bytes = typeof v === 'object' ? v.bytes.subarray(0, Math.max(0, len)) : new Uint8Array(0);
      return [...bytes].map(hex2).join(name === '__print_hex' ? ' ' : '');
    }
    case '__print_array': {
      const v = evaluate(env, arg(0));
      const count = Number(num(env, evaluate(env, arg(1))));
      const es = Number(num(env, evaluate(env, arg(2))));
      if (typeof v !== 'object' || ![1, 2, 4, 8].includes(es)) unsupported('__print_array');
      const items: string[] = [];
      for (let k = 0; k < count && (k + 1) * es <= v.bytes.length; k++) items.push(`0x${readInt(env, v.bytes, k * es, es, false).toString(16)}`);
      return `{${items.join(',')}}`;
    }
    default:
      unsupported(`function ${name}`);
  }
}

/** Kernel bitmask text: 32-bit words, most significant first, comma separated. */
function bitmask(env: Env, bytes: Uint8Array): string {
  const words: string[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) words.push(env.ctx.endian.u32(bytes, at).toString(16).padStart(8, '0'));
  if (bytes.length % 4) words.push([...bytes.subarray(bytes.length - (bytes.length % 4))].reverse().map(hex2).join(''));
  return words.reverse().join(',');
}

// ---- printf -------------------------------------------------------------------------------

const SPEC = /%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?(hh|h|ll|l|L|z|Z|j|t)?([diouxXcspn%])/g;

/** The format string cut into literal text and conversions (libtraceevent's print cache). */
type Piece =
  | { readonly lit: string }
  | {
      readonly flags: string;
      readonly width: number | null | '*';
      readonly prec: number | null | '*';
      readonly len: string;
      readonly conv: string;
      /** %p extension letters (S, s, I4, I6c, M, ...). */
      readonly ext: string;
      /** Argument indices: width (*), precision (*), value. */
      readonly widthArg: number | null;
      readonly precArg: number | null;
      readonly arg: number;
    };

function pieces(p: ParsedPrint): Piece[] {
  const out: Piece[] = [];
  const fmt = p.format;
  let last = 0;
  let argIndex = 0;
  let lit = '';
  SPEC.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SPEC.exec(fmt)) !== null) {
    lit += fmt.slice(last, m.index);
    last = SPEC.lastIndex;
    const [, flags = '', widthS, precS, len = '', conv = ''] = m;
    if (conv === '%') {
      lit += '%';
      continue;
    }
    if (lit) out.push({ lit });
    lit = '';
    const widthArg = widthS === '*' ? argIndex++ : null;
    const precArg = precS === '*' ? argIndex++ : null;
    let ext = '';
    if (conv === 'p') {
      ext = pointerExt(fmt.slice(last));
      last += ext.length;
      SPEC.lastIndex = last;
    }
    out.push({
      flags,
      width: widthS === '*' ? '*' : widthS !== undefined ? Number(widthS) : null,
      prec: precS === '*' ? '*' : precS !== undefined ? Number(precS) : null,
      len,
      conv,
      ext,
      widthArg,
      precArg,
      arg: argIndex++,
    });
  }
  lit += fmt.slice(last);
  if (lit) out.push({ lit });
  if (argIndex > p.args.length) unsupported('fewer arguments than conversions');
  return out;
}

/** The %p extension letters the kernel's vsprintf knows, as far as they are used here. */
function pointerExt(rest: string): string {
  const m = /^(?:[SsFfB]R?|[Ii][46][hnbl]?c?|[Mm][FR]?|U[bBlL]?|x|K)/.exec(rest);
  return m ? m[0] : '';
}

function pad(s: string, flags: string, width: number | null, zeroOk: boolean): string {
  if (width === null || s.length >= width) return s;
  if (width > MAX_WIDTH) unsupported(`width ${width}`);
  if (flags.includes('-')) return s.padEnd(width);
  if (zeroOk && flags.includes('0')) {
    const sign = /^[-+ ]/.test(s) ? (s[0] as string) : '';
    const prefix = /^[-+ ]?0[xX]/.test(s) ? s.slice(0, sign.length + 2) : sign;
    return prefix + s.slice(prefix.length).padStart(width - prefix.length, '0');
  }
  return s.padStart(width);
}

function convert(env: Env, p: ParsedPrint, c: Exclude<Piece, { lit: string }>): string {
  const argAt = (k: number): Node => {
    const a = p.args[k];
    if (!a) unsupported('fewer arguments than conversions');
    return a;
  };
  const width = c.widthArg !== null ? Number(num(env, evaluate(env, argAt(c.widthArg)))) : (c.width as number | null);
  const prec = c.precArg !== null ? Number(num(env, evaluate(env, argAt(c.precArg)))) : (c.prec as number | null);
  const v = evaluate(env, argAt(c.arg));
  switch (c.conv) {
    case 'p':
      return pointer(env, v, c.ext);
    case 's': {
      let s = str(env, v);
      if (prec !== null && prec >= 0) s = s.slice(0, prec);
      return pad(s, c.flags, width, false);
    }
    case 'c':
      return pad(String.fromCharCode(Number(BigInt.asUintN(8, num(env, v)))), c.flags, width, false);
    case 'n':
      return '';
    default:
      return pad(integer(num(env, v), c.conv, c.len, c.flags, prec, env.ctx.kernelLong), c.flags, width, prec === null);
  }
}

function render(env: Env, p: ParsedPrint, ps: readonly Piece[]): string {
  let out = '';
  for (const c of ps) out += 'lit' in c ? c.lit : convert(env, p, c);
  return out;
}

/** The argument with casts and parentheses taken off. */
function stripCasts(n: Node): Node {
  while (n.t === 'cast') n = n.e;
  return n;
}

/**
 * Field values as `trace-cmd report -R` prints them (libtraceevent tep_print_fields): a scalar
 * field that the print fmt passes as a plain argument (`REC->x`, maybe cast) is printed with
 * that argument's conversion (and the `0x` written just before it); the search for each field
 * continues after the previous field's match, wrapping around. Everything else is printed by
 * its type (fields.ts), except address arrays (below).
 */
export function rawFields(ctx: DatContext, f: EventFormat, data: Uint8Array): Record<string, string> {
  const plain = decodeFields(f.fields, data, ctx.endian);
  const parsed = parsedOf(f);
  if (!parsed || parsed.pieces.length === 0) return plain;
  const env: Env = { ctx, f, data };
  const ps = parsed.pieces;
  let pos = 0;
  for (const field of f.fields) {
    if (field.flags & FIELD_ARRAY) {
      // Beyond trace-cmd: an address array the format prints with %pI4 / %pI6c / %pM / %pU
      // gets that text (`10.78.0.2`), not the raw bytes; libtraceevent prints such u8 arrays
      // as (often unreadable) strings.
      for (const c of ps) {
        if ('lit' in c || c.conv !== 'p' || !/^[IiMmU]/.test(c.ext)) continue;
        const a = stripCasts(parsed.parsed.args[c.arg] as Node);
        if (a.t !== 'field' || a.name !== field.name) continue;
        // What the format cannot render keeps the typed value.
        const r = attempt(() => convert(env, parsed.parsed, c));
        if (r.ok) plain[field.name] = r.value;
        break;
      }
      continue;
    }
    let has0x = false;
    let k = pos;
    for (let steps = 0; steps < ps.length; steps++, k = (k + 1) % ps.length) {
      const c = ps[k] as Piece;
      if ('lit' in c) {
        has0x = c.lit.length > 1 && c.lit.endsWith('0x');
        continue;
      }
      const a = stripCasts(parsed.parsed.args[c.arg] as Node);
      if (a.t !== 'field' || a.name !== field.name) {
        has0x = false;
        continue;
      }
      const r = attempt(() => convert(env, parsed.parsed, c));
      if (r.ok) plain[field.name] = (has0x ? '0x' : '') + r.value;
      pos = (k + 1) % ps.length;
      break;
    }
  }
  return plain;
}

function integer(v: bigint, conv: string, len: string, flags: string, prec: number | null, kernelLong: number): string {
  if (prec !== null && prec > MAX_WIDTH) unsupported(`precision ${prec}`);
  const bits = len === 'll' || len === 'L' || len === 'j' ? 64 : len === 'l' || len === 'z' || len === 'Z' || len === 't' ? kernelLong * 8 : len === 'h' ? 16 : len === 'hh' ? 8 : 32;
  let s: string;
  if (conv === 'd' || conv === 'i') {
    const x = BigInt.asIntN(bits, v);
    s = (x < 0n ? -x : x).toString();
    if (prec !== null) s = s.padStart(prec, '0');
    s = (x < 0n ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
    return s;
  }
  const u = BigInt.asUintN(bits, v);
  const base = conv === 'o' ? 8 : conv === 'u' ? 10 : 16;
  s = u.toString(base);
  if (conv === 'X') s = s.toUpperCase();
  if (prec !== null) s = s.padStart(prec, '0');
  if (flags.includes('#') && u !== 0n) s = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + s;
  return s;
}

function ipv6(b: Uint8Array, compressed: boolean): string {
  const words: number[] = [];
  for (let k = 0; k + 1 < 16 && k + 1 < b.length; k += 2) words.push(((b[k] as number) << 8) | (b[k + 1] as number));
  if (!compressed) return words.map((w) => w.toString(16).padStart(4, '0')).join(':');
  // IPv4-mapped and friends keep the dotted tail (kernel ip6_compressed_string).
  let bestStart = -1;
  let bestLen = 0;
  for (let k = 0; k < words.length; ) {
    if (words[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < words.length && words[j] === 0) j++;
    if (j - k > bestLen) {
      bestStart = k;
      bestLen = j - k;
    }
    k = j;
  }
  const v4tail = (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) || (bestStart === 0 && bestLen === 6);
  const hexw = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (v4tail && b.length >= 16) {
    const head = words.slice(0, 6);
    const tail = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
    if (bestLen > 1 && bestStart < 6) {
      const l = head.slice(0, bestStart);
      const r = head.slice(Math.min(6, bestStart + bestLen));
      return `${hexw(l)}::${r.length ? `${hexw(r)}:` : ''}${tail}`;
    }
    return `${hexw(head)}:${tail}`;
  }
  if (bestLen < 2) return hexw(words);
  return `${hexw(words.slice(0, bestStart))}::${hexw(words.slice(bestStart + bestLen))}`;
}

/** %p and its extensions (libtraceevent print_pointer). */
function pointer(env: Env, v: Val, ext: string): string {
  const c = ext[0] ?? '';
  if ('SsFfB'.includes(c) && c !== '') {
    const addr = BigInt.asUintN(64, num(env, v));
    const sym = env.ctx.symbol(addr);
    if (!sym) return `0x${addr.toString(16)}`;
    return c === 's' || c === 'f' ? sym.name : `${sym.name}+0x${sym.offset.toString(16)}`;
  }
  const bytes = typeof v === 'object' ? v.bytes : null;
  if ((c === 'I' || c === 'i') && bytes) {
    const kind = ext[1];
    if (kind === '4' && bytes.length >= 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
    if (kind === '6' && bytes.length >= 16) {
      const compressed = ext[2] === 'c';
      return c === 'i' && !compressed ? [...bytes.subarray(0, 16)].map(hex2).join('') : ipv6(bytes, compressed);
    }
  }
  if ((c === 'M' || c === 'm') && bytes && bytes.length >= 6) {
    const sep = c === 'M' ? (ext[1] === 'F' ? '-' : ':') : '';
    return [...bytes.subarray(0, 6)].map(hex2).join(sep);
  }
  if (c === 'U' && bytes && bytes.length >= 16) {
    const h = [...bytes.subarray(0, 16)].map(hex2).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  if (c !== '' && c !== 'x') unsupported(`%p${c}`);
  const p = BigInt.asUintN(env.ctx.kernelLong * 8, num(env, v));
  return p === 0n ? '(nil)' : `0x${p.toString(16)}`;
}

// ---- entry points -------------------------------------------------------------------------

interface Prepared {
  readonly parsed: ParsedPrint;
  readonly pieces: readonly Piece[];
}

/** An event's print fmt, parsed, or why it cannot be rendered (then its records show their fields). */
type PrintPlan = { readonly ok: true; readonly value: Prepared } | { readonly ok: false; readonly why: string };

const cache = new WeakMap<EventFormat, PrintPlan>();

function planOf(f: EventFormat): PrintPlan {
  let plan = cache.get(f);
  if (!plan) {
    const text = f.printFmt;
    plan =
      text === null
        ? { ok: false, why: 'no print fmt' }
        : attempt(() => {
            const parsed = parsePrintFmt(text);
            return { parsed, pieces: pieces(parsed) };
          });
    cache.set(f, plan);
  }
  return plan;
}

function parsedOf(f: EventFormat): Prepared | null {
  const plan = planOf(f);
  return plan.ok ? plan.value : null;
}

/** Why the event's print fmt cannot be rendered (its records show their fields), or null when it can. */
export function printFmtProblem(f: EventFormat): string | null {
  const plan = planOf(f);
  return plan.ok ? null : plan.why;
}

/** The record's display text: its print fmt rendered, or `name=value` pairs when that fails. */
export function renderEvent(ctx: DatContext, f: EventFormat, data: Uint8Array): string {
  const env: Env = { ctx, f, data };
  if (f.system === 'ftrace' && f.name === 'kernel_stack') return `<stack trace>\n${stackFrames(ctx, f, data).map((s) => ` => ${s}`).join('\n')}`;
  const p = parsedOf(f);
  if (p) {
    // A record the format cannot render (a helper or value it does not handle) shows its fields.
    const r = attempt(() => render(env, p.parsed, p.pieces));
    if (r.ok) return r.value;
  }
  const fields = decodeFields(f.fields, data, ctx.endian);
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * Frames of a kernel_stack record (ftrace's `<stack trace>` event): every address in its
 * `caller` array up to the record's end (the declared array is only the first 8), each as
 * `function+0xoff/0xsize` the way the kernel prints %pS, or the bare address.
 */
export function stackFrames(ctx: DatContext, f: EventFormat, data: Uint8Array): string[] {
  const caller = f.fields.find((x) => x.name === 'caller');
  const sizeF = f.fields.find((x) => x.name === 'size');
  if (!caller) return [];
  const es = ctx.kernelLong;
  const declared = sizeF ? Number(ctx.endian.uint(data, sizeF.offset, Math.min(4, sizeF.size))) : Infinity;
  const frames: string[] = [];
  for (let at = caller.offset, k = 0; at + es <= data.length && k < declared; at += es, k++) {
    const addr = ctx.endian.uint(data, at, es);
    if (addr === 0n || addr === BigInt.asUintN(es * 8, -1n)) break;
    const sym = ctx.symbol(addr);
    frames.push(sym ? `${sym.name}+0x${sym.offset.toString(16)}${sym.size !== null ? `/0x${sym.size.toString(16)}` : ''}${sym.module ? ` [${sym.module}]` : ''}` : `0x${addr.toString(16)}`);
  }
  return frames;
}

