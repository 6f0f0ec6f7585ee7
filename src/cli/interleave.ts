/**
 * `ktl interleave TRACE --key FIELD=VALUE [--pair OPEN,CLOSE] [--near NS]`: the events touching
 * one shared object from every CPU, in time order, and with --pair the windows in which two
 * CPUs were inside its critical section at once (core/analysis/lifecycle/interleave.ts). Without --json,
 * the events are printed side by side, one column per CPU, as in seed 004's "CPU 2 | CPU 0".
 */
import type { Trace } from '../core/trace/trace';
import { nsSecondsText } from '../core/trace/time';
import { loadTrace } from './load';
import { interleave, parseObjectKey } from '../core/analysis/lifecycle/interleave';
import { interleaveJson, type InterleaveJson } from '../core/analysis/lifecycle/json';
import { nonNegative, oneFile, UsageError, type Command } from './commands';
import type { Output } from './output';

export const interleaveCommand: Command = {
  name: 'interleave',
  usage: 'interleave FILE --key FIELD=VALUE|VALUE [--pair OPEN,CLOSE] [--near NS] [--json]',
  options: { key: { type: 'string' }, pair: { type: 'string' }, near: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'interleave');
    if (typeof v.key !== 'string') throw new UsageError('ktl interleave needs --key FIELD=VALUE (e.g. xs=0xffff90fd32693c00) or a bare VALUE');
    const key = parseObjectKey(v.key);
    if (!key) throw new UsageError(`--key expects FIELD=VALUE or VALUE, got "${v.key}"`);
    let pair: { open: string; close: string } | undefined;
    if (typeof v.pair === 'string') {
      const parts = v.pair.split(',').map((s) => s.trim());
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--pair expects OPEN,CLOSE (two event names), got "${v.pair}"`);
      pair = { open: parts[0], close: parts[1] };
    }
    const nearNs = typeof v.near === 'string' ? nonNegative('--near', v.near) : 0;
    const trace = await loadTrace(file, args);
    try {
      const q = { ...key, ...(pair ? { pair } : {}), nearNs };
      const j = interleaveJson(trace, q, interleave(trace, q));
      if (v.json === true) out.line(JSON.stringify(j));
      else printColumns(trace, j, out);
    } finally {
      trace.close();
    }
  },
};

const COL = 56;

function absTime(trace: Trace, tsNs: number): string {
  return nsSecondsText(trace.originNs + BigInt(Math.round(tsNs)));
}

function cell(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > COL ? `${t.slice(0, COL - 1)}…` : t.padEnd(COL);
}

function printColumns(trace: Trace, j: InterleaveJson, out: Output): void {
  const label = j.key.field === null ? j.key.value : `${j.key.field}=${j.key.value}`;
  out.line(`${j.events.length} events touch ${label} on CPU${j.cpus.length === 1 ? '' : 's'} ${j.cpus.join(', ')}`);
  out.line(`${'time (s)'.padEnd(20)} ${j.cpus.map((c) => cell(`CPU ${c}`)).join(' | ')}`);
  for (const e of j.events) {
    const text = `L${e.line} ${e.event} ${Object.entries(e.fields).map(([k, val]) => (k === 'text' ? val : `${k}=${val}`)).join(' ')}`;
    out.line(`${absTime(trace, e.tsNs).padEnd(20)} ${j.cpus.map((c) => cell(c === e.cpu ? text : '')).join(' | ')}`.trimEnd());
  }
  if (j.pair) {
    out.line(`${j.sections.length} critical section${j.sections.length === 1 ? '' : 's'} ${j.pair.open} .. ${j.pair.close}; ${j.windows.length} window${j.windows.length === 1 ? '' : 's'} with two CPUs inside:`);
    for (const w of j.windows) out.line(`  #${w.rank}: ${w.message}`);
    if (j.unpairedCloses > 0) out.line(`  (${j.unpairedCloses} ${j.pair.close} without an earlier ${j.pair.open} on its CPU: begun before the trace)`);
    if (j.unclosed > 0) out.line(`  (${j.unclosed} section${j.unclosed === 1 ? '' : 's'} never closed, and no ${j.pair.close} touches this object: end unknown)`);
  }
}
