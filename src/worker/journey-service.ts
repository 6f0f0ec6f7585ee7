/**
 * The journey of one ICMP echo (seed 001) or TCP segment from the packet selected in the editor
 * across the other captures in the workspace: the core's `journeys` (what `ktl journey` prints)
 * or `tcpJourney` over this capture and the others, which this worker reads itself (never the extension host) and keeps
 * while they are unchanged (size and mtime).
 */
import { stat } from 'node:fs/promises';
import type { JourneyHopView, PacketJourney } from '../protocol/messages';
import { journeys, tcpJourney, tcpSegment, type Journey } from '../core/analysis/capture/journey';
import { tcpFlagText } from '../core/net/transport';
import { decodePacket } from '../core/formats/capture/decode';
import { loadTraceFile } from '../core/io/file-source';
import type { Trace } from '../core/trace/trace';

interface Loaded {
  readonly key: string;
  readonly trace: Promise<Trace>;
}

/** A capture that cannot be read is listed with its error cut to this many characters. */
const MAX_ERROR_CHARS = 300;

/** Other captures read for journeys and cross-capture findings, by path. */
const others = new Map<string, Loaded>();

/** Another capture of the workspace, read once and kept while its size and mtime stay the same. */
export async function loadOther(path: string): Promise<Trace> {
  const s = await stat(path);
  const key = `${s.size}:${s.mtimeMs}`;
  const have = others.get(path);
  if (have?.key === key) return have.trace;
  if (have) void have.trace.then((t) => t.close(), () => undefined);
  const trace = loadTraceFile(path);
  others.set(path, { key, trace });
  trace.catch(() => others.delete(path));
  return trace;
}

export async function packetJourney(
  trace: Trace,
  index: number,
  name: string,
  otherFiles: readonly { readonly path: string; readonly name: string }[],
): Promise<{ journey: PacketJourney | null; reason: string }> {
  if (!Number.isSafeInteger(index) || index < 0 || index >= trace.length) throw new Error(`no packet at index ${index} (the capture has ${trace.length})`);
  const p = decodePacket(trace, index);
  const ic = p.icmp;
  const seg = tcpSegment(p);
  const echo = ic && ic.id !== null && ic.seq !== null && ic.echoRequest !== null && p.src && p.dst ? ic : null;
  if (!echo && !seg) {
    return { journey: null, reason: `Journeys follow ICMP echoes and TCP segments; packet ${trace.line(index)} is ${p.protocol}.` };
  }
  const inputs = [{ name, trace }];
  const errors: string[] = [];
  for (const o of otherFiles) {
    try {
      inputs.push({ name: o.name, trace: await loadOther(o.path) });
    } catch (err) {
      // The reader's own error names the offset; its first line is enough here.
      const text = err instanceof Error ? err.message : String(err);
      errors.push(`${o.name}: ${text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text}`);
    }
  }
  let j: Journey | undefined;
  let key: string;
  if (echo && echo.id !== null && echo.seq !== null) {
    const requester = echo.echoRequest ? p.src : p.dst;
    const responder = echo.echoRequest ? p.dst : p.src;
    const { id, seq } = echo;
    key = `ICMP${echo.version === 6 ? 'v6' : ''} echo ${requester} -> ${responder} id ${id} seq ${seq}`;
    j = journeys(inputs, { id, seq }).find((x) => {
      const k = x.key.icmp;
      return k !== undefined && k.version === echo.version && k.requester === requester && k.responder === responder;
    });
  } else {
    const s = seg as NonNullable<typeof seg>;
    key = `TCP ${s.src}.${s.sport} > ${s.dst}.${s.dport} [${tcpFlagText(s.flags)}] seq ${s.seq} len ${s.len}`;
    j = tcpJourney(inputs, s);
  }
  if (!j || j.hops.length === 0) throw new Error('the selected packet is missing from its own journey');
  const hops: JourneyHopView[] = j.hops.map((h) => ({
    file: h.file,
    interface: h.interface,
    packet: h.packet ?? 0,
    timeNs: h.timeNs,
    what: h.what,
    direction: h.direction ?? '',
    here: h.file === name,
  }));
  return {
    journey: {
      key,
      status: j.status,
      hops,
      lastSeen: j.hops.indexOf(j.lastSeen),
      expectedNext: j.expectedNext,
      files: inputs.length,
      errors,
    },
    reason: '',
  };
}
