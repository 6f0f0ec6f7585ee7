/**
 * Overlay tunnels on UDP, by their IANA ports (Wireshark's defaults): the inner frame or packet
 * is decoded in place, so the packet's flow (addresses, ports, ICMP echo) is the inner one and
 * the layer tree holds both the underlay and the overlay.
 *   VXLAN      UDP 4789, RFC 7348 (8-byte header: flags with I = 0x08, 24-bit VNI), inner Ethernet
 *   Geneve     UDP 6081, RFC 8926 (version, option length in 4-byte words, O/C flags, protocol
 *              type = an EtherType, 0x6558 for Ethernet; 24-bit VNI; options)
 *   GTP-U      UDP 2152, 3GPP TS 29.281 (flags: version 1, PT, E/S/PN; message type 255 = G-PDU;
 *              length; TEID; with E/S/PN a sequence number, N-PDU number and extension header
 *              chain), inner IPv4/IPv6 by the version nibble
 *   MPLS/UDP   UDP 6635, RFC 7510: a label stack, then IP
 * GRE (IP protocol 47) is in ip.ts. Field names are Wireshark's.
 */
import { be16, be32, has, u8 } from './bytes';
import { UDP_PORT, type IpContext } from './dispatch';
import { dissectEtherType, dissectEthernet } from './link';
import { hex16, type Dissection } from './packet';

/** Keeps the inner summary and says the tunnel it came through: `… [VXLAN vni 42, 10.0.0.1 > 10.0.0.2]`. */
function tunnelled(d: Dissection, what: string, outer: IpContext): void {
  d.summary = d.summary === '' ? `${outer.src} > ${outer.dst}: ${what}` : `${d.summary} [${what}, ${outer.src} > ${outer.dst}]`;
}

/** Decodes the inner bytes as an Ethernet frame or an EtherType payload. */
function inner(d: Dissection, etherType: number, off: number, end: number): void {
  d.summary = '';
  // The Info column is the inner packet's, as Wireshark's (the tunnel's UDP ports are not the flow).
  d.infoText = '';
  if (etherType === 0x6558) dissectEthernet(d, off, end);
  else dissectEtherType(d, etherType, off, end);
}

function dissectVxlan(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'vxlan';
  if (!has(end, off, 8)) return d.short('VXLAN header', off, 8, end);
  const b = d.b;
  const flags = be16(b, off);
  const vni = be32(b, off + 4) >>> 8;
  const l = d.layer('vxlan', off, 8);
  d.field(l, 'vxlan.flags', hex16(flags), off, 2);
  d.field(l, 'vxlan.flag_i', (flags >> 11) & 1, off, 2);
  d.field(l, 'vxlan.vni', vni, off + 4, 3);
  d.field(l, 'vxlan.reserved8', u8(b, off + 7), off + 7, 1);
  const what = `VXLAN vni ${vni}`;
  if ((flags & 0x0800) === 0) d.problem('malformed', 'VXLAN header without the I flag (the VNI is not valid)', off);
  inner(d, 0x6558, off + 8, end);
  tunnelled(d, what, ip);
}

function dissectGeneve(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'geneve';
  if (!has(end, off, 8)) return d.short('Geneve header', off, 8, end);
  const b = d.b;
  const version = u8(b, off) >> 6;
  const optLen = (u8(b, off) & 0x3f) * 4;
  const flags = u8(b, off + 1);
  const proto = be16(b, off + 2);
  const vni = be32(b, off + 4) >>> 8;
  const l = d.layer('geneve', off, Math.min(8 + optLen, end - off));
  d.field(l, 'geneve.version', version, off, 1);
  d.field(l, 'geneve.option.length', optLen, off, 1);
  d.field(l, 'geneve.flags', `0x${flags.toString(16).padStart(2, '0')}`, off + 1, 1);
  d.field(l, 'geneve.flags.oam', (flags >> 7) & 1, off + 1, 1);
  d.field(l, 'geneve.flags.critical', (flags >> 6) & 1, off + 1, 1);
  d.field(l, 'geneve.proto_type', hex16(proto), off + 2, 2);
  d.field(l, 'geneve.vni', `0x${vni.toString(16).padStart(6, '0')}`, off + 4, 3);
  const what = `Geneve vni ${vni}`;
  if (version !== 0) {
    d.problem('malformed', `Geneve version ${version} (only 0 is defined)`, off);
    return tunnelled(d, what, ip);
  }
  // Options: class (2), type (1), 3 reserved bits + length in 4-byte words (5 bits), data.
  const optEnd = off + 8 + optLen;
  if (!has(end, off, 8 + optLen)) return d.short('Geneve options', off + 8, optLen, end);
  for (let p = off + 8, n = 0; p + 4 <= optEnd && n < 64; n++) {
    const len = 4 + (u8(b, p + 3) & 0x1f) * 4;
    if (p + len > optEnd) {
      d.problem('malformed', `Geneve option of ${len} bytes runs past the options (${optEnd - p} left)`, p);
      break;
    }
    const o = d.layer('geneve.option', p, len);
    d.field(o, 'geneve.option.class', hex16(be16(b, p)), p, 2);
    d.field(o, 'geneve.option.type', `0x${u8(b, p + 2).toString(16).padStart(2, '0')}`, p + 2, 1);
    d.field(o, 'geneve.option.length', len, p + 3, 1);
    p += len;
  }
  inner(d, proto, optEnd, end);
  tunnelled(d, what, ip);
}

function dissectGtpU(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'gtp';
  if (!has(end, off, 8)) return d.short('GTP header', off, 8, end);
  const b = d.b;
  const flags = u8(b, off);
  const version = flags >> 5;
  const type = u8(b, off + 1);
  const length = be16(b, off + 2);
  const teid = be32(b, off + 4);
  const l = d.layer('gtp', off, 8);
  d.field(l, 'gtp.flags', `0x${flags.toString(16).padStart(2, '0')}`, off, 1);
  d.field(l, 'gtp.flags.version', version, off, 1);
  d.field(l, 'gtp.flags.payload', (flags >> 4) & 1, off, 1);
  d.field(l, 'gtp.flags.e', (flags >> 2) & 1, off, 1);
  d.field(l, 'gtp.flags.s', (flags >> 1) & 1, off, 1);
  d.field(l, 'gtp.flags.pn', flags & 1, off, 1);
  d.field(l, 'gtp.message', `0x${type.toString(16).padStart(2, '0')}`, off + 1, 1);
  d.field(l, 'gtp.length', length, off + 2, 2);
  d.field(l, 'gtp.teid', `0x${teid.toString(16).padStart(8, '0')}`, off + 4, 4);
  const what = `GTP-U teid 0x${teid.toString(16).padStart(8, '0')}`;
  if (version !== 1) {
    d.problem('malformed', `GTP version ${version} on the GTP-U port (expected 1)`, off);
    return tunnelled(d, what, ip);
  }
  // The length counts the bytes after the mandatory 8-byte header.
  const pduEnd = Math.min(end, off + 8 + length);
  let p = off + 8;
  if (flags & 0x07) {
    if (!has(pduEnd, p, 4)) return d.short('GTP optional fields', p, 4, pduEnd);
    l.length += 4;
    d.field(l, 'gtp.seq_number', hex16(be16(b, p)), p, 2);
    d.field(l, 'gtp.npdu_number', u8(b, p + 2), p + 2, 1);
    let next = u8(b, p + 3);
    d.field(l, 'gtp.ext_hdr.next', `0x${next.toString(16).padStart(2, '0')}`, p + 3, 1);
    p += 4;
    // Extension headers: a length in 4-byte units, contents, and the next type in the last byte.
    for (let n = 0; next !== 0 && (flags & 0x04) !== 0 && n < 16; n++) {
      if (!has(pduEnd, p, 1)) return d.short('GTP extension header', p, 1, pduEnd);
      const len = u8(b, p) * 4;
      if (len === 0 || !has(pduEnd, p, len)) {
        d.problem('malformed', `GTP extension header of ${len} bytes (${pduEnd - p} left)`, p);
        return tunnelled(d, what, ip);
      }
      const e = d.layer('gtp.ext_hdr', p, len);
      d.field(e, 'gtp.ext_hdr.length', len / 4, p, 1);
      next = u8(b, p + len - 1);
      d.field(e, 'gtp.ext_hdr.next', `0x${next.toString(16).padStart(2, '0')}`, p + len - 1, 1);
      p += len;
    }
  }
  // Only a G-PDU carries a user packet; signalling messages (echo, error indication) do not.
  if (type !== 0xff || !has(pduEnd, p, 1)) {
    d.summary = `${ip.src} > ${ip.dst}: GTP-U message ${type}, teid 0x${teid.toString(16).padStart(8, '0')}`;
    return;
  }
  const v = u8(b, p) >> 4;
  if (v !== 4 && v !== 6) {
    d.summary = `${ip.src} > ${ip.dst}: ${what}, non-IP payload`;
    return;
  }
  inner(d, v === 4 ? 0x0800 : 0x86dd, p, pduEnd);
  tunnelled(d, what, ip);
}

function dissectMplsUdp(d: Dissection, off: number, end: number, ip: IpContext): void {
  inner(d, 0x8847, off, end);
  tunnelled(d, 'MPLS over UDP', ip);
}

UDP_PORT.add(4789, dissectVxlan);
UDP_PORT.add(6081, dissectGeneve);
UDP_PORT.add(2152, dissectGtpU);
UDP_PORT.add(6635, dissectMplsUdp);
