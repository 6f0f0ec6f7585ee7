/**
 * `ktl events`: one JSON object per event (or one text line), in file order, filtered by the
 * same EventFilter as the editor's table and timeline (core/analysis/event-filter.ts):
 * --event/--cpu/--task/--text/--where are its events/cpus/task/text/expr.
 */
import type { Trace } from '../core/trace/trace';
import { eventJson } from '../core/formats/decode';
import { eventMatcher, type EventFilter } from '../core/analysis/event-filter';
import { loadTrace } from './load';
import type { LoadOptions } from '../core/io/file-source';
import { nonNegative, oneFile, type Command } from './commands';
import type { Output } from './output';
import { whereExpr, whereErrors, WHERE_OPTION, WHERE_USAGE } from './where';

export const eventsCommand: Command = {
  name: 'events',
  usage: `events FILE [--json | --count] [--event NAME]... [--cpu N]... [--task COMM|PID] [--text TEXT] ${WHERE_USAGE} [--limit N]`,
  options: {
    json: { type: 'boolean' },
    count: { type: 'boolean' },
    event: { type: 'string', multiple: true },
    cpu: { type: 'string', multiple: true },
    task: { type: 'string' },
    text: { type: 'string' },
    limit: { type: 'string' },
    ...WHERE_OPTION,
  },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'events');
    const cpus = ((v.cpu as string[] | undefined) ?? []).map((c) => nonNegative('--cpu', c));
    const limit = typeof v.limit === 'string' ? nonNegative('--limit', v.limit) : Infinity;
    const expr = whereExpr(args);
    const filter: EventFilter = {
      events: (v.event as string[] | undefined) ?? [],
      cpus,
      task: typeof v.task === 'string' ? v.task : '',
      text: typeof v.text === 'string' ? v.text : '',
      ...(expr !== undefined ? { expr } : {}),
    };
    const trace = await loadTrace(file, args, Number.isFinite(limit) ? stopAfter(limit, filter) : {});
    try {
      await writeEvents(trace, { json: v.json === true, count: v.count === true, filter, limit }, out);
    } finally {
      trace.close();
    }
  },
};

export interface EventsOptions {
  json: boolean;
  /** Print only how many events pass. */
  count: boolean;
  filter: EventFilter;
  limit: number;
}

/**
 * Reading stops once `limit` events passing `filter` are read and settled (no later line can
 * change them: strace's unfinished calls wait for their result), so `--limit 10` on a 2 GB file
 * reads its first chunk or so. The output is the same as after a whole read: the rows are the
 * first `limit` matches in file order either way. trace.dat has no partial view: read whole.
 */
export function stopAfter(limit: number, filter: EventFilter): Pick<LoadOptions, 'onSnapshot' | 'snapshotIntervalMs'> {
  let checked = 0;
  let found = 0;
  return {
    snapshotIntervalMs: 0,
    onSnapshot: (t) => {
      // Names resolve against the strings read so far: a new matcher for each snapshot.
      const keep = whereErrors(() => eventMatcher(t, filter));
      const settled = t.partial?.settled ?? t.length;
      for (; checked < settled && found < limit; checked++) if (!keep || keep.test(checked)) found++;
      return found >= limit ? 'stop' : undefined;
    },
  };
}

/** Events between waits for stdout to drain. */
const DRAIN_EVERY = 4096;

export async function writeEvents(trace: Trace, o: EventsOptions, out: Output): Promise<void> {
  const keep = whereErrors(() => eventMatcher(trace, o.filter));
  let written = 0;
  for (let i = 0; i < trace.length && written < o.limit && !out.isClosed; i++) {
    if (keep && !keep.test(i)) continue;
    written++;
    if (o.count) continue;
    if (o.json) out.line(JSON.stringify(eventJson(trace, i)));
    else out.line(`${(trace.tsNs(i) / 1e9).toFixed(9)} [${trace.cpu(i)}] ${trace.comm(i)}-${trace.pid(i)} ${trace.event(i)}: ${trace.payloadText(i)}`);
    if (written % DRAIN_EVERY === 0) await out.drained();
  }
  if (o.count) out.line(String(written));
}
