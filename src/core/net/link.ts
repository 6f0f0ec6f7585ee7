/**
 * Link layers, by pcap LINKTYPE (https://www.tcpdump.org/linktypes.html):
 *   0 NULL (BSD loopback, 4-byte address family in the capturing host's byte order), 108 LOOP
 *   (the same in network byte order), 1 ETHERNET (with 802.1Q / 802.1ad / 0x9100 tags, 802.3
 *   length + LLC), 101 RAW and DLT_RAW 12/14 (version nibble picks IPv4/IPv6), 228 IPV4, 229 IPV6,
 *   113 LINUX_SLL and 276 LINUX_SLL2 (Linux cooked, from `tcpdump -i any`), 239 NFLOG; PPP (9, 50)
 *   and PPI (192) register themselves (ppp.ts, ppi.ts).
 * Then the EtherType dispatch shared by all of them (ARP/RARP, IPv4, IPv6, MPLS, slow protocols, LLDP).
 */
import { be16, be32, has, hex, le16, mac, u8 } from './bytes';
import { ETHERTYPE, LINK_TYPE } from './dispatch';
import { hex16, type Dissection } from './packet';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_BSD12: 12,
  RAW_BSD14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  LINUX_SLL2: 276,
} as const;

const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'ETHERNET',
  9: 'PPP',
  12: 'RAW',
  14: 'RAW',
  50: 'PPP_HDLC',
  101: 'RAW',
  105: 'IEEE802_11',
  108: 'LOOP',
  113: 'LINUX_SLL',
  127: 'IEEE802_11_RADIOTAP',
  192: 'PPI',
  228: 'IPV4',
  229: 'IPV6',
  239: 'NFLOG',
  253: 'NETLINK',
  271: 'LINUX_VSOCK',
  276: 'LINUX_SLL2',
  281: 'DSA_TAG_BRCM',
};

/** `ETHERNET`, `LINUX_SLL`, ... or `LINKTYPE_<n>` for the ones not named here. */
export function linkTypeName(linkType: number): string {
  return LINKTYPE_NAMES[linkType] ?? `LINKTYPE_${linkType}`;
}

/** Linux packet types (SLL/SLL2 `pkttype`, `if_packet.h`). */
export const SLL_PKTTYPE = ['host', 'broadcast', 'multicast', 'otherhost', 'outgoing'];

/**
 * Decodes a frame of `linkType` at b[off, end) (the whole packet, or a frame inside a PPI
 * header). The link types decoded here and those that register in LINK_TYPE (ppp.ts, ppi.ts).
 */
export function dissectLink(d: Dissection, linkType: number, off = 0, end = d.b.length): void {
  const own = LINK_TYPE.get(linkType);
  if (own) return own(d, off, end);
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return dissectEthernet(d, off, end);
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_BSD12:
    case LINKTYPE.RAW_BSD14:
      return dissectRawIp(d, off, end);
    case LINKTYPE.IPV4:
      return dissectEtherType(d, ETHERTYPE_IPV4, off, end);
    case LINKTYPE.IPV6:
      return dissectEtherType(d, ETHERTYPE_IPV6, off, end);
    default:
      break;
  }
  // The headers below are read from the start of the packet.
  if (off !== 0) {
    d.protocol = linkTypeName(linkType).toLowerCase();
    d.summary = `link type ${linkTypeName(linkType)} (${linkType}) inside another header, ${end - off} bytes, not decoded`;
    return;
  }
  switch (linkType) {
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return dissectNull(d, linkType, end);
    case LINKTYPE.LINUX_SLL:
      return dissectSll(d, end);
    case LINKTYPE.LINUX_SLL2:
      return dissectSll2(d, end);
    case LINKTYPE.NFLOG:
      return dissectNflog(d, end);
    default: {
      const l = d.layer('frame', 0, end);
      d.field(l, 'frame.linktype', linkTypeName(linkType), 0, 0);
      d.protocol = linkTypeName(linkType).toLowerCase();
      d.summary = `link type ${linkTypeName(linkType)} (${linkType}), ${end} bytes`;
    }
  }
}

function dissectRawIp(d: Dissection, off: number, end: number): void {
  if (!has(end, off, 1)) return d.short('IP header', off, 1, end);
  const v = u8(d.b, off) >> 4;
  if (v === 4) return dissectEtherType(d, ETHERTYPE_IPV4, off, end);
  if (v === 6) return dissectEtherType(d, ETHERTYPE_IPV6, off, end);
  d.problem('malformed', `raw IP packet with version ${v}`, off);
  d.protocol = 'ip';
  d.summary = `IP version ${v} (not 4 or 6)`;
}

/** BSD loopback: 4-byte address family. AF_INET = 2; AF_INET6 = 24, 28 or 30 depending on the BSD (10 on Linux). */
function dissectNull(d: Dissection, linkType: number, end: number): void {
  if (!has(end, 0, 4)) return d.short('loopback header', 0, 4, end);
  let af = be32(d.b, 0);
  // NULL is in the capturing host's byte order: a small value in the high bytes means little-endian.
  if (linkType === LINKTYPE.NULL && (af & 0xffff0000) !== 0) af = ((af & 0xff) << 24) | ((af & 0xff00) << 8) | ((af >>> 8) & 0xff00) | (af >>> 24);
  af >>>= 0;
  const l = d.layer('null', 0, 4);
  d.field(l, 'null.family', af, 0, 4);
  if (af === 2) return dissectEtherType(d, ETHERTYPE_IPV4, 4, end);
  if (af === 10 || af === 24 || af === 28 || af === 30) return dissectEtherType(d, ETHERTYPE_IPV6, 4, end);
  d.protocol = 'null';
  d.summary = `loopback, address family ${af}`;
}

export function dissectEthernet(d: Dissection, off: number, end: number): void {
  if (d.protocol === 'unknown') d.protocol = 'eth';
  if (!has(end, off, 14)) return d.short('Ethernet header', off, 14, end);
  const b = d.b;
  const l = d.layer('eth', off, 14);
  const dst = mac(b, off);
  const src = mac(b, off + 6);
  d.field(l, 'eth.dst', dst, off, 6);
  d.field(l, 'eth.src', src, off + 6, 6);
  if (d.ethSrc === null) {
    d.ethSrc = src;
    d.ethDst = dst;
  }
  let type = be16(b, off + 12);
  d.field(l, 'eth.type', hex16(type), off + 12, 2);
  let p = off + 14;
  // 802.1Q (0x8100), 802.1ad (0x88a8) and the old QinQ 0x9100: a 4-byte tag, then the next type.
  for (let tags = 0; (type === 0x8100 || type === 0x88a8 || type === 0x9100) && tags < 8; tags++) {
    if (!has(end, p, 4)) return d.short('VLAN tag', p, 4, end);
    const tci = be16(b, p);
    // Wireshark's names: 802.1ad service tags are `ieee8021ad.*`, 802.1Q (and 0x9100) tags `vlan.*`.
    const name = type === 0x88a8 ? 'ieee8021ad' : 'vlan';
    // As Wireshark has it: the tag is the TCI and the type after it (`vlan.etype`); the TPID
    // before it is the previous header's type field (eth.type or the outer tag's etype).
    const v = d.layer(name, p, 4);
    d.field(v, `${name}.priority`, tci >> 13, p, 2);
    d.field(v, `${name}.dei`, (tci >> 12) & 1, p, 2);
    d.field(v, `${name}.id`, tci & 0xfff, p, 2);
    type = be16(b, p + 2);
    d.field(v, `${name}.etype`, hex16(type), p + 2, 2);
    p += 4;
  }
  if (type < 0x0600) {
    // 802.3: a length, then LLC. Frames shorter than 60 bytes are padded: trust the length.
    d.field(l, 'eth.len', type, off + 12, 2);
    return dissectLlc(d, p, Math.min(end, p + type));
  }
  dissectEtherType(d, type, p, end);
}

function dissectLlc(d: Dissection, off: number, end: number): void {
  if (!has(end, off, 3)) return d.short('LLC header', off, 3, end);
  const b = d.b;
  const dsap = u8(b, off);
  const ssap = u8(b, off + 1);
  const l = d.layer('llc', off, 3);
  d.field(l, 'llc.dsap', `0x${hex(b, off, 1)}`, off, 1);
  d.field(l, 'llc.ssap', `0x${hex(b, off + 1, 1)}`, off + 1, 1);
  d.field(l, 'llc.control', `0x${hex(b, off + 2, 1)}`, off + 2, 1);
  d.protocol = 'llc';
  if (dsap === 0x42 && ssap === 0x42) {
    d.protocol = 'stp';
    d.summary = 'Spanning Tree Protocol';
    return;
  }
  if (dsap === 0xaa && ssap === 0xaa && has(end, off, 8)) {
    l.length = 8;
    const oui = hex(b, off + 3, 3);
    const pid = be16(b, off + 6);
    d.field(l, 'llc.oui', `0x${oui}`, off + 3, 3);
    d.field(l, 'llc.pid', hex16(pid), off + 6, 2);
    if (oui === '000000') return dissectEtherType(d, pid, off + 8, end);
    if (oui === '00000c' && pid === 0x2000) {
      d.protocol = 'cdp';
      d.summary = 'Cisco Discovery Protocol';
      return;
    }
  }
  d.summary = `LLC, dsap 0x${hex(b, off, 1)}, ssap 0x${hex(b, off + 1, 1)}`;
}

/** EtherTypes of IP, for the link types that carry IP without one (raw IP, BSD NULL, NFLOG, MPLS). */
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

export function dissectEtherType(d: Dissection, type: number, off: number, end: number): void {
  const child = ETHERTYPE.get(type);
  if (child) return child(d, type, off, end);
  switch (type) {
    case 0x8847:
    case 0x8848:
      return dissectMpls(d, off, end);
    case 0x8809: {
      const sub = has(end, off, 1) ? u8(d.b, off) : -1;
      d.protocol = sub === 1 ? 'lacp' : sub === 2 ? 'marker' : 'slow';
      d.summary = sub === 1 ? 'LACPDU' : `slow protocols, subtype ${sub}`;
      if (sub >= 0) d.field(d.layer('slow', off, end - off), 'slow.subtype', sub, off, 1);
      return;
    }
    case 0x88cc:
      d.protocol = 'lldp';
      d.summary = 'LLDP';
      return;
    default:
      d.protocol = 'eth';
      d.summary = `ethertype ${hex16(type)}, ${end - off} bytes`;
  }
}

function dissectMpls(d: Dissection, off: number, end: number): void {
  let p = off;
  for (let n = 0; n < 16; n++) {
    if (!has(end, p, 4)) return d.short('MPLS label', p, 4, end);
    const v = be32(d.b, p);
    const l = d.layer('mpls', p, 4);
    d.field(l, 'mpls.label', v >>> 12, p, 3);
    d.field(l, 'mpls.bottom', (v >>> 8) & 1, p + 2, 1);
    d.field(l, 'mpls.ttl', v & 0xff, p + 3, 1);
    p += 4;
    if ((v >>> 8) & 1) break;
  }
  d.protocol = 'mpls';
  d.summary = 'MPLS';
  if (has(end, p, 1)) {
    const v = u8(d.b, p) >> 4;
    if (v === 4) dissectEtherType(d, ETHERTYPE_IPV4, p, end);
    else if (v === 6) dissectEtherType(d, ETHERTYPE_IPV6, p, end);
  }
}

function dissectSll(d: Dissection, end: number): void {
  if (!has(end, 0, 16)) return d.short('Linux cooked header', 0, 16, end);
  const b = d.b;
  const l = d.layer('sll', 0, 16);
  const pkttype = be16(b, 0);
  const hatype = be16(b, 2);
  const halen = be16(b, 4);
  d.field(l, 'sll.pkttype', SLL_PKTTYPE[pkttype] ?? String(pkttype), 0, 2);
  d.field(l, 'sll.hatype', hatype, 2, 2);
  d.field(l, 'sll.halen', halen, 4, 2);
  if (halen === 6) d.field(l, 'sll.src.eth', mac(b, 6), 6, 6);
  else if (halen > 0) d.field(l, 'sll.src', hex(b, 6, Math.min(halen, 8), ':'), 6, Math.min(halen, 8));
  const proto = be16(b, 14);
  d.field(l, 'sll.etype', hex16(proto), 14, 2);
  cookedPayload(d, proto, hatype, 16, end);
}

function dissectSll2(d: Dissection, end: number): void {
  if (!has(end, 0, 20)) return d.short('Linux cooked v2 header', 0, 20, end);
  const b = d.b;
  const l = d.layer('sll', 0, 20);
  const proto = be16(b, 0);
  d.field(l, 'sll.etype', hex16(proto), 0, 2);
  d.field(l, 'sll.ifindex', be32(b, 4), 4, 4);
  const hatype = be16(b, 8);
  d.field(l, 'sll.hatype', hatype, 8, 2);
  const pkttype = u8(b, 10);
  d.field(l, 'sll.pkttype', SLL_PKTTYPE[pkttype] ?? String(pkttype), 10, 1);
  const halen = u8(b, 11);
  d.field(l, 'sll.halen', halen, 11, 1);
  if (halen === 6) d.field(l, 'sll.src.eth', mac(b, 12), 12, 6);
  else if (halen > 0) d.field(l, 'sll.src', hex(b, 12, Math.min(halen, 8), ':'), 12, Math.min(halen, 8));
  cookedPayload(d, proto, hatype, 20, end);
}

/** SLL protocol field: an EtherType, or one of the Linux `ETH_P_*` pseudo-types below 0x600. */
function cookedPayload(d: Dissection, proto: number, hatype: number, off: number, end: number): void {
  // ARPHRD_NETLINK (824): the payload is a netlink message, not an EtherType payload.
  if (hatype === 824) {
    d.protocol = 'netlink';
    d.summary = `netlink, ${end - off} bytes`;
    return;
  }
  if (proto === 0x0004) return dissectLlc(d, off, end); // ETH_P_802_2
  if (proto < 0x0600) {
    d.protocol = 'sll';
    d.summary = `Linux cooked, protocol ${hex16(proto)}`;
    return;
  }
  dissectEtherType(d, proto, off, end);
}

/** NFLOG: a 4-byte header, then TLVs in host byte order (little-endian here); type 9 is the packet. */
function dissectNflog(d: Dissection, end: number): void {
  if (!has(end, 0, 4)) return d.short('NFLOG header', 0, 4, end);
  const b = d.b;
  const l = d.layer('nflog', 0, 4);
  const family = u8(b, 0);
  d.field(l, 'nflog.family', family, 0, 1);
  d.field(l, 'nflog.res_id', be16(b, 2), 2, 2);
  let p = 4;
  for (let n = 0; n < 64 && has(end, p, 4); n++) {
    const len = le16(b, p);
    const type = le16(b, p + 2) & 0x7fff;
    if (len < 4 || !has(end, p, len)) break;
    if (type === 9) {
      l.length = p + 4;
      if (family === 2) return dissectEtherType(d, ETHERTYPE_IPV4, p + 4, p + len);
      if (family === 10) return dissectEtherType(d, ETHERTYPE_IPV6, p + 4, p + len);
      break;
    }
    p += (len + 3) & ~3;
  }
  d.protocol = 'nflog';
  d.summary = 'NFLOG';
}
