/**
 * `ktl probe FILE:LINE --source DIR [--var EXPR]... [--tracefs DIR]`: the perf probe script for
 * one source line (`--tracefs` where tracefs is not mounted at /sys/kernel/tracing).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { lineProbeScript } from '../core/probes/line-probe';
import { lineVariables } from '../core/source/line-vars';
import { UsageError, type Command } from './commands';
import { openSourceIndex } from './source-index';
import { createCParser } from '../core/source/c-parser';
import { loadCParserWasm } from '../core/io/source-files';

export const probeCommand: Command = {
  name: 'probe',
  usage: 'probe FILE:LINE --source DIR [--var EXPR]... [--tracefs DIR] [--json]',
  options: { source: { type: 'string' }, var: { type: 'string', multiple: true }, tracefs: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, out) {
    const [spec, ...extra] = args.positionals;
    const m = spec ? /^([\s\S]+):(\d+)$/.exec(spec) : null;
    if (!m || extra.length > 0) throw new UsageError('ktl probe expects one FILE:LINE');
    const source = args.values.source;
    if (typeof source !== 'string') throw new UsageError('ktl probe needs --source DIR (the kernel source tree)');
    const root = resolve(source);
    const abs = isAbsolute(m[1] as string) ? (m[1] as string) : resolve(root, m[1] as string);
    const file = relative(root, abs).split('\\').join('/');
    if (file.startsWith('..')) throw new UsageError(`${m[1]} is not inside ${root}`);
    const line = Number(m[2]);
    const idx = await openSourceIndex(root);
    const fn = await idx.index.functionAt(file, line);
    if (!fn) throw new UsageError(`${file}:${line} is not inside a function definition`);
    if (line < fn.declLine) throw new UsageError(`${file}:${line} is before the name of ${fn.name} (line ${fn.declLine}); probe ${file}:${fn.declLine} for the entry`);
    const parser = await createCParser(loadCParserWasm(__dirname));
    const tree = parser.parse(await idx.tree.read(file));
    try {
      const vars = lineVariables(tree, fn, line);
      const asked = (args.values.var as string[] | undefined) ?? [];
      const p = lineProbeScript({
        function: fn.name,
        relativeLine: line - fn.declLine,
        file,
        line,
        variables: asked.length > 0 ? asked : vars.used,
        inScope: vars.inScope,
        ...(typeof args.values.tracefs === 'string' ? { tracefs: args.values.tracefs } : {}),
      });
      if (args.values.json === true) {
        out.line(JSON.stringify({ event: p.event, group: p.group, function: p.function, relativeLine: p.relativeLine, file, line, variables: p.variables, warnings: p.warnings, commands: p.commands, script: p.script }));
      } else {
        out.line(p.script.trimEnd());
      }
    } finally {
      tree.delete();
      idx.save();
    }
  },
};
