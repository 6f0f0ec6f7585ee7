/**
 * `ktl journey`: follow ICMP echoes (id/seq) across captures, an skb address through trace
 * events, or (`--tcp-packet N`) the TCP segment that is packet N of the first FILE by its
 * 4-tuple, seq and flags, with the first ACK covering it in each capture (as the editor does).
 */
import { journeys, tcpJourney, tcpSegment, type Journey, type JourneyInput } from '../core/analysis/capture/journey';
import { decodePacket } from '../core/formats/capture/decode';
import { isCapture } from '../core/formats/capture/common';
import { loadTrace } from './load';
import { nonNegative, UsageError, type Command } from './commands';

export const journeyCommand: Command = {
  name: 'journey',
  usage: 'journey FILE... [--json] [--id N] [--seq N] [--skb ADDR] [--tcp-packet N]',
  options: { json: { type: 'boolean' }, id: { type: 'string' }, seq: { type: 'string' }, skb: { type: 'string' }, 'tcp-packet': { type: 'string' } },
  async run(args, out) {
    const v = args.values;
    if (args.positionals.length === 0) throw new UsageError('ktl journey expects at least one FILE');
    const filter = {
      ...(typeof v.id === 'string' ? { id: nonNegative('--id', v.id) } : {}),
      ...(typeof v.seq === 'string' ? { seq: nonNegative('--seq', v.seq) } : {}),
      ...(typeof v.skb === 'string' ? { skb: v.skb } : {}),
    };
    const inputs: JourneyInput[] = [];
    try {
      for (const file of args.positionals) inputs.push({ name: file, trace: await loadTrace(file, args) });
      const found: Journey[] = typeof v['tcp-packet'] === 'string' ? [tcpFrom(inputs, nonNegative('--tcp-packet', v['tcp-packet']))] : journeys(inputs, filter);
      for (const j of found) {
        if (v.json === true) {
          out.line(JSON.stringify(j));
          continue;
        }
        const c = j.key.tcp;
        const k = j.key.icmp
          ? `ICMP${j.key.icmp.version === 6 ? 'v6' : ''} echo ${j.key.icmp.requester} -> ${j.key.icmp.responder} id ${j.key.icmp.id} seq ${j.key.icmp.seq}`
          : c
            ? `TCP ${c.src}:${c.sport} -> ${c.dst}:${c.dport} seq ${c.seq}`
            : `skb ${j.key.skb}`;
        out.line(`${k}: ${j.status}, ${j.hops.length} hops`);
        for (const h of j.hops) out.line(`  ${h.timeNs} ${h.file}${h.interface ? ` ${h.interface}` : ''} ${h.packet !== undefined ? `#${h.packet}` : `line ${h.line}`} ${h.what}${h.direction ? ` ${h.direction}` : ''}`);
        if (j.expectedNext) out.line(`  expected next: ${j.expectedNext}`);
      }
    } finally {
      for (const i of inputs) i.trace.close();
    }
  },
};

/** The journey of the TCP segment that is packet `packet` (1-based) of the first input. */
function tcpFrom(inputs: readonly JourneyInput[], packet: number): Journey {
  const first = inputs[0];
  if (!first || !isCapture(first.trace.meta.format)) throw new UsageError('--tcp-packet needs a capture as the first FILE');
  if (packet < 1 || packet > first.trace.length) throw new UsageError(`--tcp-packet ${packet}: ${first.name} has ${first.trace.length} packets`);
  const seg = tcpSegment(decodePacket(first.trace, packet - 1));
  if (!seg) throw new UsageError(`--tcp-packet ${packet}: packet ${packet} of ${first.name} is not a TCP segment`);
  return tcpJourney(inputs, seg);
}
