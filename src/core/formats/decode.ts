/**
 * Decodes one event's fields on demand, whatever format the trace was read from, and the
 * canonical JSON shape of an event shared by `ktl events`, golden tests and the worker.
 */
import type { Trace } from '../trace/trace';
import type { DecodedPayload, ProbeSite } from './decoded';
import { formatSpec } from './registry';

export function decodeEvent(trace: Trace, i: number): DecodedPayload {
  return formatSpec(trace.meta.format).decode(trace, i);
}

/** One line of display text for event `i`: the format's own, else the payload as written. */
export function eventText(trace: Trace, i: number): string {
  const spec = formatSpec(trace.meta.format);
  return spec.text ? spec.text(trace, i) : trace.payloadText(i);
}

export interface EventJson {
  /** ns relative to the first event. */
  tsNs: number;
  cpu: number;
  /** -1 when unknown (function_graph without funcgraph-proc). */
  pid: number;
  tgid?: number;
  comm: string;
  event: string;
  flags?: string;
  /** 1-based line in the trace file. */
  line: number;
  fields: Record<string, string>;
  probe?: { symbol: string | null; offset: number | null; size: number | null; address?: string; returnFrom?: string };
  stack?: readonly string[];
}

export function eventJson(trace: Trace, i: number): EventJson {
  const d = decodeEvent(trace, i);
  const out: EventJson = { tsNs: trace.tsNs(i), cpu: trace.cpu(i), pid: trace.pid(i), comm: trace.comm(i), event: trace.event(i), line: trace.line(i), fields: d.fields };
  const tgid = trace.tgid(i);
  if (tgid >= 0) out.tgid = tgid;
  const flags = trace.flags(i);
  if (flags) out.flags = flags;
  if (d.probe) out.probe = probeJson(d.probe);
  if (d.stack) out.stack = d.stack;
  return out;
}

function probeJson(p: ProbeSite): NonNullable<EventJson['probe']> {
  const out: NonNullable<EventJson['probe']> = { symbol: p.symbol, offset: p.offset, size: p.size };
  if (p.address !== null) out.address = p.address;
  if (p.returnFrom !== null) out.returnFrom = p.returnFrom;
  return out;
}
