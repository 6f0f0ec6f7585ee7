/**
 * Packets per flow of a capture, for comparing two captures of the same traffic (seed 000:
 * the capture on the bond slave has the egress echoes but no ingress replies). A flow is what
 * capture-findings calls a conversation: the packet's kind (`ICMP echo request`,
 * `UDP port 53`, `ARP request`) and its innermost source > destination, plus the interface
 * when the file names its interfaces (a pcapng of four interfaces is four views).
 */
import type { Trace } from '../../trace/trace';
import { captureInfo } from '../../formats/capture/common';
import { decodePacket } from '../../formats/capture/decode';
import { kindOf } from '../capture/findings';

export function flowCounts(trace: Trace): Map<string, number> {
  const info = captureInfo(trace);
  const counts = new Map<string, number>();
  for (let i = 0; i < trace.length; i++) {
    const p = decodePacket(trace, i);
    const iface = info?.interfaces[trace.cpu(i)];
    const on = iface?.named ? ` on ${iface.name}` : '';
    const key = p.src && p.dst ? `${kindOf(p)} ${p.src} > ${p.dst}${on}` : `${kindOf(p)}${on}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
