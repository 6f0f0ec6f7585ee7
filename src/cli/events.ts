/**
 * `ktl events`: one JSON object per event (or one text line), in file order, filtered by the
 * same EventFilter as the editor's table and timeline (core/analysis/event-filter.ts):
 * --event/--cpu/--task/--text are its events/cpus/task/text.
 */
import type { Trace } from '../core/trace/trace';
import { eventJson } from '../core/formats/decode';
import { eventMatcher, type EventFilter } from '../core/analysis/event-filter';
import { loadTrace } from './load';
import { nonNegative, oneFile, type Command } from './commands';
import type { Output } from './output';

export const eventsCommand: Command = {
  name: 'events',
  usage: 'events FILE [--json] [--event NAME]... [--cpu N]... [--task COMM|PID] [--text TEXT] [--limit N]',
  options: { json: { type: 'boolean' }, event: { type: 'string', multiple: true }, cpu: { type: 'string', multiple: true }, task: { type: 'string' }, text: { type: 'string' }, limit: { type: 'string' } },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'events');
    const cpus = ((v.cpu as string[] | undefined) ?? []).map((c) => nonNegative('--cpu', c));
    const limit = typeof v.limit === 'string' ? nonNegative('--limit', v.limit) : Infinity;
    const trace = await loadTrace(file, args);
    try {
      const filter: EventFilter = { events: (v.event as string[] | undefined) ?? [], cpus, task: typeof v.task === 'string' ? v.task : '', text: typeof v.text === 'string' ? v.text : '' };
      await writeEvents(trace, { json: v.json === true, filter, limit }, out);
    } finally {
      trace.close();
    }
  },
};

interface EventsOptions {
  json: boolean;
  filter: EventFilter;
  limit: number;
}

/** Events between waits for stdout to drain. */
const DRAIN_EVERY = 4096;

async function writeEvents(trace: Trace, o: EventsOptions, out: Output): Promise<void> {
  const keep = eventMatcher(trace, o.filter);
  let written = 0;
  for (let i = 0; i < trace.length && written < o.limit && !out.isClosed; i++) {
    if (keep && !keep.test(i)) continue;
    if (o.json) out.line(JSON.stringify(eventJson(trace, i)));
    else out.line(`${(trace.tsNs(i) / 1e9).toFixed(9)} [${trace.cpu(i)}] ${trace.comm(i)}-${trace.pid(i)} ${trace.event(i)}: ${trace.payloadText(i)}`);
    if (++written % DRAIN_EVERY === 0) await out.drained();
  }
}
