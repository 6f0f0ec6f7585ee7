/** `ktl journey`: follow ICMP echoes (id/seq) across captures, or an skb address through trace events. */
import { journeys, type JourneyInput } from '../core/analysis/capture-journey';
import { loadTrace } from './load';
import { nonNegative, UsageError, type Command } from './commands';

export const journeyCommand: Command = {
  name: 'journey',
  usage: 'journey FILE... [--json] [--id N] [--seq N] [--skb ADDR]',
  options: { json: { type: 'boolean' }, id: { type: 'string' }, seq: { type: 'string' }, skb: { type: 'string' } },
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
      for (const j of journeys(inputs, filter)) {
        if (v.json === true) {
          out.line(JSON.stringify(j));
          continue;
        }
        const k = j.key.icmp ? `ICMP${j.key.icmp.version === 6 ? 'v6' : ''} echo ${j.key.icmp.requester} -> ${j.key.icmp.responder} id ${j.key.icmp.id} seq ${j.key.icmp.seq}` : `skb ${j.key.skb}`;
        out.line(`${k}: ${j.status}, ${j.hops.length} hops`);
        for (const h of j.hops) out.line(`  ${h.timeNs} ${h.file}${h.interface ? ` ${h.interface}` : ''} ${h.packet !== undefined ? `#${h.packet}` : `line ${h.line}`} ${h.what}${h.direction ? ` ${h.direction}` : ''}`);
        if (j.expectedNext) out.line(`  expected next: ${j.expectedNext}`);
      }
    } finally {
      for (const i of inputs) i.trace.close();
    }
  },
};
