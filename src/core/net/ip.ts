/**
 * IPv4 (RFC 791: options, fragments, header checksum) and IPv6 (RFC 8200: extension headers),
 * registered under their EtherTypes; the payload goes to the dissector registered for its IP
 * protocol (ICMP, TCP, ... register themselves in dispatch.ts), tunnels and AH are here.
 *
 * Length rules, as Wireshark's expert info has them: when the IPv4 total length (or IPv6
 * payload length) claims more bytes than the frame holds and the frame was not cut by the
 * snaplen, that is `ip-length-exceeds` ("IPv4 total length exceeds packet length", seed 004).
 * A total length of 0 is TCP segmentation offload on the sending host (the NIC fills it in);
 * the captured bytes are used. Ethernet padding past the total length is not payload.
 */
import { be16, be32, has, ipv4, ipv6, u8 } from './bytes';
import { ETHERTYPE, IP_PROTO, MAX_TUNNEL_DEPTH, type IpContext, type IpPayloadDissector } from './dispatch';
import { dissectEtherType, dissectEthernet } from './link';
import { hex16, type Dissection } from './packet';


export const IP_PROTOCOL_NAMES: Record<number, string> = {
  0: 'hopopt',
  1: 'icmp',
  2: 'igmp',
  4: 'ipip',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  43: 'ipv6-route',
  44: 'ipv6-frag',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'icmpv6',
  59: 'ipv6-nonxt',
  60: 'ipv6-opts',
  89: 'ospf',
  103: 'pim',
  112: 'vrrp',
  132: 'sctp',
};

const IPV4_OPTION_NAMES: Record<number, string> = {
  0: 'EOL',
  1: 'NOP',
  7: 'RR',
  68: 'TS',
  130: 'SEC',
  131: 'LSRR',
  136: 'SID',
  137: 'SSRR',
  148: 'RA',
};

function onesSum(b: Uint8Array, off: number, end: number, sum: number): number {
  for (let i = off; i + 1 < end; i += 2) sum += ((b[i] as number) << 8) | (b[i + 1] as number);
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function dissectIpv4(d: Dissection, off: number, end: number): void {
  if (d.protocol === 'unknown' || d.depth === 0) d.protocol = 'ipv4';
  if (!has(end, off, 20)) return d.short('IPv4 header', off, 20, end);
  const b = d.b;
  const vihl = u8(b, off);
  const version = vihl >> 4;
  const hl = (vihl & 0x0f) * 4;
  const l = d.layer('ip', off, Math.min(Math.max(hl, 20), end - off));
  d.field(l, 'ip.version', version, off, 1);
  d.field(l, 'ip.hdr_len', hl, off, 1);
  if (version !== 4) {
    d.problem('malformed', `IPv4 header with version ${version}`, off);
    d.summary = `IP version ${version} in an IPv4 frame`;
    return;
  }
  if (hl < 20) {
    d.problem('malformed', `IPv4 header length ${hl} is less than 20`, off);
    d.summary = `bogus IPv4 header length ${hl}`;
    return;
  }
  const tos = u8(b, off + 1);
  const totalLength = be16(b, off + 2);
  const id = be16(b, off + 4);
  const flagsFrag = be16(b, off + 6);
  const ttl = u8(b, off + 8);
  const proto = u8(b, off + 9);
  const checksum = be16(b, off + 10);
  const src = ipv4(b, off + 12);
  const dst = ipv4(b, off + 16);
  d.field(l, 'ip.dsfield', `0x${tos.toString(16).padStart(2, '0')}`, off + 1, 1);
  d.field(l, 'ip.len', totalLength, off + 2, 2);
  d.field(l, 'ip.id', hex16(id), off + 4, 2);
  d.field(l, 'ip.flags', `0x${(flagsFrag >> 13).toString(16)}`, off + 6, 1);
  d.field(l, 'ip.flags.df', (flagsFrag >> 14) & 1, off + 6, 1);
  d.field(l, 'ip.flags.mf', (flagsFrag >> 13) & 1, off + 6, 1);
  const fragOffset = (flagsFrag & 0x1fff) * 8;
  // The raw 13-bit value, in 8-byte units (as Wireshark's ip.frag_offset); the summary says bytes.
  d.field(l, 'ip.frag_offset', flagsFrag & 0x1fff, off + 6, 2);
  d.field(l, 'ip.ttl', ttl, off + 8, 1);
  d.field(l, 'ip.proto', proto, off + 9, 1);
  d.field(l, 'ip.checksum', hex16(checksum), off + 10, 2);
  d.field(l, 'ip.src', src, off + 12, 4);
  d.field(l, 'ip.dst', dst, off + 16, 4);
  // The innermost IP header names the flow (Wireshark's Source/Destination columns): a packet
  // in a tunnel (IP in IP, GRE, VXLAN, Geneve, GTP-U) is about its inner addresses.
  d.src = src;
  d.dst = dst;
  if (d.ipProto === null) d.ipProto = proto;
  if (!has(end, off, hl)) return d.short('IPv4 options', off, hl, end);
  if (fold(onesSum(b, off, off + hl, 0)) !== 0) {
    const good = fold(onesSum(b, off + 12, off + hl, onesSum(b, off, off + 10, 0)));
    d.problem('bad-checksum', `bad IPv4 header checksum ${hex16(checksum)} (should be ${hex16(good)})`, off + 10);
  }
  ipv4Options(d, l, off + 20, off + hl);

  const available = end - off;
  let payloadEnd = end;
  if (totalLength === 0) {
    // TSO: the NIC fills the length in after the capture point.
  } else if (totalLength < hl) {
    d.problem('malformed', `IPv4 total length ${totalLength} is less than the header length ${hl}`, off + 2);
    d.summary = `${src} > ${dst}: bogus IPv4 total length ${totalLength} < header length ${hl}`;
    return;
  } else if (totalLength > available) {
    if (!d.snapTruncated) d.problem('ip-length-exceeds', `IPv4 total length exceeds packet length (${totalLength} > ${available} bytes)`, off + 2);
  } else {
    payloadEnd = off + totalLength;
  }
  const mf = (flagsFrag >> 13) & 1;
  const ctx: IpContext = { version: 4, src, dst, payloadLength: totalLength === 0 ? available - hl : totalLength - hl, hopLimit: ttl };
  if (fragOffset > 0) {
    d.protocol = 'ipv4';
    d.summary = `${src} > ${dst}: fragment id ${id}, offset ${fragOffset}${mf ? '+' : ''}, proto ${IP_PROTOCOL_NAMES[proto] ?? proto}, length ${totalLength}`;
    return;
  }
  dissectIpPayload(d, proto, off + hl, payloadEnd, ctx);
  if (mf) d.summary += ` (first fragment, id ${id})`;
}

function ipv4Options(d: Dissection, l: ReturnType<Dissection['layer']>, off: number, end: number): void {
  const b = d.b;
  let p = off;
  while (p < end) {
    const type = u8(b, p);
    if (type === 0) {
      d.field(l, 'ip.opt.type', 'EOL', p, 1);
      break;
    }
    if (type === 1) {
      d.field(l, 'ip.opt.type', 'NOP', p, 1);
      p++;
      continue;
    }
    if (!has(end, p, 2)) {
      d.problem('malformed', 'IPv4 option without a length byte', p);
      break;
    }
    const len = u8(b, p + 1);
    if (len < 2 || !has(end, p, len)) {
      d.problem('malformed', `IPv4 option ${type} with bad length ${len}`, p);
      break;
    }
    d.field(l, 'ip.opt.type', IPV4_OPTION_NAMES[type] ?? String(type), p, len);
    p += len;
  }
}

const IPV6_EXTENSIONS = new Set([0, 43, 44, 60, 51, 135, 139, 140]);

export function dissectIpv6(d: Dissection, off: number, end: number): void {
  if (d.protocol === 'unknown' || d.depth === 0) d.protocol = 'ipv6';
  if (!has(end, off, 40)) return d.short('IPv6 header', off, 40, end);
  const b = d.b;
  const l = d.layer('ipv6', off, 40);
  const w = be32(b, off);
  const version = w >>> 28;
  d.field(l, 'ipv6.version', version, off, 1);
  // Wireshark also files the version under ip.version for IPv6.
  d.field(l, 'ip.version', version, off, 1);
  if (version !== 6) {
    d.problem('malformed', `IPv6 header with version ${version}`, off);
    d.summary = `IP version ${version} in an IPv6 frame`;
    return;
  }
  const plen = be16(b, off + 4);
  let next = u8(b, off + 6);
  const src = ipv6(b, off + 8);
  const dst = ipv6(b, off + 24);
  d.field(l, 'ipv6.tclass', `0x${((w >>> 20) & 0xff).toString(16).padStart(2, '0')}`, off, 2);
  d.field(l, 'ipv6.flow', `0x${(w & 0xfffff).toString(16).padStart(5, '0')}`, off + 1, 3);
  d.field(l, 'ipv6.plen', plen, off + 4, 2);
  d.field(l, 'ipv6.nxt', next, off + 6, 1);
  d.field(l, 'ipv6.hlim', u8(b, off + 7), off + 7, 1);
  d.field(l, 'ipv6.src', src, off + 8, 16);
  d.field(l, 'ipv6.dst', dst, off + 24, 16);
  d.src = src;
  d.dst = dst;
  const available = end - off - 40;
  let payloadEnd = end;
  if (plen === 0) {
    // RFC 2675: 0 is only valid in a jumbogram, whose hop-by-hop header carries the length.
    const jumbo = jumboLength(d, next, off + 40, end);
    if (jumbo === null) {
      d.problem('malformed', 'IPv6 payload length 0 without a Jumbo Payload option (RFC 2675): invalid; the payload is not decoded', off + 4);
      d.summary = `${src} > ${dst}: [IPv6 payload length 0, no Jumbo Payload option]`;
      if (d.ipProto === null) d.ipProto = next;
      return;
    }
    if (jumbo > available) {
      if (!d.snapTruncated) d.problem('ip-length-exceeds', `IPv6 jumbo payload length exceeds framing length (${jumbo} > ${available} bytes)`, off + 40);
    } else payloadEnd = off + 40 + jumbo;
  } else if (plen > available) {
    if (!d.snapTruncated) d.problem('ip-length-exceeds', `IPv6 payload length exceeds framing length (${plen} > ${available} bytes)`, off + 4);
  } else {
    payloadEnd = off + 40 + plen;
  }
  let p = off + 40;
  for (let n = 0; n < 16 && IPV6_EXTENSIONS.has(next); n++) {
    if (!has(payloadEnd, p, 8)) return d.short('IPv6 extension header', p, 8, payloadEnd);
    const hdrNext = u8(b, p);
    const len = next === 44 ? 8 : next === 51 ? (u8(b, p + 1) + 2) * 4 : (u8(b, p + 1) + 1) * 8;
    const name = next === 0 ? 'hopopts' : next === 43 ? 'routing' : next === 44 ? 'fraghdr' : next === 60 ? 'dstopts' : next === 51 ? 'ah' : `ext${next}`;
    const e = d.layer(next === 51 ? 'ah' : `ipv6.${name}`, p, Math.min(len, payloadEnd - p));
    d.field(e, `ipv6.${name}.nxt`, hdrNext, p, 1);
    d.field(e, `ipv6.${name}.len`, len, p + 1, 1);
    if (!has(payloadEnd, p, len)) return d.short(`IPv6 ${name} header`, p, len, payloadEnd);
    if (next === 44) {
      const fo = be16(b, p + 2);
      const offset = fo & 0xfff8;
      d.field(e, 'ipv6.fragment.offset', offset, p + 2, 2);
      d.field(e, 'ipv6.fragment.more', fo & 1, p + 3, 1);
      d.field(e, 'ipv6.fragment.id', `0x${be32(b, p + 4).toString(16).padStart(8, '0')}`, p + 4, 4);
      if (offset > 0) {
        if (d.ipProto === null) d.ipProto = hdrNext;
        d.summary = `${src} > ${dst}: fragment offset ${offset}${fo & 1 ? '+' : ''}, next header ${hdrNext}`;
        return;
      }
    }
    next = hdrNext;
    p += len;
  }
  if (d.ipProto === null) d.ipProto = next;
  dissectIpPayload(d, next, p, payloadEnd, { version: 6, src, dst, payloadLength: payloadEnd - p, hopLimit: u8(b, off + 7) });
}

/**
 * The Jumbo Payload option (type 0xC2, RFC 2675) of a hop-by-hop header at `p` (next header
 * `next` must be 0): its 32-bit payload length, or null when there is none.
 */
function jumboLength(d: Dissection, next: number, p: number, end: number): number | null {
  if (next !== 0 || !has(end, p, 8)) return null;
  const len = (u8(d.b, p + 1) + 1) * 8;
  const stop = Math.min(end, p + len);
  for (let q = p + 2; q < stop; ) {
    const type = u8(d.b, q);
    if (type === 0) {
      q++;
      continue;
    }
    if (!has(stop, q, 2)) return null;
    const optLen = u8(d.b, q + 1);
    if (type === 0xc2 && optLen === 4 && has(stop, q, 6)) return be32(d.b, q + 2);
    q += 2 + optLen;
  }
  return null;
}

function dissectIpPayload(d: Dissection, proto: number, off: number, end: number, ip: IpContext): void {
  const child = IP_PROTO.get(proto);
  if (child) return child(d, off, end, ip);
  undissectedPayload(d, proto, off, end, ip);
}

/** A payload no dissector takes: named by its protocol number. */
function undissectedPayload(d: Dissection, proto: number, off: number, end: number, ip: IpContext): void {
  const name = IP_PROTOCOL_NAMES[proto];
  d.protocol = name ?? (ip.version === 4 ? 'ipv4' : 'ipv6');
  d.summary = `${ip.src} > ${ip.dst}: ${name ? name.toUpperCase() : `ip-proto-${proto}`}, length ${Math.max(0, end - off)}`;
}

/** IPv4 AH (RFC 4302): skip it and go on with what it protects. */
function dissectAh(d: Dissection, off: number, end: number, ip: IpContext): void {
  if (!has(end, off, 12)) return d.short('AH header', off, 12, end);
  const next = u8(d.b, off);
  const len = (u8(d.b, off + 1) + 2) * 4;
  const l = d.layer('ah', off, Math.min(len, end - off));
  d.field(l, 'ah.next_header', next, off, 1);
  d.field(l, 'ah.spi', `0x${be32(d.b, off + 4).toString(16).padStart(8, '0')}`, off + 4, 4);
  d.field(l, 'ah.sequence', be32(d.b, off + 8), off + 8, 4);
  d.protocol = 'ah';
  d.summary = `${ip.src} > ${ip.dst}: AH`;
  if (!has(end, off, len) || d.depth >= MAX_TUNNEL_DEPTH) return;
  d.depth++;
  dissectIpPayload(d, next, off + len, end, ip);
}

/**
 * GRE (RFC 2784/2890): flags say which optional words follow; the payload is an EtherType.
 * Version 1 is PPTP's enhanced GRE (RFC 2637): key (payload length, call id) always there, an
 * optional sequence and acknowledgment number (A flag 0x0080), PPP inside (0x880b).
 */
function dissectGre(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'gre';
  if (!has(end, off, 4)) return d.short('GRE header', off, 4, end);
  const flags = be16(d.b, off);
  const type = be16(d.b, off + 2);
  const version = flags & 7;
  const len =
    version === 1
      ? 8 + (flags & 0x1000 ? 4 : 0) + (flags & 0x0080 ? 4 : 0)
      : 4 + (flags & 0x8000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) + (flags & 0x1000 ? 4 : 0);
  const l = d.layer('gre', off, Math.min(len, end - off));
  d.field(l, 'gre.flags_and_version', hex16(flags), off, 2);
  d.field(l, 'gre.proto', hex16(type), off + 2, 2);
  d.summary = `${ip.src} > ${ip.dst}: GRE${version === 1 ? 'v1' : ''}, proto ${hex16(type)}`;
  if (version > 1 || !has(end, off, len) || d.depth >= MAX_TUNNEL_DEPTH) return;
  if (version === 1) d.field(l, 'gre.call_id', be16(d.b, off + 6), off + 6, 2);
  d.depth++;
  if (type === 0x6558) {
    // Transparent Ethernet bridging.
    return dissectEthernet(d, off + len, end);
  }
  dissectEtherType(d, type, off + len, end);
}

/** IP in IP (protocol 4 and 41): the inner header, up to MAX_TUNNEL_DEPTH deep. */
function ipInIp(proto: 4 | 41): IpPayloadDissector {
  return (d, off, end, ip) => {
    if (d.depth >= MAX_TUNNEL_DEPTH) return undissectedPayload(d, proto, off, end, ip);
    d.depth++;
    return proto === 4 ? dissectIpv4(d, off, end) : dissectIpv6(d, off, end);
  };
}

ETHERTYPE.add(0x0800, (d, _type, off, end) => dissectIpv4(d, off, end));
ETHERTYPE.add(0x86dd, (d, _type, off, end) => dissectIpv6(d, off, end));
IP_PROTO.add(4, ipInIp(4));
IP_PROTO.add(41, ipInIp(41));
IP_PROTO.add(47, dissectGre);
IP_PROTO.add(51, dissectAh);
IP_PROTO.add(59, (d, _off, _end, ip) => {
  d.summary = `${ip.src} > ${ip.dst}: no next header`;
});
