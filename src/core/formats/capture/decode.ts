/**
 * On-demand decoding of captured packets (DESIGN.md: fields stay raw until asked for): the
 * FormatSpec `decode` of pcap/pcapng, and the JSON shape of one packet shared by `ktl packets`,
 * the golden tests and (later) the packet list.
 */
import type { Trace } from '../../trace/trace';
import type { DecodedPayload } from '../decoded';
import { captureInfo, packetBytes } from './common';
import { dissectPacket } from '../../net/dissect';
import type { PacketInfo } from '../../net/packet';
import { absNsText, type AbsNsText } from '../../trace/time';

const EMPTY = new Uint8Array(0);

/** Full decode of packet `i`. A trace without its bytes (read from memory with no source) decodes as empty. */
export function decodePacket(trace: Trace, i: number): PacketInfo {
  const bytes = packetBytes(trace, i) ?? EMPTY;
  const lt = trace.extra('linkType')?.get(i) ?? 1;
  const origLen = trace.extra('origLen')?.get(i) ?? bytes.length;
  return dissectPacket(bytes, lt, origLen);
}

/** Fields as a flat record for `ktl events` / the generic event table: repeated names are joined with `,`. */
export function decodeCapturePayload(trace: Trace, i: number): DecodedPayload {
  const p = decodePacket(trace, i);
  const fields: Record<string, string> = { summary: p.summary };
  for (const l of p.layers) {
    for (const f of l.fields) {
      const prev = fields[f.name];
      fields[f.name] = prev === undefined ? f.value : `${prev},${f.value}`;
    }
  }
  if (p.problems.length > 0) fields.problems = p.problems.map((x) => x.message).join('; ');
  const comments = captureInfo(trace)?.packetComments.get(i);
  if (comments) fields.comment = comments.join('\n');
  return { fields };
}

export interface PacketJson {
  /** 1-based packet number. */
  index: number;
  /** ns relative to the first packet. */
  tsNs: number;
  /** Absolute wall-clock time, decimal ns since 1970 (bigint as a string). */
  timeNs: AbsNsText;
  interface: string;
  interfaceIndex: number;
  caplen: number;
  len: number;
  protocol: string;
  src: string | null;
  dst: string | null;
  summary: string;
  direction?: string;
  icmp?: { type: number; code: number; id: number | null; seq: number | null; version: 4 | 6 };
  ospf?: { type: string; routerId: string; areaId: string; helloInterval?: number; deadInterval?: number; neighbors?: readonly string[] };
  problems?: { kind: string; message: string }[];
  comments?: string[];
}

export function packetJson(trace: Trace, i: number): PacketJson {
  const p = decodePacket(trace, i);
  const out: PacketJson = {
    index: trace.line(i),
    tsNs: trace.tsNs(i),
    timeNs: absNsText(trace.absNs(i)),
    interface: trace.comm(i),
    interfaceIndex: trace.cpu(i),
    caplen: trace.extra('caplen')?.get(i) ?? 0,
    len: trace.extra('origLen')?.get(i) ?? 0,
    protocol: trace.event(i),
    src: p.src,
    dst: p.dst,
    summary: p.summary,
  };
  const dir = trace.flags(i);
  if (dir) out.direction = dir;
  if (p.icmp) out.icmp = { type: p.icmp.type, code: p.icmp.code, id: p.icmp.id, seq: p.icmp.seq, version: p.icmp.version };
  if (p.ospf) {
    out.ospf = { type: p.ospf.typeName, routerId: p.ospf.routerId, areaId: p.ospf.areaId };
    if (p.ospf.hello) {
      out.ospf.helloInterval = p.ospf.hello.helloInterval;
      out.ospf.deadInterval = p.ospf.hello.deadInterval;
      out.ospf.neighbors = p.ospf.hello.neighbors;
    }
  }
  if (p.problems.length > 0) out.problems = p.problems.map((x) => ({ kind: x.kind, message: x.message }));
  const comments = captureInfo(trace)?.packetComments.get(i);
  if (comments) out.comments = comments;
  return out;
}
