/** `ktl packets`: one JSON object (or one text line) per captured packet, in file order. */
import type { Trace } from '../core/trace/trace';
import { nsSecondsText } from '../core/trace/time';
import { packetJson } from '../core/formats/capture/decode';
import { isCapture } from '../core/formats/capture/common';
import { loadTrace } from './load';
import { nonNegative, oneFile, UsageError, type Command } from './commands';
import type { Output } from './output';
import { whereErrors, whereExpr, WHERE_OPTION, WHERE_USAGE } from './where';
import { compileQuery } from '../core/query/compile';

export const packetsCommand: Command = {
  name: 'packets',
  usage: `packets CAPTURE [--json | --count] [--protocol NAME]... [--interface NAME]... ${WHERE_USAGE} [--limit N]`,
  options: { json: { type: 'boolean' }, count: { type: 'boolean' }, protocol: { type: 'string', multiple: true }, interface: { type: 'string', multiple: true }, limit: { type: 'string' }, ...WHERE_OPTION },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'packets');
    const limit = typeof v.limit === 'string' ? nonNegative('--limit', v.limit) : Infinity;
    const expr = whereExpr(args);
    const trace = await loadTrace(file, args);
    try {
      if (!isCapture(trace.meta.format)) throw new UsageError(`${file} is ${trace.meta.format}, not a packet capture (pcap/pcapng)`);
      const protocols = new Set((v.protocol as string[] | undefined) ?? []);
      const ifaces = new Set((v.interface as string[] | undefined) ?? []);
      await writePackets(trace, { json: v.json === true, count: v.count === true, protocols, ifaces, where: expr === undefined ? null : whereErrors(() => compileQuery(trace, expr)), limit }, out);
    } finally {
      trace.close();
    }
  },
};

const DRAIN_EVERY = 4096;

interface PacketsOptions {
  json: boolean;
  /** Print only how many packets pass. */
  count: boolean;
  protocols: Set<string>;
  ifaces: Set<string>;
  where: ((i: number) => boolean) | null;
  limit: number;
}

async function writePackets(trace: Trace, o: PacketsOptions, out: Output): Promise<void> {
  let written = 0;
  for (let i = 0; i < trace.length && written < o.limit && !out.isClosed; i++) {
    if (o.protocols.size > 0 && !o.protocols.has(trace.event(i))) continue;
    if (o.ifaces.size > 0 && !o.ifaces.has(trace.comm(i))) continue;
    if (o.where && !o.where(i)) continue;
    if (o.count) {
      written++;
      continue;
    }
    const p = packetJson(trace, i);
    if (o.json) out.line(JSON.stringify(p));
    else out.line(`${String(p.index).padStart(6)} ${nsSecondsText(trace.absNs(i) - trace.originNs)} ${p.interface} ${p.protocol} ${p.summary}`);
    if (++written % DRAIN_EVERY === 0) await out.drained();
  }
  if (o.count) out.line(String(written));
}
