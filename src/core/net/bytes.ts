/**
 * Bounds-checked reads and address formatting for packet bytes. Every decoder in `net/`
 * reads untrusted bytes only through `has` + these helpers, so a short or lying packet
 * never reads past what was captured.
 */

/** True when `n` bytes starting at `off` lie inside [0, end). */
export function has(end: number, off: number, n: number): boolean {
  return off >= 0 && n >= 0 && off + n <= end;
}

export function u8(b: Uint8Array, off: number): number {
  return b[off] as number;
}

export function be16(b: Uint8Array, off: number): number {
  return ((b[off] as number) << 8) | (b[off + 1] as number);
}

export function be32(b: Uint8Array, off: number): number {
  return (((b[off] as number) << 24) | ((b[off + 1] as number) << 16) | ((b[off + 2] as number) << 8) | (b[off + 3] as number)) >>> 0;
}

export function le16(b: Uint8Array, off: number): number {
  return (b[off] as number) | ((b[off + 1] as number) << 8);
}

export function le32(b: Uint8Array, off: number): number {
  return ((b[off] as number) | ((b[off + 1] as number) << 8) | ((b[off + 2] as number) << 16) | ((b[off + 3] as number) << 24)) >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex(b: Uint8Array, off: number, n: number, sep = ''): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(HEX[b[off + i] as number] as string);
  return parts.join(sep);
}

export function mac(b: Uint8Array, off: number): string {
  return hex(b, off, 6, ':');
}

export function ipv4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** RFC 5952 text form: lowercase, leading zeros dropped, the longest run (>= 2) of zero groups as `::`. */
export function ipv6(b: Uint8Array, off: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(be16(b, off + 2 * i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // IPv4-mapped (::ffff:a.b.c.d), as Wireshark and inet_ntop print it.
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${ipv4(b, off + 12)}`;
  const text = (from: number, to: number): string =>
    g
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLen, 8)}`;
}

/** Internet checksum (RFC 1071) over [off, off+n): 0 when a header including its checksum is intact. */
export function internetChecksum(b: Uint8Array, off: number, n: number, initial = 0): number {
  let sum = initial;
  let i = off;
  const end = off + n;
  for (; i + 1 < end; i += 2) sum += ((b[i] as number) << 8) | (b[i + 1] as number);
  if (i < end) sum += (b[i] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
