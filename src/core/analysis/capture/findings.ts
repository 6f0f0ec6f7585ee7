/**
 * Findings over packet captures, in the spirit of Wireshark's expert info, plus the checks the
 * seeds needed by hand:
 *   per packet   truncated frame (caplen < len), IPv4/IPv6 length exceeds the captured bytes
 *                (seed 004), bad IPv4 header / ICMP checksum, malformed headers;
 *   per capture  ICMP echo requests without a reply (and replies without a request: the
 *                capture misses one direction), periodic flows (OSPF Hellos, ARP, keepalives)
 *                whose period breaks or that stop while the capture goes on (seed 003);
 *   across       traffic one capture has and another capture of the same hosts lacks: the
 *                other capture sees these two hosts talk, but not this traffic (seed 000: the
 *                capture on the bond slave shows no ingress).
 * A "capture unit" is one interface of one file: a pcapng written by tshark on four
 * interfaces is four units, compared with each other like separate files.
 * Pure functions over Traces; packets are decoded on demand here (findings are asked for,
 * statistics never pay for this).
 */
import type { Trace } from '../../trace/trace';
import { captureInfo, isCapture } from '../../formats/capture/common';
import { decodePacket } from '../../formats/capture/decode';
import type { PacketInfo } from '../../net/packet';
import { absNsText } from '../../trace/time';

export type FindingKind =
  | 'truncated-frame'
  | 'ip-length-exceeds'
  | 'bad-checksum'
  | 'malformed'
  | 'echo-no-reply'
  | 'echo-reply-no-request'
  | 'periodic-break'
  | 'periodic-stop'
  | 'missing-traffic'
  | 'lost-events'
  | 'read-error';

export type Severity = 'error' | 'warning' | 'note';

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** Index of the input in the list given to `findings`. */
  readonly source: number;
  /** 1-based packet number (captures). */
  readonly packet?: number;
  /** 1-based line (traces). */
  readonly line?: number;
  /** Byte offset in the file, for read errors. */
  readonly offset?: number;
  readonly interface?: string;
  /** Absolute time, ns since 1970 (bigint as a string), when the finding is about a moment. */
  readonly timeNs?: string;
  readonly message: string;
}

export interface FindingsInput {
  readonly name: string;
  readonly trace: Trace;
}

const SEVERITY: Record<FindingKind, Severity> = {
  'truncated-frame': 'note',
  'ip-length-exceeds': 'error',
  'bad-checksum': 'error',
  malformed: 'error',
  'echo-no-reply': 'warning',
  'echo-reply-no-request': 'warning',
  'periodic-break': 'warning',
  'periodic-stop': 'warning',
  'missing-traffic': 'warning',
  'lost-events': 'warning',
  'read-error': 'error',
};

/** Periodic flows need at least this many packets (5 intervals) before a period is trusted. */
const PERIODIC_MIN_PACKETS = 6;
/** A gap longer than this many periods breaks the period; silence this long after the last one is a stop. */
const PERIODIC_GAP_FACTOR = 2.5;
/** Share of intervals within ±25% of the median interval for the flow to count as periodic. */
const PERIODIC_REGULAR_SHARE = 0.75;
const MAX_FLOW_TIMES = 200_000;

function secs(ns: number): string {
  return `${(ns / 1e9).toFixed(ns < 1e9 ? 3 : 2)} s`;
}

interface Unit {
  readonly source: number;
  readonly file: string;
  readonly iface: number;
  readonly ifName: string;
  /** The file names its interfaces (pcapng if_name), so the name is worth showing. */
  readonly named: boolean;
  firstNs: bigint;
  lastNs: bigint;
  /** Conversation key -> count, first/last absolute ns, first packet. */
  readonly convs: Map<string, { count: number; first: bigint; last: bigint; packet: number; kind: string; label: string; a: string; b: string }>;
  /** Unordered address pairs seen talking (any protocol). */
  readonly pairs: Set<string>;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function icmpName(p: PacketInfo): string {
  const i = p.icmp;
  if (!i) return p.protocol;
  if (i.echoRequest === true) return i.version === 6 ? 'ICMPv6 echo request' : 'ICMP echo request';
  if (i.echoRequest === false) return i.version === 6 ? 'ICMPv6 echo reply' : 'ICMP echo reply';
  return `${i.version === 6 ? 'ICMPv6' : 'ICMP'} type ${i.type}`;
}

/** What a packet is, for conversations and periodic flows (addresses excluded); diff/ counts flows by it too. */
export function kindOf(p: PacketInfo): string {
  if (p.icmp) return icmpName(p);
  if (p.ospf) return `OSPF ${p.ospf.typeName}`;
  if (p.ports) return `${p.protocol.toUpperCase()} port ${Math.min(p.ports.src, p.ports.dst)}`;
  if (p.protocol === 'arp') return p.summary.includes('Reply') ? 'ARP reply' : 'ARP request';
  return p.protocol.toUpperCase();
}

/** Flow identity for periodicity: ICMP echoes by id, TCP/UDP by both ports. */
function flowOf(p: PacketInfo): string {
  if (p.icmp && p.icmp.id !== null) return `${icmpName(p)} id ${p.icmp.id}`;
  if (p.ports) return `${p.protocol.toUpperCase()} ${p.ports.src} > ${p.ports.dst}`;
  return kindOf(p);
}

interface FlowTimes {
  label: string;
  iface: string;
  times: number[];
  packets: number[];
}

/** Findings for one capture, and its units for the cross-capture comparison. */
function analyzeCapture(input: FindingsInput, source: number, out: Finding[], units: Unit[]): void {
  const t = input.trace;
  const info = captureInfo(t);
  const ifName = (i: number): string => info?.interfaces[i]?.name ?? `if${i}`;
  const at = (i: number): string => absNsText(t.absNs(i));
  const add = (kind: FindingKind, i: number, message: string): void => {
    out.push({ kind, severity: SEVERITY[kind], source, packet: t.line(i), interface: t.comm(i), timeNs: at(i), message });
  };
  const named = (i: number): string => (info?.interfaces[t.cpu(i)]?.named ? ` on ${t.comm(i)}` : '');
  const byIface = new Map<number, Unit>();
  const requests = new Map<string, number>();
  const replies = new Map<string, number>();
  const answered = new Set<string>();
  const flows = new Map<string, FlowTimes>();
  let lastTs = -Infinity;
  for (let i = 0; i < t.length; i++) {
    const p = decodePacket(t, i);
    const ts = t.tsNs(i);
    if (ts > lastTs) lastTs = ts;
    for (const q of p.problems) add(q.kind, i, q.message);
    const iface = t.cpu(i);
    // ICMP echo pairing, per interface.
    if (p.icmp && p.icmp.id !== null && p.icmp.echoRequest !== null && p.src && p.dst) {
      const k = (a: string, b: string): string => `${iface}|${p.icmp?.version}|${a}|${b}|${p.icmp?.id}|${p.icmp?.seq}`;
      if (p.icmp.echoRequest) {
        const key = k(p.src, p.dst);
        if (!requests.has(key)) requests.set(key, i);
      } else {
        const key = k(p.dst, p.src);
        answered.add(key);
        if (!replies.has(key)) replies.set(key, i);
      }
    }
    if (p.src && p.dst) {
      const abs = t.absNs(i);
      let u = byIface.get(iface);
      if (!u) {
        u = { source, file: input.name, iface, ifName: ifName(iface), named: info?.interfaces[iface]?.named ?? false, firstNs: abs, lastNs: abs, convs: new Map(), pairs: new Set() };
        byIface.set(iface, u);
      }
      if (abs < u.firstNs) u.firstNs = abs;
      if (abs > u.lastNs) u.lastNs = abs;
      // Evidence that the capture sees two hosts talk: IP packets, not ARP (broadcast, seen by every port).
      if (p.ipProto !== null) u.pairs.add(pairKey(p.src, p.dst));
      const kind = kindOf(p);
      const ck = `${kind}|${p.src}|${p.dst}`;
      const c = u.convs.get(ck);
      if (c) {
        c.count++;
        if (abs < c.first) c.first = abs;
        if (abs > c.last) c.last = abs;
      } else u.convs.set(ck, { count: 1, first: abs, last: abs, packet: t.line(i), kind, label: `${kind} ${p.src} > ${p.dst}`, a: p.src, b: p.dst });
      const fk = `${iface}|${flowOf(p)}|${p.src}|${p.dst}`;
      let f = flows.get(fk);
      if (!f) {
        f = { label: `${flowOf(p)} ${p.src} > ${p.dst}`, iface: info?.interfaces[iface]?.named ? ` on ${ifName(iface)}` : '', times: [], packets: [] };
        flows.set(fk, f);
      }
      if (f.times.length < MAX_FLOW_TIMES) {
        f.times.push(ts);
        f.packets.push(i);
      }
    }
  }
  for (const [key, i] of requests) {
    if (answered.has(key)) continue;
    const p = decodePacket(t, i);
    const left = lastTs - t.tsNs(i);
    add('echo-no-reply', i, `${icmpName(p)} ${p.src} > ${p.dst} id ${p.icmp?.id} seq ${p.icmp?.seq} has no reply${named(i)} (the capture goes on ${secs(left)} after it)`);
  }
  for (const [key, i] of replies) {
    if (requests.has(key)) continue;
    const p = decodePacket(t, i);
    add('echo-reply-no-request', i, `${icmpName(p)} ${p.src} > ${p.dst} id ${p.icmp?.id} seq ${p.icmp?.seq} answers a request this capture did not see${named(i)}`);
  }
  for (const f of flows.values()) periodic(f, lastTs, (kind, i, msg) => add(kind, i, msg));
  units.push(...byIface.values());
}

/** Period of a flow from its arrival times, or null when it is not regular. */
function periodOf(times: number[]): number | null {
  if (times.length < PERIODIC_MIN_PACKETS) return null;
  const gaps: number[] = [];
  for (let k = 1; k < times.length; k++) gaps.push((times[k] as number) - (times[k - 1] as number));
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  if (median <= 0) return null;
  const regular = gaps.filter((g) => Math.abs(g - median) <= median * 0.25).length;
  return regular >= PERIODIC_REGULAR_SHARE * gaps.length ? median : null;
}

function periodic(f: FlowTimes, captureEnd: number, add: (kind: FindingKind, i: number, msg: string) => void): void {
  const period = periodOf(f.times);
  if (period === null) return;
  const n = f.times.length;
  for (let k = 1; k < n; k++) {
    const gap = (f.times[k] as number) - (f.times[k - 1] as number);
    if (gap > period * PERIODIC_GAP_FACTOR) {
      add('periodic-break', f.packets[k] as number, `${f.label}${f.iface}: every ${secs(period)}, then a gap of ${secs(gap)} (about ${Math.round(gap / period) - 1} missing) before this packet`);
    }
  }
  const silence = captureEnd - (f.times[n - 1] as number);
  if (silence > period * PERIODIC_GAP_FACTOR) {
    add('periodic-stop', f.packets[n - 1] as number, `${f.label}${f.iface}: ${n} packets every ${secs(period)}, then none after this one; the capture goes on ${secs(silence)} (about ${Math.floor(silence / period)} periods) without it`);
  }
}

function unitName(u: Unit): string {
  return u.named ? `${u.file} (${u.ifName})` : u.file;
}

function crossCapture(units: Unit[], out: Finding[]): void {
  for (const b of units) {
    // Conversation key -> the units that have it, for this unit that lacks it.
    const lacking = new Map<string, { c: Unit['convs'] extends Map<string, infer V> ? V : never; where: string[] }>();
    for (const a of units) {
      if (a === b) continue;
      for (const c of a.convs.values()) {
        if (c.count < 2) continue;
        // The other capture must see these two hosts exchange IP traffic, during this traffic, but not this traffic.
        if (!b.pairs.has(pairKey(c.a, c.b))) continue;
        if (c.last < b.firstNs || c.first > b.lastNs) continue;
        const key = `${c.kind}|${c.a}|${c.b}`;
        if (b.convs.has(key)) continue;
        let l = lacking.get(key);
        if (!l) {
          l = { c, where: [] };
          lacking.set(key, l);
        }
        l.where.push(`${a.file === b.file && a.named ? `interface ${a.ifName}` : unitName(a)} has ${c.count} (from packet ${c.packet})`);
      }
    }
    for (const { c, where } of lacking.values()) {
      out.push({
        kind: 'missing-traffic',
        severity: SEVERITY['missing-traffic'],
        source: b.source,
        interface: b.ifName,
        timeNs: c.first.toString(),
        message: `${unitName(b)} has no ${c.label}, although it sees IP traffic between ${c.a} and ${c.b}: ${where.join('; ')}`,
      });
    }
  }
}

function traceFindings(input: FindingsInput, source: number, out: Finding[]): void {
  for (const l of input.trace.lost) {
    out.push({ kind: 'lost-events', severity: SEVERITY['lost-events'], source, line: l.line, message: `CPU ${l.cpu} lost ${l.count ?? 'an unknown number of'} events here` });
  }
}

/** All findings over the inputs (captures and traces), by input, then packet/line order. */
export function findings(inputs: readonly FindingsInput[]): Finding[] {
  const out: Finding[] = [];
  const units: Unit[] = [];
  inputs.forEach((input, source) => {
    const t = input.trace;
    for (const issue of t.issues) {
      out.push({ kind: 'read-error', severity: SEVERITY['read-error'], source, ...(isCapture(t.meta.format) ? { packet: issue.line } : { line: issue.line }), offset: issue.offset, message: issue.message });
    }
    if (isCapture(t.meta.format)) analyzeCapture(input, source, out, units);
    else traceFindings(input, source, out);
  });
  crossCapture(units, out);
  const pos = (f: Finding): number => f.packet ?? f.line ?? 0;
  return out.sort((x, y) => x.source - y.source || pos(x) - pos(y));
}
