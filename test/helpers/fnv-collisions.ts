/**
 * Names chosen to collide in the string table's former hash, 32-bit FNV-1a (unseeded), as an
 * attacker writing comm or event names into a trace would choose them (issue 10, item 2).
 *
 * The table used the low bits of the hash as the first slot (`h & mask`) and linear probing,
 * so names whose FNV-1a agrees in its low `bits` bits all start at one slot while the table has
 * at most 2^bits slots: each insert and each lookup walks the whole cluster (quadratic).
 *
 * Why it is cheap: one FNV-1a step is `h = (h ^ byte) * P mod 2^32` with P odd, so the low k
 * bits of the output depend only on the low k bits of the input, and the step inverts
 * (`h = (h' * P^-1) ^ byte`). Running every 4-character suffix backwards from the target
 * gives, for (nearly) every k-bit state, a suffix that leads from it to the target; any prefix
 * then needs one table lookup to become a colliding name (meet in the middle).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Multiplicative inverse of an odd number mod 2^32 (Newton's iteration, 5 steps). */
function inverse32(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x >>> 0;
}
const FNV_PRIME_INV = inverse32(FNV_PRIME);

/** 32-bit FNV-1a of a string's UTF-8 bytes, exactly as the former string table hashed them. */
export function fnv1a(s: string): number {
  return fnvFrom(FNV_OFFSET, new TextEncoder().encode(s));
}

function fnvFrom(h: number, bytes: Uint8Array): number {
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME);
  return h >>> 0;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * `count` distinct names (`prefix` + 6 random characters + a 3- or 4-character suffix, all
 * ASCII letters and digits) whose FNV-1a hashes share their low `bits` bits (1..20). Deterministic
 * for a given `seed`.
 */
export function fnvCollidingNames(count: number, bits = 20, seed = 1, prefix = ''): string[] {
  if (bits < 1 || bits > 20) throw new RangeError('bits must be 1..20 (the suffix table has 2^bits entries)');
  const mask = (1 << bits) - 1;
  const target = 0x2bad & mask;
  // For each k-bit state: the index (+1) of a suffix leading from it to the target.
  const suffixOf = new Int32Array(1 << bits);
  const a = ALPHABET.length;
  // Enough suffixes to cover nearly every k-bit state (twice as many suffixes as states).
  const SUFFIX_CHARS = a ** 3 >= 2 << bits ? 3 : 4;
  const total = a ** SUFFIX_CHARS;
  const codes = new Uint8Array(SUFFIX_CHARS);
  for (let n = 0; n < total; n++) {
    let r = n;
    for (let i = SUFFIX_CHARS - 1; i >= 0; i--) {
      codes[i] = ALPHABET.charCodeAt(r % a);
      r = Math.floor(r / a);
    }
    let h = target;
    for (let i = SUFFIX_CHARS - 1; i >= 0; i--) h = Math.imul(h, FNV_PRIME_INV) ^ (codes[i] as number);
    const state = (h >>> 0) & mask;
    if (suffixOf[state] === 0) suffixOf[state] = n + 1;
  }
  const suffix = (n: number): string => {
    let s = '';
    for (let i = 0; i < SUFFIX_CHARS; i++) {
      s = ALPHABET[n % a] + s;
      n = Math.floor(n / a);
    }
    return s;
  };
  const pre = new TextEncoder().encode(prefix);
  const base = fnvFrom(FNV_OFFSET, pre);
  let x = seed >>> 0 || 1;
  const rand = (): number => {
    // xorshift32: enough to spread the prefixes; not for anything that must be unpredictable.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % a;
  };
  const seen = new Set<string>();
  const out: string[] = [];
  const mid = new Uint8Array(6);
  while (out.length < count) {
    for (let i = 0; i < mid.length; i++) mid[i] = ALPHABET.charCodeAt(rand());
    const state = fnvFrom(base, mid) & mask;
    const s = suffixOf[state] as number;
    if (s === 0) continue;
    const name = prefix + String.fromCharCode(...mid) + suffix(s - 1);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
  }
  return out;
}
