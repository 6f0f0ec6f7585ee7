/**
 * The decoded form of one packet: layers of named fields, each with its byte range (for the
 * details tree and the hex view), plus the few facts analyses need without walking the tree
 * (addresses, ICMP id/seq, OSPF Hello) and expert-info style problems.
 *
 * Field names follow Wireshark's display-filter names (`ip.src`, `icmp.seq`, `ospf.hello.hello_interval`)
 * so they read familiar and can be cross-checked against `tshark -T fields`.
 */

export interface PacketField {
  /** Display-filter style name, e.g. `ip.ttl`. */
  readonly name: string;
  /** Value as text (numbers in decimal unless the field is naturally hex, e.g. checksums `0x1c46`). */
  readonly value: string;
  /** Byte range in the packet (offset from the first captured byte). */
  readonly offset: number;
  readonly length: number;
}

export interface PacketLayer {
  /** Short protocol name: `eth`, `vlan`, `sll`, `ip`, `ipv6`, `icmp`, `tcp`, `ospf`, ... */
  readonly name: string;
  readonly offset: number;
  length: number;
  readonly fields: PacketField[];
}

export type PacketProblemKind =
  /** caplen < original length: the capture kept only the first bytes (snaplen). */
  | 'truncated-frame'
  /** IPv4 total length / IPv6 payload length says more bytes than the frame has. */
  | 'ip-length-exceeds'
  | 'bad-checksum'
  /** A header is cut short or holds impossible values. */
  | 'malformed';

export interface PacketProblem {
  readonly kind: PacketProblemKind;
  readonly message: string;
  /** Byte offset in the packet where the problem is. */
  readonly offset: number;
}

export interface IcmpInfo {
  /** 4 for ICMP, 6 for ICMPv6. */
  readonly version: 4 | 6;
  readonly type: number;
  readonly code: number;
  /** Echo request/reply identifier and sequence number; null for other messages. */
  readonly id: number | null;
  readonly seq: number | null;
  /** True for echo request, false for echo reply, null otherwise. */
  readonly echoRequest: boolean | null;
}

/** Hello body; in a Hello cut short by the snaplen, missing numbers are -1 and missing addresses ''. */
export interface OspfHelloInfo {
  readonly networkMask: string;
  readonly helloInterval: number;
  readonly deadInterval: number;
  readonly priority: number;
  readonly designatedRouter: string;
  readonly backupDesignatedRouter: string;
  readonly neighbors: readonly string[];
}

export interface OspfInfo {
  readonly version: number;
  readonly type: number;
  readonly typeName: string;
  readonly routerId: string;
  readonly areaId: string;
  readonly hello: OspfHelloInfo | null;
}

export interface PacketInfo {
  readonly layers: readonly PacketLayer[];
  readonly problems: readonly PacketProblem[];
  /** Top (innermost) protocol recognised, e.g. `icmp`, `tcp`, `arp`, `ospf`. */
  readonly protocol: string;
  /** Innermost network-layer source/destination (IP or ARP sender/target; MACs when there is no IP): a tunnelled packet's inner flow. */
  readonly src: string | null;
  readonly dst: string | null;
  /** One line, tcpdump-like: `10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 64`. */
  readonly summary: string;
  /**
   * The packet list's Info column, in Wireshark's manner (the addresses are in their own columns):
   * `45412 → 7878 [PSH, ACK] Seq=3674893120 Ack=1 Win=502 Len=8`, `Echo (ping) request id=0x0a5c, seq=1/256`,
   * `Who has 10.78.0.2? Tell 10.78.0.1`. Set by the innermost dissector that knows its protocol's
   * shape; otherwise the summary without its `SRC > DST: ` head (dissect.ts).
   */
  readonly info: string;
  readonly icmp: IcmpInfo | null;
  readonly ospf: OspfInfo | null;
  /** Transport ports (TCP/UDP/SCTP), innermost. */
  readonly ports: { readonly src: number; readonly dst: number } | null;
  /** IP protocol / IPv6 next header of the outermost IP layer, or null. */
  readonly ipProto: number | null;
  /** Source/destination MAC of the outermost Ethernet header, when there is one. */
  readonly ethSrc: string | null;
  readonly ethDst: string | null;
}

/** Mutable state while one packet is decoded; decoders append layers, fields and problems. */
export class Dissection {
  readonly layers: PacketLayer[] = [];
  readonly problems: PacketProblem[] = [];
  protocol = 'unknown';
  src: string | null = null;
  dst: string | null = null;
  summary = '';
  /** PacketInfo.info (the Info column); '' until a dissector sets it. */
  infoText = '';
  icmp: IcmpInfo | null = null;
  ospf: OspfInfo | null = null;
  ports: { src: number; dst: number } | null = null;
  ipProto: number | null = null;
  ethSrc: string | null = null;
  ethDst: string | null = null;
  /** Nesting of IP-in-IP / GRE, bounded so a crafted packet cannot recurse without end. */
  depth = 0;

  constructor(
    /** The captured bytes (caplen of them). */
    readonly b: Uint8Array,
    /** The packet's length on the wire. */
    readonly origLen: number,
  ) {}

  /** True when the frame was cut by the capture's snaplen. */
  get snapTruncated(): boolean {
    return this.b.length < this.origLen;
  }

  layer(name: string, offset: number, length: number): PacketLayer {
    const l: PacketLayer = { name, offset, length, fields: [] };
    this.layers.push(l);
    return l;
  }

  field(l: PacketLayer, name: string, value: string | number, offset: number, length: number): void {
    l.fields.push({ name, value: typeof value === 'number' ? String(value) : value, offset, length });
  }

  problem(kind: PacketProblemKind, message: string, offset: number): void {
    this.problems.push({ kind, message, offset });
  }

  /** A header that needs `need` bytes at `off` but only `end - off` were captured. */
  short(what: string, off: number, need: number, end: number): void {
    const got = Math.max(0, end - off);
    // Cut by the snaplen, a short header is expected: `truncated-frame` already says so.
    if (!(this.snapTruncated && end >= this.b.length)) this.problem('malformed', `${what} cut short: ${got} of ${need} bytes`, off);
    if (this.summary === '') this.summary = `[${what} cut short]`;
  }

  info(): PacketInfo {
    return {
      layers: this.layers,
      problems: this.problems,
      protocol: this.protocol,
      src: this.src,
      dst: this.dst,
      summary: this.summary,
      info: this.infoText,
      icmp: this.icmp,
      ospf: this.ospf,
      ports: this.ports,
      ipProto: this.ipProto,
      ethSrc: this.ethSrc,
      ethDst: this.ethDst,
    };
  }
}

export function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}
