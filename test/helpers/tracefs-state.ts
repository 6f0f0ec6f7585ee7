/**
 * The machine's tracing state a recording must leave exactly as it found it: tracing_on,
 * current_tracer, set_event, the instance list, and every event's enable/filter/trigger.
 * Read from the live tracefs; compared as a map so a difference names the file.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type TracingState = Map<string, string>;

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    return `<${err instanceof Error && 'code' in err ? String(err.code) : 'error'}>`;
  }
}

export function tracingState(root: string): TracingState {
  const s: TracingState = new Map();
  for (const f of ['tracing_on', 'current_tracer', 'set_event']) s.set(f, readOr(join(root, f)));
  s.set('instances', readdirSync(join(root, 'instances')).sort().join('\n'));
  const events = join(root, 'events');
  for (const sys of readdirSync(events).sort()) {
    const sdir = join(events, sys);
    if (!statSync(sdir).isDirectory()) continue;
    for (const ev of readdirSync(sdir).sort()) {
      const edir = join(sdir, ev);
      if (!statSync(edir).isDirectory()) continue;
      for (const f of ['enable', 'filter', 'trigger']) s.set(`events/${sys}/${ev}/${f}`, readOr(join(edir, f)));
    }
  }
  return s;
}

/** The files whose contents differ, with both values, for an assertion message. */
export function stateDiff(before: TracingState, after: TracingState): string[] {
  const out: string[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(k) !== after.get(k)) out.push(`${k}: ${JSON.stringify(before.get(k))} -> ${JSON.stringify(after.get(k))}`);
  }
  return out;
}
