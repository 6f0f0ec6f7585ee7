/**
 * Packet journeys (seed 001): follow one ICMP echo (id, seq) across several captures, hop by
 * hop in time order (file, interface, packet, request/reply), and say where it was last seen and
 * what was expected next; or one TCP segment (4-tuple, seq, flags) and the ACK that covers it;
 * or follow one skb address through the events of a trace (net_dev_queue
 * -> net_dev_xmit -> netif_receive_skb ...). Captures of one machine share its wall clock, so
 * their hops interleave correctly; trace hops are in the trace's own clock (clock alignment with
 * captures is future work, see analysis/align in DESIGN.md).
 */
import type { Trace } from '../../trace/trace';
import { isCapture } from '../../formats/capture/common';
import { decodePacket } from '../../formats/capture/decode';
import { decodeEvent } from '../../formats/decode';
import type { PacketInfo, PacketLayer } from '../../net/packet';
import { absNsText, type AbsNsText } from '../../trace/time';

export interface JourneyInput {
  readonly name: string;
  readonly trace: Trace;
}

export interface JourneyHop {
  readonly file: string;
  readonly interface: string;
  /** 1-based packet number (captures) or line (traces). */
  readonly packet?: number;
  readonly line?: number;
  /** Absolute ns (captures: wall clock) as a decimal string; traces: the trace's clock. */
  readonly timeNs: AbsNsText;
  /** `request`/`reply` for ICMP echoes; the event name for trace hops. */
  readonly what: string;
  readonly src?: string;
  readonly dst?: string;
  /** `in`/`out` where the capture says. */
  readonly direction?: string;
  readonly cpu?: number;
}

export interface Journey {
  readonly key: {
    readonly icmp?: { readonly version: 4 | 6; readonly id: number; readonly seq: number; readonly requester: string; readonly responder: string };
    readonly skb?: string;
    readonly tcp?: { readonly src: string; readonly dst: string; readonly sport: number; readonly dport: number; readonly seq: number; readonly flags: number };
  };
  readonly status: 'answered' | 'unanswered' | 'reply-only' | 'seen';
  readonly hops: JourneyHop[];
  readonly lastSeen: JourneyHop;
  /** What should have come next and did not, or null when the journey looks complete. */
  readonly expectedNext: string | null;
}

export interface JourneyFilter {
  readonly id?: number;
  readonly seq?: number;
  /** Follow this skb address (`ffff...`, with or without 0x) through trace events. */
  readonly skb?: string;
}

interface Acc {
  key: NonNullable<Journey['key']['icmp']>;
  hops: (JourneyHop & { ns: bigint; order: number })[];
  requests: number;
  replies: number;
}

function hopLabel(h: JourneyHop): string {
  return `${h.file}${h.interface ? ` (${h.interface})` : ''}${h.packet !== undefined ? ` packet ${h.packet}` : h.line !== undefined ? ` line ${h.line}` : ''}`;
}

export function journeys(inputs: readonly JourneyInput[], filter: JourneyFilter = {}): Journey[] {
  const acc = new Map<string, Acc>();
  let order = 0;
  const skbHops: (JourneyHop & { ns: bigint; order: number })[] = [];
  const want = filter.skb?.toLowerCase().replace(/^0x/, '');
  for (const input of inputs) {
    const t = input.trace;
    if (!isCapture(t.meta.format)) {
      if (!want) continue;
      for (let i = 0; i < t.length; i++) {
        const f = decodeEvent(t, i).fields;
        const skb = (f.skbaddr ?? f.skb)?.toLowerCase().replace(/^0x/, '');
        if (skb !== want) continue;
        const ns = t.absNs(i);
        skbHops.push({ file: input.name, interface: f.name ?? f.dev ?? '', line: t.line(i), timeNs: absNsText(ns), what: t.event(i), cpu: t.cpu(i), ns, order: order++ });
      }
      continue;
    }
    for (let i = 0; i < t.length; i++) {
      const ev = t.event(i);
      if (ev !== 'icmp' && ev !== 'icmpv6') continue;
      const p = decodePacket(t, i);
      const ic = p.icmp;
      if (!ic || ic.id === null || ic.seq === null || ic.echoRequest === null || !p.src || !p.dst) continue;
      if (filter.id !== undefined && ic.id !== filter.id) continue;
      if (filter.seq !== undefined && ic.seq !== filter.seq) continue;
      const requester = ic.echoRequest ? p.src : p.dst;
      const responder = ic.echoRequest ? p.dst : p.src;
      const k = `${ic.version}|${ic.id}|${ic.seq}|${requester}|${responder}`;
      let a = acc.get(k);
      if (!a) {
        a = { key: { version: ic.version, id: ic.id, seq: ic.seq, requester, responder }, hops: [], requests: 0, replies: 0 };
        acc.set(k, a);
      }
      if (ic.echoRequest) a.requests++;
      else a.replies++;
      const ns = t.absNs(i);
      const dir = t.flags(i);
      a.hops.push({ file: input.name, interface: t.comm(i), packet: t.line(i), timeNs: absNsText(ns), what: ic.echoRequest ? 'request' : 'reply', src: p.src, dst: p.dst, ...(dir ? { direction: dir } : {}), ns, order: order++ });
    }
  }
  const byTime = (x: { ns: bigint; order: number }, y: { ns: bigint; order: number }): number => (x.ns < y.ns ? -1 : x.ns > y.ns ? 1 : x.order - y.order);
  const strip = ({ ns: _ns, order: _o, ...h }: JourneyHop & { ns: bigint; order: number }): JourneyHop => h;
  const out: Journey[] = [];
  for (const a of acc.values()) {
    const hops = a.hops.sort(byTime).map(strip);
    const last = hops[hops.length - 1] as JourneyHop;
    const status = a.replies > 0 ? (a.requests > 0 ? 'answered' : 'reply-only') : 'unanswered';
    const kind = a.key.version === 6 ? 'ICMPv6' : 'ICMP';
    const expectedNext =
      status === 'unanswered'
        ? `${kind} echo reply from ${a.key.responder} to ${a.key.requester}: the request was last seen at ${hopLabel(last)} and no capture has the reply`
        : status === 'reply-only'
          ? `${kind} echo request from ${a.key.requester} to ${a.key.responder}: the replies were captured but no capture has the request`
          : null;
    out.push({ key: { icmp: a.key }, status, hops, lastSeen: last, expectedNext });
  }
  if (want && skbHops.length > 0) {
    const hops = skbHops.sort(byTime).map(strip);
    out.push({ key: { skb: filter.skb as string }, status: 'seen', hops, lastSeen: hops[hops.length - 1] as JourneyHop, expectedNext: null });
  }
  return out;
}

/** One TCP segment as the journeys key it: the 4-tuple, raw sequence/ack numbers, flags and the sequence space it takes. */
export interface TcpSegment {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack: number;
  /** The 12 flag bits (`tcp.flags`). */
  readonly flags: number;
  /** Sequence space taken: payload bytes, plus one for SYN and one for FIN (RFC 9293 3.4). */
  readonly len: number;
}

const TCP_ACK = 0x10;

/** The TCP segment of a packet whose top protocol is TCP, or null (ICMP errors quote TCP headers too). */
export function tcpSegment(p: PacketInfo): TcpSegment | null {
  if (p.protocol !== 'tcp' || !p.src || !p.dst || !p.ports) return null;
  const k = p.layers.findIndex((l) => l.name === 'tcp');
  const tcp = p.layers[k];
  if (!tcp) return null;
  const field = (l: PacketLayer, name: string): number => {
    const v = l.fields.find((f) => f.name === name)?.value;
    return v === undefined ? NaN : /^0x/.test(v) ? parseInt(v, 16) : Number(v);
  };
  const seq = field(tcp, 'tcp.seq_raw');
  const ack = field(tcp, 'tcp.ack_raw');
  const flags = field(tcp, 'tcp.flags');
  const hl = field(tcp, 'tcp.hdr_len');
  if (![seq, ack, flags, hl].every(Number.isFinite)) return null;
  // The IP header right before it says where the payload ends (ip.len 0: TSO, length unknown).
  const ip = p.layers
    .slice(0, k)
    .reverse()
    .find((l) => l.name === 'ip' || l.name === 'ipv6');
  let payload = 0;
  if (ip?.name === 'ip' && field(ip, 'ip.len') > 0) payload = ip.offset + field(ip, 'ip.len') - (tcp.offset + hl);
  else if (ip?.name === 'ipv6') payload = ip.offset + 40 + field(ip, 'ipv6.plen') - (tcp.offset + hl);
  const len = Math.max(0, payload) + (flags & 0x02 ? 1 : 0) + (flags & 0x01 ? 1 : 0);
  return { src: p.src, dst: p.dst, sport: p.ports.src, dport: p.ports.dst, seq, ack, flags, len };
}

function sameSegment(a: TcpSegment, b: TcpSegment): boolean {
  return a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport && a.seq === b.seq && a.flags === b.flags && a.len === b.len;
}

/** `ack` acknowledges all of `seg` (sequence numbers compared modulo 2^32). */
function covers(ack: TcpSegment, seg: TcpSegment): boolean {
  if (!(ack.flags & TCP_ACK) || ack.src !== seg.dst || ack.dst !== seg.src || ack.sport !== seg.dport || ack.dport !== seg.sport) return false;
  const d = (ack.ack - ((seg.seq + seg.len) >>> 0)) >>> 0;
  return d < 0x80000000;
}

/**
 * Follows one TCP segment across captures: every capture/interface that has it (`segment`
 * hops), and on each the first ACK from the other side that covers it (`ack` hops). A segment
 * that takes no sequence space (a bare ACK) expects nothing: status `seen`.
 */
export function tcpJourney(inputs: readonly JourneyInput[], seg: TcpSegment): Journey {
  const hops: (JourneyHop & { ns: bigint; order: number })[] = [];
  let order = 0;
  let acks = 0;
  for (const input of inputs) {
    const t = input.trace;
    if (!isCapture(t.meta.format)) continue;
    const acked = new Set<string>();
    for (let i = 0; i < t.length; i++) {
      if (t.event(i) !== 'tcp') continue;
      const p = decodePacket(t, i);
      const s = tcpSegment(p);
      if (!s) continue;
      const same = sameSegment(s, seg);
      if (!same && (seg.len === 0 || acked.has(t.comm(i)) || !covers(s, seg))) continue;
      if (!same) {
        acked.add(t.comm(i));
        acks++;
      }
      const ns = t.absNs(i);
      const dir = t.flags(i);
      hops.push({ file: input.name, interface: t.comm(i), packet: t.line(i), timeNs: absNsText(ns), what: same ? 'segment' : 'ack', src: s.src, dst: s.dst, ...(dir ? { direction: dir } : {}), ns, order: order++ });
    }
  }
  hops.sort((x, y) => (x.ns < y.ns ? -1 : x.ns > y.ns ? 1 : x.order - y.order));
  const out = hops.map(({ ns: _ns, order: _o, ...h }) => h as JourneyHop);
  const last = out[out.length - 1];
  if (!last) throw new Error('the TCP segment is in none of the captures');
  const status = seg.len === 0 ? 'seen' : acks > 0 ? 'answered' : 'unanswered';
  const expectedNext =
    status === 'unanswered'
      ? `TCP ACK from ${seg.dst}.${seg.dport} to ${seg.src}.${seg.sport} covering seq ${seg.seq}+${seg.len}: the segment was last seen at ${hopLabel(last)} and no capture has the ACK`
      : null;
  return { key: { tcp: { src: seg.src, dst: seg.dst, sport: seg.sport, dport: seg.dport, seq: seg.seq, flags: seg.flags } }, status, hops: out, lastSeen: last, expectedNext };
}
