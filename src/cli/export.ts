/**
 * `ktl export FILE --to perfetto|parquet|jsonl --out PATH`: the trace for other tools
 * (core/analysis/export, core/io/export-file.ts). Streams: a batch of rows at a time. Parquet
 * writes OUT plus OUT's .meta/.findings (and with --source, .hits) tables beside it.
 */
import { basename } from 'node:path';
import { loadTrace } from './load';
import { EXPORT_FORMATS, exportToFile, isExportFormat } from '../core/io/export-file';
import { builtinModel, builtinModelNames } from '../core/analysis/lifecycle/models/index';
import type { LifecycleModel } from '../core/analysis/lifecycle/model';
import { UsageError, nonNegative, oneFile, type Command } from './commands';
import { hitsOf } from './hits';
import { pairSpecArgs } from './latency';

export const exportCommand: Command = {
  name: 'export',
  usage: `export FILE --to ${EXPORT_FORMATS.join('|')} --out PATH [--batch N] [--source DIR [--kallsyms FILE] [--vmlinux FILE]] [--pair OPEN,CLOSE [--key FIELD[,FIELD]]]`,
  options: { to: { type: 'string' }, out: { type: 'string' }, batch: { type: 'string' }, pair: { type: 'string' }, key: { type: 'string' }, source: { type: 'string' }, kallsyms: { type: 'string' }, vmlinux: { type: 'string' }, 'no-cache': { type: 'boolean' } },
  async run(args, out) {
    const file = oneFile(args, 'export');
    const v = args.values;
    if (typeof v.to !== 'string' || !isExportFormat(v.to)) throw new UsageError(`ktl export needs --to ${EXPORT_FORMATS.join('|')}`);
    if (typeof v.out !== 'string' || v.out === '') throw new UsageError('ktl export needs --out PATH');
    const batchRows = typeof v.batch === 'string' ? nonNegative('--batch', v.batch) : undefined;
    if (batchRows === 0) throw new UsageError('--batch expects at least 1');
    if (v.pair === undefined && v.key !== undefined) throw new UsageError('--key goes with --pair');
    if (v.pair !== undefined && v.to !== 'perfetto') throw new UsageError('--pair is for --to perfetto (slices from each opening event to its closing one)');
    const pairs = v.pair !== undefined ? [pairSpecArgs(args)] : undefined;
    const models: LifecycleModel[] = builtinModelNames().map((n) => builtinModel(n) as LifecycleModel);
    const trace = await loadTrace(file, args);
    try {
      // Parquet with --source: the hits table too (events per kernel source line).
      const hits = v.to === 'parquet' && typeof v.source === 'string' ? (await hitsOf(trace, v.source, args)).hits : undefined;
      const r = await exportToFile(trace, { format: v.to, out: v.out, file: basename(file), models, ...(hits ? { hits } : {}), ...(batchRows !== undefined ? { batchRows } : {}), ...(pairs ? { pairs } : {}) });
      out.line(JSON.stringify({ format: v.to, events: r.events, files: r.files, ...(r.pairs ? { pairs: r.pairs } : {}) }));
    } finally {
      trace.close();
    }
  },
};
