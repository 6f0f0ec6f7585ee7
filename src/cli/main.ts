/**
 * `ktl`: the extension's analyses on the command line, for scripts, CI and benchmarks.
 * The commands are listed in commands.ts; `ktl --help` prints their usage.
 *
 * Exit status: 0 success, 1 usage error, 2 unreadable or non-trace input (one line on stderr),
 * 3 internal error, 4 the input was read with problems (damaged, cut short, lines not understood):
 * the output covers everything that could be read and stderr names the problems (as tcpdump
 * exits non-zero on a truncated dump file).
 */
import { parseArgs } from 'node:util';
import { NotATraceError } from '../core/io/file-source';
import { COMMANDS, UsageError } from './commands';
import { Output } from './output';
import { LOAD_OPTIONS } from './load';
import { KallsymsError } from '../core/source/kallsyms';
import { RecordUnavailableError } from '../core/record/plan';
import { KernelRejectedError } from '../core/io/tracefs';
import { problemsReport } from './problems';

const USAGE = [
  'usage:',
  ...COMMANDS.map((c) => `  ktl ${c.usage}`),
  "every command: --config FILE  reader options (printf pattern) from a kernel-trace.json; default ./.vscode/kernel-trace.json",
  "                 of the current directory, said on stderr when used; --config '' for none",
  '               --max-memory SIZE  memory budget for reading (512M, 2G, bytes; default half the RAM, at most 8G):',
  '                 reading stops there, naming the byte offset, and what was read is used',
  '               --jobs N  threads reading a text trace in byte ranges (default 0: one per core; 1: in order)',
  'exit status: 0 ok, 1 usage error, 2 not a trace or unreadable, 3 internal error,',
  '  4 read with problems (damaged or cut short: the output covers what could be read, stderr names the problems)',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"\n${USAGE}`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...command.options, ...LOAD_OPTIONS } });
  const out = new Output(process.stdout);
  await command.run({ values, positionals }, out);
  await out.end();
  const problems = problemsReport();
  if (problems === null) return 0;
  process.stderr.write(`${problems}\n`);
  return 4;
}

// For benchmarks: KTL_REPORT_RSS=1 prints the process's peak resident set size (KiB) to stderr.
if (process.env.KTL_REPORT_RSS === '1') {
  process.on('exit', () => process.stderr.write(`ktl: peak RSS ${process.resourceUsage().maxRSS} KiB\n`));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`ktl: ${err.message}\n`);
      process.exitCode = 1;
    } else if (err instanceof NotATraceError || err instanceof KallsymsError || err instanceof RecordUnavailableError || err instanceof KernelRejectedError) {
      process.stderr.write(`ktl: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof Error && 'code' in err && typeof err.code === 'string') {
      // File system errors (ENOENT, EACCES, EISDIR): one line, no stack.
      process.stderr.write(`ktl: cannot read input: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`ktl: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 3;
    }
  },
);
