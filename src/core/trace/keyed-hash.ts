/**
 * HalfSipHash-1-3: a keyed 32-bit hash for hash tables that hold attacker-chosen keys.
 *
 * Spec: J.-P. Aumasson, D. J. Bernstein, "SipHash: a fast short-input PRF" (2012), and the
 * HalfSipHash variant of the reference implementation (github.com/veorq/SipHash, halfsiphash.c);
 * the Linux kernel hashes its tables the same way (`hsiphash`, lib/siphash.c). Without the
 * 64-bit key an attacker cannot choose inputs that collide, unlike an unseeded (or
 * seed-XORed) FNV, whose collisions do not depend on the seed at all.
 *
 * 1 compression round per 4-byte word, 3 finalisation rounds: the kernel's choice for tables.
 */

/** Web Crypto, global in Node >= 19 and browsers (core may not import node:crypto). */
const webCrypto = (globalThis as unknown as { crypto: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto;

/** A fresh random key (two 32-bit words) from the system's CSPRNG. */
export function randomHashKey(): Uint32Array {
  return webCrypto.getRandomValues(new Uint32Array(2));
}

/** HalfSipHash-1-3 of `buf[start..end)` under the key (k0, k1); an unsigned 32-bit result. */
export function halfSipHash13(buf: Uint8Array, start: number, end: number, k0: number, k1: number): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  const len = end - start;
  // The whole 4-byte words, then the last word: the remaining 0..3 bytes, little-endian, with
  // the length (mod 256) in the top byte.
  const words = (len >>> 2) + 1;
  const rest = start + ((len >>> 2) << 2);
  let last = len << 24;
  if (end - rest >= 3) last |= (buf[rest + 2] as number) << 16;
  if (end - rest >= 2) last |= (buf[rest + 1] as number) << 8;
  if (end - rest >= 1) last |= buf[rest] as number;
  // One round per word (c = 1), then 3 finalisation rounds (d = 3) after v2 ^= 0xff: one loop,
  // so the round is written once and v0..v3 stay in registers.
  for (let k = 0; k < words + 3; k++) {
    let m = 0;
    if (k < words - 1) {
      const i = start + 4 * k;
      m = (buf[i] as number) | ((buf[i + 1] as number) << 8) | ((buf[i + 2] as number) << 16) | ((buf[i + 3] as number) << 24);
    } else if (k === words - 1) m = last;
    else if (k === words) v2 ^= 0xff;
    v3 ^= m;
    v0 = (v0 + v1) | 0;
    v1 = ((v1 << 5) | (v1 >>> 27)) ^ v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = ((v3 << 8) | (v3 >>> 24)) ^ v2;
    v0 = (v0 + v3) | 0;
    v3 = ((v3 << 7) | (v3 >>> 25)) ^ v0;
    v2 = (v2 + v1) | 0;
    v1 = ((v1 << 13) | (v1 >>> 19)) ^ v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
  }
  return (v1 ^ v3) >>> 0;
}
