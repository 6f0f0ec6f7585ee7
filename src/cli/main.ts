/**
 * `ktl`: the extension's analyses on the command line, for scripts, CI and benchmarks.
 *
 *   ktl stats FILE [--json]
 *   ktl events FILE [--json] [--event NAME]... [--cpu N]... [--limit N]
 *
 * Exit status: 0 success, 1 usage error, 2 unreadable or non-trace input (one line on stderr).
 */
import { parseArgs } from 'node:util';
import { NotATraceError, loadTraceFile } from '../core/io/file-source';
import { statsCommand } from './stats';
import { eventsCommand } from './events';
import { Output } from './output';

const USAGE = `usage:
  ktl stats FILE [--json]
  ktl events FILE [--json] [--event NAME]... [--cpu N]... [--limit N]`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      event: { type: 'string', multiple: true },
      cpu: { type: 'string', multiple: true },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!command || !file || extra.length > 0) throw new UsageError(USAGE);
  const cpus = (values.cpu ?? []).map((c) => parseNonNegative('--cpu', c));
  const limit = values.limit === undefined ? Infinity : parseNonNegative('--limit', values.limit);
  if (command !== 'stats' && command !== 'events') throw new UsageError(`unknown command "${command}"\n${USAGE}`);

  const trace = await loadTraceFile(file);
  const out = new Output(process.stdout);
  try {
    if (command === 'stats') statsCommand(trace, values.json, out);
    else await eventsCommand(trace, { json: values.json, events: values.event ?? [], cpus, limit }, out);
    await out.end();
  } finally {
    trace.close();
  }
  return 0;
}

function parseNonNegative(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} expects a non-negative integer, got "${v}"`);
  return Number(v);
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
    } else if (err instanceof NotATraceError) {
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
