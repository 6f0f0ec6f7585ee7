/**
 * How every `ktl` command opens its input: with the reader options of `--config FILE`, or of
 * ./.vscode/kernel-trace.json when there is one (as the editor does for its workspace), so a
 * printf pattern set up for the editor works on the command line unchanged. That file is the
 * current directory's, not the user's: using it is said on stderr (one line), and
 * `--config ''` reads without any.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadTraceFile, type LoadOptions } from '../core/io/file-source';
import type { Trace } from '../core/trace/trace';
import type { ReaderOptions } from '../core/formats/reader-options';
import { ModelError } from '../core/config/kernel-trace-json';
import { parseReaderOptions } from '../core/config/workspace-config';
import { UsageError, type ParsedArgs } from './commands';
import { noteProblems } from './problems';
import { parseMemorySize } from '../core/trace/memory-budget';

export const WORKSPACE_CONFIG = '.vscode/kernel-trace.json';

/** The options every command takes (added to each command's options by main.ts). */
export const LOAD_OPTIONS = { config: { type: 'string' }, 'max-memory': { type: 'string' }, jobs: { type: 'string' } } as const;

const cache = new Map<string, ReaderOptions>();

const announced = new Set<string>();

/** Says on stderr (once per run) that ./.vscode/kernel-trace.json of the current directory is used, and for what. */
export function announceWorkspaceConfig(what: string): void {
  if (announced.has(what)) return;
  announced.add(what);
  process.stderr.write(`ktl: ${what} from ./${WORKSPACE_CONFIG} (the current directory's; --config FILE for another, --config '' for none)\n`);
}

/** Reader options from --config (empty: none), else ./.vscode/kernel-trace.json, else none. */
export function readerOptions(args: ParsedArgs): ReaderOptions {
  const given = args.values.config;
  if (given === '') return {};
  const path = typeof given === 'string' ? given : existsSync(WORKSPACE_CONFIG) ? WORKSPACE_CONFIG : null;
  if (path === null) return {};
  if (typeof given !== 'string') announceWorkspaceConfig('reader options');
  let options = cache.get(path);
  if (options) return options;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--config ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    options = parseReaderOptions(text, path);
  } catch (err) {
    if (err instanceof ModelError) throw new UsageError(err.message);
    throw err;
  }
  cache.set(path, options);
  return options;
}

/** `--max-memory SIZE` in bytes, or undefined for the default budget. */
function maxMemory(args: ParsedArgs): number | undefined {
  const v = args.values['max-memory'];
  if (typeof v !== 'string') return undefined;
  const bytes = parseMemorySize(v);
  if (bytes === null) throw new UsageError(`--max-memory expects a size such as 512M, 2G or a number of bytes, got "${v}"`);
  return bytes;
}

/** `--jobs N`: threads reading a text trace (1: in order; 0: one per core, the default). */
function jobs(args: ParsedArgs): number | undefined {
  const v = args.values.jobs;
  if (typeof v !== 'string') return undefined;
  if (!/^\d{1,4}$/.test(v)) throw new UsageError(`--jobs expects a number of threads (1 reads in order, 0 one per core), got "${v}"`);
  return Number(v);
}

/**
 * Reads a trace or capture; what could not be read is reported on stderr at the end (problems.ts).
 * `early` lets a command stop reading once it has what it needs (`ktl events --limit`);
 * `countStats`, count the statistics while reading (`ktl stats`).
 */
export async function loadTrace(path: string, args: ParsedArgs, early: Pick<LoadOptions, 'onSnapshot' | 'snapshotIntervalMs' | 'countStats'> = {}): Promise<Trace> {
  const trace = await loadTraceFile(path, { readerOptions: readerOptions(args), maxMemoryBytes: maxMemory(args), jobs: jobs(args), ...early });
  noteProblems(path, trace);
  return trace;
}
