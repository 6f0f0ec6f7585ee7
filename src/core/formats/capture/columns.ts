/**
 * A packet as a row of Wireshark's packet list: Source, Destination, Protocol, Length, Info
 * (No. is the event's `line`, Time its exact `absNs`). Everything comes from our own dissectors
 * (net/): nothing is guessed from text.
 *
 * Source/Destination follow Wireshark's default columns: the network addresses when the packet
 * has an IP header (the innermost one, as net/ sets `src`/`dst`), else the link-layer ones
 * (Ethernet MACs; a Linux cooked capture has only a source). ARP is such a packet: Wireshark
 * shows its MACs (the IPs are in the Info text).
 *
 * Protocol is our highest decoded layer, spelled as Wireshark spells that protocol (`ICMPv6`,
 * `TCP`). Where Wireshark decodes a layer further up that we do not (DNS, HTTP, NTP over UDP/TCP)
 * it names that one and we name the transport: test/golden/capture-columns.test.ts lists the
 * pairs accepted.
 */
import type { Trace } from '../../trace/trace';
import type { PacketInfo } from '../../net/packet';
import { decodePacket } from './decode';
import { packetBytes } from './common';
import { ipEndpoints } from '../../net/dissect';

export interface PacketColumns {
  readonly source: string;
  readonly destination: string;
  /** Our highest decoded layer, spelled as Wireshark spells it (`ICMPv6`). */
  readonly protocol: string;
  /** Bytes on the wire (Wireshark's Length, frame.len) and bytes captured (frame.cap_len). */
  readonly length: number;
  readonly caplen: number;
  readonly info: string;
}

/** Wireshark's spelling of our protocol names (net/ uses lower case: they are display-filter names). */
const LABELS: Readonly<Record<string, string>> = {
  ah: 'AH',
  arp: 'ARP',
  cdp: 'CDP',
  esp: 'ESP',
  eth: 'Ethernet',
  geneve: 'Geneve',
  gre: 'GRE',
  gtp: 'GTP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  igmp: 'IGMP',
  ip: 'IP',
  ipv4: 'IPv4',
  ipv6: 'IPv6',
  lacp: 'LACP',
  lcp: 'PPP LCP',
  linux_vsock: 'vSocket',
  llc: 'LLC',
  lldp: 'LLDP',
  mpls: 'MPLS',
  netlink: 'Netlink',
  nflog: 'NFLOG',
  null: 'Null',
  ospf: 'OSPF',
  pim: 'PIMv2',
  ppi: 'PPI',
  ppp: 'PPP',
  pppoed: 'PPPoED',
  pppoes: 'PPPoES',
  rarp: 'RARP',
  sctp: 'SCTP',
  sll: 'SLL',
  stp: 'STP',
  tcp: 'TCP',
  udp: 'UDP',
  vrrp: 'VRRP',
  vxlan: 'VXLAN',
};

/** The Protocol column's text for one of our protocol names (unknown names upper-cased). */
export function protocolLabel(name: string): string {
  return LABELS[name] ?? name.toUpperCase();
}

/** Source and Destination of a decoded packet, as Wireshark's default columns show them. */
export function packetAddresses(p: PacketInfo): { source: string; destination: string } {
  // ARP (possibly inside a tunnel) has no network addresses of its own in Wireshark's sense.
  const arp = p.protocol === 'arp' || p.protocol === 'rarp';
  const hasIp = p.layers.some((l) => l.name === 'ip' || l.name === 'ipv6');
  if (!arp && hasIp && p.src !== null && p.dst !== null) return { source: p.src, destination: p.dst };
  // The innermost Ethernet header (a VXLAN frame's own, not the underlay's).
  const eth = [...p.layers].reverse().find((l) => l.name === 'eth');
  const ethSrc = eth?.fields.find((f) => f.name === 'eth.src')?.value;
  const ethDst = eth?.fields.find((f) => f.name === 'eth.dst')?.value;
  if (ethSrc !== undefined && ethDst !== undefined) return { source: ethSrc, destination: ethDst };
  // Linux cooked captures (SLL, SLL2) carry the sender's link-layer address only.
  const sll = p.layers.find((l) => l.name === 'sll' || l.name === 'sll2');
  const sllSrc = sll?.fields.find((f) => f.name === 'sll.src.eth' || f.name === 'sll.src');
  if (sllSrc) return { source: sllSrc.value, destination: '' };
  return { source: p.src ?? '', destination: p.dst ?? '' };
}

/**
 * Source and Destination of packet `i` without dissecting it when its IP header says them
 * (net/dissect.ts ipEndpoints, the same answer); the full decoder for every other packet.
 */
export function packetEndpoints(trace: Trace, i: number): { source: string; destination: string } {
  const bytes = packetBytes(trace, i);
  const fast = bytes ? ipEndpoints(bytes, 0, bytes.length, trace.extra('linkType')?.get(i) ?? 1) : null;
  return fast ? { source: fast.src, destination: fast.dst } : packetAddresses(decodePacket(trace, i));
}

/** The packet-list row of packet `i` of a capture (decodes the packet unless given its decode `p`). */
export function packetColumns(trace: Trace, i: number, p: PacketInfo = decodePacket(trace, i)): PacketColumns {
  const caplen = trace.extra('caplen')?.get(i) ?? 0;
  return {
    ...packetAddresses(p),
    protocol: protocolLabel(trace.event(i)),
    length: trace.extra('origLen')?.get(i) ?? caplen,
    caplen,
    info: p.info,
  };
}
