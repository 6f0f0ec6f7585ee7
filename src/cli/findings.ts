/** `ktl findings`: problems found in captures (and traces), one JSON object or text line each. */
import { findings, type FindingsInput } from '../core/analysis/capture/findings';
import { loadTrace } from './load';
import { UsageError, type Command } from './commands';

export const findingsCommand: Command = {
  name: 'findings',
  usage: 'findings FILE... [--json] [--kind KIND]...',
  options: { json: { type: 'boolean' }, kind: { type: 'string', multiple: true } },
  async run(args, out) {
    if (args.positionals.length === 0) throw new UsageError('ktl findings expects at least one FILE');
    const kinds = new Set((args.values.kind as string[] | undefined) ?? []);
    const inputs: FindingsInput[] = [];
    try {
      for (const file of args.positionals) inputs.push({ name: file, trace: await loadTrace(file, args) });
      let n = 0;
      for (const f of findings(inputs)) {
        if (kinds.size > 0 && !kinds.has(f.kind)) continue;
        const { source, ...rest } = f;
        const file = inputs[source]?.name ?? '';
        if (args.values.json === true) out.line(JSON.stringify({ file, ...rest }));
        else out.line(`${file}:${f.packet !== undefined ? `packet ${f.packet}` : f.line !== undefined ? `line ${f.line}` : ''}: ${f.severity} [${f.kind}] ${f.message}`);
        if (++n % 4096 === 0) await out.drained();
      }
    } finally {
      for (const i of inputs) i.trace.close();
    }
  },
};
