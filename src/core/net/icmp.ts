/** ICMP (RFC 792) and ICMPv6 (RFC 4443, Neighbor Discovery RFC 4861, MLD RFC 2710/3810). */
import { be16, be32, has, ipv4, ipv6, u8 } from './bytes';
import { IP_PROTO, type IpContext } from './dispatch';
import { hex16, type Dissection } from './packet';

const ICMP_TYPES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  4: 'source quench',
  5: 'redirect',
  8: 'echo request',
  9: 'router advertisement',
  10: 'router solicitation',
  11: 'time exceeded',
  12: 'parameter problem',
  13: 'time stamp request',
  14: 'time stamp reply',
  15: 'information request',
  16: 'information reply',
  17: 'address mask request',
  18: 'address mask reply',
};

const UNREACH: Record<number, string> = {
  0: 'net unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
  9: 'net prohibited',
  10: 'host prohibited',
  13: 'communication prohibited',
};

const ICMPV6_TYPES: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'multicast listener report',
  132: 'multicast listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  143: 'multicast listener report v2',
};

function checksumOk(b: Uint8Array, off: number, end: number, initial: number): boolean {
  let sum = initial;
  let i = off;
  for (; i + 1 < end; i += 2) sum += ((b[i] as number) << 8) | (b[i + 1] as number);
  if (i < end) sum += (b[i] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/**
 * The datagram an ICMP error quotes: its IP header and the first bytes of its transport header,
 * as layers of their own (Wireshark's field names, so the outer header's fields come first).
 * Returns the summary suffix ` (about SRC.PORT > DST.PORT PROTO)`, or '' when too little is quoted.
 */
function quoted(d: Dissection, q: number, end: number, version: 4 | 6): string {
  const b = d.b;
  let src: string;
  let dst: string;
  let proto: number;
  let t: number;
  if (version === 4) {
    if (!has(end, q, 20) || u8(b, q) >> 4 !== 4) return '';
    const hl = (u8(b, q) & 15) * 4;
    if (hl < 20) return '';
    src = ipv4(b, q + 12);
    dst = ipv4(b, q + 16);
    proto = u8(b, q + 9);
    const l = d.layer('ip', q, Math.min(hl, end - q));
    d.field(l, 'ip.version', 4, q, 1);
    d.field(l, 'ip.hdr_len', hl, q, 1);
    d.field(l, 'ip.len', be16(b, q + 2), q + 2, 2);
    d.field(l, 'ip.id', hex16(be16(b, q + 4)), q + 4, 2);
    d.field(l, 'ip.ttl', u8(b, q + 8), q + 8, 1);
    d.field(l, 'ip.proto', proto, q + 9, 1);
    d.field(l, 'ip.checksum', hex16(be16(b, q + 10)), q + 10, 2);
    d.field(l, 'ip.src', src, q + 12, 4);
    d.field(l, 'ip.dst', dst, q + 16, 4);
    t = q + hl;
  } else {
    if (!has(end, q, 40) || u8(b, q) >> 4 !== 6) return '';
    src = ipv6(b, q + 8);
    dst = ipv6(b, q + 24);
    proto = u8(b, q + 6);
    const l = d.layer('ipv6', q, 40);
    d.field(l, 'ipv6.plen', be16(b, q + 4), q + 4, 2);
    d.field(l, 'ipv6.nxt', proto, q + 6, 1);
    d.field(l, 'ipv6.src', src, q + 8, 16);
    d.field(l, 'ipv6.dst', dst, q + 24, 16);
    t = q + 40;
  }
  if ((proto === 6 || proto === 17) && has(end, t, proto === 6 ? 8 : 4)) {
    const name = proto === 6 ? 'tcp' : 'udp';
    const l = d.layer(name, t, Math.min(8, end - t));
    const sp = be16(b, t);
    const dp = be16(b, t + 2);
    d.field(l, `${name}.srcport`, sp, t, 2);
    d.field(l, `${name}.dstport`, dp, t + 2, 2);
    if (proto === 17 && has(end, t, 6)) d.field(l, 'udp.length', be16(b, t + 4), t + 4, 2);
    if (proto === 6) d.field(l, 'tcp.seq_raw', be32(b, t + 4), t + 4, 4);
    return ` (about ${src}.${sp} > ${dst}.${dp} ${name.toUpperCase()})`;
  }
  return ` (about ${src} > ${dst} proto ${proto})`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The Info column of an ICMP/ICMPv6 message, in Wireshark's manner: `Echo (ping) request id=0x0a5c,
 * seq=1/256, ttl=64` (seq big- and little-endian, as Wireshark shows both), or the type with its code.
 */
function icmpInfo(name: string, code: string | null, id: number | null, seq: number | null, hops: string, version: 4 | 6): string {
  if (id !== null && seq !== null) {
    const le = ((seq & 0xff) << 8) | (seq >> 8);
    return `${name} id=0x${id.toString(16).padStart(4, '0')}, seq=${version === 4 ? `${seq}/${le}` : seq}, ${hops}`;
  }
  return code === null ? name : `${name} (${code})`;
}

export function dissectIcmp(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'icmp';
  if (!has(end, off, 4)) return d.short('ICMP header', off, 4, end);
  const b = d.b;
  const type = u8(b, off);
  const code = u8(b, off + 1);
  const checksum = be16(b, off + 2);
  const l = d.layer('icmp', off, end - off);
  d.field(l, 'icmp.type', type, off, 1);
  d.field(l, 'icmp.code', code, off + 1, 1);
  d.field(l, 'icmp.checksum', hex16(checksum), off + 2, 2);
  const length = ip.payloadLength;
  // Verify only when the whole message was captured (not cut by the snaplen, not a fragment).
  if (end - off === length && !checksumOk(b, off, end, 0)) d.problem('bad-checksum', `bad ICMP checksum ${hex16(checksum)}`, off + 2);
  const name = ICMP_TYPES[type] ?? `type ${type}`;
  let text = `ICMP ${name}`;
  let id: number | null = null;
  let seq: number | null = null;
  if (type === 0 || type === 8 || type === 13 || type === 14 || type === 15 || type === 16 || type === 17 || type === 18) {
    if (!has(end, off, 8)) return d.short('ICMP echo header', off, 8, end);
    id = be16(b, off + 4);
    seq = be16(b, off + 6);
    d.field(l, 'icmp.ident', id, off + 4, 2);
    d.field(l, 'icmp.seq', seq, off + 6, 2);
    text += `, id ${id}, seq ${seq}`;
  } else if (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) {
    if (type === 3) text = `ICMP ${UNREACH[code] ?? `unreachable code ${code}`}`;
    if (type === 5 && has(end, off, 8)) d.field(l, 'icmp.redir_gw', ipv4(b, off + 4), off + 4, 4);
    // The quoted datagram: its IP header (and first transport bytes) say which packet this is about.
    text += quoted(d, off + 8, end, 4);
  } else if (code !== 0) {
    text += `, code ${code}`;
  }
  d.icmp = { version: 4, type, code, id, seq, echoRequest: type === 8 ? true : type === 0 ? false : null };
  d.summary = `${ip.src} > ${ip.dst}: ${text}, length ${length}`;
  d.infoText = icmpInfo(type === 8 || type === 0 ? `Echo (ping) ${type === 8 ? 'request' : 'reply'}` : capital(ICMP_TYPES[type] ?? `Type ${type}`), type === 3 ? UNREACH[code] ?? `code ${code}` : code !== 0 ? `code ${code}` : null, id, seq, `ttl=${ip.hopLimit}`, 4);
}

export function dissectIcmpv6(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'icmpv6';
  if (!has(end, off, 4)) return d.short('ICMPv6 header', off, 4, end);
  const b = d.b;
  const type = u8(b, off);
  const code = u8(b, off + 1);
  const l = d.layer('icmpv6', off, end - off);
  d.field(l, 'icmpv6.type', type, off, 1);
  d.field(l, 'icmpv6.code', code, off + 1, 1);
  d.field(l, 'icmpv6.checksum', hex16(be16(b, off + 2)), off + 2, 2);
  let text = `ICMP6, ${ICMPV6_TYPES[type] ?? `type ${type}`}`;
  let target: string | null = null;
  if (type >= 1 && type <= 4) text += quoted(d, off + 8, end, 6);
  let id: number | null = null;
  let seq: number | null = null;
  if (type === 128 || type === 129) {
    if (!has(end, off, 8)) return d.short('ICMPv6 echo header', off, 8, end);
    id = be16(b, off + 4);
    seq = be16(b, off + 6);
    d.field(l, 'icmpv6.echo.identifier', id, off + 4, 2);
    d.field(l, 'icmpv6.echo.sequence_number', seq, off + 6, 2);
    text += `, id ${id}, seq ${seq}`;
  } else if ((type === 135 || type === 136 || type === 137) && has(end, off, 24)) {
    target = ipv6(b, off + 8);
    d.field(l, 'icmpv6.nd.target', target, off + 8, 16);
    text += type === 135 ? `, who has ${target}` : type === 136 ? `, tgt is ${target}` : `, target ${target}`;
  } else if ((type === 130 || type === 131 || type === 132) && has(end, off, 24)) {
    const group = ipv6(b, off + 8);
    d.field(l, 'icmpv6.mld.multicast_address', group, off + 8, 16);
    if (group !== '::') text += ` ${group}`;
  }
  d.icmp = { version: 6, type, code, id, seq, echoRequest: type === 128 ? true : type === 129 ? false : null };
  d.summary = `${ip.src} > ${ip.dst}: ${text}, length ${ip.payloadLength}`;
  const name = type === 128 || type === 129 ? `Echo (ping) ${type === 128 ? 'request' : 'reply'}` : capital(ICMPV6_TYPES[type] ?? `Type ${type}`);
  d.infoText = icmpInfo(target === null ? name : `${name} ${type === 135 ? 'for ' : ''}${target}`, code !== 0 ? `code ${code}` : null, id, seq, `hop limit=${ip.hopLimit}`, 6);
}

IP_PROTO.add(1, dissectIcmp);
IP_PROTO.add(58, dissectIcmpv6);
