/** `ktl latency`: durations between paired events (core/analysis/latency.ts has the pairing rule). */
import { latencyFigures, pairLatency, type LatencyFigures, type LatencyResult, type LatencySpec } from '../core/analysis/latency';
import type { Trace } from '../core/trace/trace';
import { loadTrace } from './load';
import { nonNegative, oneFile, UsageError, type Command, type ParsedArgs } from './commands';

/** `--pair OPEN,CLOSE [--key FIELD | --key OPENFIELD,CLOSEFIELD]` as a pairing (ktl latency, ktl export). */
export function pairSpecArgs(args: ParsedArgs): Omit<LatencySpec, 'worst'> {
  const v = args.values;
  const pair = typeof v.pair === 'string' ? v.pair.split(',') : [];
  const [open, close] = pair;
  if (pair.length !== 2 || !open || !close) throw new UsageError('--pair expects OPEN,CLOSE (two event names)');
  const keys = typeof v.key === 'string' ? v.key.split(',') : [];
  if (keys.length > 2 || keys.some((k) => k === '')) throw new UsageError('--key expects FIELD or OPENFIELD,CLOSEFIELD');
  return { open, close, openKey: keys[0] ?? null, closeKey: keys[1] ?? null };
}

export const latencyCommand: Command = {
  name: 'latency',
  usage: 'latency FILE --pair OPEN,CLOSE [--key FIELD | --key OPENFIELD,CLOSEFIELD] [--worst N] [--json]',
  options: { pair: { type: 'string' }, key: { type: 'string' }, worst: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'latency');
    const spec = pairSpecArgs(args);
    const worst = typeof v.worst === 'string' ? nonNegative('--worst', v.worst) : undefined;
    const trace = await loadTrace(file, args);
    try {
      const r = pairLatency(trace, { ...spec, ...(worst !== undefined ? { worst } : {}) });
      const json = latencyJson(trace, r);
      if (v.json === true) out.line(JSON.stringify(json));
      else out.line(latencyText(json));
    } finally {
      trace.close();
    }
  },
};

export interface LatencyJson extends LatencyFigures {
  /** Lines are 1-based lines of the trace file (packet numbers in a capture). */
  worst: { openLine: number; closeLine: number; durNs: number }[];
}

function latencyJson(trace: Trace, r: LatencyResult): LatencyJson {
  return {
    ...latencyFigures(r),
    worst: r.worst.map((p) => ({ openLine: trace.line(p.open), closeLine: trace.line(p.close), durNs: p.durNs })),
  };
}

function latencyText(j: LatencyJson): string {
  const us = (ns: number | null): string => (ns === null ? '-' : `${(ns / 1000).toFixed(3)} us`);
  const lines = [
    `pairs ${j.count}  unmatched opens ${j.unmatchedOpens}  unmatched closes ${j.unmatchedCloses}`,
    `min ${us(j.minNs)}  p50 ${us(j.p50Ns)}  p90 ${us(j.p90Ns)}  p99 ${us(j.p99Ns)}  max ${us(j.maxNs)}`,
    ...j.worst.map((w) => `  ${us(w.durNs).padStart(14)}  line ${w.openLine} -> ${w.closeLine}`),
  ];
  return lines.join('\n');
}
