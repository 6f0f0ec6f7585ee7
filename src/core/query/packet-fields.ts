/**
 * A decoded packet's fields by Wireshark display-filter name, every occurrence kept (a tunnelled
 * packet has two `ip.src`), plus the names Wireshark derives that the dissectors do not write
 * as fields of their own: `ip.addr` (src or dst), `tcp.port`, `tcp.flags.syn` ….
 */
import type { PacketInfo } from '../net/packet';

export interface PacketFields {
  /** Protocol layers present (`eth`, `vlan`, `ip`, `tcp` …): a bare protocol name is true when present. */
  readonly layers: ReadonlySet<string>;
  values(name: string): readonly string[];
}

/** Either-side names: `ip.addr` is any `ip.src` or `ip.dst`. */
const EITHER: Readonly<Record<string, readonly [string, string]>> = {
  'ip.addr': ['ip.src', 'ip.dst'],
  'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
  'eth.addr': ['eth.src', 'eth.dst'],
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
  'sctp.port': ['sctp.srcport', 'sctp.dstport'],
};

/** Bits of `tcp.flags` (RFC 9293 3.1, RFC 3168 ECE/CWR) by Wireshark's names. */
const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  'tcp.flags.fin': 0x001,
  'tcp.flags.syn': 0x002,
  'tcp.flags.reset': 0x004,
  'tcp.flags.push': 0x008,
  'tcp.flags.ack': 0x010,
  'tcp.flags.urg': 0x020,
  'tcp.flags.ece': 0x040,
  'tcp.flags.cwr': 0x080,
  'tcp.flags.ae': 0x100,
};

const NONE: readonly string[] = [];

export function packetFields(p: PacketInfo): PacketFields {
  const byName = new Map<string, string[]>();
  const layers = new Set<string>(['frame']);
  for (const l of p.layers) {
    layers.add(l.name);
    for (const f of l.fields) {
      const list = byName.get(f.name);
      if (list) list.push(f.value);
      else byName.set(f.name, [f.value]);
    }
  }
  return {
    layers,
    values(name) {
      const direct = byName.get(name);
      if (direct) return direct;
      const either = EITHER[name];
      if (either) return [...(byName.get(either[0]) ?? NONE), ...(byName.get(either[1]) ?? NONE)];
      const bit = TCP_FLAG_BITS[name];
      if (bit !== undefined) return (byName.get('tcp.flags') ?? NONE).map((v) => ((Number(v) & bit) !== 0 ? '1' : '0'));
      return NONE;
    },
  };
}

/** Names `values` answers beyond the decoded ones (for the README and completion). */
export const DERIVED_PACKET_FIELDS: readonly string[] = [...Object.keys(EITHER), ...Object.keys(TCP_FLAG_BITS)];
