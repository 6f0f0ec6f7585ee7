/** `ktl hits TRACE --source DIR`: events placed on kernel source lines, with counts. */
import { loadTrace } from './load';
import { computeHits, type HitsResult } from '../core/analysis/hits';
import { UsageError, oneFile, type Command, type ParsedArgs } from './commands';
import type { Trace } from '../core/trace/trace';
import { openSourceIndex } from './source-index';
import { hitsOptions } from '../core/io/hits-options';

export const hitsCommand: Command = {
  name: 'hits',
  usage: 'hits TRACE --source DIR [--kallsyms FILE] [--vmlinux FILE] [--json] [--no-cache]',
  options: { source: { type: 'string' }, kallsyms: { type: 'string' }, vmlinux: { type: 'string' }, json: { type: 'boolean' }, 'no-cache': { type: 'boolean' } },
  async run(args, out) {
    const file = oneFile(args, 'hits');
    const source = args.values.source;
    if (typeof source !== 'string') throw new UsageError('ktl hits needs --source DIR (the kernel source tree)');
    const trace = await loadTrace(file, args);
    try {
      const { hits, unmapped } = await hitsOf(trace, source, args);
      if (args.values.json === true) {
        out.line(JSON.stringify(hits));
        return;
      }
      for (const h of hits) {
        const cpus = Object.entries(h.cpus).map(([c, n]) => `cpu${c}:${n}`).join(' ');
        out.line(`${h.file}:${h.line}\t${h.count}\t${h.event}${h.function ? ` (${h.function})` : ''}\t${cpus}${h.ambiguous ? '\tAMBIGUOUS' : ''}${h.note ? `\t${h.note}` : ''}`);
      }
      for (const u of unmapped) out.line(`unmapped\t${u.count}\t${u.event}\t${u.reason}`);
    } finally {
      trace.close();
    }
  },
};

/** Hits of `trace` on the tree at `source`, with --kallsyms/--vmlinux/--no-cache from args (ktl hits, ktl diff). */
export async function hitsOf(trace: Trace, source: string, args: ParsedArgs): Promise<HitsResult> {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const idx = await openSourceIndex(source, { cache: args.values['no-cache'] !== true });
  const options = await hitsOptions(idx.tree.root, { kallsyms: str(args.values.kallsyms), vmlinux: str(args.values.vmlinux) });
  const result = await computeHits(trace, idx.index, idx.tree, options);
  idx.save();
  return result;
}
