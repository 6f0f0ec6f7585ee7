/**
 * Endian-aware reads of the trace.dat integers (the file says its byte order once, in the
 * initial header; every number after it is in that order) and NUL-terminated strings.
 * All readers take absolute indices into a byte array and never read past its end: the
 * caller checks lengths first, so a short buffer is a bug, not untrusted input.
 */

export class Endian {
  constructor(readonly little: boolean) {}

  u16(b: Uint8Array, at: number): number {
    const x = b[at] as number;
    const y = b[at + 1] as number;
    return this.little ? x | (y << 8) : (x << 8) | y;
  }

  u32(b: Uint8Array, at: number): number {
    const x0 = b[at] as number;
    const x1 = b[at + 1] as number;
    const x2 = b[at + 2] as number;
    const x3 = b[at + 3] as number;
    return this.little ? (x0 | (x1 << 8) | (x2 << 16) | (x3 << 24)) >>> 0 : ((x0 << 24) | (x1 << 16) | (x2 << 8) | x3) >>> 0;
  }

  /** 64-bit unsigned as a number; values over 2^53 lose precision (callers that care use u64big). */
  u64(b: Uint8Array, at: number): number {
    const lo = this.u32(b, this.little ? at : at + 4);
    const hi = this.u32(b, this.little ? at + 4 : at);
    return hi * 4294967296 + lo;
  }

  u64big(b: Uint8Array, at: number): bigint {
    const lo = this.u32(b, this.little ? at : at + 4);
    const hi = this.u32(b, this.little ? at + 4 : at);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Unsigned integer of 1, 2, 4 or 8 bytes as a bigint (field values). */
  uint(b: Uint8Array, at: number, size: number): bigint {
    switch (size) {
      case 1:
        return BigInt(b[at] as number);
      case 2:
        return BigInt(this.u16(b, at));
      case 4:
        return BigInt(this.u32(b, at));
      case 8:
        return this.u64big(b, at);
      default: {
        // Odd sizes (bitfield containers, 3-byte fields): assemble byte by byte.
        let v = 0n;
        for (let k = 0; k < size; k++) {
          const byte = BigInt(b[this.little ? at + size - 1 - k : at + k] as number);
          v = (v << 8n) | byte;
        }
        return v;
      }
    }
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Index of the first NUL at or after `from` (before `end`), or -1. */
export function findNul(b: Uint8Array, from: number, end = b.length): number {
  const i = b.indexOf(0, from);
  return i < 0 || i >= end ? -1 : i;
}

/** The NUL-terminated string at `at` (to `end` when there is no NUL), decoded as UTF-8. */
export function cString(b: Uint8Array, at: number, end = b.length): string {
  const nul = findNul(b, at, end);
  return utf8.decode(b.subarray(at, nul < 0 ? end : nul));
}

/** Bytes as text without any replacement (file headers, magic strings). */
export function ascii(b: Uint8Array, at: number, end: number): string {
  return latin1.decode(b.subarray(at, end));
}

/** Concatenates byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[], total?: number): Uint8Array {
  const n = total ?? parts.reduce((s, p) => s + p.length, 0);
  if (parts.length === 1 && (parts[0] as Uint8Array).length === n) return parts[0] as Uint8Array;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A byte buffer that grows as bytes arrive (doubling, never past `limit`), so a declared length
 * is never allocated up front: memory follows the bytes actually received.
 */
export class GrowBuf {
  private buf = new Uint8Array(0);
  length = 0;

  constructor(private readonly limit: number) {}

  append(b: Uint8Array, at: number, len: number): void {
    const need = this.length + len;
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.min(this.limit, Math.max(need, this.buf.length * 2, 256)));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(b.subarray(at, at + len), this.length);
    this.length = need;
  }

  /** The bytes so far (a view; the buffer is reset, so the view stays valid). */
  take(): Uint8Array {
    const out = this.buf.length === this.length ? this.buf : this.buf.subarray(0, this.length);
    this.buf = new Uint8Array(0);
    this.length = 0;
    return out;
  }
}
