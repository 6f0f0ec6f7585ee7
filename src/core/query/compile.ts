/**
 * Compiles a parsed filter expression, once, into a closure over event indices of one trace.
 * Common fields (cpu, pid, tgid, comm, event, ts, line; frame.len & co. in a capture) read the
 * columns directly, string tests on comm/event are computed once per distinct string, and only
 * names that need the event's payload decode it (once per event, however often they occur).
 */
import { compileUserRegex } from '../config/user-regex';
import { isCapture } from '../formats/capture/common';
import { decodePacket } from '../formats/capture/decode';
import { decodeEvent } from '../formats/decode';
import type { Trace } from '../trace/trace';
import { globMatcher } from './glob';
import { addressValue, isMac, numberValue, parseInteger, parseIPv4, parseIPv6, ipv4Mask, ipv6Mask, timeValue } from './literal';
import { packetFields, type PacketFields } from './packet-fields';
import { DECODE, ftraceFieldReader } from './ftrace-fields';
import { parseExpr, QueryError, type CmpOp, type Expr, type FieldRef, type Literal } from './parse';

export type EventPredicate = (i: number) => boolean;

/** Longest `matches` pattern (RE2 is linear in the text, but its compiled program grows with the pattern). */
const MAX_REGEX_LENGTH = 1024;

/** Parses and compiles `text` for `trace`; null when the expression is blank. Throws QueryError. */
export function compileQuery(trace: Trace, text: string): EventPredicate | null {
  const e = parseExpr(text);
  return e === null ? null : new Compiler(trace).expr(e);
}

/** How a name is read. */
type Accessor =
  | { readonly kind: 'number'; readonly get: (i: number) => number }
  | { readonly kind: 'string-id'; readonly get: (i: number) => number }
  | { readonly kind: 'time' }
  | { readonly kind: 'values'; readonly get: (i: number) => readonly string[] }
  /** An event's payload field: at most one value (no array per event on the hot path). */
  | { readonly kind: 'value'; readonly get: (i: number) => string | undefined };


class Compiler {
  private readonly capture: boolean;
  // The payload of the last event asked for: several names in one expression decode it once.
  private decodedAt = -1;
  private fields: Record<string, string> = {};
  private packetAt = -1;
  private packet: PacketFields | null = null;
  /** One field of event i without the full decode (ftrace text); null: always decode. */
  private readonly quick: ReturnType<typeof ftraceFieldReader>;

  constructor(private readonly trace: Trace) {
    this.capture = isCapture(trace.meta.format);
    this.quick = ftraceFieldReader(trace);
  }

  expr(e: Expr): EventPredicate {
    switch (e.kind) {
      case 'and': {
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        return (i) => a(i) && b(i);
      }
      case 'or': {
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        return (i) => a(i) || b(i);
      }
      case 'not': {
        const a = this.expr(e.operand);
        return (i) => !a(i);
      }
      case 'exists':
        return this.exists(e.field);
      case 'cmp':
        return this.comparison(e.field, e.op, e.opColumn, e.value);
    }
  }

  private eventFields(i: number): Record<string, string> {
    if (this.decodedAt !== i) {
      this.fields = decodeEvent(this.trace, i).fields;
      this.decodedAt = i;
    }
    return this.fields;
  }

  private packetFields(i: number): PacketFields {
    if (this.packetAt !== i || this.packet === null) {
      this.packet = packetFields(decodePacket(this.trace, i));
      this.packetAt = i;
    }
    return this.packet;
  }

  /** The column a common name reads, or null for a payload field. */
  private common(name: string): Accessor | null {
    const t = this.trace;
    switch (name) {
      case 'cpu':
      case 'common_cpu':
        return { kind: 'number', get: (i) => t.cpu(i) };
      case 'pid':
      case 'common_pid':
        return { kind: 'number', get: (i) => t.pid(i) };
      case 'tgid':
        return { kind: 'number', get: (i) => t.tgid(i) };
      case 'line':
        return { kind: 'number', get: (i) => t.line(i) };
      case 'comm':
      case 'common_comm':
        return { kind: 'string-id', get: (i) => t.commId(i) };
      case 'event':
        return { kind: 'string-id', get: (i) => t.eventId(i) };
      case 'ts':
        return { kind: 'time' };
    }
    if (!this.capture) return null;
    switch (name) {
      case 'frame.number':
        return { kind: 'number', get: (i) => t.line(i) };
      case 'frame.interface_id':
        return { kind: 'number', get: (i) => t.cpu(i) };
      case 'frame.interface_name':
        return { kind: 'string-id', get: (i) => t.commId(i) };
      case 'frame.len':
      case 'frame.cap_len': {
        const col = t.extra(name === 'frame.len' ? 'origLen' : 'caplen');
        return col ? { kind: 'number', get: (i) => col.get(i) } : null;
      }
    }
    return null;
  }

  private accessor(f: FieldRef): Accessor {
    const c = this.common(f.name);
    if (c) return c;
    // `field.NAME` is the event's own field when NAME is also a common name (sched_wakeup's pid).
    const name = f.name.startsWith('field.') ? f.name.slice('field.'.length) : f.name;
    if (this.capture) return { kind: 'values', get: (i) => this.packetFields(i).values(name) };
    const quick = this.quick;
    return {
      kind: 'value',
      get: (i) => {
        if (quick) {
          const v = quick(i, name);
          if (v !== DECODE) return v;
        }
        const fields = this.eventFields(i);
        return Object.hasOwn(fields, name) ? fields[name] : undefined;
      },
    };
  }

  private exists(f: FieldRef): EventPredicate {
    if (this.common(f.name)) throw new QueryError(`${f.name} needs a comparison (e.g. ${f.name} == …)`, f.column);
    const name = f.name.startsWith('field.') ? f.name.slice('field.'.length) : f.name;
    if (this.capture) {
      return (i) => {
        const p = this.packetFields(i);
        return p.layers.has(name) || p.values(name).length > 0;
      };
    }
    const quick = this.quick;
    return (i) => {
      const v = quick ? quick(i, name) : DECODE;
      return v === DECODE ? Object.hasOwn(this.eventFields(i), name) : v !== undefined;
    };
  }

  private comparison(f: FieldRef, op: CmpOp, opColumn: number, lit: Literal): EventPredicate {
    const acc = this.accessor(f);
    if (acc.kind === 'time') return this.timeComparison(op, opColumn, lit);
    // Wireshark's meaning of != : the field is present and no occurrence equals (`ip.addr != X`
    // keeps IP packets neither to nor from X, and no ARP).
    const negate = op === '!=';
    const test = this.valueTest(negate ? '==' : op, opColumn, lit);
    let p: EventPredicate;
    if (acc.kind === 'number') {
      const get = acc.get;
      p = (i) => test(String(get(i)));
      const n = !lit.quoted && op !== '~' && op !== 'matches' ? numberValue(lit.text) : null;
      if (n && op !== '~' && op !== 'matches') {
        const cmp = numberCompare(negate ? '==' : op);
        p = (i) => cmp(get(i), n.n);
      }
    } else if (acc.kind === 'string-id') {
      const get = acc.get;
      const strings = this.trace.strings;
      const seen = new Map<number, boolean>();
      p = (i) => {
        const id = get(i);
        let hit = seen.get(id);
        if (hit === undefined) {
          hit = test(strings.get(id));
          seen.set(id, hit);
        }
        return hit;
      };
    } else if (acc.kind === 'value') {
      const get = acc.get;
      if (negate) {
        // Present and not equal (absent is false, as for packets).
        return (i) => {
          const v = get(i);
          return v !== undefined && !test(v);
        };
      }
      p = (i) => {
        const v = get(i);
        return v !== undefined && test(v);
      };
    } else {
      const get = acc.get;
      if (negate) {
        // Present, and no occurrence equal (Wireshark 4's "all not equal"; absent is false).
        return (i) => {
          const vs = get(i);
          for (const v of vs) if (test(v)) return false;
          return vs.length > 0;
        };
      }
      p = (i) => {
        for (const v of get(i)) if (test(v)) return true;
        return false;
      };
    }
    if (!negate) return p;
    const q = p;
    return (i) => !q(i);
  }

  private timeComparison(op: CmpOp, opColumn: number, lit: Literal): EventPredicate {
    if (op === '~' || op === 'matches') throw new QueryError('ts compares with == != < <= > >=', opColumn);
    const t = lit.quoted ? null : timeValue(lit.text);
    if (!t) throw new QueryError('expected a time (seconds, or a number with ms, us or ns)', lit.column);
    // ts is the time the file shows (absolute); events store ns relative to the trace's origin.
    const rel = Number(t.ns - this.trace.originNs);
    const cmp = numberCompare(op);
    const tr = this.trace;
    return (i) => cmp(tr.tsNs(i), rel);
  }

  /** A test of one field value (as text) against the literal. */
  private valueTest(op: Exclude<CmpOp, '!='>, opColumn: number, lit: Literal): (s: string) => boolean {
    if (op === '~') return globMatcher(lit.text);
    if (op === 'matches') {
      if (lit.text.length > MAX_REGEX_LENGTH) throw new QueryError(`regular expression longer than ${MAX_REGEX_LENGTH} characters`, lit.column);
      // The project's one way to run a user's pattern: RE2 (linear time), or V8 for a one-pass one.
      const re = compileUserRegex(lit.text);
      if (typeof re === 'string') throw new QueryError(`invalid regular expression (${re})`, lit.column);
      return (s) => re.exec(s) !== null;
    }
    const cmp = numberCompare(op);
    if (!lit.quoted) {
      const addr = addressValue(lit.text);
      if (addr && 'error' in addr) throw new QueryError(`expected ${addr.error}`, lit.column);
      if (addr) {
        if (op !== '==') throw new QueryError('addresses compare with == and != only', opColumn);
        if (addr.kind === 'ipv4') {
          const mask = ipv4Mask(addr.prefix);
          return (s) => {
            const v = parseIPv4(s);
            return v !== null && ((v & mask) >>> 0) === addr.net;
          };
        }
        const mask = ipv6Mask(addr.prefix);
        return (s) => {
          const v = parseIPv6(s);
          return v !== null && (v & mask) === addr.net;
        };
      }
      const n = numberValue(lit.text);
      if (n) {
        const small = n.big === null || Number.isSafeInteger(n.n);
        return (s) => {
          // Most values are short decimals: no BigInt for them.
          if (small && !n.hex && isShortDecimal(s)) return cmp(Number(s), n.n);
          // A hex literal reads bare hex values as hex too (%p pointers: skbaddr=00000000b08885b7).
          const big = parseInteger(s, n.hex);
          if (big !== null) {
            if (n.big !== null) return cmp(big < n.big ? -1 : big > n.big ? 1 : 0, 0);
            return cmp(Number(big), n.n);
          }
          const d = s.length > 0 ? Number(s) : NaN;
          return !Number.isNaN(d) && cmp(d, n.n);
        };
      }
      if (isMac(lit.text)) {
        const mac = lit.text.toLowerCase();
        return (s) => cmp(compareStrings(s.toLowerCase(), mac), 0);
      }
    }
    const want = lit.text;
    return (s) => cmp(compareStrings(s, want), 0);
  }
}

/** 1-15 decimal digits, optionally negative: exact as a double. */
function isShortDecimal(s: string): boolean {
  const neg = s.charCodeAt(0) === 45 ? 1 : 0;
  const n = s.length - neg;
  if (n < 1 || n > 15) return false;
  for (let k = neg; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function numberCompare(op: Exclude<CmpOp, '~' | 'matches'>): (a: number, b: number) => boolean {
  switch (op) {
    case '==':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
  }
}
