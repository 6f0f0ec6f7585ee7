/**
 * A capture's packet-level queries (worker side): the details of one packet (decoded on
 * demand, with its bytes, bounded to MAX_PACKET_BYTES) and the capture's findings. The
 * webview asks for one packet at a time and never gets the file.
 */
import { MAX_FINDINGS, MAX_PACKET_BYTES, type CaptureFinding, type PacketDetails } from '../protocol/messages';
import { findings } from '../core/analysis/capture/findings';
import { captureInfo, packetBytes } from '../core/formats/capture/common';
import { decodePacket } from '../core/formats/capture/decode';
import { linkTypeName } from '../core/net/link';
import type { Trace } from '../core/trace/trace';
import { loadOther } from './journey-service';

/** Details of packet `index` (event index); throws when the trace is not a capture or has no such packet. */
export function packetDetails(trace: Trace, index: number): PacketDetails {
  const info = captureInfo(trace);
  if (!info) throw new Error('not a packet capture');
  if (!Number.isSafeInteger(index) || index < 0 || index >= trace.length) throw new Error(`no packet at index ${index} (the capture has ${trace.length})`);
  const p = decodePacket(trace, index);
  // packetBytes returns a view valid until the next read: copy what the webview gets.
  const all = packetBytes(trace, index);
  const bytes = all ? all.slice(0, MAX_PACKET_BYTES) : new Uint8Array(0);
  const lt = trace.extra('linkType')?.get(index) ?? 1;
  return {
    index,
    number: trace.line(index),
    interface: trace.comm(index),
    linkType: linkTypeName(lt),
    caplen: trace.extra('caplen')?.get(index) ?? bytes.length,
    len: trace.extra('origLen')?.get(index) ?? bytes.length,
    summary: p.summary,
    bytes,
    layers: p.layers.map((l) => ({ name: l.name, offset: l.offset, length: l.length, fields: l.fields.map((f) => ({ ...f })) })),
    problems: p.problems.map((x) => ({ kind: x.kind, message: x.message, offset: x.offset })),
  };
}

/** The capture's findings as `ktl findings FILE` reports them, the first MAX_FINDINGS of them. */
export async function captureFindings(
  trace: Trace,
  fileName: string,
  otherFiles: readonly { readonly path: string; readonly name: string }[] = [],
): Promise<{ findings: CaptureFinding[]; total: number }> {
  if (!captureInfo(trace)) throw new Error('not a packet capture');
  // The other captures of the workspace make "traffic another capture of the same hosts has"
  // findings possible; only this capture's findings (source 0) are kept. One that cannot be
  // read is left out here (its own editor says why).
  const inputs = [{ name: fileName, trace }];
  for (const o of otherFiles) {
    try {
      inputs.push({ name: o.name, trace: await loadOther(o.path) });
    } catch {
      // not a capture, or unreadable
    }
  }
  const all = findings(inputs.filter((x, k) => k === 0 || captureInfo(x.trace))).filter((f) => f.source === 0);
  return {
    findings: all.slice(0, MAX_FINDINGS).map((f) => ({ kind: f.kind, severity: f.severity, packet: f.packet ?? null, message: f.message })),
    total: all.length,
  };
}
