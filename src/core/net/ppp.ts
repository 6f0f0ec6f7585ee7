/**
 * PPP and the links that carry it:
 *   LINKTYPE_PPP (9)       RFC 1661 frames, with or without the RFC 1662 address/control bytes
 *                          (0xff 0x03) before the protocol; a protocol with its low bit set in the
 *                          first byte is one byte long (protocol field compression)
 *   LINKTYPE_PPP_HDLC (50) RFC 1662 HDLC-like framing: 0xff 0x03, then the protocol
 *   PPPoE (RFC 2516)       EtherType 0x8864 session stage (version/type, code, session id,
 *                          length, then a PPP protocol and its payload); 0x8863 discovery
 *   PPP in GRE             protocol type 0x880b (PPTP's enhanced GRE, ip.ts)
 * The PPP protocol selects the payload: IPv4 0x0021, IPv6 0x0057, MPLS 0x0281/0x0283, and the
 * control protocols (LCP 0xc021, IPCP 0x8021, IPv6CP 0x8057, PAP 0xc023, CHAP 0xc223), whose
 * code/identifier/length header is decoded. Field names are Wireshark's (ppp.*, pppoe.*).
 */
import { be16, has, u8 } from './bytes';
import { ETHERTYPE, LINK_TYPE } from './dispatch';
import { dissectEtherType } from './link';
import { hex16, type Dissection } from './packet';

const CONTROL: Record<number, string> = { 0xc021: 'LCP', 0x8021: 'IPCP', 0x8057: 'IPv6CP', 0xc023: 'PAP', 0xc223: 'CHAP', 0x8281: 'MPLSCP' };
const LCP_CODES: Record<number, string> = {
  1: 'Configure-Request',
  2: 'Configure-Ack',
  3: 'Configure-Nak',
  4: 'Configure-Reject',
  5: 'Terminate-Request',
  6: 'Terminate-Ack',
  7: 'Code-Reject',
  8: 'Protocol-Reject',
  9: 'Echo-Request',
  10: 'Echo-Reply',
  11: 'Discard-Request',
};

/** A PPP frame at b[off, end): optional address/control, the protocol, the payload. */
export function dissectPpp(d: Dissection, off: number, end: number): void {
  d.protocol = 'ppp';
  if (!has(end, off, 2)) return d.short('PPP header', off, 2, end);
  const b = d.b;
  const l = d.layer('ppp', off, 2);
  let p = off;
  if (u8(b, p) === 0xff && u8(b, p + 1) === 0x03) {
    d.field(l, 'ppp.address', '0xff', p, 1);
    d.field(l, 'ppp.control', '0x03', p + 1, 1);
    p += 2;
  }
  if (!has(end, p, 1)) return d.short('PPP protocol', p, 1, end);
  // Protocol field compression: a first byte with its low bit set is the whole protocol.
  const compressed = (u8(b, p) & 1) === 1;
  if (!compressed && !has(end, p, 2)) return d.short('PPP protocol', p, 2, end);
  const proto = compressed ? u8(b, p) : be16(b, p);
  const plen = compressed ? 1 : 2;
  d.field(l, 'ppp.protocol', hex16(proto), p, plen);
  l.length = p + plen - off;
  pppPayload(d, proto, p + plen, end);
}

function pppPayload(d: Dissection, proto: number, off: number, end: number): void {
  switch (proto) {
    case 0x0021:
      return dissectEtherType(d, 0x0800, off, end);
    case 0x0057:
      return dissectEtherType(d, 0x86dd, off, end);
    case 0x0281:
    case 0x0283:
      return dissectEtherType(d, proto === 0x0281 ? 0x8847 : 0x8848, off, end);
    default:
      break;
  }
  const name = CONTROL[proto];
  if (name === undefined) {
    d.summary = `PPP, protocol ${hex16(proto)}, ${Math.max(0, end - off)} bytes`;
    return;
  }
  d.protocol = name.toLowerCase();
  if (!has(end, off, 4)) return d.short(`${name} header`, off, 4, end);
  const b = d.b;
  const code = u8(b, off);
  const length = be16(b, off + 2);
  const l = d.layer(name.toLowerCase(), off, Math.min(Math.max(length, 4), end - off));
  d.field(l, 'ppp.code', code, off, 1);
  d.field(l, 'ppp.identifier', u8(b, off + 1), off + 1, 1);
  d.field(l, 'ppp.length', length, off + 2, 2);
  if (length < 4) d.problem('malformed', `${name} length ${length} is less than 4`, off + 2);
  const what = proto === 0xc021 || proto === 0x8021 || proto === 0x8057 ? (LCP_CODES[code] ?? `code ${code}`) : `code ${code}`;
  d.summary = `PPP ${name} ${what}, id ${u8(b, off + 1)}, length ${length}`;
}

/** PPPoE (RFC 2516): the 6-byte header, then (session stage) a PPP protocol and its payload. */
function dissectPppoe(d: Dissection, type: number, off: number, end: number): void {
  d.protocol = type === 0x8864 ? 'pppoes' : 'pppoed';
  if (!has(end, off, 6)) return d.short('PPPoE header', off, 6, end);
  const b = d.b;
  const vt = u8(b, off);
  const code = u8(b, off + 1);
  const session = be16(b, off + 2);
  const length = be16(b, off + 4);
  const l = d.layer('pppoe', off, 6);
  d.field(l, 'pppoe.version', vt >> 4, off, 1);
  d.field(l, 'pppoe.type', vt & 15, off, 1);
  d.field(l, 'pppoe.code', `0x${code.toString(16).padStart(2, '0')}`, off + 1, 1);
  d.field(l, 'pppoe.session_id', hex16(session), off + 2, 2);
  d.field(l, 'pppoe.payload_length', length, off + 4, 2);
  if (vt !== 0x11) d.problem('malformed', `PPPoE version/type 0x${vt.toString(16)} (RFC 2516 says 1/1)`, off);
  const payloadEnd = Math.min(end, off + 6 + length);
  if (off + 6 + length > end && !d.snapTruncated) d.problem('malformed', `PPPoE length ${length} runs past the frame (${end - off - 6} bytes)`, off + 4);
  if (type === 0x8863) {
    const codes: Record<number, string> = { 0x09: 'PADI', 0x07: 'PADO', 0x19: 'PADR', 0x65: 'PADS', 0xa7: 'PADT' };
    d.summary = `PPPoE ${codes[code] ?? `code 0x${code.toString(16)}`}, session ${hex16(session)}`;
    return;
  }
  if (!has(payloadEnd, off + 6, 2)) return d.short('PPP protocol', off + 6, 2, payloadEnd);
  const proto = be16(b, off + 6);
  const pl = d.layer('ppp', off + 6, 2);
  d.field(pl, 'ppp.protocol', hex16(proto), off + 6, 2);
  d.protocol = 'ppp';
  pppPayload(d, proto, off + 8, payloadEnd);
  d.summary = `PPPoE session ${hex16(session)}: ${d.summary}`;
}

LINK_TYPE.add(9, dissectPpp);
LINK_TYPE.add(50, dissectPpp);
ETHERTYPE.add(0x8863, dissectPppoe);
ETHERTYPE.add(0x8864, dissectPppoe);
// PPP in GRE (PPTP's enhanced GRE, ip.ts), protocol type 0x880b.
ETHERTYPE.add(0x880b, (d, _type, off, end) => dissectPpp(d, off, end));
