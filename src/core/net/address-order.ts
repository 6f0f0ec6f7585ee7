/**
 * The order of addresses in a sorted packet list, as Wireshark's (epan/address.h cmp_address):
 * by address type first (none, then Ethernet, IPv4, IPv6, anything else), then by value: IPv4
 * `10.0.0.9` before `10.0.0.10` (by number, not as text), IPv6 by its 16 bytes, MACs by their 6.
 */

/** Address kinds in Wireshark's AT_* order. */
const NONE = 0;
const ETHER = 1;
const IPV4 = 2;
const IPV6 = 3;
const OTHER = 4;

/** The address as [kind, ...bytes] (text that is no address: [OTHER]). */
export function addressKey(text: string): number[] {
  if (text === '') return [NONE];
  const v4 = ipv4Bytes(text);
  if (v4) return [IPV4, ...v4];
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(text)) return [ETHER, ...text.split(':').map((h) => parseInt(h, 16))];
  const v6 = ipv6Bytes(text);
  if (v6) return [IPV6, ...v6];
  return [OTHER];
}

function ipv4Bytes(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? b : null;
}

/** RFC 4291 text (with `::` and a trailing dotted IPv4) as 16 bytes, or null. */
function ipv6Bytes(text: string): number[] | null {
  if (!text.includes(':') || text.length > 45) return null;
  let s = text;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4Bytes(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const g = part.split(':');
    return g.every((x) => /^[0-9a-f]{1,4}$/i.test(x)) ? g.map((x) => parseInt(x, 16)) : null;
  };
  const head = groups(halves[0] as string);
  const rest = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !rest) return null;
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Wireshark's address order; text that is no address sorts last, as text. */
export function compareAddresses(a: string, b: string): number {
  return compareKeys(addressKey(a), addressKey(b), a, b);
}

/** `texts` in Wireshark's address order (each parsed once). */
export function sortAddresses(texts: readonly string[]): string[] {
  const keyed = texts.map((t) => ({ t, k: addressKey(t) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k, a.t, b.t));
  return keyed.map((x) => x.t);
}

function compareKeys(x: readonly number[], y: readonly number[], a: string, b: string): number {
  for (let k = 0; k < Math.max(x.length, y.length); k++) {
    const d = (x[k] ?? -1) - (y[k] ?? -1);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
