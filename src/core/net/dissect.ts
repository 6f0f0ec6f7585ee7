/**
 * Entry points of packet decoding:
 *   dissectPacket  full decode of one packet (layers, fields with byte ranges, problems), on demand;
 *   classifyPacket the top protocol only, cheap enough to run on every packet while a capture
 *                  is read (statistics and the index must not pay for full dissection).
 * classifyPacket answers exactly what dissectPacket(...).protocol would: it handles the common
 * shapes itself and hands everything else (tunnels, MPLS, LLC, IPv6 extension headers, short or
 * malformed headers) to the full decoder.
 */
import { be16, be32, has, ipv4, ipv6, u8 } from './bytes';
import './dissectors';
import { UDP_PORT } from './dispatch';
import { IP_PROTOCOL_NAMES } from './ip';
import { LINKTYPE, dissectLink, linkTypeName } from './link';
import { Dissection, type PacketInfo } from './packet';

export function dissectPacket(bytes: Uint8Array, linkType: number, origLen: number): PacketInfo {
  const d = new Dissection(bytes, origLen);
  if (bytes.length < origLen) d.problem('truncated-frame', `frame truncated by the capture: ${bytes.length} of ${origLen} bytes captured`, bytes.length);
  try {
    dissectLink(d, linkType);
  } catch (err) {
    // Decoders are bounds-checked; this is the last line of defence, not a code path.
    d.problem('malformed', `decoder error: ${err instanceof Error ? err.message : String(err)}`, 0);
  }
  if (d.summary === '') d.summary = `${d.protocol}, ${bytes.length} bytes`;
  if (d.infoText === '') d.infoText = infoFromSummary(d.summary, d.src, d.dst);
  return d.info();
}

/**
 * The Info column of a packet whose dissector wrote none: its summary, less the `SRC > DST: ` head
 * that the Source and Destination columns already show.
 */
function infoFromSummary(summary: string, src: string | null, dst: string | null): string {
  if (src === null || dst === null) return summary;
  const head = `${src} > ${dst}: `;
  return summary.startsWith(head) ? summary.slice(head.length) : summary;
}

/** Protocol name for an IP protocol number whose payload the full decoder does not descend into. */
function ipProtocolName(proto: number, version: 4 | 6): string {
  return IP_PROTOCOL_NAMES[proto] ?? (version === 4 ? 'ipv4' : 'ipv6');
}

/** Payload shapes with a fixed minimum header whose protocol name is set before any length check. */
const DIRECT: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 89: 'ospf', 132: 'sctp' };

/** Where a frame's network layer starts, as linkPayload found it (one object, reused: no allocation per packet). */
const LINK = { type: -1, offset: 0 };

/**
 * The EtherType and offset of the network layer in b[start, end) for the common link types
 * (Ethernet with 802.1Q/802.1ad tags, Linux cooked SLL/SLL2, raw IP, BSD loopback), in LINK;
 * type -1 when it is not one of those shapes. False for link types the full decoder must see.
 */
function linkPayload(b: Uint8Array, start: number, end: number, linkType: number): boolean {
  let p = start;
  let type = -1;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (!has(end, p, 14)) break;
      type = be16(b, p + 12);
      p += 14;
      while ((type === 0x8100 || type === 0x88a8 || type === 0x9100) && has(end, p, 4)) {
        type = be16(b, p + 2);
        p += 4;
      }
      if (type === 0x8100 || type === 0x88a8 || type === 0x9100 || type < 0x0600) type = -1;
      break;
    }
    case LINKTYPE.LINUX_SLL:
      if (has(end, p, 16) && be16(b, p + 2) !== 824) type = be16(b, p + 14);
      p += 16;
      break;
    case LINKTYPE.LINUX_SLL2:
      if (has(end, p, 20) && be16(b, p + 8) !== 824) type = be16(b, p);
      p += 20;
      break;
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_BSD12:
    case LINKTYPE.RAW_BSD14:
      if (has(end, p, 1)) type = u8(b, p) >> 4 === 4 ? 0x0800 : u8(b, p) >> 4 === 6 ? 0x86dd : -1;
      break;
    case LINKTYPE.IPV4:
      type = 0x0800;
      break;
    case LINKTYPE.IPV6:
      type = 0x86dd;
      break;
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      if (has(end, p, 4)) {
        let af = be32(b, p);
        // The same byte-order guess as the full decoder (link.ts).
        if (linkType === LINKTYPE.NULL && (af & 0xffff0000) !== 0) af = (((af & 0xff) << 24) | ((af & 0xff00) << 8) | ((af >>> 8) & 0xff00) | (af >>> 24)) >>> 0;
        type = af === 2 ? 0x0800 : af === 10 || af === 24 || af === 28 || af === 30 ? 0x86dd : -1;
      }
      p += 4;
      break;
    default:
      return false;
  }
  LINK.type = type;
  LINK.offset = p;
  return true;
}

/**
 * Source and destination of a packet as the full decoder would give them (innermost IP
 * addresses), read straight from the IP header for the common shapes: an untunnelled IPv4
 * packet (no IP-in-IP, GRE, AH, UDP tunnel port) or IPv6 packet whose next header (after
 * hop-by-hop, destination options and routing headers) is TCP, UDP (no tunnel port) or ICMPv6. Null for every other packet: decode it in full. Agreement with
 * dissectPacket is tested on every fixture and corpus packet (test/unit/packet-columns.test.ts).
 * Sorting a million packets by address must not dissect each one.
 */
export function ipEndpoints(b: Uint8Array, start: number, end: number, linkType: number): { src: string; dst: string } | null {
  if (!linkPayload(b, start, end, linkType)) return null;
  const p = LINK.offset;
  if (LINK.type === 0x0800) {
    if (!has(end, p, 20)) return null;
    const vihl = u8(b, p);
    const hl = (vihl & 15) * 4;
    if (vihl >> 4 !== 4 || hl < 20 || !has(end, p, hl)) return null;
    const proto = u8(b, p + 9);
    if (proto === 4 || proto === 41 || proto === 47 || proto === 51 || proto === 59) return null;
    if (proto === 17 && (be16(b, p + 6) & 0x1fff) === 0 && udpTunnel(b, p + hl, end)) return null;
    return { src: ipv4(b, p + 12), dst: ipv4(b, p + 16) };
  }
  if (LINK.type === 0x86dd) {
    const plen = has(end, p, 40) ? be16(b, p + 4) : 0;
    if (plen === 0 || u8(b, p) >> 4 !== 6) return null;
    // Hop-by-hop, destination options and routing headers (MLD reports carry hop-by-hop), as classifyPacket walks them.
    let next = u8(b, p + 6);
    let q = p + 40;
    const limit = p + 40 + plen > end ? end : p + 40 + plen;
    for (let n = 0; (next === 0 || next === 60 || next === 43) && n < 16; n++) {
      if (!has(limit, q, 8)) return null;
      const len = (u8(b, q + 1) + 1) * 8;
      if (!has(limit, q, len)) return null;
      next = u8(b, q);
      q += len;
    }
    if (next !== 6 && next !== 58 && !(next === 17 && !udpTunnel(b, q, end))) return null;
    return { src: ipv6(b, p + 8), dst: ipv6(b, p + 24) };
  }
  return null;
}

/**
 * The top protocol of the packet whose first captured bytes are b[start, end). Returns one of
 * a small set of constant strings (no allocation on the common paths).
 */
export function classifyPacket(b: Uint8Array, start: number, end: number, linkType: number, origLen: number): string {
  if (!linkPayload(b, start, end, linkType)) return fallback(b, start, end, linkType, origLen);
  const type = LINK.type;
  const p = LINK.offset;
  if (type === 0x0800) {
    if (!has(end, p, 20)) return fallback(b, start, end, linkType, origLen);
    const vihl = u8(b, p);
    const hl = (vihl & 15) * 4;
    if (vihl >> 4 !== 4 || hl < 20 || !has(end, p, hl)) return fallback(b, start, end, linkType, origLen);
    const tl = be16(b, p + 2);
    if (tl !== 0 && tl < hl) return 'ipv4';
    if ((be16(b, p + 6) & 0x1fff) !== 0) return 'ipv4';
    const proto = u8(b, p + 9);
    if (proto === 17 && udpTunnel(b, p + hl, end)) return fallback(b, start, end, linkType, origLen);
    const direct = DIRECT[proto];
    if (direct !== undefined) return direct;
    if (proto === 4 || proto === 41 || proto === 47 || proto === 51 || proto === 59) return fallback(b, start, end, linkType, origLen);
    return ipProtocolName(proto, 4);
  }
  if (type === 0x86dd) {
    if (!has(end, p, 40) || u8(b, p) >> 4 !== 6) return fallback(b, start, end, linkType, origLen);
    let next = u8(b, p + 6);
    // Hop-by-hop, destination options and routing headers (MLD reports carry hop-by-hop): walk
    // them as the full decoder does, while every byte is there and the payload length allows.
    const plen = be16(b, p + 4);
    // Payload length 0: a jumbogram or an invalid header, the full decoder tells which.
    if (plen === 0) return fallback(b, start, end, linkType, origLen);
    let q = p + 40;
    const limit = plen === 0 || p + 40 + plen > end ? end : p + 40 + plen;
    for (let n = 0; (next === 0 || next === 60 || next === 43) && n < 16; n++) {
      if (!has(limit, q, 8)) return fallback(b, start, end, linkType, origLen);
      const len = (u8(b, q + 1) + 1) * 8;
      if (!has(limit, q, len)) return fallback(b, start, end, linkType, origLen);
      next = u8(b, q);
      q += len;
    }
    if (next === 17 && udpTunnel(b, q, end)) return fallback(b, start, end, linkType, origLen);
    const direct = DIRECT[next];
    if (direct !== undefined) return direct;
    return fallback(b, start, end, linkType, origLen);
  }
  if (type === 0x0806) return 'arp';
  if (type === 0x8035) return 'rarp';
  if (type === 0x88cc) return 'lldp';
  return fallback(b, start, end, linkType, origLen);
}

/** Whether the UDP header at `p` goes to a tunnel's port (overlay.ts): the inner packet names the protocol. */
function udpTunnel(b: Uint8Array, p: number, end: number): boolean {
  return has(end, p, 4) && (UDP_PORT.get(be16(b, p + 2)) !== undefined || UDP_PORT.get(be16(b, p)) !== undefined);
}

function fallback(b: Uint8Array, start: number, end: number, linkType: number, origLen: number): string {
  const name = dissectPacket(b.subarray(start, end), linkType, origLen).protocol;
  // Hand back the same string instance for names seen before so callers can cache by identity.
  return INTERNED.get(name) ?? intern(name);
}

const INTERNED = new Map<string, string>();
function intern(name: string): string {
  if (INTERNED.size < 4096) INTERNED.set(name, name);
  return name;
}

export { linkTypeName };
