// AssemblyScript (compiled to WebAssembly by scripts/build-wasm.mjs; not part of the TypeScript
// projects). The hot path of ftrace text (reader.ts's defaultLine, scanPrefix, timestampToken
// and event) for the lines of the one common shape, run over a whole chunk at a time:
//   `  <comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <sec>.<frac>: <name>: <payload>`
// It writes the events' column values (trace.ts's TraceBuilder columns, same types) to staging
// arrays the reader copies in bulk, and stops at the first line it does not handle exactly as
// the JavaScript would (any other shape, a header, a stack frame, a name it has no id for, a
// number the columns would wrap): reader.ts reads that line, then calls scan again.
//
// Names: ids come from the JavaScript StringTable (keyed hash, flood-safe); this module only
// remembers bytes -> id for names the reader registered, in an open-addressed table probed at
// most MAX_PROBES slots. A name not found there is a miss (the reader interns it and registers
// it when a slot is free), so names chosen to collide cost the reader's own path, never a long probe.

// Staging capacity: events per scan call.
const CAP: i32 = 8192;
const TABLE_SLOTS: i32 = 4096; // power of two
const MAX_PROBES: i32 = 8;
const ARENA_BYTES: i32 = 256 * 1024;

const SP: u8 = 0x20;
const TAB: u8 = 0x09;
const NL: u8 = 0x0a;
const CR: u8 = 0x0d;
const HASH: u8 = 0x23;
const EQ: u8 = 0x3d;
const GT: u8 = 0x3e;
const LBRACK: u8 = 0x5b;
const RBRACK: u8 = 0x5d;
const LPAREN: u8 = 0x28;
const RPAREN: u8 = 0x29;
const DASH: u8 = 0x2d;
const DOT: u8 = 0x2e;
const COLON: u8 = 0x3a;

// Why scan stopped (`stopReason`).
export const END: i32 = 0; // no complete line left: stopPos is where the unfinished tail starts
export const SLOW: i32 = 1; // the line at stopPos is the JavaScript reader's
export const MISS: i32 = 2; // the line at stopPos needs the name [missStart, missEnd) registered
export const FULL: i32 = 3; // CAP events staged: call again from stopPos

// Fixed layout (constant addresses fold into the loads' offsets): the regions below, then the
// input, last, so that it can grow with the memory.
const TS_OUT: usize = 65536; // static data lies below (checked by init)
const OFF_OUT: usize = TS_OUT + <usize>CAP * 8;
const CPU_OUT: usize = OFF_OUT + <usize>CAP * 8;
const PID_OUT: usize = CPU_OUT + <usize>CAP * 2;
const TGID_OUT: usize = PID_OUT + <usize>CAP * 4;
const COMM_OUT: usize = TGID_OUT + <usize>CAP * 4;
const EVENT_OUT: usize = COMM_OUT + <usize>CAP * 4;
const FLAGS_OUT: usize = EVENT_OUT + <usize>CAP * 4;
const LINE_OUT: usize = FLAGS_OUT + <usize>CAP * 4;
const LEN_OUT: usize = LINE_OUT + <usize>CAP * 4;
const PAY_OUT: usize = LEN_OUT + <usize>CAP * 4;
const TABLE: usize = PAY_OUT + <usize>CAP * 4; // TABLE_SLOTS x (hash u32, id+1 u32, arena offset u32, length u32)
const NAME_BYTES: usize = TABLE + <usize>TABLE_SLOTS * 16; // 256 bytes: 1 for [A-Za-z0-9_.]
const ARENA: usize = NAME_BYTES + 256;
const IN: usize = ARENA + <usize>ARENA_BYTES + 64; // 16 bytes of slack before and after the input

let inCap: i32 = 0;
let arenaUsed: i32 = 0;

export let stopPos: i32 = 0;
export let stopReason: i32 = 0;
export let missStart: i32 = 0;
export let missEnd: i32 = 0;
export let sawTgid: i32 = 0;

export function init(): void {
  if (__heap_base > TS_OUT) unreachable();
  input(1 << 20);
  for (let c: i32 = 0; c < 256; c++) {
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c == 0x5f || (c >= 0x30 && c <= 0x39) || c == 0x2e;
    store<u8>(NAME_BYTES + <usize>c, ok ? 1 : 0);
  }
}

/** Where the reader copies a chunk of `bytes` bytes (grows the buffer when needed). */
export function input(bytes: i32): usize {
  const need = IN + <usize>bytes + 16;
  const have = <usize>memory.size() << 16;
  if (need > have && memory.grow(<i32>((need - have + 0xffff) >> 16)) < 0) unreachable();
  if (bytes > inCap) inCap = bytes;
  return IN;
}

export function capacity(): i32 {
  return CAP;
}
export function tsPtr(): usize { return TS_OUT; }
export function offsetPtr(): usize { return OFF_OUT; }
export function cpuPtr(): usize { return CPU_OUT; }
export function pidPtr(): usize { return PID_OUT; }
export function tgidPtr(): usize { return TGID_OUT; }
export function commPtr(): usize { return COMM_OUT; }
export function eventPtr(): usize { return EVENT_OUT; }
export function flagsPtr(): usize { return FLAGS_OUT; }
export function linePtr(): usize { return LINE_OUT; }
export function lengthPtr(): usize { return LEN_OUT; }
export function payloadPtr(): usize { return PAY_OUT; }

// @ts-ignore: decorator
@inline function at(i: i32): u8 {
  return load<u8>(IN + <usize>i);
}
// @ts-ignore: decorator
@inline function isSpace(c: u8): bool {
  return c == SP || c == TAB;
}
// @ts-ignore: decorator
@inline function isDigit(c: u8): bool {
  return <u32>(c - 0x30) < 10;
}

/** The first `[` in [s, e), or e. */
function nextBracket(s: i32, e: i32): i32 {
  let k = s;
  while (k < e) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(IN + <usize>k), i8x16.splat(<i8>LBRACK)));
    if (m != 0) {
      k += <i32>ctz(m);
      return k < e ? k : e;
    }
    k += 16;
  }
  return e;
}

/** The first newline in [s, length), or `length`: 16 bytes at a time (the input has 16 bytes of slack). */
function findNewline(s: i32, length: i32): i32 {
  const nlv = i8x16.splat(<i8>NL);
  let k = s;
  while (k + 16 <= length) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(IN + <usize>k), nlv));
    if (m != 0) return k + <i32>ctz(m);
    k += 16;
  }
  while (k < length && at(k) != NL) k++;
  return k;
}

/** The `len` (< 8) bytes at `p` as the low bytes of a u64 (reads up to 7 bytes past them: the regions have slack). */
// @ts-ignore: decorator
@inline function low(p: usize, len: i32): u64 {
  return load<u64>(p) & ((<u64>1 << (<u64>len << 3)) - 1);
}

function hashOf(s: i32, e: i32): u32 {
  // Picks where to look only (bytes are compared in full; see the note at the top): the first,
  // middle and last 8 bytes and the length (every byte of a name up to 24 bytes, a comm's 15 among them).
  const len = e - s;
  const p = IN + <usize>s;
  let a: u64, b: u64, c: u64;
  if (len >= 8) {
    a = load<u64>(p);
    b = load<u64>(IN + <usize>e - 8);
    c = len > 16 ? load<u64>(p + <usize>((len >> 1) - 4)) : 0;
  } else {
    a = low(p, len);
    b = 0;
    c = 0;
  }
  let h = (a * 0x9e3779b97f4a7c15) ^ (b * 0xc2b2ae3d27d4eb4f) ^ (c * 0x94d049bb133111eb) ^ <u64>len;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9;
  return <u32>(h >> 32);
}

/** Whether the `len` bytes at `a` and `b` are the same. */
function sameBytes(a: usize, b: usize, len: i32): bool {
  let k = 0;
  for (; k + 8 <= len; k += 8) if (load<u64>(a + <usize>k) != load<u64>(b + <usize>k)) return false;
  if (k == len) return true;
  return low(a + <usize>k, len - k) == low(b + <usize>k, len - k);
}

/** The registered id of the bytes [s, e), or -1. */
function lookup(s: i32, e: i32): i32 {
  const len = e - s;
  const h = hashOf(s, e);
  let slot = <i32>(h & <u32>(TABLE_SLOTS - 1));
  for (let p = 0; p < MAX_PROBES; p++) {
    const entry = TABLE + (<usize>slot << 4);
    const id1 = load<u32>(entry, 4);
    if (id1 == 0) return -1;
    if (load<u32>(entry) == h && <i32>load<u32>(entry, 12) == len && sameBytes(ARENA + <usize>load<u32>(entry, 8), IN + <usize>s, len)) return <i32>id1 - 1;
    slot = (slot + 1) & (TABLE_SLOTS - 1);
  }
  return -1;
}

/** Remembers that the input bytes [s, e) have string id `id` (when a slot and arena space are free). */
export function register(s: i32, e: i32, id: i32): bool {
  const len = e - s;
  if (len <= 0 || arenaUsed + len > ARENA_BYTES) return false;
  const h = hashOf(s, e);
  let slot = <i32>(h & <u32>(TABLE_SLOTS - 1));
  for (let p = 0; p < MAX_PROBES; p++) {
    const entry = TABLE + (<usize>slot << 4);
    if (load<u32>(entry, 4) == 0) {
      memory.copy(ARENA + <usize>arenaUsed, IN + <usize>s, <usize>len);
      store<u32>(entry, h);
      store<u32>(entry, <u32>id + 1, 4);
      store<u32>(entry, <u32>arenaUsed, 8);
      store<u32>(entry, <u32>len, 12);
      arenaUsed += len;
      return true;
    }
    slot = (slot + 1) & (TABLE_SLOTS - 1);
  }
  return false;
}

function miss(lineStart: i32, s: i32, e: i32): void {
  stopReason = MISS;
  stopPos = lineStart;
  missStart = s;
  missEnd = e;
}

/**
 * Reads the lines of the input [pos, length) while they are of the common shape; returns the
 * number of events staged (their line numbers are consecutive from `firstLine`, the value of the
 * line column for the first). `maxLineBytes`: longer lines are the reader's; `emptyId`: the id
 * of '' (the flags of a line without them); origin: the trace's (relativeNs);
 * `baseOffset`: the file offset of input byte 0.
 */
export function scan(pos: i32, length: i32, maxLineBytes: i32, emptyId: i32, originSec: f64, originFrac: f64, baseOffset: f64, firstLine: u32): i32 {
  let n: i32 = 0;
  let s = pos;
  stopReason = END;
  while (true) {
    if (n == CAP) {
      stopReason = FULL;
      break;
    }
    // The line [s, nl); the splitter's memchr is one byte at a time here, fused with the work.
    let nl = findNewline(s, length);
    if (nl >= length) {
      stopReason = END;
      break;
    }
    if (nl - s > maxLineBytes) {
      stopReason = SLOW;
      break;
    }
    let e = nl;
    if (e > s && at(e - 1) == CR) e--;
    let i = s;
    while (i < e) {
      const v = v128.load(IN + <usize>i);
      const m = ~(i8x16.bitmask(v128.or(i8x16.eq(v, i8x16.splat(<i8>SP)), i8x16.eq(v, i8x16.splat(<i8>TAB))))) & 0xffff;
      if (m != 0) {
        i += <i32>ctz(m);
        break;
      }
      i += 16;
    }
    if (i > e) i = e;
    if (i >= e) { stopReason = SLOW; break; }
    const c0 = at(i);
    if (c0 == HASH || (c0 == EQ && at(i + 1) == GT)) { stopReason = SLOW; break; }

    // scanPrefix: forward for ` [<digits>]`, the pieces before it checked backwards.
    let found = false;
    let commEnd = 0;
    let pid: i32 = 0;
    let tgid: i32 = -1;
    let cpu: i32 = 0;
    let after = 0;
    let tgidMark = false;
    for (let j = nextBracket(i + 1, e); j < e; j = nextBracket(j + 1, e)) {
      if (!isSpace(at(j - 1))) continue;
      let k = j + 1;
      let cpuV: i64 = 0;
      while (k < e && isDigit(at(k))) {
        if (cpuV < 100000) cpuV = cpuV * 10 + <i64>(at(k) - 0x30);
        k++;
      }
      if (k == j + 1 || at(k) != RBRACK) continue;
      let q = j - 1;
      while (q > i && isSpace(at(q))) q--;
      let tg: i64 = -1;
      let tgBad = false;
      if (at(q) == RPAREN) {
        let open = q - 1;
        while (open > i && at(open) != LPAREN && q - open < 16) open--;
        if (at(open) != LPAREN) continue;
        // parseTgid: digits and spaces, or dashes and spaces.
        let v: i64 = 0;
        let digits = 0;
        let dashes = 0;
        for (let d = open + 1; d < q; d++) {
          const c = at(d);
          if (isSpace(c)) continue;
          if (isDigit(c)) {
            v = v * 10 + <i64>(c - 0x30);
            digits++;
          } else if (c == DASH) dashes++;
          else {
            tgBad = true;
            break;
          }
        }
        if (tgBad) continue;
        if (digits > 0 && dashes == 0) tg = v;
        else if (digits == 0 && dashes > 0) tg = -1;
        else continue;
        q = open - 1;
        while (q > i && isSpace(at(q))) q--;
      }
      const pidEnd = q + 1;
      while (q >= i && isDigit(at(q))) q--;
      if (q + 1 == pidEnd || q < i || at(q) != DASH) continue;
      // Numbers the Int32/Uint16 columns would wrap are the JavaScript's to store.
      if (pidEnd - (q + 1) > 9 || tg > 2147483647 || cpuV > 65535) {
        stopReason = SLOW;
        stopPos = s;
        return n;
      }
      let pv: i32 = 0;
      for (let d = q + 1; d < pidEnd; d++) pv = pv * 10 + <i32>(at(d) - 0x30);
      commEnd = q;
      pid = pv;
      tgid = <i32>tg;
      cpu = <i32>cpuV;
      after = k + 1;
      tgidMark = tg != -1 || at(j - 2) == RPAREN;
      found = true;
      break;
    }
    if (!found) { stopReason = SLOW; break; }

    // The flags column (irq-info) when the first token is not a timestamp, then the timestamp.
    let j = after;
    while (j < e && isSpace(at(j))) j++;
    let tokEnd = j;
    while (tokEnd < e && !isSpace(at(tokEnd))) tokEnd++;
    let flagsId = emptyId;
    let tsEnd = tokEnd;
    let ts = timestamp(j, tokEnd);
    if (ts == NOT_TS) {
      const f = tokEnd > j ? lookup(j, tokEnd) : emptyId;
      if (f < 0) { miss(s, j, tokEnd); break; }
      flagsId = f;
      let tsStart = tokEnd;
      while (tsStart < e && isSpace(at(tsStart))) tsStart++;
      tsEnd = tsStart;
      while (tsEnd < e && !isSpace(at(tsEnd))) tsEnd++;
      ts = timestamp(tsStart, tsEnd);
    }
    // Not a timestamp after the flags (the JavaScript tries other shapes), or one it reads itself.
    if (ts != TS) { stopReason = SLOW; break; }
    let ps = tsEnd;
    while (ps < e && isSpace(at(ps))) ps++;

    // `name:` then the payload; any other payload is classified by the JavaScript.
    let ne = ps;
    const c1 = at(ne);
    if ((c1 >= 0x61 && c1 <= 0x7a) || (c1 >= 0x41 && c1 <= 0x5a) || c1 == 0x5f) {
      ne++;
      while (ne < e && load<u8>(NAME_BYTES + <usize>at(ne)) == 1) ne++;
    }
    if (!(ne > ps && at(ne) == COLON && (ne + 1 == e || isSpace(at(ne + 1))))) { stopReason = SLOW; break; }
    const commId = commEnd > i ? lookup(i, commEnd) : emptyId;
    if (commId < 0) { miss(s, i, commEnd); break; }
    const eventId = lookup(ps, ne);
    if (eventId < 0) { miss(s, ps, ne); break; }
    let payloadStart = ne + 1;
    while (payloadStart < e && isSpace(at(payloadStart))) payloadStart++;

    if (tgidMark) sawTgid = 1;
    const o = <usize>n;
    store<f64>(TS_OUT + (o << 3), (<f64>tsSec - originSec) * 1e9 + (<f64>tsFrac - originFrac));
    store<f64>(OFF_OUT + (o << 3), baseOffset + <f64>s);
    store<u16>(CPU_OUT + (o << 1), <u16>cpu);
    store<i32>(PID_OUT + (o << 2), pid);
    store<i32>(TGID_OUT + (o << 2), tgid);
    store<u32>(COMM_OUT + (o << 2), <u32>commId);
    store<u32>(EVENT_OUT + (o << 2), <u32>eventId);
    store<u32>(FLAGS_OUT + (o << 2), <u32>flagsId);
    store<u32>(LINE_OUT + (o << 2), firstLine + <u32>n);
    store<u32>(LEN_OUT + (o << 2), <u32>(e - s));
    store<u32>(PAY_OUT + (o << 2), <u32>(payloadStart - s));
    n++;
    s = nl + 1;
  }
  stopPos = s;
  return n;
}

// What timestamp found in a token.
const NOT_TS: i32 = 0; // not a timestamp (the flags column, or another shape)
const TS: i32 = 1; // `<sec>.<frac>:`, its value in tsSec and tsFrac (ns)
const OTHER_TS: i32 = 2; // a timestamp the JavaScript reads: a counter clock's `<count>:`, or over 15 digits of seconds (inexact in a float64)

let tsSec: i64 = 0;
let tsFrac: i64 = 0;

/** reader.ts's timestampToken on the token [s, e), in one pass: NOT_TS, TS or OTHER_TS. */
function timestamp(s: i32, e: i32): i32 {
  if (e - s < 2 || at(e - 1) != COLON || !isDigit(at(s))) return NOT_TS;
  const last = e - 1;
  let sec: i64 = 0;
  let k = s;
  for (; k < last; k++) {
    const c = at(k);
    if (c == DOT) break;
    if (!isDigit(c)) return NOT_TS;
    sec = sec * 10 + <i64>(c - 0x30);
  }
  if (k == last) return OTHER_TS;
  if (k == last - 1) return NOT_TS; // `123.:`
  let frac: i64 = 0;
  let digits = 0;
  for (let d = k + 1; d < last; d++) {
    const c = at(d);
    if (!isDigit(c)) return NOT_TS;
    if (digits < 9) {
      frac = frac * 10 + <i64>(c - 0x30);
      digits++;
    }
  }
  if (k - s > 15) return OTHER_TS;
  for (; digits < 9; digits++) frac *= 10;
  tsSec = sec;
  tsFrac = frac;
  return TS;
}
