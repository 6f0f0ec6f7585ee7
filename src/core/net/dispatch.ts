/**
 * Dissector tables, as Wireshark's epan has them (`dissector_add_uint("ip.proto", 6, tcp)`): a
 * child dissector registers itself under its parent's key, and the parent looks the key up, so
 * a parent never imports its children. The registrations run when the child's module is loaded;
 * dissectors.ts loads every one.
 */
import type { Dissection } from './packet';

/** The IP header a transport payload came in: addresses as text and the version. */
export interface IpContext {
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** Payload length from the IP header (bytes after the IP/extension headers). */
  readonly payloadLength: number;
  /** IPv4 TTL / IPv6 hop limit (the Info column of an ICMP echo says it, as Wireshark's does). */
  readonly hopLimit: number;
}

/** Dissects the payload of an IP header, b[off, end). */
export type IpPayloadDissector = (d: Dissection, off: number, end: number, ip: IpContext) => void;
/** Dissects the payload of a UDP header, b[off, end) (for the tunnels that ride on UDP). */
export type UdpPayloadDissector = (d: Dissection, off: number, end: number, ip: IpContext) => void;
/** Dissects a whole frame of a pcap link type, b[off, end). */
export type LinkTypeDissector = (d: Dissection, off: number, end: number) => void;
/** Dissects the payload of a link header with EtherType `type`, b[off, end). */
export type EtherTypeDissector = (d: Dissection, type: number, off: number, end: number) => void;

export class DissectorTable<F> {
  private readonly byKey = new Map<number, F>();

  constructor(readonly name: string) {}

  /** Registers the dissector of `key`; two dissectors for one key are a bug in the registrations. */
  add(key: number, dissector: F): void {
    if (this.byKey.has(key)) throw new Error(`${this.name} ${key}: registered twice`);
    this.byKey.set(key, dissector);
  }

  get(key: number): F | undefined {
    return this.byKey.get(key);
  }
}

/** By the IPv4 protocol / IPv6 next header number. */
export const IP_PROTO = new DissectorTable<IpPayloadDissector>('ip.proto');
/** By EtherType (Ethernet, 802.1Q, SLL, GRE, LLC/SNAP payloads). */
export const ETHERTYPE = new DissectorTable<EtherTypeDissector>('ethertype');
/** By UDP port (destination, then source): VXLAN, Geneve, GTP-U, MPLS over UDP. */
export const UDP_PORT = new DissectorTable<UdpPayloadDissector>('udp.port');
/** By pcap LINKTYPE, for the link types whose module registers itself (PPP, PPI). */
export const LINK_TYPE = new DissectorTable<LinkTypeDissector>('link.type');

/** Tunnels inside tunnels (IP in IP, GRE, VXLAN, ...) are followed this deep, no deeper. */
export const MAX_TUNNEL_DEPTH = 4;
