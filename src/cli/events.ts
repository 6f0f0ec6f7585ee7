/** `ktl events`: one JSON object per event (or one text line), in file order, filtered. */
import type { Trace } from '../core/trace/trace';
import { eventJson } from '../core/formats/decode';
import { loadTrace } from './load';
import { nonNegative, oneFile, type Command } from './commands';
import type { Output } from './output';
import { whereFilter, WHERE_OPTION, WHERE_USAGE } from './where';

export const eventsCommand: Command = {
  name: 'events',
  usage: `events FILE [--json | --count] [--event NAME]... [--cpu N]... ${WHERE_USAGE} [--limit N]`,
  options: { json: { type: 'boolean' }, count: { type: 'boolean' }, event: { type: 'string', multiple: true }, cpu: { type: 'string', multiple: true }, limit: { type: 'string' }, ...WHERE_OPTION },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'events');
    const cpus = ((v.cpu as string[] | undefined) ?? []).map((c) => nonNegative('--cpu', c));
    const limit = typeof v.limit === 'string' ? nonNegative('--limit', v.limit) : Infinity;
    const where = whereFilter(args);
    const trace = await loadTrace(file, args);
    try {
      await writeEvents(trace, { json: v.json === true, count: v.count === true, events: (v.event as string[] | undefined) ?? [], cpus, where: where(trace), limit }, out);
    } finally {
      trace.close();
    }
  },
};

interface EventsOptions {
  json: boolean;
  events: string[];
  cpus: number[];
  /** The --where expression compiled for this trace; null keeps all. */
  where: ((i: number) => boolean) | null;
  /** Print only how many events pass. */
  count: boolean;
  limit: number;
}

/** Events between waits for stdout to drain. */
const DRAIN_EVERY = 4096;

async function writeEvents(trace: Trace, o: EventsOptions, out: Output): Promise<void> {
  const eventIds = new Set(o.events.map((e) => trace.strings.find(e)));
  const cpus = new Set(o.cpus);
  let written = 0;
  for (let i = 0; i < trace.length && written < o.limit && !out.isClosed; i++) {
    if (eventIds.size > 0 && !eventIds.has(trace.eventId(i))) continue;
    if (cpus.size > 0 && !cpus.has(trace.cpu(i))) continue;
    if (o.where && !o.where(i)) continue;
    if (o.count) written++;
    else if (o.json) out.line(JSON.stringify(eventJson(trace, i)));
    else {
      out.line(`${(trace.tsNs(i) / 1e9).toFixed(9)} [${trace.cpu(i)}] ${trace.comm(i)}-${trace.pid(i)} ${trace.event(i)}: ${trace.payloadText(i)}`);
    }
    if (!o.count && ++written % DRAIN_EVERY === 0) await out.drained();
  }
  if (o.count) out.line(String(written));
}
