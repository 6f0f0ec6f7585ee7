/**
 * What an unquoted value means: a number (decimal, 0x hex, a time with a unit), an IPv4/IPv6
 * address or CIDR block, a MAC address, or else a word. Quoted values are always strings.
 * Parsing is by hand over characters (no regular expression runs on the user's text).
 */

export type Value =
  | { readonly kind: 'number'; readonly n: number; readonly big: bigint | null; readonly hex: boolean }
  /** ns, exact (for `ts`): the literal had a unit, or is seconds. */
  | { readonly kind: 'time'; readonly ns: bigint; readonly unitGiven: boolean }
  | { readonly kind: 'ipv4'; readonly net: number; readonly prefix: number }
  | { readonly kind: 'ipv6'; readonly net: bigint; readonly prefix: number }
  | { readonly kind: 'string'; readonly s: string };

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isHexDigit = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const allOf = (s: string, ok: (c: string) => boolean): boolean => {
  for (const c of s) if (!ok(c)) return false;
  return s.length > 0;
};

/** Integer text (`-12`, `0x1f`, and bare hex when `bareHex`) as a bigint, else null. */
export function parseInteger(s: string, bareHex = false): bigint | null {
  let t = s;
  let neg = false;
  if (t.startsWith('-')) {
    neg = true;
    t = t.slice(1);
  }
  let v: bigint;
  if ((t.startsWith('0x') || t.startsWith('0X')) && allOf(t.slice(2), isHexDigit)) v = BigInt(t);
  else if (allOf(t, isDigit)) v = BigInt(t);
  else if (bareHex && allOf(t, isHexDigit) && t.length <= 32) v = BigInt(`0x${t}`);
  else return null;
  return neg ? -v : v;
}

/** A decimal with a fraction (`1.5`, `-0.25`) as a number, else null. */
function parseDecimal(s: string): number | null {
  const t = s.startsWith('-') ? s.slice(1) : s;
  const dot = t.indexOf('.');
  if (dot <= 0 || dot === t.length - 1 || !allOf(t.slice(0, dot), isDigit) || !allOf(t.slice(dot + 1), isDigit)) return null;
  return Number(s);
}

/** The literal as a number, if it is one. */
export function numberValue(text: string): Extract<Value, { kind: 'number' }> | null {
  const big = parseInteger(text);
  if (big !== null) return { kind: 'number', n: Number(big), big, hex: text.replace('-', '').toLowerCase().startsWith('0x') };
  const d = parseDecimal(text);
  return d === null ? null : { kind: 'number', n: d, big: null, hex: false };
}

const UNIT_NS: Readonly<Record<string, bigint>> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, ns: 1n };

/** `3320.148242`, `3320148ms`, `12us`, `5ns`: exact ns; seconds without a unit. Null if not a time. */
export function timeValue(text: string): Extract<Value, { kind: 'time' }> | null {
  let unit = 's';
  let num = text;
  for (const u of ['ms', 'us', 'ns', 's']) {
    if (text.endsWith(u)) {
      unit = u;
      num = text.slice(0, -u.length);
      break;
    }
  }
  const neg = num.startsWith('-');
  const t = neg ? num.slice(1) : num;
  const dot = t.indexOf('.');
  const whole = dot < 0 ? t : t.slice(0, dot);
  const frac = dot < 0 ? '' : t.slice(dot + 1);
  if (!allOf(whole, isDigit) || (dot >= 0 && !allOf(frac, isDigit))) return null;
  const scale = UNIT_NS[unit] ?? 1_000_000_000n;
  // Exact: whole * scale + frac digits scaled; digits finer than 1 ns are dropped (truncated).
  let ns = BigInt(whole) * scale;
  if (frac) {
    const digits = scale.toString().length - 1;
    const kept = frac.slice(0, digits).padEnd(digits, '0');
    if (kept) ns += BigInt(kept);
  }
  return { kind: 'time', ns: neg ? -ns : ns, unitGiven: num !== text };
}

/** Dotted quad to a uint32, else null. */
export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!allOf(p, isDigit) || p.length > 3) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

/** RFC 4291 text (with `::`, and a dotted quad at the end) to a 128-bit bigint, else null. */
export function parseIPv6(s: string): bigint | null {
  if (s.length > 45 || !s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k] ?? '';
      if (k === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!allOf(p, isHexDigit) || p.length > 4) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(g);
  return v;
}

export function ipv4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function ipv6Mask(prefix: number): bigint {
  return prefix === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefix)) - 1n);
}

/** Address or CIDR block; `error` says why a slash form is not one. */
export function addressValue(text: string): Extract<Value, { kind: 'ipv4' | 'ipv6' }> | { error: string } | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  const v4 = parseIPv4(addr);
  const v6 = v4 === null ? parseIPv6(addr) : null;
  if (v4 === null && v6 === null) return null;
  const max = v4 !== null ? 32 : 128;
  let prefix = max;
  if (prefixText !== null) {
    if (!allOf(prefixText, isDigit) || Number(prefixText) > max) return { error: `a prefix length 0-${max} after /` };
    prefix = Number(prefixText);
  }
  if (v4 !== null) return { kind: 'ipv4', net: (v4 & ipv4Mask(prefix)) >>> 0, prefix };
  return { kind: 'ipv6', net: (v6 as bigint) & ipv6Mask(prefix), prefix };
}

/** Six colon-separated pairs of hex digits (a MAC address): compared case-insensitively. */
export function isMac(text: string): boolean {
  const parts = text.split(':');
  return parts.length === 6 && parts.every((p) => p.length === 2 && allOf(p, isHexDigit));
}
